"""``seatsim bench``: allocations per second against a plain per-draw reference."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import typer

from simulate.bench.allocation import run_bench
from simulate.cli.common import command, make_console
from simulate.cli.fit import print_fitted
from simulate.threshold import format_percent

if TYPE_CHECKING:
    from rich.console import Console


@command("bench")
def bench_command(
    draws: int = typer.Option(1_000_000, min=1000, help="Draws per case."),
    seed: int = typer.Option(0, help="Seed of the benchmark's vote draws."),
    reference_seconds: float = typer.Option(
        1.0, help="Seconds to spend timing the per-draw reference in each case."
    ),
    montecarlo: bool = typer.Option(
        True, help="Also time the Monte Carlo end to end, without and with a seat cap."
    ),
    memory_draws: int = typer.Option(
        10_000_000,
        help="Draws of the Monte Carlo run whose peak memory is measured "
        "(in a fresh process; 0 skips it).",
    ),
    districts: bool = typer.Option(
        True, help="Also time a districted election: 52 districts, 350 seats, 20 lists."
    ),
    margins: bool = typer.Option(
        True, help="Also time seatsim margins on the Kyrgyz 2020 scenario (when found here)."
    ),
    district_margins: bool = typer.Option(
        True,
        help="Also time the margins of districted elections: the Norway 2021 seed (when found "
        "here) and 52 districts, 20 lists (about a minute).",
    ),
) -> None:
    """Allocations per second for Hare and d'Hondt, next to a plain per-draw Python reference
    timed in the same run (exact integers, one draw at a time), and the ratio."""
    from rich import box
    from rich.table import Table

    err = typer.echo
    console = make_console(width=120)
    rows = run_bench(
        draws=draws,
        seed=seed,
        reference_seconds=reference_seconds,
        progress=lambda what: err(f"timing {what} …", err=True),
    )
    table = Table(
        title=f"seatsim bench: {draws:,} draws per case (one core)",
        title_justify="left",
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        caption="allocations per second (k: thousand, M: million). "
        "allocate_batch: threshold + layout + engine on an (N, P) array; "
        "engine: party-major chunks only; reference: per draw in exact "
        "Python integers, timed on a slice; agree: same seats and tie flags "
        "on that slice; shares: uniform on the simplex, or zipf = scattered "
        "around 1/k like a real count (few large lists)",
    )
    for col in (
        "method",
        "shares",
        "lists",
        "seats",
        "threshold",
        "allocate_batch",
        "engine",
        "reference",
        "ratio",
        "agree",
    ):
        table.add_column(col, justify="left" if col in ("method", "shares", "agree") else "right")
    for r in rows:
        table.add_row(
            r.method,
            r.shares,
            str(r.lists),
            f"{r.seats:,}",
            format_percent(r.threshold),
            _rate(r.batch_per_s),
            _rate(r.engine_per_s),
            _rate(r.reference_per_s),
            f"{r.ratio:,.0f}×",
            "yes" if r.agree else "NO",
        )
    print_fitted(console, table, key=5)  # method, shares, lists, seats, threshold: the case
    if not all(r.agree for r in rows):
        raise typer.Exit(1)
    if districts:
        from simulate.bench.districts import bench_districts

        err("timing districts (52 districts as rows of one batch) …", err=True)
        d = bench_districts(draws=draws, seed=seed, reference_seconds=reference_seconds)
        paragraph = (
            f"\nDistricts, {d.method}: {d.districts} districts, {d.seats} seats, {d.lists} lists "
            f"(zipf shares), {d.elections:,} elections as one allocate_batch call\n"
            f"  {d.batch_per_s:,.0f} district allocations/s = {d.elections_per_s:,.0f} "
            f"elections/s\n  reference {d.reference_per_s:,.0f} district allocations/s "
            f"(ratio {d.ratio:,.0f}×); agree: {'yes' if d.agree else 'NO'}\n"
            f"  allocate_districts (one election, with eligibility and reasons): "
            f"{d.whole_per_s:,.0f} elections/s"
        )
        for line in paragraph.split("\n"):  # (the console escapes a newline in a string)
            console.print(line)
        if not d.agree:
            raise typer.Exit(1)
        _bench_district_montecarlo(console, draws, seed, reference_seconds, memory_draws)
    if margins:
        _bench_margins(console)
    if district_margins:
        _bench_district_margins(console)
    if montecarlo:
        from simulate.bench.montecarlo import bench_montecarlo

        for capped in (False, True):
            what = "with a seat cap" if capped else "no cap"
            err(f"timing a Monte Carlo run end to end ({what}) …", err=True)
            mc = bench_montecarlo(
                draws=draws,
                memory_draws=(memory_draws or None) if capped else None,
                loop_draws=max(1000, min(20_000, draws // 50)),
                capped=capped,
            )
            st = mc.settings
            cap = f"at most {st['cap']} seats per list" if st["cap"] else "no seat cap"
            paragraph = (
                f"\nMonte Carlo end to end, one process: {st['lists']} lists, {st['seats']} "
                f"seats, {cap},\n  {st['model']}, rule sets {' + '.join(st['rule_sets'])}\n"
                f"  {mc.draws_per_second:,.0f} draws/s; plain per-draw loop "
                f"{mc.loop_draws_per_second:,.0f} draws/s (ratio {mc.ratio:,.0f}×)\n"
                f"  per million draws: drawing votes {mc.generate_s_per_million:.2f} s, "
                f"thresholds and engine {mc.engine_s_per_million:.2f} s, tallies "
                f"{mc.tally_s_per_million:.2f} s, set-up {mc.overhead_s_per_million:.2f} s\n"
                f"  numpy's Dirichlet alone for the 16 lists: {mc.dirichlet_s_per_million:.2f} s "
                f"per million (the issue's yardstick: 0.35)\n"
                f"  scaled to that yardstick (this run's rate × {mc.dirichlet_s_per_million:.2f}"
                f" / 0.35): {mc.draws_per_second * mc.dirichlet_s_per_million / 0.35:,.0f}"
                f" draws/s"
            )
            for line in paragraph.split("\n"):
                console.print(line)
            if mc.peak_memory_mb is not None:
                console.print(
                    f"  peak memory of {mc.memory_draws:,} draws: "
                    f"{mc.peak_memory_mb:,.0f} MB (whole process)"
                )


def _bench_district_montecarlo(
    console: Console, draws: int, seed: int, reference_seconds: float, memory_draws: int
) -> None:
    """The districted Monte Carlo of the same case end to end, with its peak memory (a run of
    at most 200,000 draws in a fresh process, memory not growing with the draws; none when
    ``--memory-draws 0``)."""
    from simulate.bench.montecarlo_districts import bench_district_montecarlo

    typer.echo("timing a districted Monte Carlo end to end …", err=True)
    m = bench_district_montecarlo(
        draws,
        seed=seed,
        reference_seconds=reference_seconds,
        memory_draws=min(draws, 200_000) if memory_draws else None,
    )
    st = m.settings
    paragraph = (
        f"\nDistricted Monte Carlo end to end, one process: {st['districts']} districts, "
        f"{st['seats']} seats, {st['lists']} lists, {st['method']}, "
        f"{st['district_threshold']} in a district,\n  district swing (sigma national "
        f"{st['model']['sigma_national']:g}, district {st['model']['sigma_district']:g}): "
        f"{m.draws:,} draws in {m.seconds:.1f} s ({m.cpu_seconds:.1f} s of CPU) = "
        f"{m.draws_per_second:,.0f} draws/s\n  plain per-draw reference (allocate_one per "
        f"district): {m.reference_draws_per_second:,.0f} draws/s (ratio {m.ratio:,.0f}x)\n"
        f"  per million draws: votes drawn {m.votes_s_per_million:.2f} s, eligibility "
        f"{m.eligibility_s_per_million:.2f} s, allocate_batch {m.allocate_s_per_million:.2f} s, "
        f"tallies {m.tally_s_per_million:.2f} s, set-up {m.overhead_s_per_million:.2f} s"
    )
    if m.peak_memory_mb is not None:
        paragraph += (
            f"\n  peak memory of {m.memory_draws:,} draws: {m.peak_memory_mb:,.0f} MB "
            "(whole process)"
        )
    for line in paragraph.split("\n"):
        console.print(line)


MARGINS_SCENARIO = "scenarios/kyrgyzstan-2020.toml"


def _bench_margins(console: Console) -> None:
    """All margins of the Kyrgyz 2020 scenario under its rules and under d'Hondt (the
    scenario is read from the project folder this is run in; skipped when absent)."""
    from pathlib import Path

    from simulate.bench.margins import bench_margins
    from simulate.scenario.file import Scenario

    if not Path(MARGINS_SCENARIO).is_file():
        console.print()
        console.print(f"margins: {MARGINS_SCENARIO} not found here, not timed")
        return
    typer.echo("timing margins …", err=True)
    sc = Scenario.load(MARGINS_SCENARIO)
    for label, rules in (
        ("rules in force", sc.rules),
        ("d'Hondt", sc.rules.replace(method="dhondt")),
    ):
        t = bench_margins(sc.election, rules, label)
        console.print()
        console.print(
            f"margins, {MARGINS_SCENARIO} ({label}: {t.lists} lists, {t.seats} seats, "
            f"{t.method}): every list, {t.pairs} ordered pairs and the closest calls in "
            f"{t.best_s:.2f} s (best of {t.repeats}; median {t.median_s:.2f} s; target 0.5 s)"
        )


NORWAY = ("seeds/norway-2021-results.csv", "seeds/norway-2021-district-seats.csv")


def _bench_district_margins(console: Console) -> None:
    """All margins of a districted election: the Norway 2021 seed (when found here) and the
    synthetic 52 districts, 20 lists of the districts benchmark."""
    from fractions import Fraction
    from pathlib import Path

    from simulate.bench.margins import bench_district_margins, synthetic_districts
    from simulate.election import Election
    from simulate.rules import Rules

    cases = []
    if all(Path(p).is_file() for p in NORWAY):
        norway = Election.from_csv(*NORWAY)
        rules = Rules(seats=150, method="modified-sainte-lague")
        cases.append((norway, rules, "the Norway 2021 seed"))
    synthetic = synthetic_districts()
    cases.append(
        (synthetic, Rules(seats=350, method="dhondt", threshold=Fraction(1, 20)), "synthetic")
    )
    for election, rules, label in cases:
        typer.echo(f"timing district margins: {label} …", err=True)
        t = bench_district_margins(election, rules, label)
        console.print()
        console.print(
            f"district margins, {label} ({t.districts} districts, {t.lists} lists, "
            f"{rules.describe()}): every list per district and in total, {t.pairs:,} "
            f"(district, pair)s and the closest calls in {t.best_s:.1f} s"
        )


def _rate(per_second: float) -> str:
    """Allocations per second in three significant figures: "7.33M", "88.8k", "120"."""
    for unit, size in (("M", 1e6), ("k", 1e3)):
        if per_second >= size:
            value = per_second / size
            return f"{value:.{max(0, 2 - int(math.log10(value)))}f}{unit}"
    return f"{per_second:.0f}"
