"""Figures for reports: every ``plot_x(result, *, ax=None, **style)`` returns its Axes.

A plot function draws one panel. Given an ``ax`` it draws there and creates nothing else;
without one it creates a figure (a plain ``matplotlib.figure.Figure``, never pyplot's global
state) in the locked house style, with a title and a source line, ready to paste. Nothing
here saves or shows a figure: ``simulate.figures`` and the command line do that.

The ``figure_x`` functions compose whole figures (several panels, title, subtitle, source
line) for ``seatsim figures`` and ``seatsim run``.

``import simulate`` never imports this module (it imports matplotlib); import it when drawing.
"""

from __future__ import annotations

import contextlib
import io
import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterator, Mapping, Sequence

import matplotlib
import matplotlib.patheffects
import matplotlib.ticker
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import EllipseCollection
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .colours import Palette, is_light, palette
from .compare import Comparison
from .rules import Allocation, Rules
from .simulation import Simulation, majority
from .sweep import Sweep
from .threshold import format_percent

# ---------------------------------------------------------------------------------------------
# the house style, locked so that figures are the same on every machine

WIDTH = 6.5
"""Figure width in inches: one report column."""

DPI = 200
STYLE = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],       # ships with matplotlib
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
}
"""rcParams on top of matplotlib's defaults (never the user's matplotlibrc)."""

TITLE_PT, SUBTITLE_PT, SOURCE_PT = 11.0, 8.5, 6.5
INK, MUTED, FAINT = "#222222", "#555555", "#BBBBBB"
MOVED = "#000000"

BASE_WORDS = {
    "participants": "voters who took part",
    "valid": "valid votes",
    "party-votes": "votes for lists",
    "registered": "registered voters",
}


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


def _own_axes(ax: Axes | None, height: float) -> tuple[Axes, bool]:
    if ax is not None:
        return ax, False
    with house_style():
        fig = new_figure(WIDTH, height)
        return fig.add_subplot(), True


def _palette(colours, *elections) -> Palette:
    if isinstance(colours, Palette):
        return colours
    if isinstance(colours, Mapping):
        return palette(*elections).with_overrides(colours)
    return palette(*elections)


def _palette_names(colours, sim: Simulation) -> Palette:
    """A palette for a Simulation (list names and reported votes, no Election)."""
    if isinstance(colours, Palette):
        return colours
    from .election import Election
    P = len(sim.list_names)
    election = Election.from_votes(dict(zip(sim.list_names, sim.reported[:P])))
    auto = palette(election)
    return auto.with_overrides(colours) if isinstance(colours, Mapping) else auto


OUTLINE = "#7A7A7A"


def edge_for(colour: str, default: str = "white") -> str:
    """The edge of a dot or bar: grey around a pale hue (yellow), else ``default``."""
    return OUTLINE if is_light(colour) else default


def line_effects(colour: str, lw: float) -> list | None:
    """A grey outline under a line drawn in a pale hue, so it shows on white."""
    if not is_light(colour):
        return None
    return [matplotlib.patheffects.Stroke(linewidth=lw + 1.1, foreground=OUTLINE),
            matplotlib.patheffects.Normal()]


def base_words(base: str) -> str:
    return BASE_WORDS.get(base, base.replace("-", " "))


def pct(x: float, digits: int = 1) -> str:
    text = f"{x:.{digits}f}".rstrip("0").rstrip(".")
    return f"{text}%"


# ---------------------------------------------------------------------------------------------
# titles, subtitles and the source line: sized in inches, so the plot area keeps its size


_MEASURE: list = []


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


def finish(fig: Figure, title: str, subtitle: str | None = None,
           source: str | None = None) -> Figure:
    """Add a title, subtitle and source line around the panels; the figure grows to fit them
    so every panel keeps the height it was given."""
    width, body = fig.get_size_inches()
    margin, gap = 0.06, 0.05
    usable = 0.98 * (width - 2 * margin)
    title_lines = wrap(title, TITLE_PT, usable, "bold")
    sub_lines = wrap(subtitle, SUBTITLE_PT, usable) if subtitle else []
    src_lines = wrap(source, SOURCE_PT, usable) if source else []

    def height(n, size):
        return 0 if n == 0 else (size * (1 + 1.25 * (n - 1)) + 0.25 * size) / 72

    head = margin + height(len(title_lines), TITLE_PT)
    if sub_lines:
        head += gap + height(len(sub_lines), SUBTITLE_PT)
    head += 2 * gap
    foot = margin + height(len(src_lines), SOURCE_PT) + (2 * gap if src_lines else 0)
    total = body + head + foot
    fig.set_size_inches(width, total)
    x = margin / width
    fig.text(x, 1 - margin / total, "\n".join(title_lines), fontsize=TITLE_PT,
             fontweight="bold", color=INK, va="top", ha="left", linespacing=1.25)
    if sub_lines:
        y = 1 - (margin + height(len(title_lines), TITLE_PT) + gap) / total
        fig.text(x, y, "\n".join(sub_lines), fontsize=SUBTITLE_PT, color="#333333",
                 va="top", ha="left", linespacing=1.25)
    if src_lines:
        fig.text(x, margin / total, "\n".join(src_lines), fontsize=SOURCE_PT, color=MUTED,
                 va="bottom", ha="left", linespacing=1.25)
    fig.get_layout_engine().set(rect=(0, foot / total, 1, (total - head - foot) / total))
    return fig


def source_line(data: str, rules: str | None = None, extra: str | None = None) -> str:
    """"Data: … Rules: … …  Made with seatsim." in one string."""
    parts = [f"Data: {data}."]
    if rules:
        parts.append(f"Rules: {rules}.")
    if extra:
        parts.append(extra if extra.endswith(".") else extra + ".")
    parts.append("Figure: seatsim.")
    return " ".join(parts)


def election_line(election) -> str:
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


def _ax_source(fig_owned: bool, ax: Axes, title: str, subtitle: str | None, source: str | None):
    if fig_owned:
        finish(ax.figure, title, subtitle, source)
    else:
        ax.set_title(title, fontsize=STYLE["axes.titlesize"], loc="left")


# ---------------------------------------------------------------------------------------------
# 1. parliament diagram


@dataclass(frozen=True)
class Hemicycle:
    """Seat centres (x, y), ordered from the left end of the arc to the right, and the dot
    diameter, for a hemicycle of radius 1 centred at the origin."""

    x: np.ndarray
    y: np.ndarray
    diameter: float
    rows: int


