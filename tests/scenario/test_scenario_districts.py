"""Scenarios on districted elections: the new keys and their errors, the run on the Norway 2021
seed, one district against one constituency, the sweep on districts, per-district metrics.

The small example used throughout (hand-worked, d'Hondt), two districts and lists A, B, C:

    D1, 3 seats: A 600, B 310, C  90    quotients A 600, 300, 200; B 310, 155; C 90
                                         -> the three largest 600 A, 310 B, 300 A: A 2, B 1
    D2, 2 seats: A 200, B 390, C 410    quotients C 410, 205; B 390, 195; A 200
                                         -> 410 C, 390 B: B 1, C 1
    national: A 800 (40%), B 700 (35%), C 500 (25%) of 2,000 votes for lists
"""

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from simulate.allocation import allocate
from simulate.election import Election
from simulate.errors import InputError
from simulate.rules import Rules
from simulate.scenario.file import Scenario
from simulate.scenario.run import run_scenario

ROOT = Path(__file__).resolve().parents[2]
NORWAY = ROOT / "scenarios" / "norway-2021.toml"

RESULTS = """district,list,votes,kind
D1,A,600,party
D1,B,310,coalition
D1,C,90,party
D2,A,200,party
D2,B,390,coalition
D2,C,410,party
"""
SEATS = "district,seats\nD1,3\nD2,2\n"


def files(tmp_path: Path, rules: str, *, top: str = "") -> Path:
    (tmp_path / "results.csv").write_text(RESULTS, encoding="utf-8")
    (tmp_path / "seats.csv").write_text(SEATS, encoding="utf-8")
    path = tmp_path / "x.toml"
    path.write_text(
        'title = "two districts"\nelection = "results.csv"\ndistrict_seats = "seats.csv"\n'
        + top
        + "\n[rules]\n"
        + rules,
        encoding="utf-8",
    )
    return path


def error(path: Path) -> str:
    with pytest.raises(InputError) as info:
        Scenario.load(path)
    message = str(info.value)
    assert message.startswith(f"{path}: "), message
    assert "\n" not in message
    return message


# ---------------------------------------------------------------------------------------------
# the keys


def test_csv_election_with_district_seats_relative_to_the_scenario(tmp_path):
    sc = Scenario.load(files(tmp_path, 'method = "dhondt"\n'))
    assert sc.election.district_names == ("D1", "D2")
    assert sc.rules.seats == 5  # the districts' seats added up
    assert sc.districted and not sc.national
    # the seats table is an input of the run: no output may replace it
    assert str(tmp_path / "seats.csv") in sc.inputs


def test_threshold_per_kind_district_threshold_and_constituency(tmp_path):
    rules = (
        'method = "dhondt"\nthreshold = {party = "5%", coalition = "8%"}\n'
        'district_threshold = "3%"\n'
        '[[compare]]\nlabel = "national"\nconstituency = "national"\n'
        '[[compare]]\nlabel = "flat"\nthreshold = "4%"\n'
    )
    sc = Scenario.load(files(tmp_path, rules))
    assert sc.rules.kind_thresholds == (
        ("coalition", Fraction(8, 100)),
        ("party", Fraction(5, 100)),
    )
    assert sc.rules.district_threshold == Fraction(3, 100)
    national, flat = sc.compare
    # one national constituency: the same rules, the district threshold dropped
    assert national.national and national.rules.district_threshold is None
    assert national.changes == {"constituency": "national"}
    # a single threshold replaces the per-kind ones; the district threshold is inherited
    assert flat.rules.threshold == Fraction(4, 100) and flat.rules.kind_thresholds == ()
    assert flat.rules.district_threshold == Fraction(3, 100) and not flat.national


@pytest.mark.parametrize(
    ("rules", "top", "expected"),
    [
        ("districts = false\n", "", "rules.districts: unknown key"),
        ('constituency = "regional"\n', "", "rules.constituency: 'regional' is not one of"),
        ("seats = 6\n", "", "rules.seats: 6, but the districts have 5 seats"),
        ("max_seats = 3\n", "", "rules.max_seats: not supported with districts"),
        ('regional_threshold = "1%"\n', "", "rules.regional_threshold: not supported with"),
        ('threshold = {party = "5%"}\n', "", "rules.threshold: "),
        ("threshold = {}\n", "", "rules.threshold: an empty table"),
        ('threshold = {party = "5"}\n', "", "rules.threshold.party: "),
        ('district_threshold = "3"\n', "", "rules.district_threshold: "),
        (
            '[[compare]]\nlabel = "n"\nconstituency = "national"\ndistrict_threshold = "3%"\n',
            "",
            "compare[0].district_threshold: the rule set is national",
        ),
        ('[[compare]]\nlabel = "s"\nseats = 9\n', "", "compare[0].seats: 9, but the districts"),
        ("", 'colour = "red"\n', ": colour: unknown key"),
    ],
)
def test_bad_district_keys_name_the_file_and_key(tmp_path, rules, top, expected):
    message = error(files(tmp_path, rules, top=top))
    assert expected in message, message


