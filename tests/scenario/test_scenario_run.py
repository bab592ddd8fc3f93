"""Running scenarios: the baseline, the comparison and the report dictionaries, checked against
reference/elections.md."""

import csv
import dataclasses
import io
import json
from fractions import Fraction
from pathlib import Path

import pytest

from simulate.allocation import allocate
from simulate.election import Election
from simulate.eligibility import why_not
from simulate.montecarlo.curve import CURVE_STEP
from simulate.report.csv_tables import run_csv_tables
from simulate.report.json_dicts import run_dict
from simulate.rules import Rules
from simulate.scenario.compare import compare
from simulate.scenario.file import Alternative, Scenario, SweepRange
from simulate.scenario.run import run_scenario, scenario_curve, sweep_scenario
from simulate.wording import below_text, plural

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "scenarios").glob("*.toml"))


@pytest.fixture(scope="module")
def kg():
    return run_scenario(Scenario.load(ROOT / "scenarios" / "kyrgyzstan-2020.toml"))


def seats(outcome):
    return {r.name: r.seats for r in outcome.allocation.lists if r.seats}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_scenario_loads_and_runs(path):
    run = run_scenario(Scenario.load(path))
    assert run.allocation.seats.sum() == run.scenario.rules.seats
    json.dumps(run_dict(run))  # JSON-ready


def test_baseline_reproduces_the_announced_seats(kg):
    # elections.md: announced seats Birimdik 46, Mekenim Kyrgyzstan 45, Kyrgyzstan 16,
    # Butun Kyrgyzstan 13
    assert kg.allocation.as_dict() == {
        "Birimdik": 46,
        "Mekenim Kyrgyzstan": 45,
        "Kyrgyzstan": 16,
        "Butun Kyrgyzstan": 13,
    }
    assert kg.changed_from_official == 0
    assert kg.allocation.threshold_votes == 139_353  # ceil(7% of 1,990,753)


def test_the_method_does_not_change_the_2020_seats(kg):
    # elections.md: "The method (Hare, d'Hondt, Sainte-Laguë) does not change the 2020 seats."
    by = {o.label: o for o in kg.comparison.outcomes}
    for label in ("d'Hondt", "Sainte-Laguë", "no cap"):
        assert seats(by[label]) == seats(by["in force"])
        assert by[label].changed_from_baseline == 0


def test_on_party_votes_mekenchil_passes(kg):
    # elections.md: "on a base of party votes only it passes, and the result becomes five
    # parties"; 12 seats move to Mekenchil
    o = {o.label: o for o in kg.comparison.outcomes}["party votes"]
    assert seats(o) == {
        "Birimdik": 41,
        "Mekenim Kyrgyzstan": 40,
        "Kyrgyzstan": 15,
        "Butun Kyrgyzstan": 12,
        "Mekenchil": 12,
    }
    assert o.changed_from_baseline == 12


def test_on_valid_votes_mekenchil_still_misses(kg):
    # seed: valid = lists plus against-all = 1,958,930 (implied); 7% of it is 137,126 votes,
    # above Mekenchil's 136,276
    o = {o.label: o for o in kg.comparison.outcomes}["valid votes"]
    assert o.allocation.threshold_votes == 137_126
    assert o.changed_from_baseline == 0


def test_under_the_2019_nine_percent_two_lists_pass(kg):
    # elections.md: "Under the 2019 rule of 9% only two parties pass"
    o = {o.label: o for o in kg.comparison.outcomes}["9% (2019)"]
    assert seats(o) == {"Birimdik": 61, "Mekenim Kyrgyzstan": 59}
    assert o.measures.majority == "Birimdik"
    assert o.changed_from_baseline == 29


def test_lower_thresholds_seat_more_lists(kg):
    by = {o.label: o for o in kg.comparison.outcomes}
    assert len(seats(by["5%"])) == 6 and len(seats(by["3%"])) == 9


def test_why_not_is_short_and_exact(kg):
    # elections.md: Mekenchil 136,276 votes, 6.85% of participants; 139,353 needed
    r = kg.allocation.lists[4]
    assert r.name == "Mekenchil"
    assert why_not(kg.shortfalls[4], r.share) == "short by 3,077 votes (6.85% < 7%)"
    assert kg.shortfalls[0] == ()


def test_one_vote_short_is_one_vote():
    e = Election.from_votes({"A": 6_999, "B": 93_001})
    r = allocate(e, Rules(seats=10, threshold="7%")).lists[0]
    assert why_not(r.shortfalls, r.share) == "short by 1 vote (6.999% < 7%)"
    assert plural(1, "vote") == "1 vote" and plural(2, "vote") == "2 votes"
    assert plural(1_000, "seat") == "1,000 seats" and plural(0.5, "seat") == "0.5 seats"


def test_a_list_exactly_at_a_strict_threshold_reads_true():
    # under ">" a list needs more than 7%: 7,000 of 100,000 fails by one vote
    e = Election.from_votes({"A": 7_000, "B": 93_000})
    r = allocate(e, Rules(seats=10, threshold="7%", threshold_comparison=">")).lists[0]
    assert why_not(r.shortfalls, r.share) == "short by 1 vote (7% ≤ 7%)"


def test_below_text_never_rounds_up_to_the_threshold():
    assert below_text(Fraction(69_999, 1_000_000), Fraction(7, 100)) == "6.9999% < 7%"


