"""``seatsim allocate FILE.csv [--district-seats FILE.csv]`` through typer's CliRunner."""

import json

from typer.testing import CliRunner

from simulate.cli import app

runner = CliRunner()

# The made-up two-district election of tests/test_districts.py (Poland's 5%/8% rule), as CSV.
RESULTS = """district,list,votes,kind,exempt
North,A,3200,party,no
North,B,1800,party,no
North,C,1100,coalition,no
North,D,180,coalition,no
North,E,300,party,no
North,F,50,party,no
South,A,1000,party,no
South,B,700,party,no
South,C,400,coalition,no
South,D,520,coalition,no
South,E,300,party,no
South,M,450,minority,yes
"""
SEATS = "district,seats\nNorth,6\nSouth,4\n"


def tables(tmp_path):
    (tmp_path / "results.csv").write_text(RESULTS, encoding="utf-8")
    (tmp_path / "seats.csv").write_text(SEATS, encoding="utf-8")
    return str(tmp_path / "results.csv"), str(tmp_path / "seats.csv")


def one_line_error(res, text):
    assert res.exit_code == 2, res.output
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, res.stderr
    assert text in lines[0]


def test_json_totals_and_districts(tmp_path):
    results, seats = tables(tmp_path)
    args = ["allocate", results, "--district-seats", seats, "--method", "dhondt"]
    res = runner.invoke(app, [*args, "--threshold", "party=5%,coalition=8%,minority=5%", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    # hand-worked in tests/test_districts.py::test_poland_5_and_8_percent_with_a_minority_exempt
    assert data["totals"] == {"A": 5, "B": 3, "C": 1, "D": 0, "E": 0, "F": 0, "M": 1}
    assert data["districts"]["South"] == {"A": 2, "B": 1, "C": 0, "D": 0, "E": 0, "M": 1}
    assert data["rules"]["threshold_by_kind"] == {
        "coalition": "8%",
        "minority": "5%",
        "party": "5%",
    }
    assert {x["name"]: x["seats"] for x in data["lists"]}["A"] == 5  # the existing keys stay
    assert data["seats_total"] == 10


def test_flat_threshold_text_table_and_districts_csv(tmp_path):
    results, seats = tables(tmp_path)
    out = tmp_path / "out"
    res = runner.invoke(
        app,
        [
            "allocate",
            results,
            "--district-seats",
            seats,
            "--method",
            "dhondt",
            "--threshold",
            "5%",
            "--csv",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "seats by district" in res.stdout and "North" in res.stdout
    lines = (out / "districts.csv").read_text().splitlines()
    assert lines[0] == "district,list,votes,seats,official_seats,took_part,why_not"
    assert "South,D,520,1,,True," in lines  # tests/test_districts.py, flat 5%
    # M is exempt (the exempt column): it takes part under 5% too, but South's 4 seats go at
    # 1000 A, 700 B, 520 D, 500 A, before 450 M
    assert "South,M,450,0,,True," in lines


def test_one_constituency_csv_needs_seats(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("list,votes\nA,100000\nB,80000\nC,30000\nD,20000\n", encoding="utf-8")
    one_line_error(runner.invoke(app, ["allocate", str(path)]), "gives no house size")
    # methods.md: d'Hondt, 8 seats, (100000, 80000, 30000, 20000) -> (4, 3, 1, 0)
    res = runner.invoke(
        app, ["allocate", str(path), "--seats", "8", "--method", "dhondt", "--json"]
    )
    assert res.exit_code == 0, res.output
    assert [x["seats"] for x in json.loads(res.stdout)["lists"]] == [4, 3, 1, 0]


def test_bad_tables_are_one_line_errors(tmp_path):
    results, seats = tables(tmp_path)
    one_line_error(runner.invoke(app, ["allocate", results]), "line 1, column 1 (district)")
    bad = tmp_path / "bad.csv"
    bad.write_text("district,list,votes\nNorth,A,-5\n", encoding="utf-8")
    one_line_error(
        runner.invoke(app, ["allocate", str(bad), "--district-seats", seats]),
        "bad.csv: line 2, column 3 (votes): '-5' is negative",
    )
    one_line_error(
        runner.invoke(
            app, ["allocate", results, "--district-seats", seats, "--threshold", "party=5%"]
        ),
        "list 'C' is of kind 'coalition', which has no threshold",
    )
    one_line_error(
        runner.invoke(app, ["allocate", results, "--district-seats", seats, "--seats", "9"]),
        "--seats: 9, but the districts",
    )
    assert not (tmp_path / "out").exists()


def test_the_norway_seed_on_the_command_line():
    """seeds/norway-2021.md: the district seats, as a table whose long list names are
    numbered columns with a legend, and as JSON (the totals of the 150 district seats)."""
    from pathlib import Path

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    args = [
        "allocate",
        str(seeds / "norway-2021-results.csv"),
        "--district-seats",
        str(seeds / "norway-2021-district-seats.csv"),
        "--method",
        "modified-sainte-lague",
    ]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "lists: 1 Arbeiderpartiet, 2 SV - Sosialistisk Venstreparti" in res.stdout
    assert "seats by district (19 districts)" in res.stdout
    data = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    assert sum(data["totals"].values()) == 150
    assert data["districts"]["Finnmark Finnmárku"]["Pasientfokus"] == 1


def test_no_national_threshold_no_threshold_column(tmp_path):
    # With no national threshold every list takes part nationally: a "threshold" column of
    # "passed" would say nothing, so the totals table leaves it out; with 5% it is there.
    results, seats = tables(tmp_path)
    args = ["allocate", results, "--district-seats", seats, "--method", "dhondt"]
    plain = runner.invoke(app, args)
    assert plain.exit_code == 0, plain.output
    head = next(line for line in plain.stdout.splitlines() if line.lstrip().startswith("list"))
    assert "threshold" not in head and "passed" not in plain.stdout
    judged = runner.invoke(app, [*args, "--threshold", "5%"])
    head = next(line for line in judged.stdout.splitlines() if line.lstrip().startswith("list"))
    assert "threshold" in head


def test_an_exempt_list_says_exempt_not_passed(tmp_path):
    # M (South, 450 votes of 10,000 nationally: 4.5%) is marked exempt in the table: under a
    # 5% threshold it takes part because of the exemption, which the table says.
    results, seats = tables(tmp_path)
    res = runner.invoke(
        app,
        ["allocate", results, "--district-seats", seats, "--method", "dhondt", "--threshold", "5%"],
    )
    assert res.exit_code == 0, res.output
    row = next(line for line in res.stdout.splitlines() if line.lstrip().startswith("M "))
    assert row.rstrip().endswith("exempt"), row
