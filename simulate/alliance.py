"""List alliances as a rule: ``Alliance``, a frozen value checked on construction.

An alliance is a set of two or more lists and what they pool:

- ``"threshold"``: the alliance's votes (its members' votes added up) are judged against the
  threshold; when they reach it every member takes part, whatever it polled on its own (a
  member that reaches its own threshold takes part in any case). Under thresholds per kind of
  list the alliance is judged by the threshold of its own ``kind`` ("coalition" unless the
  alliance says otherwise); under one threshold, by that threshold. Turkey's alliances.
- ``"allocation"``: each member meets the threshold on its own; the members that take part
  then stand in the allocation as ONE list with their votes added up, and the seats it wins
  are split among them by the same method. Israel's surplus agreements.
- ``"both"``: the two together. Apparentment as the Swiss and (before 2017) the Dutch laws
  have it, where a threshold applies.

Settings only: ``simulate.eligibility`` applies the threshold pooling and
``simulate.alliances`` the allocation pooling.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulate.errors import InputError

POOLS = ("threshold", "allocation", "both")
"""What an alliance pools: its votes for the threshold, for the allocation, or both."""

ALLIANCE_KEYS = ("lists", "pool", "kind")
DEFAULT_KIND = "coalition"


@dataclass(frozen=True)
class Alliance:
    """Two or more lists (by name, in the order given) pooled for ``pool`` (one of
    ``POOLS``); ``kind`` is the kind of list whose threshold the alliance must reach when the
    rules have one threshold per kind."""

    lists: tuple[str, ...]
    pool: str = "both"
    kind: str = DEFAULT_KIND

    def __post_init__(self) -> None:
        raw = self.lists
        if isinstance(raw, str) or not isinstance(raw, Iterable):
            raise InputError(f"alliance: lists must be a list of list names, not {raw!r}")
        names = tuple(raw)
        for n in names:
            if not isinstance(n, str) or not n.strip():
                raise InputError(f"alliance: a list name must be a non-empty string, not {n!r}")
        if len(set(names)) != len(names):
            twice = next(n for n in names if names.count(n) > 1)
            raise InputError(f"alliance {'+'.join(names)}: names {twice!r} twice")
        if len(names) < 2:
            raise InputError(
                f"alliance {'+'.join(names) or '(empty)'}: needs at least two lists, "
                f"not {len(names)}"
            )
        object.__setattr__(self, "lists", names)
        if self.pool not in POOLS:
            raise InputError(
                f"alliance {self.name}: pool {self.pool!r} is not one of {', '.join(POOLS)}"
            )
        kind = self.kind
        if not isinstance(kind, str) or not kind.strip():
            raise InputError(f"alliance {self.name}: kind must be a non-empty string")
        object.__setattr__(self, "kind", kind.strip().lower())

    @property
    def name(self) -> str:
        """'A+B+C': the members joined by '+'."""
        return "+".join(self.lists)

    @property
    def pools_threshold(self) -> bool:
        return self.pool in ("threshold", "both")

    @property
    def pools_allocation(self) -> bool:
        return self.pool in ("allocation", "both")

    def describe(self) -> str:
        """'A+B pooled for the threshold and the allocation'."""
        what = {
            "threshold": "the threshold",
            "allocation": "the allocation",
            "both": "the threshold and the allocation",
        }[self.pool]
        return f"{self.name} pooled for {what}"


def as_alliances(value: Any) -> tuple[Alliance, ...]:
    """Rules' ``alliances`` from Alliance values or mappings ``{"lists": [...], "pool": ...,
    "kind": ...}``; a list named in two alliances is an error."""
    if value is None:
        return ()
    if isinstance(value, (Alliance, Mapping, str)) or not isinstance(value, Iterable):
        raise InputError(f"alliances: need a list of alliances, not {value!r}")
    out = []
    for i, item in enumerate(value):
        if isinstance(item, Alliance):
            out.append(item)
        elif isinstance(item, Mapping):
            unknown = [k for k in item if k not in ALLIANCE_KEYS]
            if unknown:
                raise InputError(
                    f"alliances[{i}]: unknown key {unknown[0]!r} (keys: {', '.join(ALLIANCE_KEYS)})"
                )
            if "lists" not in item:
                raise InputError(f"alliances[{i}]: lists: missing")
            out.append(
                Alliance(item["lists"], item.get("pool", "both"), item.get("kind", DEFAULT_KIND))
            )
        else:
            raise InputError(f"alliances[{i}]: need a table with lists and pool, not {item!r}")
    seen: dict[str, str] = {}
    for a in out:
        for n in a.lists:
            if n in seen:
                raise InputError(f"alliances: list {n!r} is in two alliances ({seen[n]}, {a.name})")
            seen[n] = a.name
    return tuple(out)


def check_members(alliances: Sequence[Alliance], names: Sequence[str], where: str) -> None:
    """Every list an alliance names must be a list of the election (``names``)."""
    known = set(names)
    for a in alliances:
        for n in a.lists:
            if n not in known:
                raise InputError(f"{where}: alliance {a.name}: no list named {n!r}")


def columns(alliance: Alliance, names: Sequence[str]) -> list[int]:
    """The members' positions among ``names`` (checked by ``check_members`` first)."""
    where = {n: i for i, n in enumerate(names)}
    return [where[n] for n in alliance.lists]


def present(alliances: Sequence[Alliance], names: Iterable[str]) -> tuple[Alliance, ...]:
    """The alliances cut down to the lists among ``names`` (a district's lists taking part,
    say); an alliance left with fewer than two lists is dropped (its one list stands alone)."""
    here = set(names)
    out = []
    for a in alliances:
        kept = tuple(n for n in a.lists if n in here)
        if len(kept) >= 2:
            out.append(Alliance(kept, a.pool, a.kind))
    return tuple(out)


def pool_rows(
    ok: np.ndarray,
    votes: np.ndarray,
    need: np.ndarray,
    alliances: Sequence[Alliance],
    names: Sequence[str],
) -> np.ndarray:
    """Threshold pooling on rows (draws or districts): ``ok`` (N, P) says who passes on its
    own, ``votes`` (N, P) the votes and ``need`` (N,) the smallest passing count of each row;
    returns ``ok`` with the members of every threshold-pooled alliance whose votes together
    reach ``need`` set to pass."""
    out = ok.copy()
    for a in alliances:
        if not a.pools_threshold:
            continue
        cols = columns(a, names)
        together = votes[:, cols].sum(axis=1) >= need
        out[:, cols] |= together[:, None]
    return out


__all__ = [
    "ALLIANCE_KEYS",
    "Alliance",
    "POOLS",
    "as_alliances",
    "check_members",
    "columns",
    "pool_rows",
    "present",
]
