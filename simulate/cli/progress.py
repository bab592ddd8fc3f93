"""Signs of life on stderr while a command works: a progress bar (elapsed, remaining, draws per
second) or a spinner on a terminal, and one line per finished stage when stderr is a file or a
pipe (a log then says what ran and how long it took). Never on standard output."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, Task, TextColumn
from rich.text import Text


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "-:--"
    m, sec = divmod(int(seconds), 60)
    return f"{m // 60}:{m % 60:02d}:{sec:02d}" if m >= 60 else f"{m}:{sec:02d}"


def _rate(speed: float | None) -> str:
    if not speed:
        return "…/s"
    return f"{speed / 1e6:.1f}M/s" if speed >= 1e6 else f"{speed / 1e3:.0f}k/s"


class _Counts(ProgressColumn):
    """ "8,192 of 3,000,000 draws · 1.2 M/s · 0:02 elapsed · 0:05 left": what users expect
    of a progress line, in a width that fits 80 columns beside a short bar."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        left = task.time_remaining
        return Text(
            f"{int(task.completed):,}/{int(task.total or 0):,} · {_rate(speed)} · "
            f"{_clock(task.elapsed)} elapsed · {_clock(left)} left"
        )


def _stderr() -> Console:
    return Console(stderr=True, highlight=False)


@contextmanager
def draws_bar(what: str, total: int, show: bool = True) -> Iterator[Callable[[int], None]]:
    """A bar for ``total`` draws; yields ``update(done)``. Off a terminal, one line at the end:
    ``monte carlo: 200,000 draws in 1.9 s (105,263 draws/s)``."""
    console = _stderr()
    start = time.perf_counter()
    if console.is_terminal and show:
        columns = (TextColumn(what), BarColumn(bar_width=6), _Counts())
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task(what, total=total)
            yield lambda done: bar.update(task, completed=done)
        return
    yield lambda done: None
    if show:
        seconds = time.perf_counter() - start
        rate = f" ({total / seconds:,.0f} draws/s)" if seconds > 0 else ""
        console.print(f"{what}: {total:,} draws in {seconds:.1f} s{rate}", soft_wrap=True)


@contextmanager
def stage(what: str, show: bool = True) -> Iterator[Callable[[str], None]]:
    """A stage without a count (drawing figures): a spinner on a terminal, one line at the end
    elsewhere. Yields ``done(detail)`` to say what the stage made."""
    console = _stderr()
    start = time.perf_counter()
    said = {"detail": ""}

    def done(detail: str) -> None:
        said["detail"] = detail

    if console.is_terminal and show:
        with console.status(f"{what} …"):
            yield done
    else:
        yield done
    if show and not console.is_terminal:
        detail = f"{said['detail']} " if said["detail"] else ""
        console.print(f"{what}: {detail}in {time.perf_counter() - start:.1f} s", soft_wrap=True)
