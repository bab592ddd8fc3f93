"""What ``allocate`` and ``allocate_districts`` say about the rules of a law (``Rules.ties``
rules, ``quota_rounding``, ``quotient_factors``): the tied lists with equal votes that the
most-votes rule cannot separate, the lists whose quotients a factor multiplied, the lists tied
under a whole-number quota, and the generator a lot needs."""

from __future__ import annotations

import numpy as np

from simulate.election import Election
from simulate.errors import InputError
from simulate.methods import QuotaMethod
from simulate.rules import Rules, format_factor
from simulate.wording import and_list


def need_generator(rng: np.random.Generator | None, where: str, ties: str) -> np.random.Generator:
    """The generator a lot needs (an error when none was passed)."""
    if rng is None:
        raise InputError(
            f'{where}: ties = "{ties}" needs a random generator to draw the lot: '
            "pass rng=numpy.random.default_rng(seed)"
        )
    return rng


def equal_votes(election: Election, lists: tuple[str, ...]) -> str:
    """The tied lists that have equal votes, in words ("A and B have 300 votes each")."""
    by_votes: dict[int, list[str]] = {}
    for p in election.parties:
        if p.name in lists:
            by_votes.setdefault(p.votes, []).append(p.name)
    groups = [(n, names) for n, names in by_votes.items() if len(names) > 1]
    if not groups:
        return "lists with equal votes share it"
    return "; ".join(f"{and_list(names)} have {n:,} votes each" for n, names in groups)


def factor_notes(election: Election, rules: Rules) -> list[str]:
    """Which lists' quotients a quotient factor multiplied."""
    notes = []
    for kind, factor in rules.quotient_factors:
        names = [p.name for p in election.parties if p.kind == kind]
        notes.append(
            f"quotients of the {kind} lists ({and_list(names)}) multiplied by "
            f"{format_factor(factor)}"
        )
    return notes


def rounded_tie_detail(
    method: QuotaMethod, v: dict[int, int], s: dict[int, int], idx: list[int], names
) -> tuple[tuple[str, ...], int]:
    """The tie detail (``plain._tie_detail``) under a whole-number quota: the lists
    whose remainder is the last one served (a remainder seat, or a seat given back), and how
    many of them were served."""
    q = method.rounded_quota(sum(v.values()), sum(s.values()))
    floors = {i: v[i] // q for i in idx}
    rem = {i: v[i] % q for i in idx}
    served = [i for i in idx if s[i] != floors[i]]
    if not served:  # (the engine flagged a tie: one was served)
        return (), 0
    giving_back = s[served[0]] < floors[served[0]]
    cut = max(rem[i] for i in served) if giving_back else min(rem[i] for i in served)
    pool = [i for i in idx if rem[i] == cut and (floors[i] > 0 if giving_back else v[i] > 0)]
    return tuple(names[i] for i in pool), sum(1 for i in pool if i in served)