def hemicycle_layout(seats: int, inner: float = 0.4) -> Hemicycle:
    """Rows of seats on concentric half circles, each row's share of the seats in proportion
    to its radius; the row count makes the spacing along a row about equal to the spacing
    between rows. Seats are ordered by angle, so consecutive seats form wedges."""
    if seats < 1:
        raise ValueError("a hemicycle needs at least one seat")
    best = None
    for rows in range(1, 60):
        radii = np.linspace(inner, 1.0, rows) if rows > 1 else np.array([1.0])
        along = math.pi * radii.sum() / seats
        across = (1.0 - inner) / (rows - 1) if rows > 1 else 1.0
        score = abs(math.log(along / across))
        if best is None or score < best[0]:
            best = (score, rows, radii)
    _, rows, radii = best
    share = seats * radii / radii.sum()
    per = np.floor(share).astype(int)
    for i in np.argsort(-(share - per), kind="stable")[:seats - per.sum()]:
        per[i] += 1
    xs, ys, ang, rad = [], [], [], []
    spacing = []
    for r, k in zip(radii, per):
        if k == 0:
            continue
        theta = np.array([math.pi / 2]) if k == 1 else np.linspace(math.pi, 0, k)
        if k > 1:
            spacing.append(math.pi * r / (k - 1))
        xs.append(r * np.cos(theta))
        ys.append(r * np.sin(theta))
        ang.append(theta)
        rad.append(np.full(k, r))
    x, y = np.concatenate(xs), np.concatenate(ys)
    theta, r = np.concatenate(ang), np.concatenate(rad)
    order = np.lexsort((-r, -np.round(theta, 9)))
    across = (1.0 - inner) / (rows - 1) if rows > 1 else 1.0
    diameter = 0.82 * min([across, *spacing])
    return Hemicycle(x[order], y[order], diameter, rows)


OTHER_SHADES = ("#ABABAB", "#6F6F6F", "#D2D2D2")
"""Greys for lists beyond the palette that hold seats side by side in one diagram: shades
alternate so neighbouring groups stay apart (the legend names each)."""


def _seat_colours(names, counts: Sequence[Sequence[int]], colours: Palette) -> dict[str, str]:
    out, k = {}, 0
    for i, name in enumerate(names):
        if not any(c[i] for c in counts):
            continue
        if colours.is_other(name):
            out[name] = OTHER_SHADES[k % len(OTHER_SHADES)]
            k += 1
        else:
            out[name] = colours[name]
    return out


def _draw_hemicycle(ax: Axes, names, seats, colours: Mapping[str, str], cx: float, side: str,
                    moved: Sequence[int] | None = None) -> Hemicycle:
    layout = hemicycle_layout(int(sum(seats)))
    d = layout.diameter
    start = 0
    for name, n, m in zip(names, seats, moved if moved is not None else [0] * len(names)):
        if n == 0:
            continue
        idx = np.arange(start, start + n)
        start += n
        pts = np.column_stack([layout.x[idx] + cx, layout.y[idx]])
        ax.add_collection(EllipseCollection(
            np.full(n, d), np.full(n, d), np.zeros(n), units="xy", offsets=pts,
            offset_transform=ax.transData, facecolors=colours[name],
            edgecolors=edge_for(colours[name]), linewidths=0.4, zorder=3,
            label=f"_seats:{side}:{name}"))
        if m:
            ring = pts[-m:]
            ax.add_collection(EllipseCollection(
                np.full(m, d * 1.28), np.full(m, d * 1.28), np.zeros(m), units="xy",
                offsets=ring, offset_transform=ax.transData, facecolors="none",
                edgecolors=MOVED, linewidths=0.9, zorder=4, label=f"_moved:{side}:{name}"))
    return layout


def change_hands(moved, of: int | None = None) -> str:
    """"12 of 120 seats change hands", "1 seat changes hands"."""
    if moved == 1:
        return "1 seat changes hands" if of is None else f"1 of {of} seats changes hands"
    return f"{moved:g} seats change hands" if of is None else \
        f"{moved:g} of {of} seats change hands"


def seats_moved(a, b) -> int | float:
    """½ Σ |a − b| (``simulate.metrics.seats_changing_hands``)."""
    from .metrics import seats_changing_hands
    return seats_changing_hands(np.asarray(a), np.asarray(b))


def plot_hemicycle(result: Allocation, *, ax: Axes | None = None,
                   baseline: Allocation | None = None, colours=None,
                   labels: tuple[str, str] | None = None, majority_line: bool = True,
                   legend: bool = True, title: str | None = None) -> Axes:
    """Parliament diagram: one dot per seat, grouped by list in seed order, the majority
    line marked. With ``baseline``, the baseline is drawn on the left and ``result`` on the
    right, and the seats that change hands are ringed: on the left the seats a list loses, on
    the right the seats a list gains (½ Σ |s − s'| of them on each side).

    Seat dots are ``EllipseCollection``s labelled ``"_seats:<side>:<list>"`` (side "result"
    or "baseline"); rings are labelled ``"_moved:<side>:<list>"``. ``labels`` name the two sides
    (default "baseline" and "scenario").
    """
    pair = baseline is not None
    ax, owned = _own_axes(ax, 2.45 if pair else 3.0)
    elections = [result.election] + ([baseline.election] if pair else [])
    pal = _palette(colours, *elections)
    names = result.names
    seats = [int(s) for s in result.seats]
    need = majority(result.rules.seats)
    if not pair:
        sides = [(0.0, "result", seats, None)]
    else:
        if baseline.names != names:
            raise ValueError("baseline and result must list the same parties in the same order")
        before = [int(s) for s in baseline.seats]
        lost = [max(b - s, 0) for b, s in zip(before, seats)]
        won = [max(s - b, 0) for b, s in zip(before, seats)]
        sides = [(-1.13, "baseline", before, lost), (1.13, "result", seats, won)]
    shade = _seat_colours(names, [c for _, _, c, _ in sides], pal)
    left, right = labels or ("baseline", "scenario")
    for cx, side, counts, moved in sides:
        _draw_hemicycle(ax, names, counts, shade, cx, side, moved)
        if majority_line:
            ax.plot([cx, cx], [0.33, 1.07], color=INK, lw=0.8, ls=(0, (3, 2)), zorder=2,
                    label=f"_majority:{side}")
            ax.text(cx, 1.09, f"majority: {need}", ha="center", va="bottom", fontsize=7.5,
                    color=MUTED)
        ax.text(cx, 0.04, f"{int(sum(counts))}\nseats", ha="center", va="bottom",
                fontsize=9, color=INK, linespacing=1.1)
        if pair:
            ax.text(cx, -0.07, left if side == "baseline" else right, ha="center", va="top",
                    fontsize=8.5, fontweight="bold", color=INK)
    span = 2.3 if pair else 1.06
    ax.set_xlim(-span, span)
    radius = hemicycle_layout(max(int(sum(seats)), 1)).diameter / 2
    ax.set_ylim(-0.2 if pair else -radius - 0.02, 1.2)
    ax.set_aspect("equal")
    ax.set_anchor("S")
    ax.axis("off")
    if legend:
        handles = []
        for i, name in enumerate(names):
            after = seats[i]
            if not pair:
                if not after:
                    continue
                text = f"{name}  {after}"
            else:
                b = int(baseline.seats[i])
                if not b and not after:
                    continue
                text = f"{name}  {b} → {after}" if b != after else f"{name}  {b}"
            handles.append(Line2D([], [], ls="", marker="o", ms=7, mfc=shade[name],
                                  mec=edge_for(shade[name]), label=text))
        if pair:
            handles.append(Line2D([], [], ls="", marker="o", ms=8, mfc="none", mec=MOVED,
                                  mew=0.9, label="ringed: "
                                  + change_hands(seats_moved(seats, baseline.seats))))
        ncol = min(3 if pair else 2, len(handles))
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=ncol,
                  handletextpad=0.3, columnspacing=1.4, borderaxespad=0.2)
    if owned or title:
        if title is None:
            won = sum(1 for s in seats if s)
            title = (f"{won} of {len(names)} lists win seats" if not pair else
                     change_hands(seats_moved(seats, baseline.seats), result.rules.seats))
        src = source_line(election_line(result.election), result.rules.describe(),
                          _sentences(result.notes))
        _ax_source(owned, ax, title, None, src)
    return ax


