"""The house style and everything around the panels: rcParams locked so figures are the same
on every machine (``STYLE``, ``house_style``, ``new_figure``), colours for dots, bars and lines
on white, titles, subtitles and source lines sized in inches (text measuring and wrapping,
``finish``), the shared text helpers (``source_line``, ``election_line``, ``base_words``, …),
and rendering a figure to reproducible PNG or SVG bytes (``render``).

The figure modules (``hemicycle``, ``sweep``, ``montecarlo``, ``majority``, ``compare``) draw
with these; nothing here draws a panel.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import matplotlib
import matplotlib.patheffects
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import ConstrainedLayoutEngine, TightLayoutEngine

from simulate.allocation import Allocation
from simulate.election import BASE_LONG_WORDS, Election
from simulate.plots.colours import Palette, is_light, palette
from simulate.plots.mc_shape import SeatDraws
from simulate.rules import Rules

if TYPE_CHECKING:
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.patheffects import AbstractPathEffect
    from matplotlib.typing import RcKeyType

    from simulate.scenario.compare import Outcome

# ---------------------------------------------------------------------------------------------
# the house style, locked so that figures are the same on every machine

WIDTH = 6.5
"""Figure width in inches: one report column."""

DPI = 200
STYLE: dict[RcKeyType, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],  # ships with matplotlib
    "mathtext.fontset": "dejavusans",
    "font.size": 8.5,
    "axes.titlesize": 9,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 8.5,
    "axes.labelcolor": "#222222",
    "axes.edgecolor": "#555555",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.axisbelow": True,
    "axes.grid": False,
    "grid.color": "#E3E3E3",
    "grid.linewidth": 0.6,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "legend.fontsize": 8,
    "legend.frameon": False,
    "legend.handlelength": 1.4,
    "legend.columnspacing": 1.2,
    "lines.solid_capstyle": "butt",
    "figure.facecolor": "white",
    "figure.dpi": 100,
    "figure.constrained_layout.h_pad": 0.04,
    "figure.constrained_layout.w_pad": 0.04,
    "savefig.dpi": DPI,
    "savefig.facecolor": "white",
    "svg.fonttype": "path",
    "svg.hashsalt": "seatsim",
    "path.simplify": False,
    "text.antialiased": True,
    # Names are text, never mathtext: a list named "$\\x$" is drawn as written, not parsed
    # (a dollar sign would start a formula, and a bad one stops the drawing)
    "text.parse_math": False,
}
"""rcParams on top of matplotlib's defaults (never the user's matplotlibrc)."""

TITLE_PT, SUBTITLE_PT, SOURCE_PT = 11.0, 8.5, 6.5
INK, MUTED, FAINT = "#222222", "#555555", "#BBBBBB"
MOVED = "#000000"


@contextlib.contextmanager
def house_style() -> Iterator[None]:
    """matplotlib's defaults plus ``STYLE``, whatever the user's matplotlibrc says."""
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(STYLE)
        yield


def new_figure(width: float = WIDTH, height: float = 3.5) -> Figure:
    """A figure with constrained layout (call inside ``house_style``)."""
    return Figure(figsize=(width, height), layout="constrained")


def figure_of(ax: Axes) -> Figure:
    """The Figure an Axes is drawn on (seatsim's figures have no subfigures)."""
    fig = ax.figure
    assert isinstance(fig, Figure)
    return fig


def _own_axes(ax: Axes | None, height: float) -> tuple[Axes, bool]:
    if ax is not None:
        return ax, False
    with house_style():
        fig = new_figure(WIDTH, height)
        return fig.add_subplot(), True


Colours = Palette | Mapping[str, str] | None
"""A figure's colours: a ``Palette``, colours by list name over the automatic ones, or None
(automatic)."""


def _palette(colours: Colours, *elections: Election) -> Palette:
    if isinstance(colours, Palette):
        return colours
    if isinstance(colours, Mapping):
        return palette(*elections).with_overrides(colours)
    return palette(*elections)


def _palette_names(colours: Colours, sim: SeatDraws) -> Palette:
    """A palette for a Simulation (list names and reported votes, no Election)."""
    if isinstance(colours, Palette):
        return colours
    P = len(sim.list_names)
    election = Election.from_votes(dict(zip(sim.list_names, sim.reported[:P])))
    auto = palette(election)
    return auto.with_overrides(colours) if isinstance(colours, Mapping) else auto


OUTLINE = "#7A7A7A"


def edge_for(colour: str, default: str = "white") -> str:
    """The edge of a dot or bar: grey around a pale hue (yellow), else ``default``."""
    return OUTLINE if is_light(colour) else default


def line_effects(colour: str, lw: float) -> list[AbstractPathEffect] | None:
    """A grey outline under a line drawn in a pale hue, so it shows on white."""
    if not is_light(colour):
        return None
    return [
        matplotlib.patheffects.Stroke(linewidth=lw + 1.1, foreground=OUTLINE),
        matplotlib.patheffects.Normal(),
    ]


def base_words(base: str) -> str:
    return BASE_LONG_WORDS.get(base, base.replace("-", " "))


def pct(x: float, digits: int = 1) -> str:
    text = f"{x:.{digits}f}".rstrip("0").rstrip(".")
    return f"{text}%"


# ---------------------------------------------------------------------------------------------
# titles, subtitles and the source line: sized in inches, so the plot area keeps its size


_MEASURE: list[RendererAgg] = []


def text_width(text: str, size: float, weight: str = "normal") -> float:
    """Width of one line of ``text`` in inches, as Agg lays it out at ``DPI`` (DejaVu Sans)."""
    if not _MEASURE:
        from matplotlib.backends.backend_agg import RendererAgg

        _MEASURE.append(RendererAgg(10, 10, DPI))
    prop = FontProperties(family="DejaVu Sans", size=size, weight=weight)
    width, _, _ = _MEASURE[0].get_text_width_height_descent(text, prop, ismath=False)
    return width / DPI


def wrap(text: str, size: float, width: float, weight: str = "normal") -> list[str]:
    """Greedy word wrap of ``text`` (paragraphs split at newlines) to ``width`` inches."""
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split(" "):
            trial = f"{line} {word}" if line else word
            if line and text_width(trial, size, weight) > width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return lines


def finish(
    fig: Figure, title: str, subtitle: str | None = None, source: str | None = None
) -> Figure:
    """Add a title, subtitle and source line around the panels; the figure grows to fit them
    so every panel keeps the height it was given."""
    width, body = fig.get_size_inches()
    margin, gap = 0.06, 0.05
    usable = 0.98 * (width - 2 * margin)
    title_lines = wrap(title, TITLE_PT, usable, "bold")
    sub_lines = wrap(subtitle, SUBTITLE_PT, usable) if subtitle else []
    src_lines = wrap(source, SOURCE_PT, usable) if source else []

    def height(n: int, size: float) -> float:
        return 0 if n == 0 else (size * (1 + 1.25 * (n - 1)) + 0.25 * size) / 72

    head = margin + height(len(title_lines), TITLE_PT)
    if sub_lines:
        head += gap + height(len(sub_lines), SUBTITLE_PT)
    head += 2 * gap
    foot = margin + height(len(src_lines), SOURCE_PT) + (2 * gap if src_lines else 0)
    total = body + head + foot
    fig.set_size_inches(width, total)
    x = margin / width
    fig.text(
        x,
        1 - margin / total,
        "\n".join(title_lines),
        fontsize=TITLE_PT,
        fontweight="bold",
        color=INK,
        va="top",
        ha="left",
        linespacing=1.25,
    )
    if sub_lines:
        y = 1 - (margin + height(len(title_lines), TITLE_PT) + gap) / total
        fig.text(
            x,
            y,
            "\n".join(sub_lines),
            fontsize=SUBTITLE_PT,
            color="#333333",
            va="top",
            ha="left",
            linespacing=1.25,
        )
    if src_lines:
        fig.text(
            x,
            margin / total,
            "\n".join(src_lines),
            fontsize=SOURCE_PT,
            color=MUTED,
            va="bottom",
            ha="left",
            linespacing=1.25,
        )
    engine = fig.get_layout_engine()  # (new_figure's constrained layout; tight has rect too)
    assert isinstance(engine, (ConstrainedLayoutEngine, TightLayoutEngine))
    engine.set(rect=(0, foot / total, 1, (total - head - foot) / total))
    return fig


def source_line(data: str, rules: str | None = None, extra: str | None = None) -> str:
    """ "Data: … Rules: … …  Made with seatsim." in one string."""
    parts = [f"Data: {data}."]
    if rules:
        parts.append(f"Rules: {rules}.")
    if extra:
        parts.append(extra if extra.endswith(".") else extra + ".")
    parts.append("Figure: seatsim.")
    return " ".join(parts)


def election_line(election: Election) -> str:
    """The seed's name and file, for source lines."""
    if election.path:
        return f"{election.name} (seed file {election.path.replace(chr(92), '/').split('/')[-1]})"
    return election.name


def rules_differences(a: Rules, b: Rules) -> str:
    """The parts of ``b.describe()`` that are not in ``a.describe()`` ("threshold 9% of …")."""
    mine = a.describe().split(", ")
    theirs = b.describe().split(", ")
    new = [p for p in theirs if p not in mine]
    gone = [p for p in mine if p not in theirs]
    if not new and gone:
        return "without “" + "”, “".join(gone) + "”"
    return ", ".join(new) if new else "the same rules"


def outcome_rules(outcome: Outcome) -> str:
    """A rule set's rules in words (``Rules.describe``), with where they apply when the
    election has districts: "by district" or "one national constituency"."""
    text = outcome.rules.describe()
    if outcome.national:
        return f"{text}, one national constituency"
    return f"{text}, by district" if outcome.districts is not None else text


def outcome_differences(base: Outcome, outcome: Outcome) -> str:
    """``rules_differences`` between two rule sets, saying so when one is in one national
    constituency and the other by district."""
    text = rules_differences(base.rules, outcome.rules)
    if outcome.national == base.national:
        return text
    where = "one national constituency" if outcome.national else "by district"
    return where if text == "the same rules" else f"{where}, {text}"


def _ax_source(
    fig_owned: bool, ax: Axes, title: str, subtitle: str | None, source: str | None
) -> None:
    if fig_owned:
        finish(figure_of(ax), title, subtitle, source)
    else:
        ax.set_title(title, fontsize=STYLE["axes.titlesize"], loc="left")


def regional_sentences(allocation: Allocation | None) -> str | None:
    """What a figure must say about the regional rule of an allocation (the regions it was and
    was not checked in), as sentences; None when there is nothing to say."""
    return None if allocation is None else _sentences(allocation.regional_notes)


def _sentences(notes: Sequence[str]) -> str | None:
    """Notes as sentences: capitalised, joined."""
    if not notes:
        return None
    return " ".join(n[:1].upper() + n[1:].rstrip(".") + "." for n in notes)


def _column_note(label: str, change: str) -> str:
    return label if label.lower() == change.lower() else f"{label} = {change}"


# ---------------------------------------------------------------------------------------------
# rendering: reproducible bytes


def freeze_layout(fig: Figure) -> Figure:
    """Lay the figure out once, at the output dpi, and keep that layout for every format.

    Constrained layout starts from the current positions, so laying out again (for a second
    format, or a second save) can move things by a hair; frozen, a figure gives the same PNG
    and SVG every time."""
    if not isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine):
        return fig
    with house_style():
        fig.set_dpi(DPI)
        fig.draw_without_rendering()
        fig.set_layout_engine("none")
    return fig


