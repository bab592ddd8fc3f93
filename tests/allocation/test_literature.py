"""The worked examples from the literature, as collected in shared/reference/methods.md.

Each expected result names its source. They run through the public API (``allocate``), which
is the same engine ``allocate_batch`` and the Monte Carlo use.
"""

import math

import pytest

from simulate import Election, Rules, allocate


def seats(votes, n_seats, method, **rules):
    election = Election.from_votes({f"L{i}": v for i, v in enumerate(votes)})
    return tuple(allocate(election, Rules(seats=n_seats, method=method, **rules)).seats)


# methods.md, "Checks from the literature"
@pytest.mark.parametrize(
    "method, expected",
    [
        ("dhondt", (4, 3, 1, 0)),  # d'Hondt, 8 seats (100000, 80000, 30000, 20000)
        ("jefferson", (4, 3, 1, 0)),  # the same method under its American name
        ("sainte-lague", (3, 3, 1, 1)),  # Sainte-Laguë, same votes
        ("webster", (3, 3, 1, 1)),
    ],
)
def test_eight_seats(method, expected):
    assert seats((100000, 80000, 30000, 20000), 8, method) == expected


def test_austria_ep_2019_dhondt():
    # methods.md: d'Hondt, 18 seats, Austria EP 2019 -> (7, 5, 3, 2, 1)
    assert seats((1305956, 903151, 650114, 532193, 319024), 18, "dhondt") == (7, 5, 3, 2, 1)


def test_hare_76_seats_and_sainte_lague_15():
    # methods.md: Hare LR, 76 seats, (915393, 304273, 233349) -> (48, 16, 12);
    # Sainte-Laguë, 15 seats, same votes -> (10, 3, 2)
    votes = (915393, 304273, 233349)
    assert seats(votes, 76, "hare") == (48, 16, 12)
    assert seats(votes, 76, "hamilton") == (48, 16, 12)
    assert seats(votes, 15, "sainte-lague") == (10, 3, 2)


def test_alabama_paradox_hare():
    # methods.md: Alabama paradox for Hare LR, populations (6, 6, 2):
    # 10 seats give (4, 4, 2), 11 seats give (5, 5, 1): one more seat, one fewer for the third
    assert seats((6, 6, 2), 10, "hare") == (4, 4, 2)
    assert seats((6, 6, 2), 11, "hare") == (5, 5, 1)


def test_balinski_young_quota_versus_divisor():
    # methods.md: votes 660/670/2450/6220, 8 seats: no method both stays within quota and is
    # population-monotone. Hare stays within quota here; d'Hondt (population-monotone)
    # gives the largest list 6 seats, above its upper quota ceil(8 * 6220 / 10000) = 5.
    votes = (660, 670, 2450, 6220)
    quotas = [8 * v / sum(votes) for v in votes]
    hare = seats(votes, 8, "hare")
    assert hare == (0, 1, 2, 5)
    assert all(math.floor(q) <= s <= math.ceil(q) for q, s in zip(quotas, hare))
    dhondt = seats(votes, 8, "dhondt")
    assert dhondt == (0, 0, 2, 6)
    assert dhondt[3] > math.ceil(quotas[3])


EIGHT = (100000, 80000, 30000, 20000)


@pytest.mark.parametrize(
    "method, expected",
    [
        # Worked by hand from each method's signposts (methods.md, "Divisor methods"); the 8th and
        # 9th quotients are given so the cut can be checked.
        ("adams", (3, 3, 1, 1)),  # 0,1,2,..: four first seats, then 100000, 80000, 50000, 40000
        ("imperiali", (5, 3, 0, 0)),  # 2,3,4,..: 8th 100000/6 = 16667 (A), 9th 80000/5 = 16000 (B)
        ("danish", (3, 3, 1, 1)),  # 1,4,7,..: 8th 80000/7 = 11429 (B), 9th 100000/10 (A)
        ("huntington-hill", (3, 3, 1, 1)),  # sqrt(k(k+1)): four first seats, then 70711, 56569, ...
        ("droop", (4, 3, 1, 0)),  # quota 230000/9: floors 3,3,1,0; largest remainder A (.913)
    ],
)
def test_other_methods_on_the_eight_seat_example(method, expected):
    assert seats(EIGHT, 8, method) == expected


def test_modified_sainte_lague_is_an_exact_tie_here():
    # Modified Sainte-Laguë (1.4, 3, 5, 7, ...) on the same votes: the 8th seat is contested by
    # A's fourth quotient 100000/7 and D's first 20000/1.4 = 100000/7, exactly equal, so the
    # seat may go to either: a tie, never settled by list order.
    from simulate import TieError

    with pytest.raises(TieError) as err:
        seats(EIGHT, 8, "modified-sainte-lague")
    assert err.value.lists == ("L0", "L3") and err.value.seats == 1
