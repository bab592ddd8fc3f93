"""simulate.scenario.sweep: the exact threshold sweep, checked against allocate and the Kyrgyz
2020 facts of docs/elections.md."""

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulate.allocation import allocate
from simulate.election import Election, Party
from simulate.errors import InputError
from simulate.metrics import seats_changing_hands
from simulate.rules import Rules
from simulate.scenario.sweep import shares, sweep
from simulate.threshold import min_votes

ROOT = Path(__file__).resolve().parents[2]
KG2020 = Election.load(ROOT / "seeds" / "kyrgyzstan-2020.toml")
# elections.md, "Rules in force in 2020"
IN_FORCE = Rules(
    seats=120,
    method="hare",
    threshold="7%",
    threshold_base="participants",
    regional_threshold="0.7%",
    max_seats=65,
)
PARTICIPANTS = 1_990_753  # elections.md: voters who took part


def inner_point(iv) -> Fraction:
    return (iv.low + iv.high) / 2 if iv.low != iv.high else iv.low


@pytest.fixture(scope="module")
def kg_full():
    return sweep(KG2020, IN_FORCE)


def test_breakpoints_are_exactly_the_lists_shares_of_participants(kg_full):
    # elections.md: the threshold base in 2020 was the voters who took part (1,990,753); the
    # sweep's cuts are each list's votes over it, as exact fractions. The largest share ends
    # the default range.
    expected = sorted(Fraction(p.votes, PARTICIPANTS) for p in KG2020.parties)
    assert list(kg_full.breakpoints) == expected[:-1]
    assert kg_full.high == Fraction(487_685, PARTICIPANTS)
    assert list(shares(KG2020, IN_FORCE)) == expected


def test_range_keeps_only_the_cuts_inside_it():
    s = sweep(KG2020, IN_FORCE, "0%", "12%")
    inside = sorted(
        Fraction(p.votes, PARTICIPANTS) for p in KG2020.parties if p.votes / PARTICIPANTS < 0.12
    )
    assert list(s.breakpoints) == inside
    assert (s.intervals[0].low, s.intervals[-1].high) == (0, Fraction(12, 100))
    assert s.intervals[0].low_included and s.intervals[-1].high_included


def test_intervals_cover_the_range_without_gaps_or_overlaps(kg_full):
    ivs = kg_full.intervals
    for a, b in zip(ivs, ivs[1:]):
        assert a.high == b.low
        assert a.high_included != b.low_included  # each cut belongs to exactly one interval


def test_seats_agree_with_allocate_inside_every_interval(kg_full):
    for iv in kg_full.intervals:
        t = inner_point(iv)
        assert t in iv
        try:
            direct = allocate(KG2020, IN_FORCE.replace(threshold=t))
        except InputError:
            assert iv.allocation is None and iv.problem
            continue
        assert np.array_equal(direct.seats, iv.seats)
        assert iv.passed == tuple(r.name for r in direct.lists if r.passed)


def test_seats_agree_with_allocate_at_both_ends_of_every_interval(kg_full):
    for iv in kg_full.intervals:
        for t in (iv.low, iv.high):
            if t in iv and iv.allocation is not None:
                assert np.array_equal(
                    allocate(KG2020, IN_FORCE.replace(threshold=t)).seats, iv.seats
                )


def test_a_list_exactly_at_the_threshold_passes():
    # simulate.threshold: under ">=" a list at exactly the threshold passes
    share = Fraction(136_276, PARTICIPANTS)  # Mekenchil, elections.md
    s = sweep(KG2020, IN_FORCE, "5%", "8%")
    at = s.at(share)
    assert at.high == share and at.high_included and "Mekenchil" in at.passed
    assert "Mekenchil" not in s.at(share + Fraction(1, 10**12)).passed
    assert min_votes(share, PARTICIPANTS) == 136_276


def test_strict_comparison_moves_the_cut_to_the_other_side():
    strict = IN_FORCE.replace(threshold_comparison=">")
    share = Fraction(136_276, PARTICIPANTS)
    s = sweep(KG2020, strict, "5%", "8%")
    at = s.at(share)
    assert at.low == share and at.low_included and "Mekenchil" not in at.passed
    assert "Mekenchil" in s.at(share - Fraction(1, 10**12)).passed


def test_at_seven_percent_the_announced_seats(kg_full):
    # elections.md: announced seats Birimdik 46, Mekenim Kyrgyzstan 45, Kyrgyzstan 16,
    # Butun Kyrgyzstan 13
    iv = kg_full.at(Fraction(7, 100))
    assert iv.passed == ("Birimdik", "Mekenim Kyrgyzstan", "Kyrgyzstan", "Butun Kyrgyzstan")
    assert iv.seats[:4].tolist() == [46, 45, 16, 13]
    assert iv.changed_from_baseline == 0
    assert iv.measures.wasted_votes == 711_439


def test_at_nine_percent_two_lists_share_all_seats(kg_full):
    # elections.md: "Under the 2019 rule of 9% only two parties pass"; Hare on 487,685 and
    # 475,372 gives 60.77 → 61 and 59.23 → 59, so Birimdik alone holds a majority (61 of 120)
    iv = kg_full.at(Fraction(9, 100))
    assert iv.passed == ("Birimdik", "Mekenim Kyrgyzstan")
    assert iv.seats[:2].tolist() == [61, 59] and iv.seats.sum() == 120
    assert iv.measures.majority == "Birimdik"
    assert iv.measures.two_thirds is None
    assert iv.changed_from_baseline == 29


