"""Terminal tables (rich) for a Monte Carlo ``Simulation``."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from rich import box
from rich.padding import Padding
from rich.table import Table

from simulate.cli.common import make_console, plain_text
from simulate.cli.fit import print_fitted
from simulate.metrics import binomial_se, majority, two_thirds
from simulate.montecarlo.result import Simulation
from simulate.rules import Rules
from simulate.threshold import format_percent
from simulate.wording import plural

HIDE_BELOW = 0.0005
"""Lists with no reported seat and P(pass), P(seat) below this under every rule set are
named in one line instead of a row each."""

MOST_DECIMALS = 3
"""A standard error is shown with as many decimals as it takes to show its first digit, up
to this many; a smaller one reads '<0.001'."""


# ---------------------------------------------------------------------------------------------
# numbers with their standard errors


def _se_decimals(se: float, least: int) -> int:
    """Decimals that show the first significant digit of ``se`` (at least ``least``)."""
    if se <= 0 or not math.isfinite(se):
        return least
    decimals = -math.floor(math.log10(se))
    if round(se, decimals) >= 10.0 ** (1 - decimals):  # 0.0096 rounds up to 0.01, not 0.010
        decimals -= 1
    return min(max(least, decimals), MOST_DECIMALS)


def _se_text(se: float, decimals: int) -> str:
    text = f"{se:.{decimals}f}"
    return text if float(text) > 0 else f"<{10.0**-decimals:.{decimals}f}"


def _pct(p: float, n: int) -> str:
    """A probability in percent with its binomial standard error: '57.9 ± 0.3', '99.9 ± 0.03';
    '0' and '100' when no draw or every draw did it; '<0.1', '>99.9' beyond (where one
    decimal would round to 0.0 or 100.0); '–' when there is no draw to count (NaN)."""
    if not math.isfinite(p):
        return "–"
    if p <= 0:
        return "0"
    if p >= 1:
        return "100"
    if p < 0.001:
        return "<0.1"
    if p > 0.999:
        return ">99.9"
    se = 100 * float(binomial_se(p, n))
    return f"{100 * p:.1f} ± {_se_text(se, _se_decimals(se, 1))}"


def _pct_words(p: float, n: int) -> str:
    """A probability in a sentence: '0.1 ± 0.03%', '0% (no draw)', '100% (every draw)'."""
    if not math.isfinite(p):
        return "– (no draw to count)"
    if p <= 0:
        return "0% (no draw)"
    if p >= 1:
        return "100% (every draw)"
    return f"{_pct(p, n)}%"


def _estimate(x: float, se: float | None, signed: bool = False) -> str:
    """A mean with its standard error, '45.88 ± 0.06', with decimals enough for the error to
    show ('−0.001 ± 0.002', not '−0.00 ± 0.00'); an exact 0 (no spread at all) as '0'."""
    sign = "+" if signed else ""
    if not math.isfinite(x):
        return "–"
    if se is not None and se == 0:
        return "0" if x == 0 else f"{x:{sign}g}"
    if se is None or not math.isfinite(se):
        return f"{x:{sign}.2f}"
    decimals = _se_decimals(se, 2)
    value = f"{x:{sign}.{decimals}f}"
    if float(value) == 0:
        value = f"{0:{sign}.{decimals}f}"  # no "-0.00"
    return f"{value} ± {_se_text(se, decimals)}"


def _number(x: Any) -> str:  # a JSON number (or a word such as "inf")
    """2000.0 → '2,000'; 2.5 → '2.5'."""
    if isinstance(x, str):
        return x
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,g}"


def _names(names: Iterable[str]) -> str:
    """['A', 'B', 'C'] → 'A, B and C'."""
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


# ---------------------------------------------------------------------------------------------
# the settings in words


def model_text(model: Mapping[str, Any]) -> str:
    """The vote model as the header says it: 'dirichlet (concentration 2,000)'."""
    kind = model["kind"]
    parts = []
    if kind == "dirichlet":
        c = model.get("concentration")
        parts.append("no noise" if c in ("inf", math.inf) else f"concentration {_number(c)}")
    elif kind == "logit-normal":
        sd = model.get("sd", 0)
        text = f"sd {_number(sd)} percentage point{'' if sd == 1 else 's'}"
        named = ", ".join(f"{k} {_number(v)}" for k, v in (model.get("sd_lists") or {}).items())
        parts.append(text + (f", {named}" if named else ""))
    elif kind == "transfer":
        low, high = model.get("transfer_share") or ("0%", "0%")
        share = low if low == high else f"{low} to {high}"
        text = f"{share} of the votes of {_names(model.get('transfer_from') or [])} moved"
        to = model.get("transfer_to") or []
        parts.append(text + (f" to {_names(to)}" if to else " to the others in proportion"))
    elif kind == "uniform":
        least = model.get("min_share")
        if least and least != "0%":
            parts.append(f"every share at least {least}")
    else:  # a model this file does not know: its parameters, lists as names
        for key, value in model.items():
            if key == "kind" or value in (None, [], {}, ""):
                continue
            if isinstance(value, (list, tuple)):
                value = ", ".join(str(v) for v in value)
            elif isinstance(value, dict):
                value = ", ".join(f"{k} {_number(v)}" for k, v in value.items())
            parts.append(f"{key.replace('_', ' ')} {_number(value)}")
    return f"{kind} ({'; '.join(parts)})" if parts else kind


def threshold_draw_text(variation: Mapping[str, Any], of: str = "") -> str:
    """What the Monte Carlo threshold is in every draw ('6%', 'drawn uniformly from 5% to
    9%', 'drawn from 5%, 7% or 9% (weights 1, 2, 1)'), ``of`` (' of participants') after
    the values."""
    values = variation["values"]
    if variation["kind"] == "fixed":
        return f"{values[0]}{of}"
    if variation["kind"] == "uniform":
        return f"drawn uniformly from {values[0]} to {values[1]}{of}"
    options = values[0] if len(values) == 1 else f"{', '.join(values[:-1])} or {values[-1]}"
    weights = variation.get("weights") or []
    if len(set(weights)) > 1:
        return f"drawn from {options}{of} (weights {', '.join(_number(w) for w in weights)})"
    return f"drawn from {options}{of}" + (" (equally likely)" if len(values) > 1 else "")


def rules_text(rules: Rules, variation: Mapping[str, Any] | None) -> str:
    """A rule set as its table's header says it: its own description, or, when the Monte
    Carlo replaces the threshold, the threshold actually used and the one it replaces."""
    if variation is None:
        return rules.describe()
    base = rules.threshold_base.replace("-", " ")
    strict = " (a list must exceed it)" if rules.strict else ""
    own = (
        (
            f'this rule set\'s {format_percent(rules.threshold)}; the column "now" is at '
            f"{format_percent(rules.threshold)}"
        )
        if rules.threshold
        else 'this rule set has none of its own; the column "now" is without one'
    )
    used = (
        f"threshold {threshold_draw_text(variation, f' of {base}')}{strict} in every draw "
        f"(replaces {own})"
    )
    rest = rules.replace(threshold=0).describe()
    return f"{rest}; {used}"


# ---------------------------------------------------------------------------------------------
# tables and lines


def list_table(sim: Simulation, r: int, shown: list[int]) -> Table:
    rules = sim.rules[r]
    table = Table(
        title=f"{sim.labels[r]}: {rules_text(rules, sim.settings.get('threshold'))}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("list", min_width=12, overflow="fold")
    for name in ("now", "mean seats", "90%", "pass %", "seat %"):
        table.add_column(name, justify="right", no_wrap=True)
    if r:
        table.add_column("Δ first", justify="right", no_wrap=True)
    mean, se, interval = sim.mean_seats(r), sim.mean_seats_se(r), sim.interval(r)
    p_pass, p_seat = sim.p_pass(r), sim.p_seat(r)
    diff = sim.mean_difference(r) if r else None
    diff_se = sim.mean_difference_se(r) if r else None
    nf = sim.filled(r)
    for i in shown:
        name = sim.list_names[i]
        now = sim.reported_seats[r]
        row = [
            name,
            "–" if now is None else str(now[i]),
            _estimate(mean[i], se[i]),
            f"{interval[i][0]}–{interval[i][1]}" if nf else "–",
            _pct(p_pass[i], sim.n),
            _pct(p_seat[i], nf),
        ]
        if r:
            assert diff is not None and diff_se is not None  # (computed when r)
            row.append(_estimate(diff[i], diff_se[i], signed=True))
        table.add_row(*row)
    return table


def parliament_lines(sim: Simulation, r: int) -> list[str]:
    S, n, t = sim.rules[r].seats, sim.filled(r), sim.tally
    lines = []
    if t.unfilled[r]:
        lines.append(
            f"{plural(int(t.unfilled[r]), 'draw')} "
            f"({_pct(sim.p_unfilled(r), sim.n)}%) whose seats could not all be "
            f"filled under these rules: the seat figures are over the other "
            f"{n:,}"
            if n
            else "no draw's seats could be filled under these rules"
        )
    if not n:
        return lines
    lines.append(
        f"P(one list holds a majority, {majority(S)} of {S}): {_pct_words(sim.p_majority(r), n)}"
        f"; two thirds ({two_thirds(S)}): {_pct_words(sim.p_two_thirds(r), n)}"
    )
    mean, se = sim.mean_changes(r), sim.mean_changes_se(r)
    dist = sim.changes_hist(r)
    common = sorted(((c, k) for k, c in enumerate(dist) if c), reverse=True)[:4]
    shown = ", ".join(
        (
            f"{plural(k / 2 if k % 2 else k // 2, 'seat')} ({100 * c / n:.1f}% of draws)"
            if j == 0
            else f"{k / 2:g} ({100 * c / n:.1f}%)"
        )
        for j, (c, k) in enumerate(common)
    )
    lines.append(
        f'seats changing hands against "{sim.labels[0]}" on the reported votes: '
        f"mean {_estimate(mean, se)}; most often {shown}"
    )
    if t.lots[r]:
        lines.append(f"{plural(int(t.lots[r]), 'draw')} decided by lot")
    return lines


def print_simulation(sim: Simulation, title: str | None = None) -> None:
    console = make_console()
    s = sim.settings
    variation = s.get("threshold")
    console.print(
        plain_text(title or sim.election, "bold")
        + plain_text(
            f": Monte Carlo, {plural(sim.n, 'draw')}, seed {s['seed']}, "
            f"model {model_text(s['model'])}"
            + (
                f"; threshold {threshold_draw_text(variation)} in every draw, replacing "
                "each rule set's own"
                if variation
                else ""
            )
        )
    )
    R = range(len(sim.rules))
    hidden = [
        i
        for i in range(len(sim.list_names))
        if all(
            sim.reported_or_zero(r)[i] == 0
            and sim.p_seat(r)[i] < HIDE_BELOW
            and sim.p_pass(r)[i] < HIDE_BELOW
            for r in R
        )
    ]
    shown = [i for i in range(len(sim.list_names)) if i not in hidden]
    for r in R:
        print_fitted(console, list_table(sim, r, shown))
        for line in parliament_lines(sim, r):
            console.print(Padding(line, (0, 0, 0, 2)))  # wrapped lines keep the indent
        console.print()
    now = (
        "seats on the reported votes under each rule set as written (its own threshold, "
        "not the Monte Carlo's)"
        if variation
        else "seats on the reported votes"
    )
    if any(seats is None for seats in sim.reported_seats):
        now += " (–: the rule set cannot fill the seats on the reported votes)"
    console.print(
        f"now: {now}; 90%: interval of the seats; pass %, seat %: P(passing the "
        f"threshold), P(at least one seat); Δ first: mean seats under the rule set "
        f'minus under "{sim.labels[0]}", draw by draw'
    )
    if sim.tally.unfilled.any():
        console.print(
            "pass % is over every draw; the seat figures (mean seats, 90%, seat %, "
            "Δ first, the parliament) are over the draws whose seats could be "
            "filled under the rule set (Δ first: under both)"
        )
    if hidden:
        names = ", ".join(sim.list_names[i] for i in hidden)
        console.print(
            f"not shown (below {100 * HIDE_BELOW:g}% to pass or win a seat under "
            f"every rule set): {names}"
        )
    console.print(
        f"± standard errors: probabilities binomial; means {sim.mean_se_method}; "
        "0 and 100: in no draw, in every draw; <0.1 and >99.9: in fewer than one "
        "draw in 1,000, in all but fewer than one in 1,000"
    )
    for note in sim.notes:
        console.print(f"note: {note}")
