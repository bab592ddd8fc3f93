"""Alliances in scenario files, on the command line (``seatsim allocate --alliance``), in
the exact sweep, and where they are not applied yet (margins, Monte Carlo: refused)."""

import json
from fractions import Fraction

import pytest
from typer.testing import CliRunner

from simulate import Election, InputError, MonteCarloSpec, Rules, Scenario, margins, run_montecarlo
from simulate.alliance import Alliance
from simulate.cli import app
from simulate.scenario.sweep import sweep

runner = CliRunner()

SEED = """name = "five lists"
seats = 10
[[party]]
name = "A"
votes = 4600
[[party]]
name = "B"
votes = 2600
[[party]]
name = "C"
votes = 1500
[[party]]
name = "D"
votes = 900
[[party]]
name = "E"
votes = 400
"""


def scenario(tmp_path, rules_lines, compare=""):
    (tmp_path / "seed.toml").write_text(SEED)
    path = tmp_path / "sc.toml"
    path.write_text(
        f'title = "t"\nelection = "seed.toml"\n[rules]\nmethod = "dhondt"\n{rules_lines}\n{compare}'
    )
    return path


def test_scenario_rules_and_compare_take_alliances(tmp_path):
    path = scenario(
        tmp_path,
        'alliances = [{lists = ["C", "D", "E"], pool = "allocation"}]',
        '[[compare]]\nlabel = "apart"\nalliances = []\n'
        '[[compare]]\nlabel = "bloc"\nalliances = [{lists = ["D", "E"], pool = "threshold", '
        'kind = "bloc"}]\n',
    )
    sc = Scenario.load(path)
    assert sc.rules.alliances == (Alliance(("C", "D", "E"), "allocation"),)
    assert sc.compare[0].rules.alliances == ()
    assert sc.compare[1].rules.alliances == (Alliance(("D", "E"), "threshold", "bloc"),)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            'alliances = [{lists = ["C", "Z"]}]',
            r"sc.toml: rules.alliances: alliance C\+Z: no list named 'Z'$",
        ),
        ('alliances = {lists = ["C", "D"]}', r"sc.toml: rules.alliances: must be an array"),
        (
            'alliances = [{lists = ["C", "D"], pool = "seats"}]',
            r"sc.toml: rules.alliances: alliance C\+D: pool 'seats' is not one of",
        ),
        (
            'alliances = [{lists = ["C", "D"]}, {lists = ["D", "E"]}]',
            r"sc.toml: rules.alliances: alliances: list 'D' is in two alliances",
        ),
        (
            'alliances = [{lists = ["C", "D"]}]\nmax_seats = 4',
            r"sc.toml: rules: alliances: not defined with max_seats",
        ),
    ],
)
def test_scenario_alliance_errors(tmp_path, line, message):
    with pytest.raises(InputError, match=message):
        Scenario.load(scenario(tmp_path, line))


def test_cli_allocate_with_an_alliance(tmp_path):
    seed = tmp_path / "seed.toml"
    seed.write_text(SEED)
    # the split example of test_alliances.py: A 5, B 2, C 2, D 1, E 0
    out = runner.invoke(
        app,
        ["allocate", str(seed), "--method", "dhondt", "--alliance", "C+D+E", "--json"],
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert {d["name"]: d["seats"] for d in data["lists"]} == {
        "A": 5,
        "B": 2,
        "C": 2,
        "D": 1,
        "E": 0,
    }
    assert data["rules"]["alliances"] == [
        {"lists": ["C", "D", "E"], "pool": "both", "kind": "coalition"}
    ]
    text = runner.invoke(
        app,
        ["allocate", str(seed), "--method", "dhondt", "--alliance", "C + D+E"],
    )
    assert "split C 2, D 1, E 0" in text.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--alliance", "C+Z"], "--alliance: alliance C+Z: no list named 'Z'"),
        (["--alliance", "C"], "--alliance: alliance C: needs at least two lists"),
        (["--alliance", "C+D", "--alliance", "D+E"], "list 'D' is in two alliances"),
        (["--alliance", "C+D", "--alliance-pool", "seats"], "pool 'seats' is not one of"),
        (["--alliance", "C+D", "--max-seats", "4"], "not defined with max_seats"),
    ],
)
def test_cli_alliance_errors(tmp_path, args, message):
    seed = tmp_path / "seed.toml"
    seed.write_text(SEED)
    out = runner.invoke(app, ["allocate", str(seed), "--method", "dhondt", *args])
    assert out.exit_code == 2
    assert message in out.output
    assert out.output.count("\n") == 1 and "Traceback" not in out.output


def test_the_sweep_cuts_at_an_alliances_share():
    # D 9% and E 4% pooled for the threshold: 13% together. Between 9% and 13% both take
    # part (apart, neither would); above 13% neither.
    e = Election.from_votes({"A": 4600, "B": 2600, "C": 1500, "D": 900, "E": 400})
    rules = Rules(seats=10, method="dhondt", alliances=(Alliance(("D", "E"), "threshold"),))
    sw = sweep(e, rules, "0%", "20%")
    assert Fraction(13, 100) in sw.breakpoints
    assert sw.at(Fraction(10, 100)).passed == ("A", "B", "C", "D", "E")
    assert sw.at(Fraction(13, 100)).passed == ("A", "B", "C", "D", "E")  # at the line: passes (>=)
    assert sw.at(Fraction(135, 1000)).passed == ("A", "B", "C")
    assert Fraction(9, 100) not in sw.breakpoints  # D alone no longer decides anything
    # E's own 4% is a cut point, but nothing changes there: one interval from 0% to 13%
    assert sw.intervals[0].low == 0 and sw.intervals[0].high == Fraction(13, 100)


def test_margins_and_the_monte_carlo_refuse_alliances():
    e = Election.from_votes({"A": 4600, "B": 2600, "C": 1500}, name="x")
    rules = Rules(seats=10, method="dhondt", alliances=(Alliance(("B", "C")),))
    with pytest.raises(InputError, match="margins are not searched under alliances"):
        margins(e, rules)
    spec = MonteCarloSpec.from_mapping({"draws": 10}, "x", e, {"r": rules})
    with pytest.raises(InputError, match="rule set 'r': the Monte Carlo does not apply alliances"):
        run_montecarlo(e, [("r", rules)], spec, seed=1)