def test_a_kind_without_a_threshold_names_the_list(tmp_path):
    message = error(files(tmp_path, 'threshold = {party = "5%"}\n'))
    assert "rules.threshold:" in message and "'B'" in message and "coalition" in message


def test_a_national_rule_set_may_change_the_house(tmp_path):
    rules = '[[compare]]\nlabel = "n"\nconstituency = "national"\nseats = 9\n'
    assert Scenario.load(files(tmp_path, rules)).compare[0].rules.seats == 9


def test_district_keys_on_an_election_without_districts(tmp_path):
    seed = ROOT / "seeds" / "kyrgyzstan-2020.toml"
    head = f'title = "t"\nelection = "{seed}"\n'
    cases = [
        ('district_seats = "s.csv"\n[rules]\n', "district_seats: goes with a results table"),
        ('[rules]\ndistrict_threshold = "3%"\n', "rules.district_threshold: the election has no"),
        ('[rules]\nconstituency = "districts"\n', 'rules.constituency: "districts", but'),
    ]
    for text, expected in cases:
        path = tmp_path / "k.toml"
        path.write_text(head + text, encoding="utf-8")
        assert expected in error(path)
    path.write_text(head + '[rules]\nconstituency = "national"\n', encoding="utf-8")
    assert not Scenario.load(path).districted  # one constituency anyway


def test_missing_district_seats_file(tmp_path):
    path = files(tmp_path, "")
    (tmp_path / "seats.csv").unlink()
    assert "district_seats: no such district seats table 'seats.csv'" in error(path)


# ---------------------------------------------------------------------------------------------
# runs


def test_small_example_run_by_district_and_per_district_metrics(tmp_path):
    run = run_scenario(Scenario.load(files(tmp_path, 'method = "dhondt"\n')))
    assert run.districts is not None
    assert run.districts.districts_dict() == {
        "D1": {"A": 2, "B": 1, "C": 0},
        "D2": {"A": 0, "B": 1, "C": 1},
    }
    assert run.allocation.as_dict() == {"A": 2, "B": 2, "C": 1}
    d1, d2 = run.district_measures
    # D1: votes 60/31/9 %, seats 2/3, 1/3, 0: gaps 20/3, 7/3, -9 percentage points;
    # Gallagher sqrt(½ (400/9 + 49/9 + 81)) = sqrt(589/9); L-H ½ (20/3 + 7/3 + 9) = 9;
    # wasted: C's 90 of 1,000
    assert d1.gallagher == pytest.approx((589 / 9) ** 0.5, abs=1e-9)
    assert d1.loosemore_hanby == pytest.approx(9, abs=1e-9)
    assert (d1.seats, d1.votes, d1.wasted_votes, d1.wasted_share) == (3, 1000, 90, 0.09)
    # ENP by votes 1 / (0.6² + 0.31² + 0.09²) = 1 / 0.4642; by seats 1 / (4/9 + 1/9) = 9/5
    assert d1.enp_votes == pytest.approx(1 / 0.4642) and d1.enp_seats == pytest.approx(1.8)
    # D2: votes 20/39/41 %, seats 0, ½, ½: gaps -20, 11, 9; Gallagher sqrt(½ 602) = sqrt(301);
    # L-H ½ (20 + 11 + 9) = 20; wasted: A's 200 of 1,000
    assert d2.gallagher == pytest.approx(301**0.5, abs=1e-9)
    assert d2.loosemore_hanby == pytest.approx(20, abs=1e-9)
    assert (d2.wasted_votes, d2.wasted_share) == (200, 0.2)