def _sentences(notes: Sequence[str]) -> str | None:
    """Notes as sentences: capitalised, joined."""
    if not notes:
        return None
    return " ".join(n[:1].upper() + n[1:].rstrip(".") + "." for n in notes)


# ---------------------------------------------------------------------------------------------
# 2. the exact threshold sweep


def sweep_edges(sweep: Sweep) -> np.ndarray:
    """The sweep's interval edges in percent: low, every breakpoint, high."""
    return np.array([100 * float(sweep.low), *(100 * float(b) for b in sweep.breakpoints),
                     100 * float(sweep.high)])


def dropouts(sweep: Sweep) -> list[tuple[Fraction, tuple[str, ...]]]:
    """At each breakpoint, the lists that pass just below it and not above it."""
    out = []
    for a, b in zip(sweep.intervals, sweep.intervals[1:]):
        gone = tuple(n for n in a.passed if n not in b.passed)
        out.append((a.high, gone))
    return out


def spread(xs: Sequence[float], gap: float, low: float, high: float) -> list[float]:
    """Positions as close as possible to ``xs`` (sorted) but at least ``gap`` apart and
    inside [low, high]: pushed right, then back left from the upper end."""
    pos: list[float] = []
    for x in xs:
        pos.append(max(x, pos[-1] + gap) if pos else max(x, low))
    for k in range(len(pos) - 1, -1, -1):
        limit = high if k == len(pos) - 1 else pos[k + 1] - gap
        pos[k] = min(pos[k], limit)
    return pos


def _axes_width(ax: Axes) -> float:
    """The Axes' width in inches as laid out now (an estimate before constrained layout)."""
    fig = ax.figure
    return max(ax.get_position().width * fig.get_size_inches()[0], 1.0)


def plot_sweep(sweep: Sweep, *, ax: Axes | None = None, colours=None,
               label_breakpoints: bool = True, legend: bool = True,
               title: str | None = None) -> Axes:
    """Seats per list as a step function of the national threshold, from the exact sweep:
    each step sits at a breakpoint (a list's share of the base), the legal threshold is
    marked, and every breakpoint is labelled above the plot with the list that drops out
    there (labels nudged apart where breakpoints crowd, each with a leader to its tick).

    Each list's steps are one ``StepPatch`` labelled ``"_seats:<list>"`` whose edges are
    ``sweep_edges(sweep)``."""
    ax, owned = _own_axes(ax, 3.2)
    pal = _palette(colours, sweep.election)
    edges = sweep_edges(sweep)
    names = sweep.election.names
    table = np.array([[np.nan] * len(names) if iv.seats is None else iv.seats
                      for iv in sweep.intervals], dtype=float)
    held = [i for i in range(len(names)) if np.nanmax(table[:, i], initial=0) > 0]
    grey = [i for i in held if pal.is_other(names[i])]
    coloured = [i for i in held if not pal.is_other(names[i])]
    for i in grey:
        ax.stairs(table[:, i], edges, baseline=None, color=pal[names[i]], lw=0.9,
                  zorder=2, label=f"_seats:{names[i]}")
    for i in reversed(coloured):
        ax.stairs(table[:, i], edges, baseline=None, color=pal[names[i]], lw=1.9,
                  zorder=3, label=f"_seats:{names[i]}",
                  path_effects=line_effects(pal[names[i]], 1.9))
    legal = 100 * float(sweep.rules.threshold)
    lo, hi = edges[0], edges[-1]
    for b in edges[1:-1]:
        ax.axvline(b, color="#DDDDDD", lw=0.6, zorder=1)
    top = np.nanmax(table, initial=1)
    ax.set_ylim(0, top * 1.1 + 1)
    _mark_unallocated(ax, sweep, edges)
    if lo <= legal <= hi:
        ax.axvline(legal, color=INK, lw=1.0, ls=(0, (4, 2)), zorder=4, label="_legal")
        ax.text(legal, 0.985, f" legal threshold {pct(legal, 2)}",
                transform=ax.get_xaxis_transform(), ha="left", va="top", fontsize=7.5,
                color=INK, zorder=5,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5, "alpha": 0.85})
    ax.set_xlim(lo, hi)
    ax.set_ylabel(f"seats (of {sweep.rules.seats})")
    ax.set_xlabel(f"national threshold (% of {base_words(sweep.rules.threshold_base)})")
    ax.yaxis.grid(True)
    if label_breakpoints:
        size = 7.0
        points = [(100 * float(b), ", ".join(gone)) for b, gone in dropouts(sweep) if gone]
        gap = (size * 1.5 / 72) / (0.8 * _axes_width(ax)) * (hi - lo)
        where = spread([x for x, _ in points], gap, lo, hi)
        fig_h = ax.figure.get_size_inches()[1]
        rise = (9 / 72) / max(ax.get_position().height * fig_h, 1.0)  # 9 points, as a fraction
        through = ax.get_xaxis_transform()
        for (x, text), at in zip(points, where):
            ax.plot([x, x, at], [1.0, 1.0 + 0.35 * rise, 1.0 + 0.9 * rise], transform=through,
                    clip_on=False, color=FAINT, lw=0.6, zorder=1, label="_leader")
            ax.text(at, 1.0 + rise, text, transform=through, rotation=90,
                    rotation_mode="anchor", ha="left", va="center", fontsize=size,
                    color=MUTED, clip_on=False, label=f"_dropout:{text}")
    if legend and coloured:
        handles = [Line2D([], [], color=pal[names[i]], lw=2, label=names[i],
                          path_effects=line_effects(pal[names[i]], 2))
                   for i in coloured]
        if grey:
            handles.append(Line2D([], [], color=pal.other, lw=1, label="other lists"))
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7.5,
                  handlelength=1.2, borderaxespad=0.3)
    if owned or title:
        title = title or "Seats per list as the threshold changes"
        src = source_line(election_line(sweep.election), sweep.rules.describe(),
                          "Exact sweep: seats change only where the threshold crosses a "
                          "list's share. Names above the chart: the list that drops out at "
                          "that threshold")
        _ax_source(owned, ax, title, None, src)
    return ax


