"""Slovakia, National Council, 29 February 2020: the seed reproduces the official seats.

Sources of every figure: seeds/slovakia-2020.toml and docs/slovakia-2020.md (the Statistical
Office's district table for the votes, TASR on the official result for seats and
percentages, Pravda for the republic electoral number 13,650). Rules: Act 180/2014 Coll.: 5% of
the valid votes for a party, 7% for a coalition of two or three parties, 10% for four or more;
the passing lists' votes divided by 151 and made a whole number; largest remainders.
"""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulate import Election, Rules, allocate, margins
from simulate.cli import app
from simulate.methods import get_method

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "slovakia-2020.toml"
SCENARIO = ROOT / "scenarios" / "slovakia-2020.toml"

BY_KIND = {"party": "5%", "coalition": "7%", "coalition4": "10%"}
IN_FORCE = Rules(seats=150, method="droop", quota_rounding="nearest", threshold=BY_KIND)
OFFICIAL = {
    "OĽaNO": 53,
    "SMER-SD": 38,
    "SME RODINA": 17,
    "ĽSNS": 17,
    "SaS": 13,
    "ZA ĽUDÍ": 12,
}
PASSING_VOTES = 2_061_100  # the six lists above added up; Pravda gives the same sum


@pytest.fixture(scope="module")
def slovakia() -> Election:
    return Election.load(SEED)


def seated(election: Election, rules: Rules) -> dict[str, int]:
    result = allocate(election, rules)
    return {n: int(s) for n, s in zip(election.names, result.seats.tolist(), strict=True) if s}


def test_votes_add_up_to_the_valid_votes(slovakia):
    """24 lists, 2,881,511 valid votes (the Office's district table added up)."""
    assert len(slovakia.names) == 24
    assert int(slovakia.votes.sum()) == 2_881_511
    assert sum(int(slovakia.votes[slovakia.names.index(n)]) for n in OFFICIAL) == PASSING_VOTES


@pytest.mark.parametrize(
    ("name", "printed"),
    # TASR's percentages from the official result; the Office cuts shares to two decimals
    [
        ("OĽaNO", "25.02"),
        ("SMER-SD", "18.29"),
        ("SME RODINA", "8.24"),
        ("ĽSNS", "7.97"),
        ("PS–SPOLU", "6.96"),
        ("SaS", "6.22"),
        ("ZA ĽUDÍ", "5.77"),
        ("KDH", "4.65"),
        ("MKÖ-MKS", "3.90"),
        ("SNS", "3.16"),
        ("DOBRÁ VOĽBA", "3.06"),
        ("VLASŤ", "2.93"),
        ("MOST-HÍD", "2.05"),
        ("Slovenská liga", "0.02"),
    ],
)
def test_shares_cut_to_two_decimals_match_the_published_ones(slovakia, name, printed):
    v = int(slovakia.votes[slovakia.names.index(name)])
    hundredths = v * 10_000 // 2_881_511  # a share in hundredths of a percent, cut
    assert f"{hundredths // 100}.{hundredths % 100:02d}" == printed


def test_rules_in_force_give_the_official_seats(slovakia):
    assert seated(slovakia, IN_FORCE) == OFFICIAL
    official = {p.name: p.official_seats for p in slovakia.parties}
    assert {n: s for n, s in official.items() if s} == OFFICIAL


def test_republic_electoral_number_is_the_published_one():
    """2,061,100 / 151 = 13,649.67; the published number is 13,650 (Pravda, 2023)."""
    quota = get_method("droop").with_rounding("nearest")
    assert quota.rounded_quota(PASSING_VOTES, 150) == 13_650
    # rounding up gives the same number here; rounding down would not
    assert get_method("droop").with_rounding("up").rounded_quota(PASSING_VOTES, 150) == 13_650
    assert get_method("droop").with_rounding("down").rounded_quota(PASSING_VOTES, 150) == 13_649


def test_by_hand_148_whole_quotas_and_two_remainders():
    """floor(v / 13,650) gives 52+38+17+16+13+12 = 148; the two largest remainders are
    OĽaNO's 11,366 and ĽSNS's 11,260 (then SMER-SD 8,472): 53 and 17."""
    votes = {"OĽaNO": 721_166, "SMER-SD": 527_172, "SME RODINA": 237_531, "ĽSNS": 229_660}
    votes |= {"SaS": 179_246, "ZA ĽUDÍ": 166_325}
    floors = {n: v // 13_650 for n, v in votes.items()}
    assert sum(floors.values()) == 148
    rems = sorted(((v % 13_650, n) for n, v in votes.items()), reverse=True)
    assert rems[:3] == [(11_366, "OĽaNO"), (11_260, "ĽSNS"), (8_472, "SMER-SD")]


@pytest.mark.parametrize("rounding", ["up", "down", "exact"])
def test_seats_do_not_depend_on_how_the_number_is_rounded(slovakia, rounding):
    rules = Rules(seats=150, method="droop", quota_rounding=rounding, threshold=BY_KIND)
    assert seated(slovakia, rules) == OFFICIAL


def test_ps_spolu_misses_the_coalition_threshold_by_926_votes(slovakia):
    """7% of 2,881,511 is 201,705.77: 201,706 votes needed, PS–SPOLU had 200,780."""
    v = int(slovakia.votes[slovakia.names.index("PS–SPOLU")])
    assert v * 100 < 7 * 2_881_511 and v * 100 >= 5 * 2_881_511
    assert -(-7 * 2_881_511 // 100) - v == 926


def test_margins_to_pass_and_fail_per_kind(slovakia):
    """With the exact quota (margins refuse a rounded one): a list's added votes also add to
    the base. PS–SPOLU passes 7% at x with 100(200,780 + x) >= 7(2,881,511 + x):
    x >= 92,577 / 93 = 995.4, so 996. OĽaNO falls under a party's 5% once it loses x with
    100(721,166 - x) < 5(2,881,511 - x): x > 57,709,045 / 95 = 607,463.6, so 607,464."""
    rules = Rules(seats=150, method="droop", threshold=BY_KIND)
    m = {lm.name: lm for lm in margins(slovakia, rules).lists}
    assert m["PS–SPOLU"].votes_to_pass_threshold == 996
    assert m["OĽaNO"].votes_to_fail_threshold == 607_464


def test_one_5pct_threshold_seats_ps_spolu(slovakia):
    """seatsim's result (not official): with 5% for every list PS–SPOLU passes. By hand:
    2,261,880 / 151 = 14,979.3 -> 14,979; whole quotas 48+35+15+15+13+11+11 = 148; the largest
    remainders are SaS's (0.97 of a quota) and SME RODINA's (0.86)."""
    flat = Rules(seats=150, method="droop", quota_rounding="nearest", threshold="5%")
    assert seated(slovakia, flat) == {
        "OĽaNO": 48,
        "SMER-SD": 35,
        "SME RODINA": 16,
        "ĽSNS": 15,
        "PS–SPOLU": 13,
        "SaS": 12,
        "ZA ĽUDÍ": 11,
    }


def test_dhondt_moves_one_seat(slovakia):
    """seatsim's result: d'Hondt among the same six lists gives SMER-SD 39 and ĽSNS 16."""
    rules = Rules(seats=150, method="dhondt", threshold=BY_KIND)
    assert seated(slovakia, rules) == OFFICIAL | {"SMER-SD": 39, "ĽSNS": 16}


def test_scenario_runs():
    out = CliRunner().invoke(app, ["run", str(SCENARIO), "--no-draw"])
    assert out.exit_code == 0, out.output
    assert "seats changing hands against the official seats: 0" in out.output
    assert "short by 926 votes" in out.output
