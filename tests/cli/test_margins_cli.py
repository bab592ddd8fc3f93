"""``seatsim margins`` through typer's CliRunner (the values are derived in
``tests/scenario/test_margins.py``)."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KG2020 = ROOT / "scenarios" / "kyrgyzstan-2020.toml"


def _cli(*args):
    from typer.testing import CliRunner

    from simulate.cli import app

    return CliRunner().invoke(app, ["margins", *map(str, args)])


def test_cli_json_on_the_kyrgyz_scenario():
    # the scenario's [rules] (Hare, 7% of participants, cap 65); values as in the test above
    res = _cli(KG2020, "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert (data["schema"], data["kind"], data["rules"]["method"]) == (2, "margins", "hare")
    keys = {
        "name",
        "seats",
        "votes_to_gain_seat",
        "votes_to_tie_seat",
        "votes_to_lose_seat",
        "votes_to_tie_loss",
        "votes_to_pass_threshold",
        "votes_to_fail_threshold",
    }
    assert all(keys <= set(item) for item in data["lists"])
    mek = next(x for x in data["lists"] if x["name"] == "Mekenchil")
    assert (mek["votes_to_pass_threshold"], mek["votes_to_fail_threshold"]) == (3309, None)
    pair = next(p for p in data["pairs"] if (p["from"], p["to"]) == ("Birimdik", "Mekenchil"))
    assert pair["ballots"] == 3077 and pair["changes"]["Mekenchil"] > 0
    kinds = {c["kind"]: c for c in data["closest"]}
    assert kinds["parliament"]["ballots"] == 2588
    assert "two-thirds" not in kinds


def test_cli_seed_with_rule_options_and_table():
    # a seed with options: d'Hondt 5% of the lists' votes; the table names the closest calls
    res = _cli(ROOT / "seeds" / "kyrgyzstan-2020.toml", "--method", "dhondt", "--threshold", "5%")
    assert res.exit_code == 0, res.output
    assert "Closest calls" in res.output and "Per list" in res.output
    assert "d'Hondt" in res.output


def test_cli_errors_are_one_line_and_exit_2():
    res = _cli(ROOT / "seeds" / "kyrgyzstan-2020.toml", "--method", "borda")
    assert res.exit_code == 2 and "--method: unknown method 'borda'" in res.output
    res = _cli(ROOT / "seeds" / "kyrgyzstan-2020.toml", "--threshold", "7")
    assert res.exit_code == 2 and "needs a % sign" in res.output
    res = _cli(ROOT / "seeds" / "no-such-seed.toml")
    assert res.exit_code == 2 and len(res.output.strip().splitlines()) == 1


def test_cli_results_table_with_thresholds_per_kind(tmp_path):
    # the per-kind case of tests/scenario/test_margins.py, from a CSV table: B (coalition, 45)
    # passes 8% of 615 after 5 new votes and wins a d'Hondt seat after 11
    table = tmp_path / "results.csv"
    table.write_text("list,votes,kind\nA,500,party\nB,45,coalition\nC,60,party\n")
    res = _cli(
        table,
        "--seats",
        "10",
        "--method",
        "dhondt",
        "--threshold",
        "party=5%,coalition=8%",
        "--json",
    )
    assert res.exit_code == 0, res.output
    b = next(x for x in json.loads(res.output)["lists"] if x["name"] == "B")
    # without D (10 votes) the total is 605: 45 + x ≥ 0.08·(605 + x) ⇔ 0.92x ≥ 3.4: x = 4;
    # A's 9th quotient is still 500/9 = 55.6: 45 + 11 = 56 wins the seat
    assert (b["votes_to_pass_threshold"], b["votes_to_gain_seat"]) == (4, 11)
    res = _cli(table, "--threshold", "7%")
    assert res.exit_code == 2 and "--seats" in res.output