def _mark_unallocated(ax: Axes, sweep: Sweep, edges: np.ndarray, text: bool = True) -> None:
    """Hatch the thresholds where the seats cannot be allocated, and say so once."""
    spans = [(edges[k], edges[k + 1], iv.problem or "") for k, iv in enumerate(sweep.intervals)
             if iv.allocation is None and edges[k + 1] > edges[k]]
    for lo, hi, _ in spans:
        ax.axvspan(lo, hi, facecolor="none", edgecolor=FAINT, hatch="///", lw=0, zorder=0,
                   label="_unallocated")
    if text and spans:
        lo, hi, problem = spans[-1]
        why = ("no list\npasses" if "no list passes" in problem else
               "undecided\ntie" if "tie for" in problem else "seats cannot\nall be filled")
        ax.text((lo + hi) / 2, 0.5, "no allocation:\n" + why,
                transform=ax.get_xaxis_transform(), ha="center", va="center", fontsize=7,
                color=MUTED, bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5})


def plot_sweep_changes(sweep: Sweep, *, ax: Axes | None = None, baseline_label: str = "baseline",
                       title: str | None = None) -> Axes:
    """Second panel of the sweep: seats changing hands against the baseline (left axis,
    black) and the share of the votes that elect nobody (right axis, blue dashed, on a twin
    Axes of ``ax``); a legend under the panel says which is which."""
    ax, owned = _own_axes(ax, 2.2)
    edges = sweep_edges(sweep)
    moved = np.array([np.nan if iv.changed_from_baseline is None else iv.changed_from_baseline
                      for iv in sweep.intervals], dtype=float)
    wasted = np.array([np.nan if iv.measures is None else 100 * iv.measures.wasted_share
                       for iv in sweep.intervals], dtype=float)
    wbase = next((iv.measures.wasted_base for iv in sweep.intervals if iv.measures), None)
    blue = "#0072B2"
    ax.stairs(moved, edges, baseline=None, color=INK, lw=1.9, label="_changes", zorder=3)
    ax.set_ylim(0, max(np.nanmax(moved, initial=0) * 1.12, 5))
    ax.set_ylabel(f"seats changing hands\nvs “{baseline_label}”")
    twin = ax.twinx()
    twin.stairs(wasted, edges, baseline=None, color=blue, lw=1.4, ls=(0, (5, 2)),
                label="_wasted", zorder=2)
    twin.set_ylim(0, max(np.nanmax(wasted, initial=0) * 1.12, 10))
    twin.spines["right"].set_visible(True)
    twin.spines["right"].set_color(blue)
    twin.spines["top"].set_visible(False)
    twin.set_ylabel(f"votes electing nobody\n(% of {base_words(wbase or 'participants')})",
                    color=blue)
    twin.tick_params(axis="y", colors=blue)
    twin.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(decimals=0))
    legal = 100 * float(sweep.rules.threshold)
    if edges[0] <= legal <= edges[-1]:
        ax.axvline(legal, color=INK, lw=1.0, ls=(0, (4, 2)), zorder=4)
    for b in edges[1:-1]:
        ax.axvline(b, color="#DDDDDD", lw=0.6, zorder=1)
    ax.set_xlim(edges[0], edges[-1])
    ax.set_xlabel(f"national threshold (% of {base_words(sweep.rules.threshold_base)})")
    ax.yaxis.grid(True)
    _mark_unallocated(ax, sweep, edges, text=False)
    handles = [Line2D([], [], color=INK, lw=1.9, label="seats changing hands (left axis)"),
               Line2D([], [], color=blue, lw=1.4, ls=(0, (5, 2)),
                      label="votes electing nobody (right axis)")]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.32), ncol=2,
              fontsize=7.5, borderaxespad=0)
    if owned or title:
        title = title or "Seats changing hands and votes electing nobody, by threshold"
        src = source_line(election_line(sweep.election), sweep.rules.describe())
        _ax_source(owned, ax, title, None, src)
    return ax


# ---------------------------------------------------------------------------------------------
# 3. seats changing hands under Monte Carlo


def changes_distribution(sim: Simulation, r: int = 0, against: str = "baseline"
                         ) -> tuple[np.ndarray, np.ndarray]:
    """(seats changing hands, draws) for every value with draws: ½ Σ|s − s'| against the
    baseline (the first rule set on the reported count) or the first rule set on the same
    draw (``against="first"``)."""
    hist = np.asarray(sim.changes_hist(r, against))
    k = np.flatnonzero(hist)
    return k / 2, hist[k]


def interval90(values: np.ndarray, counts: np.ndarray) -> tuple[float, float]:
    """The smallest values with at least 5% and 95% of the draws at or below them."""
    cdf = np.cumsum(counts) / counts.sum()
    return float(values[np.searchsorted(cdf, 0.05 - 1e-12)]), \
        float(values[np.searchsorted(cdf, 0.95 - 1e-12)])


