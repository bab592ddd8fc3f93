"""The rules of a law in scenario files ([rules] and [[compare]]) and on ``seatsim allocate``'s
command line (in-process, through typer's CliRunner, so that this worktree's code runs)."""

import json

import pytest
from typer.testing import CliRunner

from simulate.cli import app
from simulate.errors import InputError
from simulate.scenario.file import Scenario

SEED = """
name = "Law rules test"
seats = 5

[[party]]
name = "A"
votes = 1000
kind = "party"

[[party]]
name = "B"
votes = 800
kind = "minority"
"""


def write(tmp_path, rules, compare=""):
    (tmp_path / "seed.toml").write_text(SEED, encoding="utf-8")
    path = tmp_path / "x.toml"
    path.write_text(
        f'title = "t"\nelection = "seed.toml"\n\n[rules]\n{rules}\n{compare}', encoding="utf-8"
    )
    return path


def test_rules_and_compare_take_the_law_keys(tmp_path):
    path = write(
        tmp_path,
        'method = "dhondt"\nties = "most-votes"\nquotient_factors = {minority = "1.35"}',
        '[[compare]]\nlabel = "Hare rounded down"\nmethod = "hare"\n'
        'quota_rounding = "down"\nquotient_factors = {}\nties = "first-listed"\n',
    )
    sc = Scenario.load(path)
    assert sc.rules.ties == "most-votes"
    assert [(k, str(f)) for k, f in sc.rules.quotient_factors] == [("minority", "27/20")]
    alt = sc.compare[0].rules
    assert (alt.method, alt.quota_rounding, alt.ties, alt.quotient_factors) == (
        "hare",
        "down",
        "first-listed",
        (),
    )


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        ('ties = "coin"', "rules.ties: 'coin' is not one of error, lot, first-listed"),
        ('quota_rounding = "half"', "rules.quota_rounding: 'half' is not one of exact, up"),
        (
            'method = "dhondt"\nquota_rounding = "up"',
            "rules: quota_rounding: 'up' rounds a quota, and dhondt is a divisor method",
        ),
        ('quotient_factors = "1.35"', "rules.quotient_factors: must be a table of kinds"),
        (
            'method = "dhondt"\nquotient_factors = {minority = "x"}',
            'rules.quotient_factors.minority: must be a number such as "1.35"',
        ),
        (
            'method = "dhondt"\nquotient_factors = {minorty = "1.35"}',
            "rules: quotient_factors: no list is of kind 'minorty' (the lists' kinds: "
            "minority, party)",
        ),
        (
            'quotient_factors = {minority = "1.35"}',
            "rules: quotient_factors: multiply the quotients of a divisor method",
        ),
    ],
)
def test_bad_law_keys_name_the_file_and_the_key(tmp_path, rules, expected):
    path = write(tmp_path, rules)
    with pytest.raises(InputError) as err:
        Scenario.load(path)
    assert str(err.value).startswith(f"{path}: ")
    assert expected in str(err.value)


def allocate(tmp_path, *args):
    csv = tmp_path / "r.csv"
    csv.write_text("list,votes,kind\nA,1000,party\nB,800,minority\nC,0,party\n", encoding="utf-8")
    return CliRunner().invoke(app, ["allocate", str(csv), *args])


def test_cli_quotient_factor(tmp_path):
    # d'Hondt, 5 seats, A 1000, B 800 × 1.35: B 3, A 2 (test_law_rules.py has the derivation).
    res = allocate(
        tmp_path, "--seats", "5", "--method", "dhondt", "--quotient-factor", "minority=1.35"
    )
    assert res.exit_code == 0, res.output
    assert "quotients of minority lists × 1.35" in res.stdout
    res = allocate(
        tmp_path,
        "--seats=5",
        "--method=dhondt",
        "--quotient-factor=minority=1.35",
        "--json",
    )
    data = json.loads(res.stdout)
    seats = {r["name"]: r["seats"] for r in data["lists"]}
    assert seats == {"A": 2, "B": 3, "C": 0}
    assert data["rules"]["quotient_factors"] == {"minority": "1.35"}
    assert "quota_rounding" not in data["rules"]  # (only when set)


def test_cli_json_says_which_rule_decided_a_tie(tmp_path):
    csv = tmp_path / "t.csv"
    csv.write_text("list,votes\nA,280\nB,360\n", encoding="utf-8")
    res = CliRunner().invoke(
        app,
        ["allocate", str(csv), "--seats=15", "--method=dhondt", "--ties=first-listed", "--json"],
    )
    assert res.exit_code == 0, res.output
    tie = json.loads(res.stdout)["tie"]
    assert tie == {
        "lists": ["A", "B"],
        "seats": 1,
        "decided_by_lot": False,
        "decided_by_rule": "first-listed",
    }


def test_cli_quota_rounding_and_ties(tmp_path):
    # Hare, 2 seats, A 1000, B 800: quota 900 (exact); rounded up it stays 900. A 1 r100,
    # B 0 r800: B's remainder takes the second seat. No tie: the --ties rule is unused.
    res = allocate(tmp_path, "--seats=2", "--quota-rounding=up", "--ties=first-listed")
    assert res.exit_code == 0, res.output
    assert "Hare (largest remainder), quota rounded up" in res.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--seats=5", "--quota-rounding=sideways"], "quota_rounding: 'sideways' is not one"),
        (["--seats=5", "--method=dhondt", "--quota-rounding=up"], "rounds a quota, and dhondt"),
        (["--seats=5", "--quotient-factor=minority=1.35"], "hare is a quota method"),
        (["--seats=5", "--method=dhondt", "--quotient-factor=minority"], "is not kind=factor"),
        (
            ["--seats=5", "--method=dhondt", "--quotient-factor=minority=x"],
            '--quotient-factor minority: must be a number such as "1.35"',
        ),
        (
            ["--seats=5", "--method=dhondt", "--quotient-factor=nobody=2"],
            "quotient_factors: no list is of kind 'nobody'",
        ),
        (["--seats=5", "--ties=coin"], "--ties: 'coin' is not one of error, lot, first-listed"),
    ],
)
def test_cli_refuses_bad_law_options(tmp_path, args, expected):
    res = allocate(tmp_path, *args)
    assert res.exit_code == 2
    assert expected in res.stderr
    assert res.stderr.count("\n") == 1 and res.stdout == ""


def test_cli_most_votes_undecided_points_at_the_lot(tmp_path):
    csv = tmp_path / "t.csv"
    csv.write_text("list,votes\nA,300\nB,300\nC,100\n", encoding="utf-8")
    res = CliRunner().invoke(
        app, ["allocate", str(csv), "--seats=3", "--method=dhondt", "--ties=most-votes"]
    )
    assert res.exit_code == 2
    assert "the most-votes rule cannot decide it: A and B have 300 votes each" in res.stderr
    assert "pass --ties most-votes-then-lot" in res.stderr
    res = CliRunner().invoke(
        app,
        ["allocate", str(csv), "--seats=3", "--method=dhondt", "--ties=most-votes-then-lot"],
    )
    assert res.exit_code == 0, res.output
    assert "lot seed:" in res.stderr  # a seed made up and printed, as for --ties lot
    assert "decided by lot among lists with equal votes" in " ".join(res.stdout.split())
