"""Issue 18: the public record in without editing YAML: the depositary's status table, Article 7
report lists, sources, figures and extension requests, each by a command. Every snapshot
written here lives in tmp_path."""
from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
from pathlib import Path

import pytest
from generated import check_section

import ccmcheck
from ccmcheck.cli import main
from ccmcheck.facts.loader import load_facts
from ccmcheck.importers import untc

from importer_fixtures import FIXTURES, READ_ON, ROOT, write_fixtures

FACTS = ROOT / "facts" / "2017"
HTML, TEXT = FIXTURES / "untc-status-2019.html", FIXTURES / "untc-status-2019.txt"


def _cli(argv: list[object], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _ok(argv: list[object], capsys: pytest.CaptureFixture[str]) -> str:
    code, out, err = _cli(argv, capsys)
    assert (code, err) == (0, ""), err
    return out


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*"))
            if p.is_file()}


def _finding(facts: Path, state: str, rule: str) -> ccmcheck.Finding:
    (f,) = ccmcheck.evaluate(facts, states=[state], rule_ids=[rule]).findings
    return f


@pytest.fixture
def y2019(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    new = tmp_path / "2019"
    _ok(["snapshot", "new", new, "--from", FACTS, "--as-of", "2019-06-30"], capsys)
    return new


def _empty_snapshot(tmp_path: Path) -> Path:
    """facts/2017's snapshot.yaml without its figures, and one State that is not a participant (a
    snapshot needs a State file): no treaty fact at all."""
    root = tmp_path / "empty"
    (root / "states").mkdir(parents=True)
    text = (FACTS / "snapshot.yaml").read_text(encoding="utf-8")
    (root / "snapshot.yaml").write_text(text[:text.index("\npublished:")] + "\n", encoding="utf-8")
    (root / "states" / "finland.yaml").write_text('name: "Finland"\niso3: FIN\n', encoding="utf-8")
    return root


def _treaty(fb: ccmcheck.FactBase) -> dict[str, dict[str, tuple[object, object]]]:
    """Every State's treaty facts in substance: (day, kind) by fact."""
    out = {}
    for st in fb.states:
        facts = {k: (v.on, getattr(v, "kind", None)) for k in ("signature", "deposit", "withdrawal")
                 if (v := getattr(st.treaty, k)) is not None}
        if facts:
            out[st.iso3] = facts
    return out


# --- the fixtures -------------------------------------------------------------------------------

def test_fixtures_are_what_their_generator_gives() -> None:
    for name, text in write_fixtures().items():
        assert (FIXTURES / name).read_text(encoding="utf-8") == text, f"regenerate: python tests/importer_fixtures.py ({name})"


def test_the_page_is_read_in_the_depositary_layout() -> None:
    table = untc.read(HTML)
    assert table.read_on == READ_ON
    by = {p.name: p for p in table.participants}
    assert (by["Andorra"].signature, by["Andorra"].deposit, by["Andorra"].kind) == (None, untc.date(2013, 4, 9), "accession")
    assert by["Sri Lanka"].kind == "accession" and by["Namibia"].kind == "ratification"
    assert untc.read(TEXT).participants == table.participants


@pytest.mark.parametrize("text,expect", [
    ("3 Dec 2008", ("2008-12-03", "ratification", ())), ("9 Apr 2013 a", ("2013-04-09", "accession", ())),
    ("2 Sep 2014 AA", ("2014-09-02", "approval", ())), ("7 Jul 2010 A 3", ("2010-07-07", "acceptance", (3,))),
    ("16 Feb 2010 2, 4", ("2010-02-16", "ratification", (2, 4)))])
def test_dates_kinds_and_footnotes(text: str, expect: tuple[str, str, tuple[int, ...]]) -> None:
    c = untc.parse_date(text, "t")
    assert (c.day.isoformat(), c.kind, c.notes) == expect


# --- 1. the status table ------------------------------------------------------------------------

@pytest.mark.parametrize("form", ["html", "txt", "csv"])
def test_round_trip_reproduces_every_treaty_fact(tmp_path: Path, form: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A status table written from facts/2017 (withdrawal as the depositary's note) imported into a
    snapshot with no treaty fact gives every State's signature, deposit (kind) and withdrawal."""
    old = load_facts(FACTS)
    people, notes = untc.from_facts(old.states)
    page = tmp_path / f"status.{form}"
    if form == "html":
        page.write_text(untc.write_html(people, notes, READ_ON), encoding="utf-8")
    elif form == "txt":
        page.write_text(untc.write_text(people, notes), encoding="utf-8")
    else:
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow(untc.HEADER)
        for p in people:
            w.writerow([p.name + ",".join(map(str, p.notes)), untc.format_date(p.signature), "",
                        untc.format_date(p.deposit, p.kind)])
        page.write_text(out.getvalue() + "\n" + "".join(f"{n}. {t}\n" for n, t in notes.items()), encoding="utf-8")
    empty = _empty_snapshot(tmp_path)
    out = _ok(["import-status", empty, page, "--read-on", "2017-06-30"], capsys)
    new = load_facts(empty)
    assert _treaty(new) == _treaty(old)
    assert f"States created: {len(_treaty(old))}:" in out
    lithuania = new.find("Lithuania").treaty.withdrawal
    assert lithuania is not None and "2024-09-06" in lithuania.note and "Art. 20(2)" in lithuania.source
    assert all(s.treaty.deposit.source == "untc#status as read on 2017-06-30" for s in new.states if s.treaty.deposit)
    # The same table again changes nothing.
    before = _tree(empty)
    assert "treaty facts added: 0, replaced: 0" in _ok(["import-status", empty, page, "--read-on", "2017-06-30"], capsys)
    assert _tree(empty) == before


def test_new_deposits_are_added_and_states_created(y2019: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Take the 2018-19 deposits out of a copy, as a snapshot of mid-2018 would have them: the page adds them."""
    for name in ("gambia", "namibia", "philippines"):
        f = y2019 / "states" / f"{name}.yaml"
        f.write_text("\n".join(line for line in f.read_text(encoding="utf-8").splitlines()
                               if not line.startswith("  deposit:")) + "\n", encoding="utf-8")
    out = _ok(["import-status", y2019, HTML], capsys)
    for line in ("+ Gambia: treaty.deposit 2018-12-11 (ratification)", "+ Namibia: treaty.deposit 2018-08-31 (ratification)",
                 "+ Philippines: treaty.deposit 2019-01-03 (ratification)", "+ Sri Lanka: treaty.deposit 2018-03-01 (accession)",
                 "States created: 1: Sri Lanka (LKA)"):
        assert line in out
    assert (y2019 / "states" / "sri-lanka.yaml").read_text(encoding="utf-8") == (
        'name: "Sri Lanka"\niso3: LKA\ntreaty:\n'
        '  deposit: {on: 2018-03-01, kind: accession, source: "untc#status as read on 2019-06-30"}\n')


def test_a_different_date_is_a_conflict_unless_replace(y2019: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "status.txt"
    page.write_text(TEXT.read_text(encoding="utf-8").replace("Croatia\t3 Dec 2008\t\t17 Aug 2009",
                                                            "Croatia\t3 Dec 2008\t\t18 Aug 2009"), encoding="utf-8")
    before = _tree(y2019)
    code, out, err = _cli(["import-status", y2019, page, "--read-on", "2019-06-30"], capsys)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "Croatia: treaty.deposit: Croatia already has a different treaty.deposit" in err
    assert "--replace" in err and _tree(y2019) == before
    out = _ok(["import-status", y2019, page, "--read-on", "2019-06-30", "--replace"], capsys)
    assert "~ Croatia: treaty.deposit 2009-08-18 (ratification)" in out
    assert load_facts(y2019).find("Croatia").treaty.deposit.on.isoformat() == "2009-08-18"


def test_a_name_that_does_not_resolve_is_one_line_with_suggestions(y2019: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "status.txt"
    page.write_text(TEXT.read_text(encoding="utf-8").replace("Croatia\t", "Croatiaa\t"), encoding="utf-8")
    before = _tree(y2019)
    code, out, err = _cli(["import-status", y2019, page, "--read-on", "2019-06-30"], capsys)
    assert (code, out) == (2, "") and _tree(y2019) == before
    row = next(i for i, line in enumerate(page.read_text().splitlines(), start=1) if line.startswith("Croatiaa"))
    assert err == (f"ccmcheck: {page}: row {row}: Participant: no State 'Croatiaa' in {y2019} or ISO 3166; "
                   "did you mean Croatia?\n")


def test_without_a_read_date_the_import_asks_for_one(y2019: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _cli(["import-status", y2019, TEXT], capsys)
    assert (code, out) == (2, "") and "--read-on" in err and err.count("\n") == 1


def test_a_page_that_is_not_the_status_table_is_refused(y2019: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "other.html"
    page.write_text("<html><table><tr><td>Name</td><td>Date</td></tr></table></html>", encoding="utf-8")
    code, out, err = _cli(["import-status", y2019, page, "--read-on", "2019-06-30"], capsys)
    assert (code, out) == (2, "") and "not the depositary's status page" in err


# --- 2. report lists ----------------------------------------------------------------------------

def _reports_source(facts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _ok(["source", "add", facts, "unoda-art7", "--title", "Convention on Cluster Munitions: Article 7 reports "
         "received (illustration for the tests)", "--publisher", "United Nations Office for Disarmament Affairs",
         "--date", "2019-06-30"], capsys)


def test_a_report_list_marks_reports_received(y2019: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _reports_source(y2019, capsys)
    out = _ok(["import-reports", y2019, FIXTURES / "reports-2019.csv", "--source", "unoda-art7"], capsys)
    assert "+ Croatia: article7.annual_reports.2018 received 2019-04-29" in out
    fb = load_facts(y2019)
    seen = [(o.status, str(o.on), o.source) for o in fb.find("Croatia").article7.annual_reports[2018]]
    assert ("done", "2019-04-29", "unoda-art7") in seen
    f = _finding(y2019, "Croatia", "art7.annual-report")
    assert (f.status, str(f.met_on)) == ("met", "2019-04-29")
    assert _finding(y2019, "Chad", "art7.annual-report").status == "met_late"


def test_absence_means_not_submitted_only_in_a_complete_list(y2019: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _reports_source(y2019, capsys)
    _ok(["import-reports", y2019, FIXTURES / "reports-2019.csv", "--source", "unoda-art7"], capsys)
    assert "article7.annual_report" in _finding(y2019, "Chile", "art7.annual-report").missing[0]
    out = _ok(["import-reports", y2019, FIXTURES / "reports-2019.csv", "--source", "unoda-art7",
               "--complete-as-of", "2019-06-30"], capsys)
    fb = load_facts(y2019)
    chile = [(o.status, str(o.checked_on), o.source) for o in fb.find("Chile").article7.annual_reports[2018]]
    assert ("not_done", "2019-06-30", "unoda-art7") in chile
    assert "- Chile: article7.annual_reports.2018" in out
    assert _finding(y2019, "Chile", "art7.annual-report").status == "overdue"
    # The Philippines (in force 1 Jul 2019) owed nothing by then; Croatia's report stays received.
    assert 2018 not in fb.find("Philippines").article7.annual_reports and fb.find("Philippines").article7.initial_report is None
    assert [o.status for o in fb.find("Croatia").article7.annual_reports[2018]] == ["done"]
    # Sri Lanka (in force 1 Sep 2018) owed its initial report by 28 Feb 2019.
    sri = fb.find("Sri Lanka") if any(s.iso3 == "LKA" for s in fb.states) else None
    assert sri is None or sri.article7.initial_report is not None


def test_a_received_report_is_added_beside_an_earlier_check(y2019: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    _reports_source(y2019, capsys)
    _ok(["import-reports", y2019, FIXTURES / "reports-2019.csv", "--source", "unoda-art7",
         "--complete-as-of", "2019-06-30"], capsys)  # Chile 2018: not done, checked on 2019-06-30
    sheet = tmp_path / "late.csv"
    sheet.write_text("state,report,year,received,link\nChile,annual,2018,2019-08-01,\n", encoding="utf-8")
    out = _ok(["import-reports", y2019, sheet, "--source", "unoda-art7#later list"], capsys)
    assert "facts added: 1, replaced: 0, unchanged: 0" in out
    chile = load_facts(y2019).find("Chile").article7.annual_reports[2018]
    assert sorted((o.status, str(o.checked_on or o.on)) for o in chile) == [("done", "2019-08-01"),
                                                                             ("not_done", "2019-06-30")]
    before = _tree(y2019)
    out = _ok(["import-reports", y2019, sheet, "--source", "unoda-art7#later list"], capsys)
    assert "facts added: 0, replaced: 0, unchanged: 1" in out and _tree(y2019) == before
    assert load_facts(y2019).find("Chile").article7.annual_reports[2018] == chile
    # The snapshot is as of 2019-06-30: received after that day, the report was still overdue then.
    assert _finding(y2019, "Chile", "art7.annual-report").status == "overdue"


def test_a_bad_report_row_names_the_row(y2019: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _reports_source(y2019, capsys)
    sheet = tmp_path / "r.csv"
    sheet.write_text("state,report,year,received,link\nCroatia,annual,2018,2019-04-29,\nCroatai,annual,2018,2019-04-02,\n"
                     "Chad,annual,,2019-04-02,\n", encoding="utf-8")
    before = _tree(y2019)
    code, out, err = _cli(["import-reports", y2019, sheet, "--source", "unoda-art7"], capsys)
    assert (code, out) == (2, "") and _tree(y2019) == before
    assert err.splitlines() == [
        f"ccmcheck: {sheet}: row 3: state: no State 'Croatai' in {y2019}; did you mean Croatia?",
        f"ccmcheck: {sheet}: row 4: year: Chad: an annual report needs the calendar year it covers (YYYY), not ''"]


def test_an_unknown_source_suggests_source_add(y2019: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _cli(["import-reports", y2019, FIXTURES / "reports-2019.csv", "--source", "8msp"], capsys)
    assert (code, out) == (2, "") and f"ccmcheck source add {y2019} 8msp --title" in err


# --- 3. sources, figures, extension requests, month precision -------------------------------------

def test_source_add_list_and_conflict(y2019: Path, capsys: pytest.CaptureFixture[str]) -> None:
    snap = y2019 / "snapshot.yaml"
    before = snap.read_text(encoding="utf-8")
    args = ["source", "add", y2019, "8msp", "--title", "CCM 8MSP Progress Report", "--publisher", "President of the 8MSP",
            "--date", "2018-08-01", "--url", "https://www.clusterconvention.org/"]
    assert "sources added: 1: 8msp" in _ok(args, capsys)
    after = snap.read_text(encoding="utf-8")
    assert after.startswith(before[:before.index("convention:")].rstrip("\n"))  # nothing before it moved
    assert '  8msp:\n    title: "CCM 8MSP Progress Report"\n' in after
    assert "already there, unchanged: 1" in _ok(args, capsys)
    assert re.search(r"\n  8msp +CCM 8MSP Progress Report. President of the 8MSP", _ok(["source", "list", y2019], capsys))
    code, out, err = _cli(args[:5] + ["Another title"], capsys)
    assert (code, out) == (2, "") and "already has a different source '8msp'" in err
    assert _ok(["sources", y2019], capsys) == _ok(["source", "list", y2019], capsys)


def test_figure_add_then_reconcile(y2019: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _ok(["source", "add", y2019, "9msp", "--title", "CCM 9MSP Progress Report (illustration for the tests)"], capsys)
    _ok(["import-status", y2019, HTML], capsys)
    expected = sum(1 for f in ccmcheck.evaluate(y2019, rule_ids=["art17.entry-into-force"]).findings
                   if f.status in ("met", "pending"))
    _ok(["figure", "add", y2019, "--id", "II.universalization.total", "--value", expected, "--as-of", "2019-06-30",
         "--source", "9msp#II", "--where", "Section II", "--text", "States Parties", "--rule", "art17.entry-into-force",
         "--statuses", "met,pending"], capsys)
    fig = load_facts(y2019).snapshot.published[0]
    assert (fig.id, fig.value, str(fig.as_of), fig.measure.rules) == ("II.universalization.total", expected, "2019-06-30",
                                                                       ["art17.entry-into-force"])
    assert "II.universalization.total" in _ok(["reconcile", y2019], capsys)
    rec = ccmcheck.reconcile(y2019)
    assert [(r.id, r.published, r.low, r.high, r.verdict) for r in rec.figures] == [
        ("II.universalization.total", expected, expected, expected, "match")]


def test_figures_from_a_sheet_and_a_bad_one(y2019: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "figures.csv"
    sheet.write_text("id,value,as_of,source,where,text,rules,statuses,not_computed\n"
                     "a.total,3,2019-06-30,untc,Table,three,art17.entry-into-force,met,\n"
                     "b.target,130,2019-06-30,nosuch#1,Table,target,,,a target\n", encoding="utf-8")
    code, out, err = _cli(["figure", "add", y2019, "--from", sheet], capsys)
    assert (code, out) == (2, "") and err.count("\n") == 1 and "b.target: source: 'nosuch' is not listed" in err
    sheet.write_text(sheet.read_text().replace("nosuch#1", "untc"), encoding="utf-8")
    assert "figures added: 2: a.total, b.target" in _ok(["figure", "add", y2019, "--from", sheet], capsys)


def test_an_extension_request_is_pending_until_decided(y2019: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    _ok(["source", "add", y2019, "--from", FIXTURES / "example-sources.csv"], capsys)
    _ok(["import", y2019, FIXTURES / "extension-requests.csv"], capsys)
    f = _finding(y2019, "Bulgaria", "art3.stockpile-destruction")
    assert f.status == "pending" and str(f.due) == "2019-10-01"
    assert "an extension request submitted on 2019-03-01, to 2022-10-01 [example] is pending: until a decision the " \
           "deadline of 2019-10-01 stands" in f.explanation
    ref = ccmcheck.evaluate(y2019, states=["Bulgaria"], rule_ids=["art3.stockpile-destruction"], engine="reference")
    assert ref.findings[0] == f
    # A decision (illustrative date) ends it from the day it is taken, not before.
    sheet = tmp_path / "decision.csv"
    sheet.write_text("state,fact,decided_on,decided_by,new_deadline,source\n"
                     "Bulgaria,article3.extensions,2019-09-04,9MSP,2022-10-01,example\n", encoding="utf-8")
    _ok(["import", y2019, sheet], capsys)
    assert "is pending" in _finding(y2019, "Bulgaria", "art3.stockpile-destruction").explanation
    (f,) = ccmcheck.evaluate(y2019, "2019-09-30", states=["Bulgaria"], rule_ids=["art3.stockpile-destruction"]).findings
    assert "pending:" not in f.explanation and str(f.due) == "2022-10-01"


def test_a_late_request_is_noted(y2019: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _ok(["source", "add", y2019, "--from", FIXTURES / "example-sources.csv"], capsys)
    sheet = tmp_path / "late.csv"
    sheet.write_text("state,fact,submitted_on,source\nBulgaria,article3.requests,2019-10-15,example\n", encoding="utf-8")
    _ok(["import", y2019, sheet], capsys)
    assert "request" not in _finding(y2019, "Bulgaria", "art3.stockpile-destruction").explanation  # not yet made
    (f,) = ccmcheck.evaluate(y2019, "2019-10-31", states=["Bulgaria"], rule_ids=["art3.stockpile-destruction"]).findings
    assert "submitted after that deadline (Art. 3(3) requires it before)" in f.explanation
    assert "request" not in _finding(y2019, "Croatia", "art3.stockpile-destruction").explanation


def test_a_month_precision_completion_is_a_between(y2019: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _ok(["source", "add", y2019, "--from", FIXTURES / "example-sources.csv"], capsys)
    sheet = tmp_path / "m.csv"
    sheet.write_text("state,fact,status,on,source\nBulgaria,article3.destruction_completed,done,2019-03,example\n",
                     encoding="utf-8")
    _ok(["import", y2019, sheet], capsys)  # beside the "not done, checked on 2017-06-30" it held: both kept
    assert ("  destruction_completed:\n    - {status: not_done, checked_on: 2017-06-30, source: \"7msp#18\"}\n"
            "    - {status: done, between: [2019-03-01, 2019-03-31], source: example}\n") in \
        (y2019 / "states" / "bulgaria.yaml").read_text(encoding="utf-8")


# --- Done when: a 2019 snapshot from facts/2017 with these commands and fixture files only -------

def rehearsal(tmp: Path, step) -> Path:  # type: ignore[no-untyped-def]
    """The 2019 rehearsal, each command through `step(text, argv)`; returns the snapshot folder."""
    shutil.copytree(FACTS, tmp / "facts" / "2017")
    for name in ("untc-status-2019.html", "reports-2019.csv", "extension-requests.csv", "example-sources.csv"):
        shutil.copy(FIXTURES / name, tmp / name)
    step("**1. Roll forward** from last year's snapshot:",
         ["snapshot", "new", "facts/2019", "--from", "facts/2017", "--as-of", "2019-06-30"])
    step("**2. The depositary's status.** Save the UN Treaty Collection's status page of the Convention "
         "(chapter XXVI-6) as HTML, or copy its table; `--dry-run` shows what it would change:",
         ["import-status", "facts/2019", "untc-status-2019.html", "--dry-run"])
    step("Then for real:", ["import-status", "facts/2019", "untc-status-2019.html"])
    step("**3. Sources** for what you will enter: one command each, or a sheet of them "
         "(`example-sources.csv` has the columns key, title, publisher, date, url, note):",
         ["source", "add", "facts/2019", "unoda-art7", "--title", "Convention on Cluster Munitions: Article 7 "
          "reports received (illustration: dates invented)", "--publisher", "United Nations Office for Disarmament "
          "Affairs", "--date", "2019-06-30"])
    step("", ["source", "add", "facts/2019", "--from", "example-sources.csv"])
    step("**4. The Article 7 reports received**, from a list with the columns state, report, year, received, link:",
         ["import-reports", "facts/2019", "reports-2019.csv", "--source", "unoda-art7"])
    step("**5. An extension request**, from a sheet with the `import` columns (`article3.requests`: submitted_on, "
         "deadline_requested):", ["import", "facts/2019", "extension-requests.csv"])
    step("**6. A published figure**, for `reconcile`:",
         ["figure", "add", "facts/2019", "--id", "II.universalization.total", "--value", "106", "--as-of", "2019-06-30",
          "--source", "example", "--where", "Section II", "--text", "States Parties (illustration)",
          "--rule", "art17.entry-into-force", "--statuses", "met,pending"])
    step("**7. Evaluate and reconcile.**", ["evaluate", "facts/2019", "--state", "Gambia", "--state", "Namibia",
                                            "--state", "Philippines", "--state", "Sri Lanka", "--rule",
                                            "art17.entry-into-force", "--format", "csv"])
    step("", ["evaluate", "facts/2019", "--state", "Croatia", "--rule", "art7.annual-report", "--format", "csv"])
    step("", ["evaluate", "facts/2019", "--state", "Bulgaria", "--rule", "art3.stockpile-destruction", "--format", "csv"])
    step("", ["reconcile", "facts/2019"])
    return tmp / "facts" / "2019"


@pytest.mark.slow  # over 3 s on the 2-core machine (tests/conftest.py): CI runs it, `pytest --slow` too
def test_2019_rehearsal_with_commands_only(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)

    def step(_: str, argv: list[str]) -> None:
        _ok(argv, capsys)

    facts = rehearsal(tmp_path, step)
    eif = {n: _finding(facts, n, "art17.entry-into-force") for n in ("Gambia", "Namibia", "Philippines", "Sri Lanka")}
    assert {n: (f.status, str(f.due)) for n, f in eif.items()} == {
        "Gambia": ("met", "2019-06-01"), "Namibia": ("met", "2019-02-01"), "Philippines": ("pending", "2019-07-01"),
        "Sri Lanka": ("met", "2018-09-01")}
    assert load_facts(facts).find("LKA").name == "Sri Lanka"
    croatia = _finding(facts, "Croatia", "art7.annual-report")
    assert (croatia.status, str(croatia.met_on)) == ("met", "2019-04-29")
    bulgaria = _finding(facts, "Bulgaria", "art3.stockpile-destruction")
    assert bulgaria.status == "pending" and "extension request submitted on 2019-03-01" in bulgaria.explanation \
        and "is pending" in bulgaria.explanation
    rec = ccmcheck.reconcile(facts)
    assert [r.id for r in rec.figures] == ["II.universalization.total"]
    # No State file was written except by the commands: every file differs from facts/2017 only where a command said.
    old = _tree(ROOT / "facts" / "2017" / "states")
    new = _tree(facts / "states")
    changed = sorted(k for k in new if old.get(k) != new[k])
    assert changed == ["bulgaria.yaml", "chad.yaml", "croatia.yaml", "sri-lanka.yaml"]
    assert [(r.id, r.verdict) for r in rec.figures] == [("II.universalization.total", "match")]


REAL = Path("/work/scratch/2025/treaty.csv")  # the real depositary record to 2025, gathered for issue 18 (read only)


@pytest.mark.skipif(not REAL.is_file(), reason="the 2025 depositary data is not on this machine")
def test_the_real_record_to_2025_imports_without_conflict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The participants and dates of the real record (2008-2025), written as the depositary's page, go
    into a snapshot rolled forward from facts/2017 with no conflict: every date facts/2017 holds agrees."""
    from datetime import date
    from dateutil.relativedelta import relativedelta
    rows = list(csv.DictReader(REAL.open(encoding="utf-8")))
    people, notes = [], {}
    for r in sorted(rows, key=lambda r: r["state"]):
        marks: tuple[int, ...] = ()
        if r["withdrawal_effective"]:
            n = len(notes) + 1
            told = date.fromisoformat(r["withdrawal_effective"]) - relativedelta(months=6)
            notes[n] = f"On {told.day} {told.strftime('%B')} {told.year}, the Government of {r['state']} notified the " \
                       "Secretary-General of its decision to withdraw from the Convention."
            marks = (n,)
        day = lambda t: date.fromisoformat(t) if t else None  # noqa: E731
        people.append(untc.Participant(len(people) + 2, r["state"], marks, day(r["signature"]), day(r["deposit"]),
                                       r["deposit_kind"] or None))
    page = tmp_path / "untc-2025.html"
    page.write_text(untc.write_html(people, notes, untc.date(2025, 10, 1)), encoding="utf-8")
    new = tmp_path / "2025"
    _ok(["snapshot", "new", new, "--from", FACTS, "--as-of", "2025-06-30"], capsys)
    out = _ok(["import-status", new, page], capsys)
    assert "replaced: 0" in out
    fb = load_facts(new)
    for r in rows:
        st = fb.find(r["iso3"])
        assert (str(st.treaty.deposit.on) if st.treaty.deposit else "") == r["deposit"], r["state"]
    assert str(fb.find("Lithuania").treaty.withdrawal.on) == next(r["withdrawal_effective"] for r in rows
                                                                 if r["iso3"] == "LTU")


def test_the_three_column_layout_is_read_too(tmp_path: Path) -> None:
    page = tmp_path / "old.txt"
    page.write_text("Participant\tSignature\tRatification, Acceptance(A), Approval(AA), Accession(a)\n"
                    "Croatia\t3 Dec 2008\t17 Aug 2009\nAndorra\t\t9 Apr 2013 a\n", encoding="utf-8")
    got = [(p.name, p.signature, p.deposit, p.kind) for p in untc.read(page).participants]
    assert got == [("Croatia", untc.date(2008, 12, 3), untc.date(2009, 8, 17), "ratification"),
                   ("Andorra", None, untc.date(2013, 4, 9), "accession")]


# --- the guide's worked example (docs/yearly-cycle.md), generated here ---------------------------

GUIDE = ROOT / "docs" / "yearly-cycle.md"
START = "<!-- 2019 rehearsal: generated by tests/test_importers.py -->\n"
END = "<!-- end of 2019 rehearsal -->\n"


def rehearsal_markdown(tmp: Path) -> str:
    """Run the rehearsal in `tmp` and give each command with what it printed, as Markdown."""
    import contextlib
    import os

    out: list[str] = []

    def step(text: str, argv: list[str]) -> None:
        so, se = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(so), contextlib.redirect_stderr(se):
            code = main(argv)
        shown = " ".join(f'"{a}"' if " " in a else a for a in argv)
        status = "" if code == 0 else f"(exit status {code})\n"
        out.append((f"{text}\n\n" if text else "") + f"```\n$ ccmcheck {shown}\n{so.getvalue()}{se.getvalue()}{status}```\n")

    here = Path.cwd()
    os.chdir(tmp)
    try:
        rehearsal(tmp, step)
    finally:
        os.chdir(here)
    return "\n".join(out)


def test_guide_rehearsal_is_current(tmp_path: Path) -> None:
    check_section(GUIDE, START, END, rehearsal_markdown(tmp_path),
                  "CCMCHECK_REGENERATE_DOCS=1 pytest tests/test_importers.py -k guide")


# --- 5. the fill-in template ---------------------------------------------------------------------

def test_template_asks_what_could_change_a_finding(y2019: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    _ok(["import-status", y2019, HTML], capsys)
    out = tmp_path / "fill-in.csv"
    _ok(["export", y2019, "--missing", "-o", out], capsys)
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    facts = {(r["state"], r["fact"]): r for r in rows}
    # Benin (in force 2018-01-01) owes nothing about 2017; Lithuania's withdrawal (2025) has not taken effect.
    assert not [k for k in facts if k[0] == "Benin" and ".2017" in k[1]]
    assert ("Benin", "article7.initial_report") in facts  # asked first: the annual report hinges on it
    # Current value and latest observation shown.
    spain = facts[("Spain", "article3.destruction_completed")]
    assert (spain["current_status"], spain["current_date"], spain["current_source"]) == ("not_done", "2017-06-30", "7msp#18")
    # A pending obligation that may have been completed early; a new State's applicability facts.
    assert "completed early?" in facts[("Botswana", "article3.destruction_completed")]["decides"]
    assert "a new State Party" in facts[("Sri Lanka", "article3.stockpile_at_eif")]["decides"]
    # What was overdue when last checked first (issue 16); then by area, most urgent first within it.
    stale = [("when last checked" in r["decides"]) for r in rows]
    n = sum(stale)
    assert n > 0 and stale == [True] * n + [False] * (len(rows) - n)
    areas = [r["area"] for r in rows]
    assert areas[:n] == sorted(areas[:n]) and areas[n:] == sorted(areas[n:]) and {"B. Stockpile destruction and retention", "F. Transparency measures"} <= set(areas)
    # Nothing entered: importing it changes nothing.
    before = _tree(y2019)
    assert f"rows left blank (skipped): {len(rows)}" in _ok(["import", y2019, out], capsys)
    assert _tree(y2019) == before


def test_template_skips_a_state_after_its_withdrawal(y2019: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "fill-in.csv"
    _ok(["export", y2019, "--missing", "--as-of", "2025-06-30", "-o", out], capsys)
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert rows and not [r for r in rows if r["state"] == "Lithuania"]
    _ok(["export", y2019, "--missing", "--as-of", "2024-06-30", "-o", out], capsys)
    assert [r for r in csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))) if r["state"] == "Lithuania"]