def plot_changes(sim: Simulation, r: int = 0, *, ax: Axes | None = None,
                 against: str = "baseline", colour: str = "#0072B2", show_reported: bool = True,
                 annotate: bool = True, title: str | None = None) -> Axes:
    """The distribution of the seats that change hands over the draws of rule set ``r``,
    against the baseline seats (or the first rule set on the same draw), with the mean
    (black line) and the 90% interval (grey band). The bars (a container labelled "_draws")
    are shares of the draws in percent: their counts sum to the number of draws. With
    ``show_reported`` and r > 0, a triangle marks the seats rule set r moves on the reported
    count itself."""
    ax, owned = _own_axes(ax, 2.4)
    values, counts = changes_distribution(sim, r, against)
    n = sim.n
    share = 100 * counts / n
    width = 0.42 if np.any(values % 1) else 0.8
    lo, hi = interval90(values, counts)
    mean = float((values * counts).sum() / n)
    ax.axvspan(lo - 0.5, hi + 0.5, color="#EBEBEB", zorder=0, lw=0, label="_interval90")
    ax.bar(values, share, width=width, color=colour, zorder=2, label="_draws")
    ax.axvline(mean, color=INK, lw=1.2, zorder=3, label="_mean")
    right = max(float(values.max()), hi)
    if show_reported and against == "baseline" and r:
        reported = seats_moved(sim.reported_seats[r], sim.baseline)
        right = max(right, float(reported))
        ax.plot([reported], [0], marker="^", ms=7, color=INK, clip_on=False, zorder=5,
                label="_reported", ls="", mec="white", mew=0.6)
    ax.set_ylim(0, float(share.max()) * 1.25)
    ax.set_xlim(-0.9, right + 0.9)
    if annotate:
        ax.text(mean, 0.97, f" mean {mean:.1f}", transform=ax.get_xaxis_transform(),
                ha="left", va="top", fontsize=7.5, color=INK)
        ax.text(0.99, 0.97, _interval_text(lo, hi), transform=ax.transAxes, ha="right",
                va="top", fontsize=7.5, color=MUTED)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_ylabel("% of draws")
    ax.set_xlabel(f"seats changing hands (of {sim.rules[r].seats})")
    ax.yaxis.grid(True)
    if owned or title:
        what = (f"against {sim.labels[0]} on the reported count" if against == "baseline"
                else f"against {sim.labels[0]} on the same draw")
        title = title or f"Seats changing hands under {sim.labels[r]}, {what}"
        _ax_source(owned, ax, title, None, _mc_source(sim, r))
    return ax


def _interval_text(lo: float, hi: float) -> str:
    return f"90% of draws: {lo:g}–{hi:g}" if lo != hi else f"90% of draws: {lo:g}"


def paired_mean(sim: Simulation, r: int) -> float:
    """Mean seats changing hands between rule set r and the first on the same draw."""
    values, counts = changes_distribution(sim, r, "first")
    return float((values * counts).sum() / sim.n)


def mc_model_text(sim: Simulation) -> str:
    model = dict(sim.settings.get("model", {}))
    kind = model.pop("kind", "model")
    if kind == "dirichlet":
        c = model.get("concentration")
        if c == "inf":
            return "no noise (Dirichlet, infinite concentration)"
        sd = 100 * math.sqrt(0.07 * 0.93 / (float(c) + 1))
        return (f"vote shares drawn around the reported count (Dirichlet, concentration "
                f"{float(c):g}: a list at 7% varies by ±{sd:.2f} points, one s.d.)")
    params = ", ".join(f"{k} {v}" for k, v in model.items())
    return f"vote shares drawn around the reported count ({kind}{': ' + params if params else ''})"


def _mc_source(sim: Simulation, r: int = 0, data: str | None = None) -> str:
    s = sim.settings
    extra = (f"Monte Carlo: {sim.n:,} draws, seed {s.get('seed')}; {mc_model_text(sim)}. "
             + " ".join(n[:1].upper() + n[1:] + "." for n in sim.notes))
    return source_line(data or sim.election, f"{sim.labels[r]}: {sim.rules[r].describe()}",
                       extra.strip())


# ---------------------------------------------------------------------------------------------
# 4. per-list seat distributions


def plot_list_seats(sim: Simulation, r: int = 0, *, ax: Axes | None = None, colours=None,
                    lists: Sequence[str] | None = None, title: str | None = None) -> Axes:
    """One row per list, largest reported vote first: the share of draws giving the list
    each number of seats (bars scaled to the row's tallest), the seats on the reported count
    (black tick), and the mean and 90% interval written at the right. Lists that never win a
    seat and win none on the reported count are left out unless named in ``lists``."""
    colours = _palette_names(colours, sim)
    hist = sim.seat_hist(r)
    n = sim.n
    P = len(sim.list_names)
    reported = np.array(sim.reported_seats[r])
    order = sorted(range(P), key=lambda i: (-sim.reported[i], i))
    if lists is None:
        rows = [i for i in order if hist[i, 1:].any() or reported[i]]
    else:
        rows = [sim.list_names.index(name) for name in lists]
    ax, owned = _own_axes(ax, 0.42 * len(rows) + 0.9)
    means = sim.mean_seats(r)
    ivs = sim.interval(r)
    top = 0
    for k, i in enumerate(rows):
        y0 = len(rows) - 1 - k
        h = hist[i] / n
        support = np.flatnonzero(h)
        top = max(top, int(support.max()), int(reported[i]))
        scale = 0.82 / h.max()
        colour = colours[sim.list_names[i]]
        heights = h[support] * scale
        bars = ax.bar(support, heights, bottom=y0, width=0.9, color=colour, linewidth=0.4,
                      label=f"_seats:{sim.list_names[i]}", zorder=2, align="center")
        for bar, height in zip(bars, heights):  # outline a pale hue, but not a sliver
            bar.set_edgecolor(edge_for(colour, "none") if height > 0.04 else "none")
        ax.plot([reported[i]] * 2, [y0 - 0.08, y0 + 0.9], color=INK, lw=1.6, zorder=3,
                label=f"_reported:{sim.list_names[i]}", solid_capstyle="butt")
        p0 = h[0]
        lo, hi = ivs[i]
        note = f"{means[i]:.1f}  ({lo}–{hi})"
        if p0 > 0.005:
            note += f"; none in {100 * p0:.0f}%"
        ax.text(1.01, y0 + 0.3, note, transform=ax.get_yaxis_transform(), ha="left",
                va="center", fontsize=7.5, color=INK)
    ax.set_yticks([len(rows) - 1 - k + 0.35 for k in range(len(rows))],
                  labels=[sim.list_names[i] for i in rows])
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_ylim(-0.25, len(rows))
    ax.set_xlim(-1, top + 2)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_xlabel(f"seats (of {sim.rules[r].seats})")
    ax.xaxis.grid(True)
    ax.text(1.01, len(rows) - 0.02, "mean (90% range)", transform=ax.get_yaxis_transform(),
            ha="left", va="bottom", fontsize=7.5, color=MUTED)
    handles = [Patch(color="#888888", label="share of draws (scaled per row)"),
               Line2D([], [], color=INK, lw=1.6, label="seats on the reported count")]
    ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2,
              fontsize=7.5, borderaxespad=0.1)
    if owned or title:
        title = title or f"Seats per list over {n:,} simulated counts ({sim.labels[r]})"
        _ax_source(owned, ax, title, None, _mc_source(sim, r))
    return ax


# ---------------------------------------------------------------------------------------------
# 5. majority probability against the threshold


