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
   hue a larger list of that election already shows is drawn grey instead (a party that is
   small there), never in another hue.

Importing this module does not import matplotlib: colour names are checked against CSS's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Iterable, Mapping

from .election import Election
from .errors import InputError

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

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
CSS_NAMES = frozenset("""
    aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue
    blueviolet brown burlywood cadetblue chartreuse chocolate coral cornflowerblue
    cornsilk crimson cyan darkblue darkcyan darkgoldenrod darkgray darkgreen darkgrey
    darkkhaki darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon
    darkseagreen darkslateblue darkslategray darkslategrey darkturquoise darkviolet
    deeppink deepskyblue dimgray dimgrey dodgerblue firebrick floralwhite forestgreen
    fuchsia gainsboro ghostwhite gold goldenrod gray green greenyellow grey honeydew
    hotpink indianred indigo ivory khaki lavender lavenderblush lawngreen lemonchiffon
    lightblue lightcoral lightcyan lightgoldenrodyellow lightgray lightgreen lightgrey
    lightpink lightsalmon lightseagreen lightskyblue lightslategray lightslategrey
    lightsteelblue lightyellow lime limegreen linen magenta maroon mediumaquamarine
    mediumblue mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen
    mediumturquoise mediumvioletred midnightblue mintcream mistyrose moccasin navajowhite
    navy oldlace olive olivedrab orange orangered orchid palegoldenrod palegreen
    paleturquoise palevioletred papayawhip peachpuff peru pink plum powderblue purple
    rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown seagreen seashell
    sienna silver skyblue slateblue slategray slategrey snow springgreen steelblue tan
    teal thistle tomato turquoise violet wheat white whitesmoke yellow yellowgreen
""".split())
"""The 148 colour names of CSS Color Module Level 4 (what a figure's colour name may be)."""


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

    def with_overrides(self, overrides: Mapping[str, str] | None) -> "Palette":
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
    r, g, b = (int(text[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.75


def check_colour(value, where: str) -> str:
    """A colour as "#rgb", "#rrggbb" or a CSS colour name; an error names ``where``."""
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{where}: a colour must be a string such as \"#0072B2\", not {value!r}")
    text = value.strip()
    if _HEX.match(text):
        return text.upper() if len(text) == 7 else text
    if text.lower() not in CSS_NAMES:
        raise InputError(f"{where}: {value!r} is not a colour (write \"#rrggbb\" or a CSS "
                         "colour name)")
    return text


def palette(election: Election, *others: Election, overrides: Mapping[str, str] | None = None,
            hues: Iterable[str] = OKABE_ITO) -> Palette:
    """The colours of ``election``'s lists, agreed with ``others`` (the other elections drawn
    alongside it) so that a party never has two different hues; see the module docstring."""
    hues = tuple(hues)
    everything = (election, *others)
    share: dict[str, Fraction] = {}
    rivals: dict[str, set[str]] = {}
    for e in everything:
        total = max(e.participants or e.valid or e.party_votes, 1)
        top = [e.parties[i].name for i in _by_votes(e)[:len(hues)]]
        for p in e.parties:
            share[p.name] = max(share.get(p.name, Fraction(0)), Fraction(p.votes, total))
        for name in top:
            rivals.setdefault(name, set()).update(n for n in top if n != name)
    fixed: dict[str, str] = {}
    for e in everything:
        where = e.path or e.name
        for party in e.parties:
            if party.colour is not None:
                fixed[party.name] = check_colour(party.colour,
                                                 f"{where}: list {party.name!r}: colour")
    if overrides:
        fixed.update({n: check_colour(c, f"colours.{n}") for n, c in overrides.items()})
    hue: dict[str, str] = dict(fixed)
    for name in sorted(rivals, key=lambda n: (-share[n], n)):
        if name not in hue:
            taken = {hue[r] for r in rivals[name] if r in hue}
            free = [h for h in hues if h not in taken]
            if free:
                hue[name] = free[0]
    # this election's view: its own lists, largest first; a hue already shown goes grey
    shown: dict[str, str] = {}
    for i in _by_votes(election):
        name = election.parties[i].name
        if name in fixed:
            shown[name] = fixed[name]
        elif name in hue and hue[name] not in shown.values():
            shown[name] = hue[name]
    return Palette(shown)


def _by_votes(election: Election) -> list[int]:
    return sorted(range(len(election.parties)), key=lambda i: (-election.parties[i].votes, i))


__all__ = ["OKABE_ITO", "OTHER", "Palette", "check_colour", "is_light", "palette"]
