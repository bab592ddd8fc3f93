"""Party colours: colour-blind-safe, the same for a list in every figure, overridable.

The palette is Okabe & Ito's (2008), without black (kept for text and reference lines): seven
hues that stay apart under the common colour-vision deficiencies. With more lists than hues
only the largest lists get a hue and the others share one grey; figures then name every list
in text, never by colour alone.

Which list gets which hue, in order of precedence:

1. ``overrides`` given to ``palette`` (from the API, or a scenario);
2. the seed's own ``colour = "#rrggbb"`` for the party (``Party.colour``);
3. automatic: in each election the ``len(OKABE_ITO)`` largest lists need hues, different
   from one another. Lists are taken from the most prominent (largest share of the voters who took
   part, else of the valid votes, else of the lists' votes, in any of the elections drawn
   together) down, each getting the first hue in
   ``OKABE_ITO`` that no list among the largest of an election it shares already has. So a
   party has one hue in every figure of every election drawn together, and the largest list
   of an election usually gets blue and its nearest rival vermillion; the result does not
   depend on the order the elections are given in. In one election's figures a list whose
   hue a larger list of that election already shows, or a list it fixes a colour for, is
   drawn grey instead (a party that is small there), never in another hue. A colour another
   election's seed gives a party counts as its hue here, not as fixed: the party keeps it
   where no list of this election shows it.

Importing this module does not import matplotlib: colour names are checked against CSS's
(``simulate.colour_names.check_colour``, which the seed reader applies as it reads a seed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from simulate.colour_names import check_colour
from simulate.election import Election

OKABE_ITO = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#E69F00",  # orange
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
)
"""The hues, in the order they are handed out (the two largest lists get blue and vermillion,
the pair that differs most for every reader)."""

OTHER = "#ABABAB"
"""The grey shared by lists beyond the palette."""


@dataclass(frozen=True)
class Palette:
    """Colours by list name; ``palette[name]`` gives ``OTHER`` for a list it has no hue for."""

    colours: Mapping[str, str] = field(default_factory=dict)
    other: str = OTHER

    def __getitem__(self, name: str) -> str:
        return self.colours.get(name, self.other)

    def __contains__(self, name: object) -> bool:
        return name in self.colours

    def is_other(self, name: str) -> bool:
        """True when the list is drawn in the shared grey."""
        return name not in self.colours

    def with_overrides(self, overrides: Mapping[str, str] | None) -> Palette:
        """A copy where the named lists take the given colours (checked)."""
        if not overrides:
            return self
        merged = dict(self.colours)
        for name, colour in overrides.items():
            merged[name] = check_colour(colour, f"colours.{name}")
        return Palette(merged, self.other)


def is_light(colour: str) -> bool:
    """True for a hue too pale to stand on white alone (yellow): draw it with an outline."""
    text = colour.lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    if len(text) != 6:
        return False
    r, g, b = (int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.75


def palette(
    election: Election,
    *others: Election,
    overrides: Mapping[str, str] | None = None,
    hues: Iterable[str] = OKABE_ITO,
) -> Palette:
    """The colours of ``election``'s lists, agreed with ``others`` (the other elections drawn
    alongside it) so that a party never has two different hues; see the module docstring."""
    hues = tuple(hues)
    everything = (election, *others)
    share: dict[str, Fraction] = {}
    rivals: dict[str, set[str]] = {}
    for e in everything:
        total = max(e.participants or e.valid or e.party_votes, 1)
        top = [e.parties[i].name for i in _by_votes(e)[: len(hues)]]
        for p in e.parties:
            share[p.name] = max(share.get(p.name, Fraction(0)), Fraction(p.votes, total))
        for name in top:
            rivals.setdefault(name, set()).update(n for n in top if n != name)
    fixed: dict[str, str] = {}
    own: dict[str, str] = {}  # this election's seed and the overrides: always shown
    for e in reversed(everything):  # (this election's own colour last: it wins)
        where = e.path or e.name
        for party in e.parties:
            if party.colour is not None:
                fixed[party.name] = check_colour(
                    party.colour, f"{where}: list {party.name!r}: colour"
                )
                if e is election:
                    own[party.name] = fixed[party.name]
    if overrides:
        checked = {n: check_colour(c, f"colours.{n}") for n, c in overrides.items()}
        fixed.update(checked)
        own.update(checked)
    hue: dict[str, str] = dict(fixed)
    for name in sorted(rivals, key=lambda n: (-share[n], n)):
        if name not in hue:
            taken = {hue[r] for r in rivals[name] if r in hue}
            free = [h for h in hues if h not in taken]
            if free:
                hue[name] = free[0]
    # this election's view: the colours its seed (or the caller) fixes, then its other lists,
    # largest first, each in its hue unless a list of this election already shows that hue
    # (a colour another election's seed gives a party is its hue like an automatic one)
    shown = {p.name: own[p.name] for p in election.parties if p.name in own}
    taken = set(shown.values())
    for i in _by_votes(election):
        name = election.parties[i].name
        if name not in shown and name in hue and hue[name] not in taken:
            shown[name] = hue[name]
            taken.add(hue[name])
    return Palette(shown)


def _by_votes(election: Election) -> list[int]:
    return sorted(range(len(election.parties)), key=lambda i: (-election.parties[i].votes, i))


__all__ = ["OKABE_ITO", "OTHER", "Palette", "check_colour", "is_light", "palette"]
