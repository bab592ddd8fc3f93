"""Tables fit the terminal without losing a value (issue 18, item 3): at 80 and 120 columns no
line is wider than the terminal, nothing is cut to "…", a list's name is never broken over two
lines, and the values a reader needs are all there."""

import io
from pathlib import Path

import pytest
from rich.console import Console
from rich.table import Table
from typer.testing import CliRunner

from simulate.cli import app
from simulate.cli.fit import print_fitted

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = str(ROOT / "scenarios" / "kyrgyzstan-2020.toml")
runner = CliRunner()


def _run(width: int, *args: str) -> str:
    res = runner.invoke(app, list(args), env={"COLUMNS": str(width)})
    assert res.exit_code == 0, res.output
    return res.stdout


def _fits(text: str, width: int) -> None:
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    assert "…" not in text.replace("votes to …", "")  # (that one is margins' own title)
    for name in ("Mekenim Kyrgyzstan", "Butun Kyrgyzstan"):  # whole, never split
        assert any(name in line for line in lines)


@pytest.mark.parametrize("width", [80, 120])
def test_montecarlo_tables_keep_every_value(width):
    out = _run(width, "montecarlo", SCENARIO, "--draws", "4000", "--no-progress")
    _fits(out, width)
    assert "at most 65 per list" in out  # the rules line, not cropped
    assert out.count("Δ first") >= 3  # the column of every rule set after the first
    assert out.count("90%") >= 4 and out.count("seat %") >= 4


@pytest.mark.parametrize("width", [80, 120])
def test_run_and_margins_fit(width):
    _fits(_run(width, "run", SCENARIO, "--no-draw", "--no-montecarlo"), width)
    out = _run(width, "margins", SCENARIO)
    _fits(out, width)
    assert "gain a seat" in out and "3,309" in out  # Mekenchil's votes to pass (margins)


def test_a_table_too_wide_is_split_then_stacked_with_every_value():
    table = Table(title="examples")
    for header in ("case", "alpha", "beta", "gamma", "delta"):
        table.add_column(header)
    table.add_row("one", "1,234,567", "2,345,678", "3,456,789", "4,567,890")
    table.add_row("two", "5", "6", "7", "8")
    for width, split, stacked in ((80, False, False), (36, True, False), (20, False, True)):
        console = Console(width=width, record=True, color_system=None, file=io.StringIO())
        print_fitted(console, table)
        text = console.export_text()
        assert max(len(line) for line in text.splitlines()) <= width
        for value in ("1,234,567", "2,345,678", "3,456,789", "4,567,890"):
            assert value in text.replace("\n", " ")
        assert (text.count("case") == 2) == split  # the name column repeated in each half
        assert ("alpha 1,234,567" in text.replace("\n", " ")) == stacked
