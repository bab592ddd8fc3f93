"""``seatsim allocate`` and ``seatsim bench`` through typer's CliRunner."""

import json
from pathlib import Path

from typer.testing import CliRunner

from simulate.cli import app

runner = CliRunner()
SEED = str(Path(__file__).resolve().parents[2] / "seeds" / "kyrgyzstan-2020.toml")


def test_allocate_json_kyrgyzstan_2020():
    # elections.md: Hare, 7% of voters who took part, cap 65 -> 46 / 45 / 16 / 13
    res = runner.invoke(
        app,
        [
            "allocate",
            SEED,
            "--threshold",
            "7%",
            "--threshold-base",
            "participants",
            "--max-seats",
            "65",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    won = {row["name"]: row["seats"] for row in data["lists"] if row["seats"]}
    assert won == {
        "Birimdik": 46,
        "Mekenim Kyrgyzstan": 45,
        "Kyrgyzstan": 16,
        "Butun Kyrgyzstan": 13,
    }
    assert data["threshold_votes"] == 139353
    assert data["rules"]["threshold"] == "7%"
    assert data["regional_checked"] is None


def test_allocate_dhondt_5_percent_table():
    res = runner.invoke(app, ["allocate", SEED, "--method", "dhondt", "--threshold", "5%"])
    assert res.exit_code == 0, res.output
    assert "Birimdik" in res.stdout and "d'Hondt" in res.stdout


def one_line_error(res, text):
    assert res.exit_code == 2, res.output
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, res.stderr
    assert text in lines[0]
    assert "Traceback" not in res.output


def test_bare_threshold_is_refused():
    res = runner.invoke(app, ["allocate", SEED, "--threshold", "7"])
    one_line_error(res, '--threshold: "7" needs a % sign')


def test_unknown_method():
    res = runner.invoke(app, ["allocate", SEED, "--method", "borda"])
    one_line_error(res, "--method: unknown method 'borda'; valid methods: hare")


def test_bad_tie_policy_and_base_name_their_options():
    res = runner.invoke(app, ["allocate", SEED, "--ties", "coin"])
    one_line_error(res, "--ties: 'coin' is not one of error, lot")
    res = runner.invoke(app, ["allocate", SEED, "--threshold-base", "participant"])
    one_line_error(res, "--threshold-base: unknown threshold base 'participant'; valid bases")


def test_missing_seed(tmp_path):
    res = runner.invoke(app, ["allocate", str(tmp_path / "x.toml")])
    one_line_error(res, "x.toml: no such seed file")


def test_impossible_cap():
    res = runner.invoke(
        app,
        [
            "allocate",
            SEED,
            "--threshold",
            "7%",
            "--threshold-base",
            "participants",
            "--max-seats",
            "20",
        ],
    )
    one_line_error(res, "the seat cap leaves seats that no list may take")


def test_tie_on_the_command_line(tmp_path):
    seed = tmp_path / "tie.toml"
    seed.write_text(
        'name = "tie"\nseats = 15\n[[party]]\nname = "A"\nvotes = 360\n'
        '[[party]]\nname = "B"\nvotes = 280\n'
    )
    res = runner.invoke(app, ["allocate", str(seed), "--method", "dhondt"])
    one_line_error(
        res,
        "tie for the last 1 seat between A, B under d'Hondt; pass --ties lot "
        "--lot-seed N to decide it by lot",
    )
    lot = runner.invoke(
        app,
        ["allocate", str(seed), "--method", "dhondt", "--ties", "lot", "--lot-seed", "3", "--json"],
    )
    assert lot.exit_code == 0
    assert json.loads(lot.stdout)["tie"]["decided_by_lot"] is True


def test_bench_small():
    res = runner.invoke(
        app,
        [
            "bench",
            "--draws",
            "2000",
            "--reference-seconds",
            "0.05",
            "--no-montecarlo",
            "--no-district-margins",  # (timed in tests/scenario/test_margins_district_pairs.py)
        ],
        env={"COLUMNS": "200"},
    )
    assert res.exit_code == 0, res.output
    assert "reference" in res.stdout and "NO" not in res.stdout
    assert "district allocations/s" in res.stdout and "agree: yes" in res.stdout


def test_bench_small_with_montecarlo_prints_both_cases():
    res = runner.invoke(
        app,
        [
            "bench",
            "--draws",
            "2000",
            "--reference-seconds",
            "0.05",
            "--memory-draws",
            "0",
            "--no-district-margins",
        ],
        env={"COLUMNS": "200"},  # one line per figure (a narrow terminal wraps them)
    )
    assert res.exit_code == 0, res.output
    assert "no seat cap" in res.stdout and "at most 65 seats per list" in res.stdout
    assert res.stdout.count("draws/s; plain per-draw loop") == 2
    assert res.stdout.count("per million draws: drawing votes") == 2
    # the rate scaled to the Dirichlet yardstick of the issue: rate × measured / 0.35
    import re

    found = re.findall(
        r"  ([\d,]+) draws/s; plain.*?Dirichlet alone for the 16 lists: ([\d.]+) s.*?"
        r"scaled to that yardstick \(this run's rate × \2 / 0.35\): ([\d,]+) draws/s",
        res.stdout,
        flags=re.S,
    )
    assert len(found) == 2
    for rate, measured, scaled in found:
        rate, scaled = (int(x.replace(",", "")) for x in (rate, scaled))
        assert abs(scaled - rate * float(measured) / 0.35) <= rate * 0.006 / 0.35 + 1
