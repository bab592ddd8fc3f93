"""Results as CSV tables (``--csv DIR``), written together once everything is computed."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from simulate.allocation import Allocation
from simulate.districts import DistrictAllocation
from simulate.eligibility import Shortfall, why_not
from simulate.report.atomic import check_outputs, write_files
from simulate.report.json_dicts import (
    METRIC_KEYS,
    district_measures_dict,
    exact_ratio,
    measures_dict,
    round_share,
)
from simulate.scenario.compare import Comparison
from simulate.scenario.result import ScenarioRun
from simulate.scenario.sweep import Sweep

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these is a formula to a spreadsheet (``=HYPERLINK(…)``)."""


def cell(value: Any) -> Any:
    """A CSV cell: None empty; a text that a spreadsheet would run as a formula (a list named
    "=1+1" or "@SUM(A1)") led by an apostrophe, which spreadsheets show as text. Numbers are
    left as they are (-3 stays a number)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv(header: list[str], rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([cell(x) for x in header])
    for row in rows:
        w.writerow([cell(x) for x in row])
    return buf.getvalue()


def lists_csv(result: Allocation, shortfalls: Sequence[tuple[Shortfall, ...]]) -> str:
    rows = [
        [
            r.name,
            r.votes,
            round_share(r.share),
            r.passed,
            r.seats,
            r.official_seats,
            r.short_by,
            why_not(m, r.share),
        ]
        for r, m in zip(result.lists, shortfalls)
    ]
    return _csv(
        ["list", "votes", "share", "passed", "seats", "official_seats", "short_by", "why_not"], rows
    )


def compare_csv(c: Comparison) -> str:
    """One row per list, one seat column per rule set."""
    outcomes = c.outcomes
    rows = []
    for i, name in enumerate(c.election.names):
        rows.append([name, *(None if o.seats is None else int(o.seats[i]) for o in outcomes)])
    return _csv(["list", *(o.label for o in outcomes)], rows)


def metrics_csv(c: Comparison) -> str:
    """One row per rule set: its metrics and the seats changing hands against the baseline."""
    rows = []
    for o in c.outcomes:
        m = measures_dict(o.measures) or {}
        rows.append(
            [
                o.label,
                o.rules.describe(),
                o.changed_from_baseline,
                *(m.get(k) for k in METRIC_KEYS),
                o.problem,
            ]
        )
    return _csv(["rule_set", "rules", "changed_from_baseline", *METRIC_KEYS, "problem"], rows)


def sweep_csv(s: Sweep) -> str:
    """One row per interval, with one seat column per list."""
    names = s.election.names
    rows = []
    for iv in s.intervals:
        seats = iv.seats
        rows.append(
            [
                exact_ratio(iv.low),
                exact_ratio(iv.high),
                round_share(100 * iv.low),
                round_share(100 * iv.high),
                iv.low_included,
                iv.high_included,
                len(iv.passed),
                None if iv.measures is None else round_share(iv.measures.wasted_share),
                iv.changed_from_previous,
                iv.changed_from_baseline,
                iv.problem,
                *([None] * len(names) if seats is None else [int(x) for x in seats]),
            ]
        )
    return _csv(
        [
            "low",
            "high",
            "low_percent",
            "high_percent",
            "low_included",
            "high_included",
            "lists_passing",
            "wasted_share",
            "changed_from_previous",
            "changed_from_baseline",
            "problem",
            *names,
        ],
        rows,
    )


DISTRICT_COLUMNS = ("district", "list", "votes", "seats", "official_seats", "took_part", "why_not")
"""The long form of ``seatsim allocate --csv``'s districts.csv; a run adds one seat column per
rule set allocated by district."""

DISTRICT_METRICS = tuple(k for k in METRIC_KEYS if k not in ("majority", "two_thirds"))
"""A district's metrics: those of a rule set but who holds a majority (of the house, not of a
district)."""


def districts_csv(result: DistrictAllocation, c: Comparison | None = None) -> str:
    """One row per district and list that stood there: votes, seats under the baseline,
    official seats, whether it took part and why not; then, with a comparison, the seats under
    each other rule set allocated by district (a column named after it, empty where it could
    not be allocated)."""
    others = [] if c is None else [o for o in c.alternatives if not o.national]
    index = {n: i for i, n in enumerate(result.names)}
    place = {d: j for j, d in enumerate(result.districts)}
    rows = []
    for row in result.long_rows():
        j, i = place[str(row["district"])], index[str(row["list"])]
        rows.append(
            [row[k] for k in DISTRICT_COLUMNS]
            + [None if o.districts is None else int(o.districts.seats[j, i]) for o in others]
        )
    return _csv([*DISTRICT_COLUMNS, *(o.label for o in others)], rows)


def district_metrics_csv(run: ScenarioRun) -> str:
    """One row per district: its seats, votes for lists and metrics under the baseline, then
    the seats changing hands there under each other rule set allocated by district."""
    others = [o for o in run.comparison.alternatives if not o.national]
    rows = []
    for j, m in enumerate(run.district_measures):
        d = district_measures_dict(m)
        rows.append(
            [m.district, m.seats, m.votes, *(d[k] for k in DISTRICT_METRICS)]
            + [None if o.district_changes is None else o.district_changes[j] for o in others]
        )
    header = ["district", "seats", "votes", *DISTRICT_METRICS]
    return _csv(header + [f"changed: {o.label}" for o in others], rows)


def write_csv_files(
    folder: str | Path, stem: str, tables: dict[str, str], inputs: Iterable[str | Path] = ()
) -> list[Path]:
    """Write ``{name: csv text}`` as ``folder/stem.name.csv``, together (``write_files``).
    All text is made, and every target checked (none may replace one of ``inputs``, the files
    the run read), before the first file is written, so a failure cannot leave a mix of
    runs."""
    folder = Path(folder)
    paths = {f"--csv {name}": folder / f"{stem}.{name}.csv" for name in tables}
    check_outputs(paths, inputs)
    return write_files(
        {
            Path(path): text.encode("utf-8")
            for path, text in zip(paths.values(), tables.values(), strict=True)
        }
    )


def run_csv_tables(run: ScenarioRun) -> dict[str, str]:
    tables = {
        "lists": lists_csv(run.allocation, run.shortfalls),
        "compare": compare_csv(run.comparison),
        "metrics": metrics_csv(run.comparison),
    }
    if run.sweep is not None:
        tables["sweep"] = sweep_csv(run.sweep)
    if run.districts is not None:
        tables["districts"] = districts_csv(run.districts, run.comparison)
        tables["district-metrics"] = district_metrics_csv(run)
    return tables