def test_an_alternative_that_cannot_allocate_keeps_its_reason():
    e = Election.from_votes({"A": 60, "B": 40})
    alt = Alternative("high", Rules(seats=10, threshold="70%"), {"threshold": "70%"})
    c = compare(e, Rules(seats=10), [alt])
    assert c.alternatives[0].allocation is None
    assert "no list passes" in c.alternatives[0].problem
    assert c.baseline.changed_from_baseline == 0


def test_hand_count_scenario_is_derived_and_says_so():
    # elections.md: hand count of 63% of stations, Birimdik 19.5, Mekenim 24.48, Kyrgyzstan 9.34,
    # Mekenchil 7.76, Respublika 7.07, Butun 6.15 (percent); votes = % × 1,990,753, rounded
    sc = Scenario.load(ROOT / "scenarios" / "kyrgyzstan-2020-hand-count.toml")
    assert (
        "DERIVED" in sc.election.name
        and "not counted" in sc.election.notes.lower()
        or "NOT COUNTED" in sc.election.notes
    )
    published = {
        "Birimdik": "19.5",
        "Mekenim Kyrgyzstan": "24.48",
        "Kyrgyzstan": "9.34",
        "Mekenchil": "7.76",
        "Respublika": "7.07",
        "Butun Kyrgyzstan": "6.15",
    }
    for p in sc.election.parties:
        assert p.votes == round(Fraction(published[p.name]) / 100 * 1_990_753)
    run = run_scenario(sc)
    assert run.allocation.as_dict() == {
        "Mekenim Kyrgyzstan": 43,
        "Birimdik": 34,
        "Kyrgyzstan": 16,
        "Mekenchil": 14,
        "Respublika": 13,
    }


def test_csv_tables_hold_the_same_numbers(kg):
    tables = run_csv_tables(kg)
    rows = list(csv.DictReader(io.StringIO(tables["lists"])))
    assert rows[4]["list"] == "Mekenchil" and rows[4]["short_by"] == "3077"
    compare_rows = list(csv.DictReader(io.StringIO(tables["compare"])))
    assert compare_rows[0]["9% (2019)"] == "61"
    sweep_rows = list(csv.DictReader(io.StringIO(tables["sweep"])))
    assert len(sweep_rows) == len(kg.sweep.intervals)
    assert sweep_rows[-1]["Birimdik"] == "61"


@pytest.mark.parametrize(
    "year, expected",
    [
        # elections.md, "2015": SDPK 38, Respublika–Ata-Jurt 28, Kyrgyzstan 18, Onuguu–Progress 13,
        # Bir Bol 12, Ata-Meken 11
        (2015, [38, 28, 18, 13, 12, 11]),
        # elections.md, "2010": Ata-Jurt 28, SDPK 26, Ar-Namys 25, Respublika 23, Ata-Meken 18
        (2010, [28, 26, 25, 23, 18]),
        # elections.md, "2021": list seats 15, 12, 9, 7, 6, 5 of 54
        (2021, [15, 12, 9, 7, 6, 5]),
    ],
)
def test_earlier_and_later_elections_reproduce_their_seats(year, expected):
    run = run_scenario(Scenario.load(ROOT / "scenarios" / f"kyrgyzstan-{year}.toml"))
    assert run.allocation.seats.tolist() == expected
    assert run.changed_from_official == 0


def test_2021_list_tier_rules():
    # elections.md, "2021": 54 list seats, 5% of voters who took part (1,281,622), 0.5% in each
    # unit, at most 27 of the 54 list seats
    sc = Scenario.load(ROOT / "scenarios" / "kyrgyzstan-2021.toml")
    r = sc.rules
    assert (r.seats, r.threshold, r.threshold_base, r.max_seats) == (
        54,
        Fraction(5, 100),
        "participants",
        27,
    )
    assert r.regional_threshold == Fraction(5, 1000)
    run = run_scenario(sc)
    assert run.allocation.threshold_votes == 64_082  # ceil(5% of 1,281,622)
    # at 9% (the 2019 law) three lists pass
    nine = {o.label: o for o in run.comparison.outcomes}["9% (2019)"]
    assert seats(nine) == {"Ata-Jurt Kyrgyzstan": 22, "Ishenim": 18, "Yntymak": 14}


def test_2010_sets_no_threshold_because_the_seed_cannot_say():
    # elections.md, "2010": the base was registered voters, "about 3.0 million"; the seed does
    # not give it, so the scenario allocates among the five lists that passed
    sc = Scenario.load(ROOT / "scenarios" / "kyrgyzstan-2010.toml")
    assert sc.election.registered is None and sc.rules.threshold == 0
    assert sc.sweep is None and "registered" in sc.notes


def test_majority_curve_over_a_sweep_without_a_range():
    """A [sweep] table without a range: the Monte Carlo curve covers the sweep's own default
    range (0 to the largest list's share) instead of failing on the missing ends."""
    sc = Scenario.load(ROOT / "scenarios" / "kyrgyzstan-2020.toml")
    sc = dataclasses.replace(sc, sweep=SweepRange())
    curve = scenario_curve(sc, seed=1, draws=10)
    assert curve is not None
    full = sweep_scenario(sc)
    assert curve.thresholds[0] == full.low == 0
    assert full.high - CURVE_STEP < curve.thresholds[-1] <= full.high
