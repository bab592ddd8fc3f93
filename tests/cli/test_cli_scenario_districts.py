"""The scenario commands on districted elections, through typer's CliRunner: run (tables,
JSON, CSV, figures), compare, sweep and the errors (the Monte Carlo:
``test_district_montecarlo_cli.py``).

The small example is ``tests/scenario/test_scenario_districts.py``'s, hand-worked there:
d'Hondt, D1 (3 seats) A 600, B 310, C 90 -> A 2, B 1; D2 (2 seats) A 200, B 390, C 410 ->
B 1, C 1; national shares A 40%, B 35%, C 25%.
"""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulate.cli import app

ROOT = Path(__file__).resolve().parents[2]

runner = CliRunner()

RESULTS = """district,list,votes,official_seats
D1,A,600,2
D1,B,310,1
D1,C,90,0
D2,A,200,0
D2,B,390,1
D2,C,410,1
"""
SEATS = "district,seats\nD1,3\nD2,2\n"
RULES = """
[rules]
label = "law"
method = "dhondt"

[[compare]]
label = "30%"
threshold = "30%"

[[compare]]
label = "national"
constituency = "national"

[sweep]
"""


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def example(tmp_path: Path, extra: str = "") -> Path:
    (tmp_path / "results.csv").write_text(RESULTS, encoding="utf-8")
    (tmp_path / "seats.csv").write_text(SEATS, encoding="utf-8")
    path = tmp_path / "two.toml"
    path.write_text(
        'title = "two districts"\nelection = "results.csv"\ndistrict_seats = "seats.csv"\n'
        + RULES
        + extra,
        encoding="utf-8",
    )
    return path


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "100"})


def test_run_prints_the_districts(tmp_path):
    result = invoke("run", example(tmp_path), "--no-draw")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "law: seats by district (2 districts)" in out
    assert "law: metrics by district" in out
    assert "seats changing hands by district, against law" in out
    # D1's Gallagher sqrt(589/9) = 8.09, L-H 9.00; D2's sqrt(301) = 17.35, L-H 20.00
    assert "8.09" in out and "17.35" in out and "20.00" in out
    assert "(not shown: national, in one national constituency)" in out
    # the closest calls by district (hand-worked in the JSON test below): A 191 in D2
    assert "closest by district, more votes to win one more seat: A 191 in D2" in out


