"""`ccmcheck serve` as a client sees it: the server is started as a person starts it, on a free
local port; every endpoint's JSON is compared with the CLI's for the same options, bad
parameters give 400 with the CLI's one-line message, nothing but GET is answered, and a
short bounded load test measures /audit/{state} and /evaluate (docs/performance.md).

The reload test runs the application in-process (Starlette's test client) on a copy of the
facts, edits a State file and sees the answer change."""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ccmcheck import api
from ccmcheck.cli import run
from ccmcheck.web import params

ROOT = Path(__file__).resolve().parent.parent
FACTS = "facts/2017"


def get(base: str, path: str, method: str = "GET") -> tuple[int, str, str]:
    req = urllib.request.Request(base + path, method=method)
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, r.headers.get("content-type", ""), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("content-type", ""), e.read().decode("utf-8")


def cli_json(*args: str) -> str:
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return run(list(args))
    finally:
        os.chdir(cwd)


# (API path and query, the same question on the command line)
SAME = [
    ("/evaluate", ["evaluate", FACTS, "--format", "json"]),
    ("/evaluate?as_of=2016-06-30&rule=art7.initial-report&state=Chile&state=HRV",
     ["evaluate", FACTS, "--format", "json", "--as-of", "2016-06-30", "--rule", "art7.initial-report", "--state", "Chile",
      "--state", "HRV"]),
    ("/evaluate?lang=fr&rule=art3.stockpile-destruction", ["evaluate", FACTS, "--format", "json", "--lang", "fr",
                                                           "--rule", "art3.stockpile-destruction"]),
    ("/audit/Croatia?explain=true", ["audit", FACTS, "Croatia", "--explain", "--format", "json"]),
    ("/audit/gnb?as_of=2012-01-01", ["audit", FACTS, "gnb", "--as-of", "2012-01-01", "--format", "json"]),
    ("/matrix", ["matrix", FACTS, "--format", "json"]),
    ("/deadlines?state=Croatia&all=true", ["deadlines", FACTS, "--state", "Croatia", "--all", "--format", "json"]),
    ("/deadlines?format=ics&to=2018-06-30", ["deadlines", FACTS, "--to", "2018-06-30", "--format", "ics"]),
    ("/history?state=Croatia&from=2015-01-01", ["history", FACTS, "--state", "Croatia", "--from", "2015-01-01",
                                                "--format", "json"]),
    ("/changes?include_newly_known=true", ["changes", FACTS, "--include-newly-known", "--format", "json"]),
    ("/rules", ["rules", "--format", "json"]),
    ("/sources", ["sources", FACTS, "--format", "json"]),
]


@pytest.mark.parametrize("path,argv", SAME, ids=[p for p, _ in SAME])
def test_endpoint_gives_the_cli_json(web_server: str, path: str, argv: list[str]) -> None:
    status, media, body = get(web_server, path)
    assert status == 200, body
    assert media.startswith("text/calendar" if "format=ics" in path else "application/json")
    assert body == cli_json(*argv)


def test_every_endpoint_is_exercised_and_described(web_server: str) -> None:
    asked = {urllib.parse.urlsplit(p).path for p, _ in SAME}
    for e in params.ENDPOINTS:
        assert any(e.path.split("{")[0].rstrip("/") == a or a.startswith(e.path.split("{")[0]) for a in asked), e.path
    status, _, body = get(web_server, "/openapi.json")
    spec = json.loads(body)
    assert status == 200 and spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {e.path for e in params.ENDPOINTS}
    declared = {p["name"] for p in spec["paths"]["/evaluate"]["get"]["parameters"]}
    assert {"as_of", "rule", "state", "status", "lang", "engine"} <= declared


def test_status_filter_keeps_the_contract(web_server: str) -> None:
    data = json.loads(get(web_server, "/evaluate?status=overdue")[2])
    assert data["findings"] and {f["status"] for f in data["findings"]} == {"overdue"}
    full = json.loads(cli_json("evaluate", FACTS, "--format", "json"))
    assert sum(c.get("overdue", 0) for c in data["counts"].values()) == len(data["findings"]) \
        == sum(1 for f in full["findings"] if f["status"] == "overdue")


BAD = [
    ("/evaluate?as_of=2017-13-01", "as_of: not a date (YYYY-MM-DD): '2017-13-01'"),
    ("/evaluate?status=late", "status: not a status: late"),
    ("/evaluate?rule=art99.nothing", "art99.nothing: rule: no rule with this id"),
    ("/evaluate?colour=red", "colour: unknown parameter"),
    ("/evaluate?as_of=2017-01-01&as_of=2017-02-01", "as_of: given twice"),
    ("/matrix?lang=la", "lang: invalid choice: 'la'"),
    ("/audit/Narnia", "Narnia: state: no State of that name"),
    ("/deadlines?from=2019-01-01&to=2018-01-01", "--from 2019-01-01 is after --to 2018-01-01"),
    ("/audit/Croatia?explain=perhaps", "explain: not true or false"),
]