def majority_title(curve) -> str:
    """"How likely one list wins a majority …", with the value at the legal threshold."""
    if curve.cap is not None and curve.cap < curve.majority:
        return (f"No single list can win a majority at any threshold: none may hold more "
                f"than {curve.cap} of {curve.seats} seats")
    text = "How likely a single list wins a majority, by threshold"
    if curve.legal and curve.legal in curve.thresholds:
        p = float(curve.p_majority[curve.thresholds.index(curve.legal)])
        hits = round(p * curve.per_threshold)
        share = (f"{hits:,} of {curve.per_threshold:,} simulated counts" if p < 0.01
                 else f"{100 * p:.0f}% of simulated counts")
        text += f" (at the legal {format_percent(curve.legal)}: {share})"
    return text


def plot_majority(curve, *, ax: Axes | None = None, title: str | None = None) -> Axes:
    """P(one list holds a majority) and P(one list holds two thirds) against the threshold,
    from a Monte Carlo run at fixed thresholds (``simulate.figures.ThresholdCurve``), with
    95% bands (± 1.96 binomial standard errors) and the legal threshold marked."""
    ax, owned = _own_axes(ax, 2.8)
    x = 100 * np.array([float(t) for t in curve.thresholds])
    for p, se, colour, style, label in (
            (curve.p_majority, curve.se_majority, "#0072B2", "-",
             f"one list holds a majority ({curve.majority}+ of {curve.seats} seats)"),
            (curve.p_two_thirds, curve.se_two_thirds, "#D55E00", (0, (4, 1.5)),
             f"one list holds two thirds ({curve.two_thirds}+ seats)")):
        p, se = 100 * np.asarray(p), 100 * np.asarray(se)
        ax.fill_between(x, np.clip(p - 1.96 * se, 0, 100), np.clip(p + 1.96 * se, 0, 100),
                        color=colour, alpha=0.18, lw=0, zorder=1)
        major = "majority" in label
        ax.plot(x, p, color=colour, lw=1.7, ls=style, marker="o", ms=2.6,
                zorder=3.5 if major else 3, label=label)
    unfilled = 100 * np.asarray(getattr(curve, "p_unfilled", np.zeros_like(x)))
    if np.any(unfilled > 0):
        ax.plot(x, unfilled, color="#777777", lw=1.3, ls=(0, (1, 1.5)), zorder=2,
                label="seats cannot all be filled (too few lists pass)")
    legal = 100 * float(curve.legal) if curve.legal else None
    if legal is not None and x[0] <= legal <= x[-1]:
        ax.axvline(legal, color=INK, lw=1.0, ls=(0, (4, 2)), zorder=4)
        ax.text(legal, 0.985, f" legal threshold {pct(legal, 2)}",
                transform=ax.get_xaxis_transform(), ha="left", va="top", fontsize=7.5,
                color=INK, bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})
    ax.set_ylim(-2, 102)
    ax.set_xlim(x[0], x[-1])
    ax.set_yticks([0, 25, 50, 75, 100], labels=["0%", "25%", "50%", "75%", "100%"])
    ax.set_ylabel("share of draws")
    ax.set_xlabel(f"national threshold (% of {base_words(curve.base)})")
    ax.yaxis.grid(True)
    ax.legend(loc="upper left", fontsize=7.5, bbox_to_anchor=(0.0, -0.2), ncol=2,
              borderaxespad=0)
    if owned or title:
        title = title or majority_title(curve)
        _ax_source(owned, ax, title, None, curve.source)
    return ax


# ---------------------------------------------------------------------------------------------
# 6. rule comparison


def comparison_table(comparison: Comparison) -> tuple[list[str], list[str], np.ndarray]:
    """(rule set labels, list names shown, seats (lists × rule sets), NaN where a rule set
    could not be applied). A list is shown when any rule set gives it a seat."""
    outcomes = comparison.outcomes
    names = comparison.election.names
    seats = np.array([[np.nan] * len(names) if o.seats is None else o.seats for o in outcomes],
                     dtype=float).T
    shown = [i for i in range(len(names)) if np.nanmax(seats[i], initial=0) > 0]
    return [o.label for o in outcomes], [names[i] for i in shown], seats[shown]


def plot_comparison(comparison: Comparison, *, ax: Axes | None = None, colours=None,
                    title: str | None = None) -> Axes:
    """A table of seats: one row per list that wins a seat anywhere, one column per rule set
    (the baseline first). Each cell gives the seats and, below, the gain or loss against the
    baseline; cells are tinted blue for a gain and red for a loss. The last row gives the
    seats that change hands against the baseline."""
    labels, names, seats = comparison_table(comparison)
    R, L = len(labels), len(names)
    ax, owned = _own_axes(ax, 0.34 * (L + 1) + 1.2)
    colours = _palette(colours, comparison.election)
    base = seats[:, 0]
    delta = seats - base[:, None]
    biggest = max(np.nanmax(np.abs(delta), initial=0), 1)
    gain, loss = np.array(to_rgb("#2166AC")), np.array(to_rgb("#B2182B"))
    for j in range(R):
        for i in range(L):
            s, d = seats[i, j], delta[i, j]
            y = L - i
            if np.isnan(s):
                fill, text, sub = "#F2F2F2", "n/a", ""
            else:
                strength = 0.12 + 0.5 * abs(d) / biggest if d else 0
                tint = gain if d > 0 else loss
                fill = tuple((1 - strength) + strength * tint) if d else "#FFFFFF"
                text = f"{int(s)}" if s else "–"
                sub = "" if not d or j == 0 else f"{int(d):+d}".replace("-", "−")
            ax.add_patch(matplotlib.patches.Rectangle((j, y - 0.5), 1, 1, facecolor=fill,
                                                      edgecolor="white", lw=1.2, zorder=1))
            ax.text(j + 0.5, y + (0.1 if sub else 0), text, ha="center", va="center",
                    fontsize=8.5, color=INK if s else MUTED, fontweight="bold" if j == 0 else
                    "normal", label=f"_cell:{names[i]}:{labels[j]}")
            if sub:
                ax.text(j + 0.5, y - 0.25, sub, ha="center", va="center", fontsize=6.5,
                        color=INK)
    for j, o in enumerate(comparison.outcomes):
        moved = o.changed_from_baseline
        text = "n/a" if moved is None else f"{moved:g}"
        ax.text(j + 0.5, 0, text, ha="center", va="center", fontsize=8.5, fontweight="bold",
                color=INK, label=f"_moved:{labels[j]}")
    ax.plot([0, R], [0.5, 0.5], color=INK, lw=0.8)
    ax.plot([1, 1], [-0.5, L + 0.5], color=INK, lw=0.8)
    ax.set_xlim(0, max(R + 0.45, 6.5))  # room for the last rotated header; narrow cells
    ax.set_ylim(-0.5, L + 0.5)
    ax.set_yticks(list(range(L, 0, -1)) + [0],
                  labels=list(names) + ["seats changing hands"])
    for tick, name in zip(ax.get_yticklabels(), list(names) + [None]):
        if name is None:
            tick.set_fontweight("bold")
    ax.tick_params(axis="y", length=0, pad=14)
    for i, name in enumerate(names):  # a colour key beside each name
        ax.add_patch(matplotlib.patches.Rectangle(
            (-0.012, L - i - 0.22), -0.018, 0.44, transform=ax.get_yaxis_transform(),
            facecolor=colours[name], edgecolor=edge_for(colours[name], "none"), lw=0.5,
            clip_on=False))
    ax.xaxis.tick_top()
    ax.set_xticks([j + 0.5 for j in range(R)], labels=labels, rotation=35, ha="left",
                  rotation_mode="anchor")
    ax.tick_params(axis="x", length=0, pad=2)
    for spine in ax.spines.values():
        spine.set_visible(False)
    if owned or title:
        title = title or "Seats per list under each rule set"
        b = comparison.baseline
        src = source_line(election_line(comparison.election), f"{b.label}: {b.rules.describe()}")
        _ax_source(owned, ax, title, None, src)
    return ax


