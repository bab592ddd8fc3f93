"""Figures for reports: every ``plot_x(result, *, ax=None, **style)`` returns its Axes.

A plot function draws one panel. Given an ``ax`` it draws there and creates nothing else;
without one it creates a figure (a plain ``matplotlib.figure.Figure``, never pyplot's global
state) in the locked house style, with a title and a source line, ready to paste. Nothing
here saves or shows a figure: ``simulate.plots.write`` and the command line do that.

The ``figure_x`` functions compose whole figures (several panels, title, subtitle, source
line) for ``seatsim figures`` and ``seatsim run``.

One module per concern; this package re-exports their public names, so
``from simulate.plots import plot_sweep`` works as it always has:

- ``style``       the house style, titles and source lines, text wrapping, ``render`` to bytes.
- ``hemicycle``   the parliament diagram.
- ``sweep``       the exact threshold sweep.
- ``montecarlo``  seats changing hands and seats per list over the Monte Carlo draws.
- ``majority``    the chance of a single-list majority against the threshold.
- ``compare``     the rule comparison table.
- ``districts``   seats by district and list (a table of tinted cells);
  ``district_changes``: the seats a rule set moves in each district.

``import simulate`` never imports this package (it imports matplotlib); import it when drawing.
"""

from __future__ import annotations

from simulate.plots.compare import comparison_table, figure_comparison, plot_comparison
from simulate.plots.hemicycle import (
    OTHER_SHADES,
    Hemicycle,
    change_hands,
    figure_hemicycle,
    hemicycle_layout,
    plot_hemicycle,
    seats_moved,
)
from simulate.plots.majority import figure_majority, majority_title, plot_majority
from simulate.plots.margins import margins_table, plot_margins
from simulate.plots.montecarlo import (
    changes_distribution,
    figure_changes,
    figure_list_seats,
    interval90,
    mc_model_text,
    median,
    outcomes,
    paired_mean,
    plot_changes,
    plot_list_seats,
)
from simulate.plots.style import (
    DPI,
    FAINT,
    INK,
    MOVED,
    MUTED,
    OUTLINE,
    SOURCE_PT,
    STYLE,
    SUBTITLE_PT,
    TITLE_PT,
    WIDTH,
    base_words,
    edge_for,
    election_line,
    finish,
    freeze_layout,
    house_style,
    line_effects,
    new_figure,
    pct,
    render,
    rules_differences,
    source_line,
    stable_svg_ids,
    text_width,
    wrap,
)
from simulate.plots.sweep import (
    dropouts,
    figure_sweep,
    plot_sweep,
    plot_sweep_changes,
    plot_sweep_wasted,
    spread,
    sweep_edges,
)

__all__ = [
    "margins_table",
    "plot_margins",
    "DPI",
    "FAINT",
    "Hemicycle",
    "INK",
    "MOVED",
    "MUTED",
    "OTHER_SHADES",
    "OUTLINE",
    "SOURCE_PT",
    "STYLE",
    "SUBTITLE_PT",
    "TITLE_PT",
    "WIDTH",
    "annotations",
    "base_words",
    "change_hands",
    "changes_distribution",
    "comparison_table",
    "dropouts",
    "edge_for",
    "election_line",
    "figure_changes",
    "figure_comparison",
    "figure_hemicycle",
    "figure_list_seats",
    "figure_majority",
    "figure_sweep",
    "finish",
    "freeze_layout",
    "hemicycle_layout",
    "house_style",
    "interval90",
    "line_effects",
    "majority_title",
    "mc_model_text",
    "median",
    "new_figure",
    "outcomes",
    "paired_mean",
    "pct",
    "plot_changes",
    "plot_comparison",
    "plot_hemicycle",
    "plot_list_seats",
    "plot_majority",
    "plot_sweep",
    "plot_sweep_changes",
    "plot_sweep_wasted",
    "render",
    "rules_differences",
    "seats_moved",
    "source_line",
    "spread",
    "stable_svg_ids",
    "sweep_edges",
    "text_width",
    "wrap",
]