@pytest.mark.parametrize("path,message", BAD, ids=[p for p, _ in BAD])
def test_bad_parameters_give_400_with_one_line(web_server: str, path: str, message: str) -> None:
    status, media, body = get(web_server, path)
    assert status == 400 and media.startswith("application/json"), body
    error = json.loads(body)["error"]
    assert message in error and "\n" not in error and "Traceback" not in error


def test_unknown_state_message_is_the_clis(web_server: str) -> None:
    r = subprocess.run([sys.executable, "-m", "ccmcheck", "audit", FACTS, "Narnia"], cwd=ROOT, capture_output=True,
                       text=True)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip() == "ccmcheck: " + json.loads(get(web_server, "/audit/Narnia")[2])["error"]


def test_read_only_and_local(web_server: str) -> None:
    for method in ("POST", "PUT", "DELETE"):
        assert get(web_server, "/evaluate", method)[0] == 405
    assert urllib.parse.urlsplit(web_server).hostname == "127.0.0.1"
    assert get(web_server, "/../facts/2017/snapshot.yaml")[0] == 404
    assert get(web_server, "/%2e%2e/%2e%2e/pyproject.toml")[0] == 404


def _percentiles(times: list[float]) -> tuple[float, float]:
    qs = statistics.quantiles(times, n=20, method="inclusive")
    return statistics.median(times) * 1000, qs[18] * 1000


def test_load_p50_p95(web_server: str) -> None:
    """Bounded and local: 12 distinct States (computed) and 40 repeated audits (cached), 6 distinct dates and
    40 repeated evaluations, the repeated ones from 4 client threads at once."""
    states = [s.name for s in api.load_facts(ROOT / FACTS).states][:12]

    def timed(path: str) -> float:
        t = time.perf_counter()
        status, _, _ = get(web_server, path)
        assert status == 200
        return time.perf_counter() - t

    cold_audit = [timed(f"/audit/{urllib.parse.quote(s)}") for s in states]
    cold_eval = [timed(f"/evaluate?as_of=2016-0{m}-15") for m in range(1, 7)]
    with ThreadPoolExecutor(4) as pool:
        warm_audit = list(pool.map(timed, [f"/audit/{urllib.parse.quote(states[i % 4])}" for i in range(40)]))
        warm_eval = list(pool.map(timed, ["/evaluate"] * 40))
    lines = []
    for name, times in (("/audit/{state}, computed", cold_audit), ("/audit/{state}, cached", warm_audit),
                        ("/evaluate?as_of=..., computed", cold_eval), ("/evaluate, cached", warm_eval)):
        p50, p95 = _percentiles(times)
        lines.append(f"{name}: n={len(times)} p50={p50:.0f} ms p95={p95:.0f} ms")
    print("\n" + "\n".join(lines))
    assert _percentiles(warm_audit)[1] < 5000 and _percentiles(warm_eval)[1] < 5000


@pytest.mark.slow  # over 3 s on the 2-core machine (tests/conftest.py): CI runs it, `pytest --slow` too
def test_reload_when_the_facts_change(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from ccmcheck.web import server as web

    facts = tmp_path / "2017"
    shutil.copytree(ROOT / FACTS, facts)
    with TestClient(web.app(facts)) as client:
        before = client.get("/audit/Croatia").json()
        path = facts / "states" / "croatia.yaml"
        text = path.read_text(encoding="utf-8")
        assert "name: \"Croatia\"" in text
        path.write_text(text.replace("name: \"Croatia\"", "name: \"Hrvatska (Croatia)\""), encoding="utf-8")
        time.sleep(web.CHECK_EVERY + 0.2)
        after = client.get("/audit/HRV").json()
        assert before["state"] == "Croatia" and after["state"] == "Hrvatska (Croatia)"
        assert client.get("/audit/HRV").text == api.audit(facts, "HRV").to_json()
        path.write_text("name: [unclosed\n", encoding="utf-8")
        time.sleep(web.CHECK_EVERY + 0.2)
        broken = client.get("/evaluate")
        assert broken.status_code == 503 and "croatia.yaml" in broken.json()["error"]


def test_area_selects_as_the_cli_does(web_server: str) -> None:
    import json
    import urllib.error
    import urllib.request

    from ccmcheck.engine.areas import area_of_rule

    with urllib.request.urlopen(f"{web_server}/evaluate?area=B") as r:
        rules = {f["rule"] for f in json.load(r)["findings"]}
    assert rules and {area_of_rule(x).letter for x in rules} == {"B"}
    try:
        urllib.request.urlopen(f"{web_server}/evaluate?area=Z")
        raise AssertionError("area=Z accepted")
    except urllib.error.HTTPError as e:
        assert e.code == 400 and json.load(e)["error"].startswith("arguments: area: not an area: 'Z'")