def test_changes_against_the_neighbour_and_the_baseline(kg_full):
    ivs = kg_full.intervals
    base = allocate(KG2020, IN_FORCE).seats
    for a, b in zip(ivs, ivs[1:]):
        if a.seats is not None and b.seats is not None:
            assert b.changed_from_previous == seats_changing_hands(a.seats, b.seats)
        if b.seats is not None:
            assert b.changed_from_baseline == seats_changing_hands(base, b.seats)
    assert ivs[0].changed_from_previous is None


def test_where_the_seats_cannot_be_filled_the_reason_is_kept(kg_full):
    # above Mekenim Kyrgyzstan's 23.88% only Birimdik passes, and the 65-seat cap cannot fill
    # 120 seats
    last = kg_full.intervals[-1]
    assert last.passed == ("Birimdik",)
    assert last.allocation is None and "cap" in last.problem
    assert last.changed_from_previous is None


def test_a_list_failing_the_regional_threshold_adds_no_cut():
    # constructed regional votes (no source gives Kyrgyz regional tables: elections.md)
    def party(name, north, south):
        return Party(name, north + south, regions={"north": north, "south": south})

    e = Election(
        "regional test",
        (party("A", 500, 400), party("B", 300, 200), party("C", 190, 0), party("D", 60, 50)),
        seats=10,
    )
    rules = Rules(seats=10, threshold="0%", regional_threshold="1%")
    s = sweep(e, rules, "0%", "50%")
    assert Fraction(190, 1700) not in s.breakpoints  # C never passes: 0 votes south
    assert all("C" not in iv.passed for iv in s.intervals)
    assert Fraction(110, 1700) in s.breakpoints
    for iv in s.intervals:
        direct = allocate(e, rules.replace(threshold=inner_point(iv)))
        assert np.array_equal(direct.seats, iv.seats)


def test_bad_ranges_are_errors():
    with pytest.raises(InputError, match="start < end"):
        sweep(KG2020, IN_FORCE, "9%", "3%")
    with pytest.raises(InputError, match="needs a % sign"):
        sweep(KG2020, IN_FORCE, "0%", "9")


votes_lists = st.lists(st.integers(0, 5_000), min_size=2, max_size=6).filter(lambda v: sum(v) > 0)


@settings(max_examples=40, deadline=None)
@given(
    votes=votes_lists,
    method=st.sampled_from(["hare", "dhondt", "sainte-lague"]),
    strict=st.booleans(),
    extra=st.integers(0, 3_000),
    seats=st.integers(5, 30),
)
def test_sweep_matches_allocate_on_random_elections(votes, method, strict, extra, seats):
    e = Election.from_votes(
        {f"L{i}": v for i, v in enumerate(votes)}, participants=sum(votes) + extra
    )
    rules = Rules(
        seats=seats,
        method=method,
        threshold_base="participants",
        ties="lot",
        threshold_comparison=">" if strict else ">=",
    )
    s = sweep(e, rules, rng=np.random.default_rng(0))
    for iv in s.intervals:
        for t in {iv.low, iv.high, inner_point(iv)}:
            if t not in iv:
                continue
            need = min_votes(t, e.participants, strict)
            assert iv.passed == tuple(n for n, v in zip(e.names, votes) if v >= need)
            if iv.allocation is not None and iv.allocation.tie is None:
                direct = allocate(e, rules.replace(threshold=t), rng=np.random.default_rng(0))
                if direct.tie is None:
                    assert np.array_equal(direct.seats, iv.seats)


def test_the_table_shows_every_bound_with_the_same_decimals():
    # 6,999 of 100,000 is 6.999%, 7,000 is 7%: with decimals chosen row by row the first row
    # read "[0.00, 7.00]" above "(6.999, 7.000]", as if the rows overlapped. One count of
    # decimals for the whole table, enough to tell every breakpoint apart.
    from io import StringIO

    from rich.console import Console

    from simulate.cli.tables import interval_text, sweep_decimals, sweep_table

    e = Election.from_votes({"A": 6_999, "B": 7_000, "C": 86_001})
    s = sweep(e, Rules(seats=10, threshold="7%"))
    assert sweep_decimals(s) == 3
    texts = [interval_text(iv, 3) for iv in s.intervals]
    assert texts == ["[0.000, 6.999]", "(6.999, 7.000]", "(7.000, 86.001]"]
    out = StringIO()
    Console(file=out, width=100, highlight=False).print(sweep_table(s))
    for text in texts:
        assert text in out.getvalue()
    assert "7.00]" not in out.getvalue().replace("7.000]", "")


def test_kyrgyz_bounds_need_two_decimals_and_read_apart(kg_full):
    from simulate.cli.tables import interval_text, sweep_decimals

    decimals = sweep_decimals(kg_full)
    assert decimals == 2
    bounds = [b for iv in kg_full.intervals for b in (iv.low, iv.high)]
    shown = {}
    for b in bounds:
        shown.setdefault(f"{100 * float(b):.{decimals}f}", set()).add(b)
    assert all(len(v) == 1 for v in shown.values())  # no two bounds print the same
    assert interval_text(kg_full.intervals[-1], decimals).endswith("24.50]")
