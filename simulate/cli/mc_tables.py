"""Terminal tables (rich) for a Monte Carlo ``Simulation``."""

from __future__ import annotations

from rich import box
from rich.table import Table

from .common import make_console

from ..simulation import Simulation, binomial_se, majority, two_thirds

console = make_console()
HIDE_BELOW = 0.0005
"""Lists with no reported seat and P(pass), P(seat) below this under every rule set are
named in one line instead of a row each."""


def _pct(p: float, n: int) -> str:
    """A probability in percent with its standard error: '57.9 ± 0.1'."""
    return f"{100 * p:.1f}±{100 * float(binomial_se(p, n)):.1f}"


def list_table(sim: Simulation, r: int, shown: list[int]) -> Table:
    rules = sim.rules[r]
    table = Table(title=f"{sim.labels[r]}: {rules.describe()}", title_justify="left",
                  box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("list", min_width=12, overflow="fold")
    for name in ("now", "mean seats", "90%", "pass %", "seat %"):
        table.add_column(name, justify="right", no_wrap=True)
    if r:
        table.add_column("Δ first", justify="right", no_wrap=True)
    mean, se, interval = sim.mean_seats(r), sim.mean_seats_se(r), sim.interval(r)
    p_pass, p_seat = sim.p_pass(r), sim.p_seat(r)
    diff = sim.mean_difference(r) if r else None
    diff_se = sim.mean_difference_se(r) if r else None
    for i in shown:
        name = sim.list_names[i]
        row = [name, str(sim.reported_seats[r][i]), f"{mean[i]:.2f}±{se[i]:.2f}",
               f"{interval[i][0]}–{interval[i][1]}", _pct(p_pass[i], sim.n),
               _pct(p_seat[i], sim.n)]
        if r:
            row.append(f"{diff[i]:+.2f}±{diff_se[i]:.2f}")
        table.add_row(*row)
    return table


def parliament_lines(sim: Simulation, r: int) -> list[str]:
    S, n, t = sim.rules[r].seats, sim.n, sim.tally
    lines = [
        f"P(one list holds a majority, {majority(S)} of {S}) {_pct(sim.p_majority(r), n)}%; "
        f"two thirds ({two_thirds(S)}) {_pct(sim.p_two_thirds(r), n)}%",
    ]
    mean, se = sim.mean_changes(r), sim.mean_changes_se(r)
    dist = sim.changes_hist(r)
    common = sorted(((c, k) for k, c in enumerate(dist) if c), reverse=True)[:4]
    shown = ", ".join(f"{k / 2:g}: {100 * c / n:.1f}%" for c, k in common)
    lines.append(f"seats changing hands against {sim.labels[0]} on the reported votes: "
                 f"mean {mean:.2f}±{se:.2f}; most often {shown}")
    if t.lots[r] or t.unfilled[r]:
        lines.append(f"draws decided by lot: {t.lots[r]:,}; seats not filled: "
                     f"{t.unfilled[r]:,}")
    return lines


def print_simulation(sim: Simulation, title: str | None = None) -> None:
    s = sim.settings
    console.print(f"[bold]{title or sim.election}[/bold]: Monte Carlo, {sim.n:,} draws, "
                  f"seed {s['seed']}, model {_model(s['model'])}"
                  + (f", threshold {s['threshold']['kind']} "
                     f"{' to '.join(s['threshold']['values'])}" if s["threshold"] else ""))
    R = range(len(sim.rules))
    hidden = [i for i in range(len(sim.list_names))
              if all(sim.reported_seats[r][i] == 0 and sim.p_seat(r)[i] < HIDE_BELOW
                     and sim.p_pass(r)[i] < HIDE_BELOW for r in R)]
    shown = [i for i in range(len(sim.list_names)) if i not in hidden]
    for r in R:
        console.print(list_table(sim, r, shown))
        for line in parliament_lines(sim, r):
            console.print("  " + line)
        console.print()
    console.print(f"now: seats on the reported votes; 90%: interval of the seats; pass %, seat "
                  f"%: P(passing the threshold), P(at least one seat); Δ first: mean seats "
                  f"minus under {sim.labels[0]}, draw by draw")
    if hidden:
        names = ", ".join(sim.list_names[i] for i in hidden)
        console.print(f"not shown (below {100 * HIDE_BELOW:g}% to pass or win a seat under "
                      f"every rule set): {names}")
    console.print(f"± standard errors: probabilities binomial; means {sim.mean_se_method}")
    for note in sim.notes:
        console.print(f"note: {note}")


def _model(model: dict) -> str:
    kind = model["kind"]
    params = ", ".join(f"{k} {v}" for k, v in model.items() if k != "kind")
    return f"{kind} ({params})" if params else kind
