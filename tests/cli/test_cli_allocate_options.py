"""``seatsim allocate``'s rule options (--strict, --regional-threshold, its base, lots) and
``montecarlo --save-draws``'s help, through typer's CliRunner."""

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import typer
from typer.testing import CliRunner

from simulate.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
SEED_2020 = str(ROOT / "seeds" / "kyrgyzstan-2020.toml")
SEED_2015 = str(ROOT / "seeds" / "kyrgyzstan-2015.toml")

EXACT = """name = "exactly at the line"
seats = 10
[[party]]
name = "A"
votes = 70
[[party]]
name = "B"
votes = 30
"""

REGIONAL = """name = "two regions"
seats = 10
participants = 1000
[regions.North]
participants = 600
[regions.South]
participants = 400
[[party]]
name = "A"
votes = 500
regions = { North = 300, South = 200 }
[[party]]
name = "B"
votes = 300
regions = { North = 280, South = 20 }
[[party]]
name = "C"
votes = 150
regions = { North = 90, South = 60 }
"""

TIE = """name = "tie"
seats = 15
[[party]]
name = "A"
votes = 360
[[party]]
name = "B"
votes = 280
"""


def seed(tmp_path, text, name="seed.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def allocate_json(*args):
    res = runner.invoke(app, ["allocate", *map(str, args), "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout), res


def one_line_error(res, text):
    assert res.exit_code == 2, res.output
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, res.stderr
    assert text in lines[0]
    assert res.stdout == ""


def passed(data):
    return {item["name"]: item["passed"] for item in data["lists"]}


def seats(data):
    return {item["name"]: item["seats"] for item in data["lists"]}


# --strict ------------------------------------------------------------------------------------


def test_a_list_exactly_at_the_threshold_passes_unless_strict(tmp_path):
    path = seed(tmp_path, EXACT)  # B has exactly 30% of the lists' votes
    data, _ = allocate_json(path, "--threshold", "30%")
    assert data["rules"]["threshold_comparison"] == ">="
    assert data["threshold_votes"] == 30
    assert passed(data) == {"A": True, "B": True}
    assert seats(data) == {"A": 7, "B": 3}
    data, _ = allocate_json(path, "--threshold", "30%", "--strict")
    assert data["rules"]["threshold_comparison"] == ">"
    assert data["threshold_votes"] == 31
    assert passed(data) == {"A": True, "B": False}
    assert seats(data) == {"A": 10, "B": 0}
    assert data["lists"][1]["short_by"] == 1


def test_strict_on_the_2020_count_changes_nothing():
    # no list is exactly at 7% of the 1,990,753 voters who took part (139,352.71)
    data, _ = allocate_json(
        SEED_2020,
        "--threshold",
        "7%",
        "--threshold-base",
        "participants",
        "--max-seats",
        "65",
        "--strict",
    )
    assert data["threshold_votes"] == 139353
    assert {k: v for k, v in seats(data).items() if v} == {
        "Birimdik": 46,
        "Mekenim Kyrgyzstan": 45,
        "Kyrgyzstan": 16,
        "Butun Kyrgyzstan": 13,
    }


# --regional-threshold and --regional-threshold-base -------------------------------------------


def test_regional_threshold_on_participants(tmp_path):
    path = seed(tmp_path, REGIONAL)
    # 10% of participants: 60 in the North, 40 in the South; B has 20 in the South
    data, _ = allocate_json(path, "--threshold-base", "participants", "--regional-threshold", "10%")
    assert data["rules"]["regional_threshold"] == "10%"
    assert data["regional_checked"] is True
    assert passed(data) == {"A": True, "B": False, "C": True}
    assert seats(data) == {"A": 8, "B": 0, "C": 2}
    short = data["lists"][1]["shortfalls"]
    assert [(s["region"], s["votes"], s["needed"]) for s in short] == [("South", 20, 40)]


def test_regional_threshold_base_of_its_own(tmp_path):
    path = seed(tmp_path, REGIONAL)
    # 6% in the South: of its 400 participants 24 votes, of its lists' 280 votes 17; B has 20
    data, _ = allocate_json(path, "--threshold-base", "participants", "--regional-threshold", "6%")
    assert passed(data) == {"A": True, "B": False, "C": True}
    data, _ = allocate_json(
        path,
        "--threshold-base",
        "participants",
        "--regional-threshold",
        "6%",
        "--regional-threshold-base",
        "party-votes",
    )
    assert passed(data) == {"A": True, "B": True, "C": True}
    assert seats(data) == {"A": 5, "B": 3, "C": 2}


def test_regional_threshold_on_a_seed_without_regional_votes_is_not_checked():
    data, _ = allocate_json(
        SEED_2015,
        "--threshold",
        "7%",
        "--threshold-base",
        "participants",
        "--regional-threshold",
        "0.7%",
    )
    assert data["regional_checked"] is False
    assert data["regional_regions_checked"] == data["regional_regions_not_checked"] == []
    assert sum(passed(data).values()) == 6


def test_regional_threshold_on_the_2020_seed_is_checked_in_two_regions_only():
    # elections.md, "Regional results": Bishkek and Talas (24.kg), nothing for seven units
    data, _ = allocate_json(
        SEED_2020,
        "--threshold",
        "7%",
        "--threshold-base",
        "participants",
        "--regional-threshold",
        "0.7%",
        "--max-seats",
        "65",
    )
    assert data["regional_checked"] is True
    assert data["regional_regions_checked"] == ["Bishkek", "Talas"]
    assert len(data["regional_regions_not_checked"]) == 7
    assert sum(passed(data).values()) == 4
    ordo = next(r for r in data["lists"] if r["name"] == "Ordo")
    assert [(s["region"], s["published"], s["votes"]) for s in ordo["shortfalls"][1:]] == [
        ("Bishkek", "0.33%", None),
        ("Talas", "0.38%", None),
    ]


def test_regional_options_errors(tmp_path):
    path = seed(tmp_path, REGIONAL)
    one_line_error(
        runner.invoke(app, ["allocate", path, "--regional-threshold", "0.7"]),
        '--regional-threshold: "0.7" needs a % sign',
    )
    one_line_error(
        runner.invoke(
            app,
            [
                "allocate",
                path,
                "--regional-threshold",
                "1%",
                "--regional-threshold-base",
                "voters",
            ],
        ),
        "--regional-threshold-base: unknown threshold base 'voters'; valid bases: "
        "party-votes, participants, valid, registered",
    )
    one_line_error(
        runner.invoke(
            app,
            [
                "allocate",
                path,
                "--regional-threshold",
                "1%",
                "--regional-threshold-base",
                "valid",
            ],
        ),
        "regional threshold on base 'valid' needs regions.North.valid in the seed",
    )


def test_regional_votes_on_a_later_list_only_are_refused(tmp_path):
    # they were once ignored (the regions were read from the first list alone)
    path = seed(tmp_path, TIE + "regions = { North = 200, South = 80 }\n")
    one_line_error(
        runner.invoke(app, ["allocate", path, "--regional-threshold", "1%"]),
        "list 'A': regions must name every region (North, South)",
    )


# --ties lot and --lot-seed --------------------------------------------------------------------

MADE_UP = re.compile(
    r"lot seed: (\d+) \(no --lot-seed given; pass --lot-seed \1 to repeat "
    r"this run\)"
)


def test_ties_lot_without_a_seed_makes_one_up_and_says_it(tmp_path):
    path = seed(tmp_path, TIE)
    data, res = allocate_json(path, "--method", "dhondt", "--ties", "lot")
    found = MADE_UP.fullmatch(res.stderr.strip())
    assert found, res.stderr
    lot_seed = int(found.group(1))
    assert data["lot_seed"] == lot_seed
    assert data["tie"] == {
        "lists": ["A", "B"],
        "seats": 1,
        "decided_by_lot": True,
        "decided_by_rule": None,
    }
    assert sum(seats(data).values()) == 15
    again, res = allocate_json(path, "--method", "dhondt", "--ties", "lot", "--lot-seed", lot_seed)
    assert res.stderr == ""  # a seed given is not repeated back
    assert again["lot_seed"] == lot_seed and seats(again) == seats(data)


def test_the_lot_follows_the_seed(tmp_path):
    path = seed(tmp_path, TIE)
    # d'Hondt on 360 : 280 gives 8 : 6 and a tie for the 15th seat (360/9 = 280/7 = 40)
    winners = set()
    for lot_seed in range(8):
        data, _ = allocate_json(path, "--method", "dhondt", "--ties", "lot", "--lot-seed", lot_seed)
        assert seats(data) in ({"A": 9, "B": 6}, {"A": 8, "B": 7})
        winners.add(seats(data)["A"])
        repeat, _ = allocate_json(
            path, "--method", "dhondt", "--ties", "lot", "--lot-seed", lot_seed
        )
        assert seats(repeat) == seats(data)
    assert winners == {8, 9}


def test_a_made_up_seed_is_not_printed_when_the_run_fails(tmp_path):
    one_line_error(
        runner.invoke(
            app,
            [
                "allocate",
                SEED_2020,
                "--ties",
                "lot",
                "--threshold",
                "7%",
                "--threshold-base",
                "participants",
                "--max-seats",
                "10",
            ],
        ),
        "the seat cap leaves seats that no list may take",
    )


def test_lot_seed_errors(tmp_path):
    path = seed(tmp_path, TIE)
    one_line_error(
        runner.invoke(app, ["allocate", path, "--lot-seed=-5"]),
        "--lot-seed: must be a whole number ≥ 0, not -5",
    )
    one_line_error(
        runner.invoke(app, ["allocate", path, "--method", "dhondt"]),
        "tie for the last 1 seat between A, B under d'Hondt; pass --ties lot",
    )


def test_options_are_in_the_help():
    res = runner.invoke(app, ["allocate", "--help"], env={"COLUMNS": "200"})
    for option in (
        "--strict",
        "--regional-threshold",
        "--regional-threshold-base",
        "--lot-seed",
    ):
        assert option in res.stdout


# montecarlo --save-draws ----------------------------------------------------------------------


def save_draws_help() -> set[str]:
    group: Any = typer.main.get_command(app)  # a group of commands
    (option,) = [p for p in group.commands["montecarlo"].params if p.name == "save_draws"]
    found = re.search(r"\(\.npz with (.*)\)", getattr(option, "help", "") or "")
    assert found, "the --save-draws help names the .npz keys in brackets"
    inside = found.group(1)
    words = set(re.findall(r"[a-z]+(?:_[a-z]+)*", inside))
    return words - {"and", "when", "they", "vary"}


def test_save_draws_help_lists_exactly_the_keys_of_the_file(tmp_path):
    documented = save_draws_help()
    assert documented == {
        "votes",
        "seats",
        "decided_by_lot",
        "list_names",
        "categories",
        "rule_sets",
        "seed",
        "thresholds",
    }
    scenario = tmp_path / "mc.toml"
    keys = {}
    for kind, extra in (("fixed", ""), ("varied", 'threshold_range = ["5%", "9%"]\n')):
        scenario.write_text(
            f'title = "t"\nelection = "{SEED_2020}"\n[rules]\nthreshold = "7%"\n'
            f'threshold_base = "participants"\n[[compare]]\nlabel = "d"\nmethod = "dhondt"\n'
            f"[montecarlo]\ndraws = 50\nseed = 3\n{extra}",
            encoding="utf-8",
        )
        out = tmp_path / f"{kind}.npz"
        res = runner.invoke(
            app,
            [
                "montecarlo",
                str(scenario),
                "--no-progress",
                "--save-draws",
                str(out),
                "--json",
            ],
        )
        assert res.exit_code == 0, res.output
        with np.load(out) as npz:
            keys[kind] = set(npz.files)
            assert npz["votes"].shape[0] == 50
            assert npz["seats"].shape == (50, 2, 16)
            assert npz["rule_sets"].tolist() == ["baseline", "d"]
            assert int(npz["seed"]) == 3
    assert keys["varied"] == documented
    assert keys["fixed"] == documented - {"thresholds"}
