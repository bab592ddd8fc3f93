"""Running scenarios: the baseline, the comparison and the report dictionaries, checked against
reference/elections.md."""

import csv
import io
import json
from fractions import Fraction
from pathlib import Path

import pytest

from simulate.analysis import run_scenario
from simulate.compare import compare
from simulate.election import Election
from simulate.report import below_text, run_csv_tables, run_dict, why_not
from simulate.rules import Rules
from simulate.scenario import Alternative, Scenario

ROOT = Path(__file__).resolve().parents[1]
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
    assert kg.allocation.as_dict() == {"Birimdik": 46, "Mekenim Kyrgyzstan": 45,
                                       "Kyrgyzstan": 16, "Butun Kyrgyzstan": 13}
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
    assert seats(o) == {"Birimdik": 41, "Mekenim Kyrgyzstan": 40, "Kyrgyzstan": 15,
                        "Butun Kyrgyzstan": 12, "Mekenchil": 12}
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
    assert "DERIVED" in sc.election.name and "not counted" in sc.election.notes.lower() \
        or "NOT COUNTED" in sc.election.notes
    published = {"Birimdik": "19.5", "Mekenim Kyrgyzstan": "24.48", "Kyrgyzstan": "9.34",
                 "Mekenchil": "7.76", "Respublika": "7.07", "Butun Kyrgyzstan": "6.15"}
    for p in sc.election.parties:
        assert p.votes == round(Fraction(published[p.name]) / 100 * 1_990_753)
    run = run_scenario(sc)
    assert run.allocation.as_dict() == {"Mekenim Kyrgyzstan": 43, "Birimdik": 34,
                                        "Kyrgyzstan": 16, "Mekenchil": 14, "Respublika": 13}


def test_csv_tables_hold_the_same_numbers(kg):
    tables = run_csv_tables(kg)
    rows = list(csv.DictReader(io.StringIO(tables["lists"])))
    assert rows[4]["list"] == "Mekenchil" and rows[4]["short_by"] == "3077"
    compare_rows = list(csv.DictReader(io.StringIO(tables["compare"])))
    assert compare_rows[0]["9% (2019)"] == "61"
    sweep_rows = list(csv.DictReader(io.StringIO(tables["sweep"])))
    assert len(sweep_rows) == len(kg.sweep.intervals)
    assert sweep_rows[-1]["Birimdik"] == "61"