# ---------------------------------------------------------------------------------------------
# whole figures


def figure_hemicycle(comparison: Comparison, alternative: str | None = None, *,
                     colours=None, heading: str | None = None) -> Figure:
    """The baseline alone (``alternative`` None), or the baseline and the alternative
    labelled ``alternative`` side by side with the seats that change hands ringed."""
    base = comparison.baseline
    e = comparison.election
    alt = None
    if alternative is not None:
        found = [o for o in comparison.alternatives if o.label == alternative]
        if not found or found[0].allocation is None:
            raise ValueError(f"no alternative labelled {alternative!r} that can be allocated")
        alt = found[0]
    src = source_line(election_line(e), f"{base.label}: {base.rules.describe()}",
                      _sentences(base.allocation.notes))
    with house_style():
        fig = new_figure(WIDTH, 2.45 if alt is not None else 3.0)
        ax = fig.add_subplot()
        if alt is None:
            plot_hemicycle(base.allocation, ax=ax, colours=colours)
            seats = base.allocation.seats
            won = int(np.count_nonzero(seats))
            lead = (f"{won} of {len(seats)} lists win seats" if won < len(seats) else "Seats")
            title = (f"{lead} under “{base.label}”: "
                     + ", ".join(f"{n} {s}" for n, s in base.allocation.as_dict().items()))
            sub = (f"{heading or e.name}. Each dot is one of the {base.rules.seats} seats, "
                   "grouped by list; the dashed line marks the majority.")
        else:
            plot_hemicycle(alt.allocation, ax=ax, baseline=base.allocation, colours=colours,
                           labels=(base.label, alt.label))
            moved = alt.changed_from_baseline
            title = (f"{change_hands(moved, base.rules.seats)} between “{base.label}” and "
                     f"“{alt.label}”")
            what = _column_note(alt.label, rules_differences(base.rules, alt.rules))
            what = alt.label if what == alt.label else f"{alt.label} ({what.split(' = ', 1)[1]})"
            sub = (f"{heading or e.name}. Left: {base.label}. Right: {what}. Each dot is a "
                   "seat; ringed dots are the seats a list loses (left) or gains (right).")
        return finish(fig, title, sub, src)


def figure_sweep(sweep: Sweep, *, label: str = "baseline", colours=None,
                 heading: str | None = None) -> Figure:
    """Seats per list against the threshold (top) and, sharing its axis, seats changing hands
    and votes electing nobody (bottom)."""
    e = sweep.election
    with house_style():
        fig = new_figure(WIDTH, 5.6)
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 1.55])
        plot_sweep(sweep, ax=top, colours=colours)
        plot_sweep_changes(sweep, ax=bottom, baseline_label=label)
        top.set_xlabel("")
        top.tick_params(labelbottom=False)
        fig.align_ylabels([top, bottom])
        legal = format_percent(sweep.rules.threshold)
        iv = sweep.at(sweep.rules.threshold) if sweep.low <= sweep.rules.threshold <= sweep.high \
            else None
        bits = []
        if iv is not None and iv.allocation is not None:
            bits.append(f"At {legal}, {len(iv.passed)} lists win seats")
            if iv.measures is not None:
                bits.append(f"{100 * iv.measures.wasted_share:.0f}% of "
                            f"{base_words(iv.measures.wasted_base)} elect nobody")
        title = ("How the threshold decides who sits in parliament"
                 + (": " + " and ".join(bits) if bits else ""))
        title = title.replace(": At ", ": at ")
        sub = (f"{heading or e.name}. Seats per list for every threshold from "
               f"{format_percent(sweep.low)} to {format_percent(sweep.high)}, computed exactly: "
               "seats change only where the threshold crosses a list's share of the "
               f"{base_words(sweep.rules.threshold_base)}; the names above the chart are the "
               "lists that drop out there. Below: seats that change hands against "
               f"“{label}”, and the votes that elect nobody.")
        problems = sorted({iv.problem for iv in sweep.intervals if iv.problem})
        src = source_line(election_line(e), f"{label}: {sweep.rules.describe()}; only the "
                          "national threshold varies",
                          "Hatched, no allocation: " + "; ".join(problems) if problems else None)
        return finish(fig, title, sub, src)