def render(fig: Figure, fmt: str, *, dpi: int = DPI) -> bytes:
    """The figure as PNG (``dpi``, default 200) or SVG bytes, with nothing that changes
    between runs (no software version in the PNG, no date in the SVG, numbered SVG ids)."""
    buf = io.BytesIO()
    freeze_layout(fig)
    with house_style():
        if fmt == "png":
            fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
        elif fmt == "svg":
            fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
            return stable_svg_ids(buf.getvalue())
        else:
            raise ValueError(f"unknown figure format {fmt!r} (png or svg)")
    return buf.getvalue()


_SVG_ID = re.compile(rb'(?<=id=")([a-z])([0-9a-f]{10})(?=")')


def stable_svg_ids(svg: bytes) -> bytes:
    """Number the SVG's hashed ids (clip paths, markers) in order of appearance: the hashes
    come from float coordinates, whose last bits can differ between otherwise equal runs."""
    names: dict[bytes, bytes] = {}
    for m in _SVG_ID.finditer(svg):
        key = m.group(0)
        if key not in names:
            names[key] = m.group(1) + b"seatsim%d" % len(names)
    if not names:
        return svg
    pattern = re.compile(b"|".join(re.escape(k) for k in names) + rb"(?![0-9a-f])")
    return pattern.sub(lambda m: names[m.group(0)], svg)
