// The five rules as a zen-engine function node, over every State's document at once
// (benchmarks/peers/common.py: `document`). Dates are ISO strings, "" for none; ISO strings
// compare as dates do.
const iso = (y, m, d) => new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);
const parts = (s) => s.split("-").map(Number);
const plusDays = (s, n) => { const [y, m, d] = parts(s); return iso(y, m, d + n); };
const plusYears = (s, n) => {  // 29 February -> 28 February, as dateutil does
  const [y, m, d] = parts(s);
  const last = new Date(Date.UTC(y + n, m, 0)).getUTCDate();
  return iso(y + n, m, Math.min(d, last));
};
const max = (a, b) => (a > b ? a : b);

function decide(asOf, due, limit, ev) {
  if (due === "" && !(ev.v === "done" ? ev.hi <= limit : asOf <= limit)) return "unknown";
  if (ev.v === "done") {
    if (ev.hi <= limit) return "met";
    return ev.lo !== "" && ev.lo > due ? "met_late" : "met";
  }
  if (asOf <= limit) return "pending";
  return ev.v === "not_done" ? "overdue" : "unknown";
}

// Each extension sets the deadline anew, never earlier; one without a known new deadline
// leaves it unknown, no earlier than the last known one.
function extended(due, exts) {
  let on = due, known = due;
  for (const e of exts) {
    if (e.new === "") { on = ""; } else { known = max(known, e.new); on = known; }
  }
  return [on, known];
}

function five(s) {
  const out = {};
  const asOf = s.as_of;
  const finding = (due, limit, ev) => ({ status: decide(asOf, due, limit, ev), due });
  let eif = "";  // Art. 20(2): from the day a withdrawal takes effect, no entry into force and nothing built on it
  if (s.deposit !== "" && !s.withdrawn) {
    if (s.convention_eif === "") {
      out["art17.entry-into-force"] = { status: "unknown", due: "" };
    } else {
      const [y, m] = parts(s.deposit);
      eif = max(iso(y, m + 6, 1), s.convention_eif);
      out["art17.entry-into-force"] = { status: eif <= asOf ? "met" : "pending", due: eif };
    }
  }
  if (eif !== "") {
    const due = plusDays(eif, 180);
    out["art7.initial-report"] = finding(due, due, s.initial_report);
  }
  const ir = s.initial_report;
  if (eif !== "" && ((ir.v === "done" && ir.hi <= plusYears(asOf, -1)) || s.annual_report.v === "done")) {
    out["art7.annual-report"] = finding(s.annual_due, s.annual_due, s.annual_report);
  }
  if (eif !== "" && s.stockpile_at_eif === "yes") {
    const [due, floor] = extended(plusYears(eif, 8), s.art3_extensions);
    out["art3.stockpile-destruction"] = finding(due, floor, s.destruction);
  }
  const options = [];
  if (eif !== "" && s.contaminated_at_eif === "yes") options.push(plusYears(eif, 10));
  if (eif !== "" && s.new_contamination.length > 0) options.push(plusYears(s.new_contamination[0], 10));
  if (options.length > 0) {
    const [due, floor] = extended(options.reduce((a, b) => (a < b ? a : b)), s.art4_extensions);
    out["art4.clearance"] = finding(due, floor, s.clearance);
  }
  return out;
}

const handler = (input) => ({ findings: input.states.map(five) });
