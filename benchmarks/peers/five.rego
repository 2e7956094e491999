# The five rules in Rego, over one State's document (benchmarks/peers/common.py: `document`).
# Dates are ISO strings ("" for none) in the input and nanoseconds here; 0 is "not known".
package ccm

import rego.v1

day(s) := time.parse_ns("2006-01-02", s)

iso(ns) := "" if ns == 0

else := time.format([ns, "UTC", "2006-01-02"])

# n years on, 29 February to 28 February (as dateutil does; Go would give 1 March)
plus_years(ns, n) := r if {
	r := time.add_date(ns, n, 0, 0)
	time.date(r)[2] == time.date(ns)[2]
} else := time.add_date(time.add_date(ns, n, 0, 0), 0, 0, 0 - time.date(time.add_date(ns, n, 0, 0))[2])

as_of := day(input.as_of)

withdrawn if input.withdrawn

# Art. 17: the first day of the sixth month after the deposit, not before the Convention's entry into force
# Art. 20(2): from the day a withdrawal takes effect, no entry into force and nothing built on it
eif := max({time.add_date(day(sprintf("%04d-%02d-01", [y, m])), 0, 6, 0), day(input.convention_eif)}) if {
	not withdrawn
	input.deposit != ""
	input.convention_eif != ""
	[y, m, _] := time.date(day(input.deposit))
}

done_by(ev, limit) if {
	ev.v == "done"
	day(ev.hi) <= limit
}

# The status table (ccmcheck/engine/decide.py): due 0 = unknown, then `limit` is the floor
decide(due, limit, ev) := "unknown" if {
	due == 0
	not settled(limit, ev)
} else := "met" if done_by(ev, limit)
else := "met_late" if {
	ev.v == "done"
	ev.lo != ""
	day(ev.lo) > due
} else := "met" if ev.v == "done"
else := "pending" if as_of <= limit
else := "overdue" if ev.v == "not_done"
else := "unknown"

settled(limit, ev) if done_by(ev, limit)

settled(limit, ev) if {
	ev.v != "done"
	as_of <= limit
}

# Each extension sets the deadline anew, never earlier; the last one without a known new
# deadline leaves it unknown, no earlier than the latest known one.
floor_after(due, exts) := max({due} | {day(e.new) | some e in exts; e.new != ""})

deadline_after(due, exts) := floor_after(due, exts) if count(exts) == 0
else := floor_after(due, exts) if exts[count(exts) - 1].new != ""
else := 0

finding(due, floor, ev) := {"status": decide(due, floor, ev), "due": iso(due)}

findings["art17.entry-into-force"] := {"status": "unknown", "due": ""} if {
	not withdrawn
	input.deposit != ""
	input.convention_eif == ""
}

in_force_status := "met" if eif <= as_of

else := "pending"

findings["art17.entry-into-force"] := {"status": in_force_status, "due": iso(eif)} if eif

findings["art7.initial-report"] := finding(due, due, input.initial_report) if {
	due := time.add_date(eif, 0, 0, 180)
}

annual_applies if done_by(input.initial_report, plus_years(as_of, -1))

annual_applies if input.annual_report.v == "done"

findings["art7.annual-report"] := finding(due, due, input.annual_report) if {
	eif
	annual_applies
	due := day(input.annual_due)
}

findings["art3.stockpile-destruction"] := finding(due, floor, input.destruction) if {
	eif
	input.stockpile_at_eif == "yes"
	floor := floor_after(plus_years(eif, 8), input.art3_extensions)
	due := deadline_after(plus_years(eif, 8), input.art3_extensions)
}

clearance_options contains plus_years(eif, 10) if input.contaminated_at_eif == "yes"

clearance_options contains plus_years(day(input.new_contamination[0]), 10) if {
	eif
	count(input.new_contamination) > 0
}

findings["art4.clearance"] := finding(due, floor, input.clearance) if {
	eif
	count(clearance_options) > 0
	floor := floor_after(min(clearance_options), input.art4_extensions)
	due := deadline_after(min(clearance_options), input.art4_extensions)
}