def test_run_json_has_totals_districts_metrics_and_changes(tmp_path):
    result = invoke("run", example(tmp_path), "--no-draw", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == 2 and data["constituency"] == "districts"
    assert data["totals"] == {"A": 2, "B": 2, "C": 1}
    assert data["districts"] == {"D1": {"A": 2, "B": 1, "C": 0}, "D2": {"A": 0, "B": 1, "C": 1}}
    assert data["changed_from_official"] == 0
    d1, d2 = data["district_metrics"]
    assert d1 == {
        "district": "D1",
        "seats": 3,
        "votes": 1000,
        "gallagher_pct": round((589 / 9) ** 0.5, 6),
        "loosemore_hanby_pct": 9.0,
        "enp_votes": round(1 / 0.4642, 6),
        "enp_seats": 1.8,
        "wasted_votes": 90,
        "wasted_share": 0.09,
    }
    assert d2["wasted_votes"] == 200 and d2["loosemore_hanby_pct"] == 20.0
    law, high, national = data["compare"]["rule_sets"]
    assert law["constituency"] == "districts" and law["district_changes"] == {"D1": 0, "D2": 0}
    # 30%: C (25%) out; its D2 seat goes to A
    assert high["districts"]["D2"] == {"A": 1, "B": 1, "C": 0}
    assert high["district_changes"] == {"D1": 0, "D2": 1}
    assert national["constituency"] == "national" and "districts" not in national
    assert national["seats"] == {"A": 2, "B": 2, "C": 1}
    # the sweep: one entry per interval, each with its seats by district
    assert [iv["passed"] for iv in data["sweep"]["intervals"]] == [
        ["A", "B", "C"],
        ["A", "B"],
        ["A"],
    ]
    assert data["sweep"]["intervals"][2]["districts"]["D1"] == {"A": 3, "B": 0, "C": 0}
    # margins by district (all other counts fixed): D2's last seat is B's 390, so A (200)
    # needs 391, 191 more votes; D1's last seat is A's second quotient 300, so C (90) needs
    # 301, 211 more; in total A's fewest is D2's 191
    margins = data["margins"]
    assert set(margins) == {"totals", "districts", "national_moves", "notes"}
    gain = {
        d: {x["name"]: x["votes_to_gain_seat"] for x in v} for d, v in margins["districts"].items()
    }
    assert gain["D2"]["A"] == 191 and gain["D1"]["C"] == 211
    assert margins["totals"][0]["name"] == "A" and margins["totals"][0]["votes_to_gain_seat"] == 191


def test_run_csv_writes_the_district_tables(tmp_path):
    out = tmp_path / "csv"
    result = invoke("run", example(tmp_path), "--no-draw", "--csv", out)
    assert result.exit_code == 0, result.output
    assert (out / "two.districts.csv").read_text(encoding="utf-8") == (
        "district,list,votes,seats,official_seats,took_part,why_not,30%\n"
        "D1,A,600,2,2,True,,2\n"
        "D1,B,310,1,1,True,,1\n"
        "D1,C,90,0,0,True,,0\n"
        "D2,A,200,0,0,True,,1\n"
        "D2,B,390,1,1,True,,1\n"
        "D2,C,410,1,1,True,,0\n"
    )
    metrics = (out / "two.district-metrics.csv").read_text(encoding="utf-8").splitlines()
    assert metrics[0] == (
        "district,seats,votes,gallagher_pct,loosemore_hanby_pct,enp_votes,enp_seats,"
        "wasted_votes,wasted_share,changed: 30%"
    )
    # D2: Gallagher sqrt(301); ENP by votes 1 / (0.2² + 0.39² + 0.41²) = 1 / 0.3602, by
    # seats 1 / (½² + ½²) = 2; C's seat goes to A under 30%: one seat changes hands
    assert metrics[2] == "D2,2,1000,17.349352,20.0,2.776235,2.0,200,0.2,1"
    for name in ("lists", "compare", "metrics", "sweep"):
        assert (out / f"two.{name}.csv").is_file()


def test_csv_never_replaces_the_district_seats_table(tmp_path):
    path = example(tmp_path)
    (tmp_path / "seats.csv").rename(tmp_path / "two.districts.csv")
    text = path.read_text(encoding="utf-8").replace('"seats.csv"', '"two.districts.csv"')
    path.write_text(text, encoding="utf-8")
    result = invoke("run", path, "--no-draw", "--csv", tmp_path)
    assert result.exit_code == 2, result.output
    assert "--csv districts names an input of this run" in result.stderr
    assert (tmp_path / "two.districts.csv").read_text(encoding="utf-8") == SEATS
    assert not (tmp_path / "two.lists.csv").exists()


def test_compare_prints_changes_by_district(tmp_path):
    result = invoke("compare", example(tmp_path), "--csv", tmp_path / "csv")
    assert result.exit_code == 0, result.output
    assert "seats changing hands by district, against law" in result.stdout
    # --csv: the long table by district beside the compare and metrics tables
    names = sorted(p.name for p in (tmp_path / "csv").iterdir())
    assert names == ["two.compare.csv", "two.districts.csv", "two.metrics.csv"]


def test_sweep_on_districts(tmp_path):
    result = invoke("sweep", example(tmp_path), "--json")
    assert result.exit_code == 0, result.output
    sweep = json.loads(result.stdout)["sweep"]
    assert [b["exact"] for b in sweep["breakpoints"]] == ["1/4", "7/20"]
    assert [iv["changed_from_baseline"] for iv in sweep["intervals"]] == [0, 1, 3]


def test_bad_district_key_exit_2_one_line(tmp_path):
    path = example(tmp_path)
    text = path.read_text(encoding="utf-8").replace('method = "dhondt"', "max_seats = 2")
    path.write_text(text, encoding="utf-8")
    result = invoke("run", path, "--no-draw")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert f"{path}: rules.max_seats: not supported with districts" in line


def test_run_draws_the_district_figures(tmp_path):
    out = tmp_path / "fig"
    result = invoke("run", example(tmp_path), "--figures", out)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.glob("*.png"))
    assert names == [
        "two-compare.png",
        "two-district-changes-vs-30pct.png",
        "two-districts.png",
        "two-seats-vs-30pct.png",
        "two-seats.png",
        "two-sweep.png",
    ]


def test_norway_scenario_runs_end_to_end():
    result = invoke("run", "scenarios/norway-2021.toml", "--no-draw", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # the official district seats (seeds/norway-2021.md): every list's total reproduced
    assert data["changed_from_official"] == 0
    assert data["totals"]["Arbeiderpartiet"] == 48 and data["totals"]["Høyre"] == 35
    assert len(data["district_metrics"]) == 19
    labels = [r["label"] for r in data["compare"]["rule_sets"]]
    assert labels[0] == "district seats (2021)"
    assert data["compare"]["rule_sets"][1]["constituency"] == "national"