def test_compare_changes_per_district_and_national_constituency(tmp_path):
    rules = (
        'method = "dhondt"\n'
        '[[compare]]\nlabel = "Sainte-Laguë"\nmethod = "sainte-lague"\n'
        '[[compare]]\nlabel = "national"\nconstituency = "national"\n'
    )
    run = run_scenario(Scenario.load(files(tmp_path, rules)))
    sl, national = run.comparison.alternatives
    # Sainte-Laguë (divisors 1, 3, 5): D1 quotients A 600, 200, 120; B 310, 103.3; C 90
    # -> 600 A, 310 B, 200 A: A 2, B 1 (as d'Hondt). D2: C 410, B 390, A 200 -> B 1, C 1.
    assert sl.districts is not None and sl.district_changes == (0, 0)
    assert sl.changed_from_baseline == 0
    # national, d'Hondt, 5 seats on A 800, B 700, C 500: quotients 800 A, 700 B, 500 C,
    # 400 A, 350 B | 266.7 A -> A 2, B 2, C 1: no seat moves in the totals
    assert national.national and national.districts is None
    assert national.district_changes is None
    assert national.allocation is not None
    assert national.allocation.as_dict() == {"A": 2, "B": 2, "C": 1}
    pooled = allocate(run.scenario.election, Rules(seats=5, method="dhondt"))
    assert np.array_equal(national.allocation.seats, pooled.seats)


def test_a_national_threshold_moves_seats_in_one_district(tmp_path):
    rules = 'method = "dhondt"\n[[compare]]\nlabel = "30%"\nthreshold = "30%"\n'
    run = run_scenario(Scenario.load(files(tmp_path, rules)))
    (alt,) = run.comparison.alternatives
    # C (25% nationally) misses 30%: D1 unchanged (C won nothing there); D2 without C:
    # B 390, A 200, B 195 -> B 1, A 1: C's seat goes to A
    assert alt.districts is not None
    assert alt.districts.districts_dict()["D2"] == {"A": 1, "B": 1, "C": 0}
    assert alt.district_changes == (0, 1) and alt.changed_from_baseline == 1


def test_threshold_per_kind_in_a_scenario(tmp_path):
    rules = 'method = "dhondt"\nthreshold = {party = "30%", coalition = "36%"}\n'
    run = run_scenario(Scenario.load(files(tmp_path, rules)))
    # B, a coalition at 35%, misses 36%; C, a party at 25%, misses 30%: A alone takes all 5
    assert run.allocation.as_dict() == {"A": 5}  # (lists with seats)
    assert [r.passed for r in run.allocation.lists] == [True, False, False]


def test_sweep_on_districts_allocates_once_per_passing_set(tmp_path):
    run = run_scenario(Scenario.load(files(tmp_path, 'method = "dhondt"\n', top="")))
    assert run.sweep is None  # no [sweep] table
    path = files(tmp_path, 'method = "dhondt"\n[sweep]\n')
    sweep = run_scenario(Scenario.load(path)).sweep
    assert sweep is not None
    # breakpoints at the national shares of C (25%) and B (35%), up to A's 40%
    assert sweep.breakpoints == (Fraction(1, 4), Fraction(7, 20))
    assert (sweep.low, sweep.high) == (Fraction(0), Fraction(2, 5))
    seats = [iv.allocation.as_dict() for iv in sweep.intervals if iv.allocation]  # (seated)
    # [0, 25%]: all pass (the baseline). (25%, 35%]: C out; D2: B 390, A 200 -> A 1, B 1.
    # (35%, 40%]: A alone, all five seats
    assert seats == [{"A": 2, "B": 2, "C": 1}, {"A": 3, "B": 2}, {"A": 5}]
    assert [iv.passed for iv in sweep.intervals] == [("A", "B", "C"), ("A", "B"), ("A",)]
    assert [iv.changed_from_baseline for iv in sweep.intervals] == [0, 1, 3]
    second = sweep.intervals[1].districts
    assert second is not None and second.districts_dict()["D2"] == {"A": 1, "B": 1, "C": 0}


def test_norway_2021_scenario_reproduces_the_official_district_seats():
    """The shipped scenario's own rules give every list's official district seats in every
    district (source: Valgdirektoratet's results, seeds/norway-2021.md)."""
    sc = Scenario.load(NORWAY)
    assert sc.rules.method == "modified-sainte-lague" and sc.rules.seats == 150
    run = run_scenario(sc)
    assert run.districts is not None
    for j, d in enumerate(sc.election.districts):
        got = {n: int(run.districts.seats[j, i]) for i, n in enumerate(sc.election.names)}
        assert {n: got[n] for n in d.votes} == dict(d.official_seats), d.name
    assert run.changed_from_official == 0
    assert run.allocation.as_dict()["Arbeiderpartiet"] == 48  # the official 48 district seats
    assert len(run.district_measures) == 19
    labels = [o.label for o in run.comparison.alternatives]
    assert labels == ["one national constituency", "Sainte-Laguë", "d'Hondt", "4% nationally"]
    for o in run.comparison.alternatives:
        assert o.allocation is not None and int(o.allocation.seats.sum()) == 150
        if o.district_changes is not None:  # a list's gains and losses may cancel in its total
            assert sum(o.district_changes) >= o.changed_from_baseline
    # the national rule set is the pooled allocation (modified Sainte-Laguë, 150 seats)
    pooled = allocate(sc.election, sc.rules)
    assert np.array_equal(run.comparison.alternatives[0].seats, pooled.seats)


