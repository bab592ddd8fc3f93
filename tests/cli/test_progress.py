"""Signs of life (issue 18, item 4): off a terminal each stage says one line on stderr when it
ends, never on stdout; on a terminal the bar's own text fits 80 columns."""

from pathlib import Path

from rich.progress import Task
from typer.testing import CliRunner

from simulate.cli import app
from simulate.cli.progress import _clock, _Counts, _rate

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def test_montecarlo_says_one_line_on_stderr_and_nothing_on_stdout_json():
    res = runner.invoke(
        app,
        [
            "montecarlo",
            str(ROOT / "scenarios" / "kyrgyzstan-2020.toml"),
            "--draws",
            "3000",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("monte carlo: 3,000 draws in ")
    assert lines[0].endswith(" draws/s)")
    assert res.stdout.lstrip().startswith("{")  # the JSON alone


def test_no_progress_says_nothing():
    res = runner.invoke(
        app,
        [
            "montecarlo",
            str(ROOT / "scenarios" / "kyrgyzstan-2020.toml"),
            "--draws",
            "2000",
            "--json",
            "--no-progress",
        ],
    )
    assert res.exit_code == 0 and res.stderr == ""


def test_the_bar_text_reads_as_users_expect_and_fits_beside_a_short_bar():
    assert (_clock(None), _clock(7.9), _clock(75), _clock(3725)) == (
        "-:--",
        "0:07",
        "1:15",
        "1:02:05",
    )
    assert (_rate(None), _rate(415_300), _rate(1_460_000)) == ("…/s", "415k/s", "1.5M/s")
    task = Task(0, "monte carlo", 3_000_000, 2_957_312, _get_time=lambda: 10.0)
    text = _Counts().render(task).plain
    assert text.startswith("2,957,312/3,000,000 · ") and text.endswith(" left")
    # "monte carlo " + a bar of 6 + a space + the text: at most 80 columns
    assert len("monte carlo ") + 7 + len(text.replace("…/s", "999k/s")) <= 80
