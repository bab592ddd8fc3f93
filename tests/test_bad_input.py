"""Bad input is a one-line error that names the file, key or party (issue: allocation core)."""

from fractions import Fraction

import numpy as np
import pytest

from simulate import (
    Election,
    InfeasibleError,
    InputError,
    Party,
    Rules,
    allocate,
    allocate_batch,
)

GOOD_SEED = """
name = "Test election"
seats = 10
participants = 1000

[[party]]
name = "A"
votes = 600

[[party]]
name = "B"
votes = 300
"""


def write(tmp_path, text, name="seed.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    "text, message",
    [
        (
            GOOD_SEED.replace("votes = 300", "votes = -3"),
            "list 'B': votes: must not be negative (-3)",
        ),
        (
            GOOD_SEED.replace("votes = 300", "votes = 3.5"),
            "list 'B': votes: must be a whole number, not 3.5",
        ),
        (
            GOOD_SEED.replace("votes = 300", 'votes = "300"'),
            "list 'B': votes: must be a whole number",
        ),
        (
            GOOD_SEED.replace("votes = 300", "votes = nan"),
            "list 'B': votes: must be a whole number, not nan",
        ),
        (GOOD_SEED.replace("votes = 300\n", ""), "list 'B': votes: missing"),
        (GOOD_SEED.replace('name = "B"', 'name = "A"'), "duplicate list name 'A'"),
        (
            GOOD_SEED.replace('name = "B"', 'name = "a"'),
            "duplicate list name 'a' (the same as 'A' but for case or spacing)",
        ),
        (GOOD_SEED.replace('name = "B"', 'name = " "'), "party[1].name: must not be empty"),
        (
            GOOD_SEED.replace("votes = 300", 'votes = 300\ncolour = "#CC79A"'),
            "list 'B': colour: '#CC79A' is not a colour",
        ),
        (
            GOOD_SEED.replace("votes = 300", "votes = 300\ncolour = 5"),
            "list 'B': colour: a colour must be a string",
        ),
        (GOOD_SEED.replace("seats = 10", "seats = 0"), "seats: must be at least 1, not 0"),
        (GOOD_SEED.replace("seats = 10", "seat = 10"), "seat: unknown key"),
        (GOOD_SEED.replace("votes = 600", "votes = 600\nvotez = 1"), "party[0].votez: unknown key"),
        (
            GOOD_SEED.replace("participants = 1000", "participants = 800"),
            "participants (800) is smaller than the lists' votes (900)",
        ),
        (GOOD_SEED.replace('name = "Test election"', "name = 5"), "name: must be a string, not 5"),
        ('name = "x"\n', "party: needs at least one [[party]] table"),
        ("name = [", "not valid TOML"),
    ],
)
def test_bad_seed_files(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as err:
        Election.load(path)
    assert str(path) in str(err.value)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_seed_file(tmp_path):
    with pytest.raises(InputError, match="no such seed file"):
        Election.load(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(seats=0), "seats: must be at least 1, not 0"),
        (dict(seats=2.5), "seats: must be a whole number, not 2.5"),
        (dict(seats=10, threshold=7), 'threshold: 7 is outside [0, 1) (for 7% write 0.07 or "7%")'),
        (dict(seats=10, threshold=-0.01), "threshold: -0.01 is outside [0, 1)"),
        (dict(seats=10, threshold="7"), 'threshold: "7" needs a % sign'),
        (dict(seats=10, threshold=float("nan")), "threshold: nan is not a threshold"),
        (
            dict(seats=10, method="hondt"),
            "unknown method 'hondt'; valid methods: hare, droop, dhondt",
        ),
        (dict(seats=10, threshold_base="voters"), "unknown threshold base 'voters'"),
        (dict(seats=10, ties="coin"), "ties: 'coin' is not one of error, lot"),
        (dict(seats=10, max_seats=0), "max_seats: must be a whole number ≥ 1, not 0"),
        (dict(seats=10, max_seats=-1), "max_seats: must be a whole number ≥ 1, not -1"),
        (dict(seats=10, min_seats=-1), "min_seats: must be a whole number ≥ 0, not -1"),
        (dict(seats=10, max_seats=2, min_seats=3), "min_seats (3) exceeds max_seats (2)"),
        (
            dict(seats=10, threshold_comparison="=>"),
            "threshold_comparison: '=>' is not one of >=, >",
        ),
    ],
)
def test_bad_rules(kwargs, message):
    with pytest.raises(InputError) as err:
        Rules(**kwargs)
    assert message in str(err.value)


def test_thresholds_are_exact_fractions():
    assert Rules(seats=1, threshold=0.07).threshold == Fraction(7, 100)
    assert Rules(seats=1, threshold="0.7%").threshold == Fraction(7, 1000)
    assert Rules(seats=1, threshold=Fraction(1, 3)).threshold == Fraction(1, 3)


@pytest.fixture
def small():
    return Election.from_votes({"A": 600, "B": 300, "C": 100}, name="small")


def test_cap_that_cannot_fill_the_house(small):
    # Two lists pass 15% with at most 4 seats each: 8 < 10 seats.
    with pytest.raises(InfeasibleError) as err:
        allocate(small, Rules(seats=10, threshold="15%", max_seats=4))
    assert str(err.value) == (
        "small: the seat cap leaves seats that no list may take "
        "(2 lists pass, at most 4 seats each, 10 seats)"
    )


def test_minimum_above_the_house(small):
    with pytest.raises(InfeasibleError, match="at least 4 seats each, 10 seats"):
        allocate(small, Rules(seats=10, min_seats=4))


def test_no_list_passes(small):
    with pytest.raises(InfeasibleError, match="small: no list passes the threshold"):
        allocate(small, Rules(seats=10, threshold="61%"))