# ---------------------------------------------------------------------------------------------
# one district is one constituency


def one_constituency_pair(tmp_path: Path, rules: str) -> tuple[Path, Path]:
    votes = {"A": 48_000, "B": 31_000, "C": 17_000, "D": 4_000, "E": 2_500}
    (tmp_path / "flat.csv").write_text(
        "list,votes\n" + "".join(f"{n},{v}\n" for n, v in votes.items()), encoding="utf-8"
    )
    (tmp_path / "one.csv").write_text(
        "district,list,votes\n" + "".join(f"All,{n},{v}\n" for n, v in votes.items()),
        encoding="utf-8",
    )
    (tmp_path / "one-seats.csv").write_text("district,seats\nAll,20\n", encoding="utf-8")
    flat = tmp_path / "flat.toml"
    flat.write_text(
        f'title = "flat"\nelection = "flat.csv"\n[rules]\nseats = 20\n{rules}', encoding="utf-8"
    )
    one = tmp_path / "one.toml"
    one.write_text(
        f'title = "one"\nelection = "one.csv"\ndistrict_seats = "one-seats.csv"\n[rules]\n{rules}',
        encoding="utf-8",
    )
    return flat, one


def test_one_district_equals_the_single_constituency_run(tmp_path):
    rules = (
        'method = "dhondt"\nthreshold = "5%"\n'
        '[[compare]]\nlabel = "hare"\nmethod = "hare"\n'
        '[[compare]]\nlabel = "3%"\nthreshold = "3%"\n'
        "[sweep]\n"
    )
    flat_path, one_path = one_constituency_pair(tmp_path, rules)
    flat, one = run_scenario(Scenario.load(flat_path)), run_scenario(Scenario.load(one_path))
    assert one.districts is not None and flat.districts is None
    assert np.array_equal(flat.allocation.seats, one.allocation.seats)
    assert flat.measures == one.measures
    for a, b in zip(flat.comparison.outcomes, one.comparison.outcomes, strict=True):
        assert (
            np.array_equal(a.seats, b.seats) and a.changed_from_baseline == b.changed_from_baseline
        )
        assert a.measures == b.measures
    assert flat.sweep is not None and one.sweep is not None
    assert flat.sweep.breakpoints == one.sweep.breakpoints
    for a, b in zip(flat.sweep.intervals, one.sweep.intervals, strict=True):
        assert np.array_equal(a.seats, b.seats) and a.passed == b.passed
    # and the one district's metrics are the totals'
    (m,) = one.district_measures
    assert m.gallagher == pytest.approx(one.measures.gallagher)
    assert m.loosemore_hanby == pytest.approx(one.measures.loosemore_hanby)


def test_election_read_from_csv_without_districts(tmp_path):
    flat_path, _ = one_constituency_pair(tmp_path, 'method = "dhondt"\n')
    sc = Scenario.load(flat_path)
    assert isinstance(sc.election, Election) and not sc.election.districts
    # d'Hondt, 20 seats on 48,000 / 31,000 / 17,000 / 4,000 / 2,500: the divisor 2,400
    # gives A 20, B 12.9, C 7.1, D 1.7, E 1.04 -> 20 + 12 + 7 + 1 + 1 = 41 > 20; the divisor
    # 4,800 gives A 10, B 6.46, C 3.54, D 0.83, E 0.52 -> 10 + 6 + 3 = 19; 4,428.6 (31,000/7)
    # gives A 10.8, B 7, C 3.8 -> 10 + 7 + 3 = 20: A 10, B 7, C 3
    assert run_scenario(sc).allocation.as_dict() == {"A": 10, "B": 7, "C": 3}


def test_a_national_baseline_with_a_rule_set_by_district(tmp_path):
    rules = (
        'method = "dhondt"\nconstituency = "national"\n'
        '[[compare]]\nlabel = "by district"\nconstituency = "districts"\n'
    )
    sc = Scenario.load(files(tmp_path, rules))
    assert sc.national and not sc.districted
    run = run_scenario(sc)
    # national d'Hondt, 5 seats: A 2, B 2, C 1 (as above); by district the same totals
    assert run.districts is None and run.district_measures == ()
    assert run.allocation.as_dict() == {"A": 2, "B": 2, "C": 1}
    (alt,) = run.comparison.alternatives
    assert alt.districts is not None and alt.district_changes is None  # no baseline by district
    assert alt.changed_from_baseline == 0
