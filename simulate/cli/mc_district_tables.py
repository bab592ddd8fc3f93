"""Terminal tables for a districted Monte Carlo (``DistrictSimulation``): the totals per list,
then the seats changing hands district by district, with standard errors."""

from __future__ import annotations

from rich import box
from rich.table import Table

from simulate.cli.common import make_console, plain_text
from simulate.cli.fit import print_fitted
from simulate.cli.mc_tables import _estimate, _pct, _pct_words
from simulate.metrics import majority
from simulate.montecarlo.district_result import DistrictSimulation
from simulate.wording import plural


def totals_table(sim: DistrictSimulation) -> Table:
    """Per list: seats now (the rules on the reported votes), mean seats, the 90% interval,
    P(same seats as now), P(passes the national threshold), P(majority)."""
    n = sim.draws
    table = Table(
        title=f"seats in total over {plural(len(sim.district_names), 'district')}: "
        f"{sim.rules.describe()}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("list", min_width=12, overflow="fold")
    for name in ("now", "mean seats", "90%", "same %", "pass %", "majority %"):
        table.add_column(name, justify="right", no_wrap=True)
    mean, se, iv = sim.mean_seats(), sim.mean_seats_se(), sim.interval()
    same, passed, major = sim.p_same_seats(), sim.p_pass(), sim.p_majority()
    now = sim.baseline_totals
    probs = sim.seat_probabilities()
    for i, name in enumerate(sim.list_names):
        if now[i] == 0 and probs[i, 0] == 1.0:
            continue  # never a seat: named below the table
        table.add_row(
            plain_text(name),
            str(int(now[i])),
            _estimate(float(mean[i]), float(se[i])),
            f"{iv[i, 0]}–{iv[i, 1]}",
            _pct(float(same[i]), n),
            _pct(float(passed[i]), n),
            _pct(float(major[i]), n),
        )
    return table


def districts_table(sim: DistrictSimulation) -> Table:
    """Per district: seats, mean seats changing hands against now, P(any seat changes)."""
    n = sim.draws
    table = Table(
        title="seats changing hands by district (against the rules on the reported votes)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("district", min_width=10, overflow="fold")
    for name in ("seats", "mean changing", "changed %"):
        table.add_column(name, justify="right", no_wrap=True)
    mean, se = sim.district_changed()
    p_any = sim.p_district_changed()
    for j, name in enumerate(sim.district_names):
        table.add_row(
            plain_text(name),
            str(int(sim.baseline[j].sum())),
            _estimate(float(mean[j]), float(se[j])),
            _pct(float(p_any[j]), n),
        )
    return table


def print_district_simulation(
    sim: DistrictSimulation, title: str | None = None, extra_notes: list[str] | None = None
) -> None:
    console = make_console()
    n = sim.draws
    head = f"Monte Carlo: {title or sim.election}, {n:,} draws (seed {sim.settings['seed']})"
    console.print(plain_text(head, "bold"))
    console.print(plain_text(f"model: {sim.model_text()}"))
    console.print()
    print_fitted(console, totals_table(sim))
    never = [
        name
        for i, name in enumerate(sim.list_names)
        if sim.baseline_totals[i] == 0 and sim.seat_probabilities()[i, 0] == 1.0
    ]
    if never:
        console.print(plain_text(f"no seat in any draw: {', '.join(never)}"))
    mean, se = sim.changed_mean()
    p_major = sim.p_majority()
    console.print(
        plain_text(
            f"P(no list holds a majority, {majority(sim.seats)} of {sim.seats}): "
            f"{_pct_words(float(p_major[-1]), n)}"
        )
    )
    console.print(
        plain_text(
            f"seats changing hands in total against now: mean {_estimate(mean, se)}; "
            f"P(at least one): {_pct_words(sim.p_changed(), n)}"
        )
    )
    console.print()
    print_fitted(console, districts_table(sim))
    extra = []
    if sim.tally.lots:
        extra.append(f"{plural(sim.tally.lots, 'draw')} had a district tie decided by lot")
    if sim.tally.unfilled:
        extra.append(
            f"{plural(sim.tally.unfilled, 'draw')} left a district's seats unfilled "
            "(no list took part there)"
        )
    for line in (*extra, *sim.notes, *(extra_notes or [])):
        console.print(plain_text(f"note: {line}"))


__all__ = ["districts_table", "print_district_simulation", "totals_table"]