def test_base_the_seed_lacks(small):
    with pytest.raises(InputError, match="threshold base 'valid' needs the count 'valid'"):
        allocate(small, Rules(seats=10, threshold="5%", threshold_base="valid"))


def test_bad_elections_in_python():
    with pytest.raises(InputError, match="list 'B': votes: must not be negative"):
        Election.from_votes({"A": 1, "B": -1})
    with pytest.raises(InputError, match="no lists"):
        Election(name="e", parties=())
    with pytest.raises(InputError, match="duplicate list name 'A'"):
        Election(name="e", parties=(Party("A", 1), Party("A", 2)))


@pytest.mark.parametrize(
    "votes, message",
    [
        (np.array([[1, -2]]), "votes: negative votes in draw 0"),
        (np.array([[1.5, 2.0]]), "votes: must be whole numbers"),
        (np.array([[np.nan, 2.0]]), "votes: must be whole numbers"),
        (np.array([1, 2]), "votes: need an (N, P) array"),
    ],
)
def test_bad_batches(votes, message):
    with pytest.raises(InputError) as err:
        allocate_batch(votes, Rules(seats=3))
    assert message in str(err.value)


def test_batch_infeasible_and_detail():
    votes = np.array([[10, 10], [0, 0]])
    with pytest.raises(InfeasibleError, match="draw 1: no list passes the threshold"):
        allocate_batch(votes, Rules(seats=4))
    out = allocate_batch(votes, Rules(seats=4), detail=True)
    assert out.status.tolist() == [0, 1]
    assert out.seats.tolist() == [[2, 2], [0, 0]]


def test_votes_too_large_for_exact_arithmetic():
    with pytest.raises(InputError, match="votes too large for exact arithmetic"):
        allocate_batch(np.array([[2**50, 2**49]]), Rules(seats=100, method="dhondt"))


def test_per_draw_thresholds_as_fractions_or_strings_are_exact():
    # Three lists of 1 vote and a strict 1/3: no list is above a third, so no list passes.
    # 1/3 as a float per draw is read to the nearest billionth (documented) and would pass all
    # three; as a Fraction it stays exact, in an array as it does alone.
    votes, rules = np.array([[1, 1, 1]] * 2), Rules(seats=1, threshold_comparison=">")
    for thr in ([Fraction(1, 3)] * 2, np.array([Fraction(1, 3)] * 2, dtype=object), Fraction(1, 3)):
        assert allocate_batch(votes, rules, threshold=thr, detail=True).status.tolist() == [1, 1]
    out = allocate_batch(
        np.array([[5, 95], [7, 93]]),
        Rules(seats=10),
        threshold=["7%", Fraction(7, 100)],
        detail=True,
    )
    assert out.seats.tolist() == [[0, 10], [1, 9]]
    with pytest.raises(InputError, match='threshold: "7" needs a % sign'):
        allocate_batch(votes, rules, threshold=["7", "7%"])
    from decimal import Decimal

    out = allocate_batch(
        np.array([[5, 95], [7, 93]]), Rules(seats=10), threshold=[Decimal("0.07")] * 2
    )
    assert out.tolist() == [[0, 10], [1, 9]]


def test_a_total_too_large_to_sum_exactly_is_refused():
    # 40 lists of about 4.5·10^14 votes: every Huntington–Hill product with 2 seats is below
    # 2^52, but the row's total (1.8·10^16) is above 2^53, where a float64 sum is rounded; list
    # 20 is at exactly 1/40 of the total, so a rounded base would let it pass a strict 1/40
    # threshold. (With d'Hondt the exact start's product v·(2·seats + lists) is the larger.)
    row = [451_182_162_470_025] * 40
    row[20] = 18_047_286_498_801_000 // 40
    rules = Rules(
        seats=2, method="huntington-hill", threshold=Fraction(1, 40), threshold_comparison=">"
    )
    for n in (1, 3):
        with pytest.raises(InputError, match=r"a product or total of 1.8e\+16 ≥ 2\^52"):
            allocate_batch(np.array([row] * n), rules)


def test_reasons_read_true_near_the_threshold():
    # 6,999 of 100,000 is 6.999%: printed with two decimals it would read "7.00% < 7%".
    e = Election.from_votes({"A": 60000, "B": 33001, "C": 6999}, name="near")
    res = allocate(e, Rules(seats=10, threshold="7%"))
    assert res.lists[2].reasons == (
        "6.999% < 7% of party votes (6,999 votes, 7,000 needed, short by 1)",
    )
    # A strict rule: exactly 7% does not pass, and the reason says why.
    e = Election.from_votes({"A": 60, "B": 33, "C": 7}, name="at")
    res = allocate(e, Rules(seats=10, threshold="7%", threshold_comparison=">"))
    assert res.lists[2].reasons == ("7% ≤ 7% of party votes (7 votes, 8 needed, short by 1)",)


def test_a_cap_and_minimum_that_get_stuck_say_so_without_contradiction():
    # d'Hondt, 4 seats, at most 3 and at least 2 per list, votes 9 and 1: the first round gives
    # 4 and 0; A is held at 3, then B at 2: 5 seats. (2, 2) would meet both bounds, but the
    # round-by-round procedure does not reach it; the message must not claim the cap is too
    # low (2 lists × 3 seats would fill 4).
    with pytest.raises(InfeasibleError) as err:
        allocate(
            Election.from_votes({"A": 9, "B": 1}, name="e"),
            Rules(seats=4, method="dhondt", max_seats=3, min_seats=2),
        )
    assert str(err.value) == (
        "e: holding lists at the seat cap and at the minimum round by round (a held list stays "
        "held) cannot fill the seats exactly (2 lists pass, at most 3 and at least 2 seats "
        "each, 4 seats)"
    )
