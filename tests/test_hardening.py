"""Issue 17, "Hardening": each item's reproducer as a test. Nothing outside the output is
touched, no garbage with exit 0, no traceback: bad input is one line on stderr, exit 2."""

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulate.cli import app

ROOT = Path(__file__).resolve().parents[1]
SEED_TEXT = """name = "Testland"
seats = 10
participants = 1000

[[party]]
name = "A"
votes = 600

[[party]]
name = "B"
votes = 300
"""

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "100"})


def one_line(result, *fragments, code=2):
    """Exit 2 (or ``code``), exactly one line on stderr naming every fragment, no traceback."""
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("seatsim: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception


def write_seed(folder: Path, text: str = SEED_TEXT, name: str = "seed.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def write_scenario(folder: Path, extra: str = "", seed: Path | None = None) -> Path:
    seed = seed or write_seed(folder)
    path = folder / "scenario.toml"
    path.write_text(
        f'title = "test"\nelection = "{seed.name}"\n\n[rules]\nmethod = "hare"\n'
        f'threshold = "5%"\n{extra}',
        encoding="utf-8",
    )
    return path


MC = "\n[montecarlo]\ndraws = 200\nseed = 1\nblock_size = 100\n"


# ---------------------------------------------------------------------------------------------
# item 1: outputs replace only regular files, never an input, never each other


def test_an_output_through_a_symlink_is_refused_and_the_link_kept(tmp_path):
    sc = write_scenario(tmp_path, MC)
    target = tmp_path / "elsewhere.json"
    target.write_text("kept\n")
    link = tmp_path / "out.json"
    link.symlink_to(target)
    result = invoke("montecarlo", sc, "--save-json", link)
    one_line(result, f"{link}: --save-json: is a symbolic link")
    assert link.is_symlink() and target.read_text() == "kept\n"
    assert result.stdout == ""  # refused before the run


def test_an_output_over_a_device_is_refused():
    from simulate.errors import InputError
    from simulate.report.atomic import check_file, write_bytes

    with pytest.raises(InputError, match="is not a regular file"):
        check_file("/dev/null", "--save-json")
    with pytest.raises(InputError, match="/dev/null: cannot write: is not a regular file"):
        write_bytes("/dev/null", b"x")


def test_an_output_over_a_fifo_is_refused(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    one_line(
        invoke("montecarlo", write_scenario(tmp_path, MC), "--save-draws", fifo),
        "--save-draws: is not a regular file",
    )


@pytest.mark.parametrize("which", ["scenario", "seed"])
def test_an_output_over_an_input_of_the_run_is_refused(tmp_path, which):
    sc = write_scenario(tmp_path, MC)
    target = sc if which == "scenario" else tmp_path / "seed.toml"
    before = target.read_bytes()
    one_line(
        invoke("montecarlo", sc, "--save-json", target),
        f"{target}: --save-json names an input of this run",
    )
    assert target.read_bytes() == before


def test_an_output_over_an_input_by_another_path_is_refused(tmp_path):
    sc = write_scenario(tmp_path, MC)
    before = sc.read_bytes()
    other = tmp_path / "sub" / ".." / "scenario.toml"
    (tmp_path / "sub").mkdir()
    one_line(invoke("montecarlo", sc, "--save-draws", other), "names an input of this run")
    assert sc.read_bytes() == before


def test_two_outputs_on_one_path_are_refused(tmp_path):
    sc = write_scenario(tmp_path, MC)
    out = tmp_path / "out"
    result = invoke("montecarlo", sc, "--save-json", out, "--save-draws", out)
    one_line(result, f"{out}: --save-json and --save-draws name the same file")
    assert not out.exists()


def test_csv_never_replaces_an_input(tmp_path):
    # a seed whose name is what --csv would write: refused before any CSV file is written
    seed = write_seed(tmp_path, name="scenario.lists.csv")
    sc = write_scenario(tmp_path, seed=seed)
    result = invoke("run", sc, "--csv", tmp_path, "--no-draw")
    one_line(result, "--csv lists names an input of this run")
    assert seed.read_text(encoding="utf-8") == SEED_TEXT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scenario.lists.csv", "scenario.toml"]


def test_a_regular_file_is_still_replaced(tmp_path):
    sc = write_scenario(tmp_path, MC)
    out = tmp_path / "out.json"
    out.write_text("old")
    result = invoke("montecarlo", sc, "--json", "--save-json", out)
    assert result.exit_code == 0, result.stderr
    assert out.read_text().startswith("{")