def figure_changes(sim: Simulation, *, rule_sets: Sequence[int] | None = None,
                   data: str | None = None, heading: str | None = None,
                   min_difference: float = 0.5) -> Figure:
    """Seats changing hands against the baseline over the draws: one panel per rule set
    (the baseline first), on shared axes. By default a rule set is left out (and named in
    the subtitle) when on the same draws it differs from the first by less than
    ``min_difference`` seats on average."""
    R = len(sim.labels)
    close = []
    if rule_sets is None:
        rule_sets = [0]
        for r in range(1, R):
            if paired_mean(sim, r) < min_difference:
                close.append(r)
            else:
                rule_sets.append(r)
    rule_sets = list(rule_sets)
    ncols = 1 if len(rule_sets) <= 2 else 2
    nrows = -(-len(rule_sets) // ncols)
    with house_style():
        fig = new_figure(WIDTH, 1.55 * nrows + 0.35)
        axes = np.atleast_1d(fig.subplots(nrows, ncols, sharex=True, sharey=True,
                                          squeeze=False)).ravel()
        right, peak = 0.0, 0.0
        for k, (ax, r) in enumerate(zip(axes, rule_sets)):
            plot_changes(sim, r, ax=ax, annotate=False)
            values, counts = changes_distribution(sim, r)
            lo, hi = interval90(values, counts)
            ax.set_title(f"{sim.labels[r]}: mean {sim.mean_changes(r):.1f}; "
                         f"{_interval_text(lo, hi)}", loc="left", fontsize=8)
            right = max(right, ax.get_xlim()[1])
            peak = max(peak, ax.get_ylim()[1])
            ax.set_xlabel("")
            ax.set_ylabel("% of draws" if k % ncols == 0 else "")
        for ax in axes[:len(rule_sets)]:
            ax.set_xlim(-0.9, right)
            ax.set_ylim(0, peak)
        bottom = list(axes[:len(rule_sets)])[-ncols:]
        for ax in axes[len(rule_sets):]:
            ax.set_visible(False)
        if len(rule_sets) % ncols:  # the panel above a hidden one shows its own axis
            axes[len(rule_sets) - ncols].tick_params(labelbottom=True)
            axes[len(rule_sets) - ncols].set_xlabel(f"seats changing hands (of "
                                                    f"{sim.rules[0].seats})")
        for ax in bottom:
            ax.set_xlabel(f"seats changing hands (of {sim.rules[0].seats})")
        values, counts = changes_distribution(sim, 0)
        lo, hi = interval90(values, counts)
        span = f"{lo:g} to {hi:g} seats" if lo != hi else f"{lo:g} seats"
        title = (f"If the count had been slightly different, {span} would change hands in 90% "
                 f"of cases (mean {sim.mean_changes(0):.1f})")
        sub = (f"{heading or sim.election}. {sim.n:,} simulated counts around the reported "
               "one, each allocated under every rule set; for each, the seats that change "
               f"hands against the seats “{sim.labels[0]}” gives on the reported count. Bars: "
               "share of draws; black line: mean; grey band: 90% of draws")
        sub += ("; triangle: the rule set on the reported count itself." if len(rule_sets) > 1
                else ".")
        if close:
            sub += (f" Not shown, as they differ from “{sim.labels[0]}” by less than "
                    f"{min_difference:g} seat on average on the same draw: "
                    + ", ".join(f"{sim.labels[r]} ({paired_mean(sim, r):.2f})" for r in close)
                    + ".")
        return finish(fig, title, sub, _mc_source(sim, 0, data))


def figure_list_seats(sim: Simulation, r: int = 0, *, colours=None, data: str | None = None,
                      heading: str | None = None) -> Figure:
    """Per-list seat distributions from the Monte Carlo run (one row per list)."""
    hist = sim.seat_hist(r)
    rows = sum(1 for i in range(len(sim.list_names))
               if hist[i, 1:].any() or sim.reported_seats[r][i])
    with house_style():
        fig = new_figure(WIDTH, 0.45 * rows + 0.7)
        ax = fig.add_subplot()
        plot_list_seats(sim, r, ax=ax, colours=colours)
        never = len(sim.list_names) - rows
        title = f"How many seats each list wins when the count varies ({sim.labels[r]})"
        sub = (f"{heading or sim.election}. Share of {sim.n:,} simulated counts giving each "
               "list each number of seats, lists in order of reported votes; black tick: "
               "seats on the reported count; right: mean seats, 90% interval and how often "
               "the list wins no seat.")
        if never:
            sub += f" {never} lists won no seat in any draw and are not shown."
        return finish(fig, title, sub, _mc_source(sim, r, data))


def figure_majority(curve, *, heading: str | None = None) -> Figure:
    with house_style():
        fig = new_figure(WIDTH, 2.9)
        ax = fig.add_subplot()
        plot_majority(curve, ax=ax)
        sub = (f"{heading or curve.election}. For each threshold, {curve.per_threshold:,} "
               "simulated counts around the reported one; share of them in which a single "
               "list holds more than half (two thirds) of the seats. Bands: 95% Monte Carlo "
               "uncertainty.")
        if curve.cap is not None and curve.cap < curve.majority:
            sub += (f" No list may hold more than {curve.cap} seats, so neither a majority "
                    f"({curve.majority}) nor two thirds can happen.")
        elif curve.cap is not None and curve.cap < curve.two_thirds:
            sub += (f" No list may hold more than {curve.cap} seats, so two thirds "
                    "cannot happen.")
        if np.any(np.asarray(curve.p_unfilled) > 0):
            sub += (" Dotted: counts where too few lists pass to fill the seats under the "
                    "cap; they hold no majority.")
        return finish(fig, majority_title(curve), sub, curve.source)


def _column_note(label: str, change: str) -> str:
    return label if label.lower() == change.lower() else f"{label} = {change}"


def figure_comparison(comparison: Comparison, *, colours=None,
                      heading: str | None = None) -> Figure:
    """The rule comparison table with a title naming the largest change."""
    _, names, _ = comparison_table(comparison)
    with house_style():
        fig = new_figure(WIDTH, 0.3 * (len(names) + 1) + 1.1)
        ax = fig.add_subplot()
        plot_comparison(comparison, ax=ax, colours=colours)
        alts = [o for o in comparison.alternatives if o.changed_from_baseline]
        e = comparison.election
        most = max(alts, key=lambda o: o.changed_from_baseline, default=None)
        title = "Seats per list under each rule set"
        if comparison.alternatives and most is None and not any(
                o.problem for o in comparison.alternatives):
            n = len(comparison.alternatives)
            title = (f"None of the {n} other rule sets moves a seat" if n > 1 else
                     f"“{comparison.alternatives[0].label}” moves no seat")
        if most is not None:
            title = (f"Changing one rule moves up to {most.changed_from_baseline:g} of "
                     f"{comparison.baseline.rules.seats} seats")
        changes = "; ".join(_column_note(o.label, rules_differences(comparison.baseline.rules,
                                                                   o.rules))
                            for o in comparison.alternatives)
        sub = (f"{heading or e.name}. First column: {comparison.baseline.label}; each other "
               "column changes one rule. Small figures: seats gained (blue) or lost (red) "
               "against the first column.")
        failed = [f"{o.label}: {o.problem}" for o in comparison.alternatives if o.problem]
        extra = "Columns: " + changes + "." + ("" if not failed else
                                               " Not applicable: " + "; ".join(failed) + ".")
        src = source_line(election_line(e), f"{comparison.baseline.label}: "
                          f"{comparison.baseline.rules.describe()}", extra)
        return finish(fig, title, sub, src)


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


__all__ = [
    "DPI", "STYLE", "WIDTH", "Hemicycle", "base_words", "changes_distribution",
    "comparison_table", "dropouts", "figure_changes", "figure_comparison", "figure_hemicycle",
    "figure_list_seats", "figure_majority", "figure_sweep", "finish", "hemicycle_layout",
    "house_style", "interval90", "new_figure", "plot_changes", "plot_comparison",
    "plot_hemicycle", "plot_list_seats", "plot_majority", "plot_sweep", "plot_sweep_changes",
    "render", "source_line", "sweep_edges", "wrap",
]
