"""The installed ``seatsim`` command as a user runs it: every mistake is one line on stderr
with exit code 2, no traceback, and nothing written (DESIGN.md, "Principles")."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED = str(ROOT / "seeds" / "kyrgyzstan-2020.toml")
SCENARIO = str(ROOT / "scenarios" / "kyrgyzstan-2020.toml")


def seatsim(*args, cwd=None):
    # the command installed with the interpreter running the tests (a virtualenv need not be
    # activated), else the one on PATH, else the same entry point through this interpreter
    exe = shutil.which("seatsim", path=str(Path(sys.executable).parent)) or shutil.which("seatsim")
    cmd = [exe] if exe else [sys.executable, "-c", "from simulate.cli import main; main()"]
    return subprocess.run(
        [*cmd, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def one_line(run, text):
    assert run.returncode == 2, (run.stdout, run.stderr)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert text in lines[0]
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize(
    "args, text",
    [
        (["allocate", SEED, "--threshold", "7"], '--threshold: "7" needs a % sign'),
        (["allocate", SEED, "--threshold", "107%"], '"107%" is outside [0%, 100%)'),
        (["allocate"], "Missing argument"),
        (["allocate", SEED, "--max-seats", "nine"], "Invalid value for '--max-seats'"),
        (["allocate", SEED, "--seats", "0"], "Invalid value for '--seats'"),
        (["allocate", SEED, "--max-seats=-1"], "Invalid value for '--max-seats'"),
        (["nosuchcommand"], "No such command"),
        (["montecarlo", SCENARIO, "--draws", "0"], "Invalid value for '--draws'"),
        (
            [
                "allocate",
                SEED,
                "--ties",
                "lot",
                "--threshold",
                "7%",
                "--threshold-base",
                "participants",
                "--max-seats",
                "10",
            ],
            "the seat cap leaves seats that no list may take",
        ),
        (["allocate", SEED, "--lot-seed=-5"], "--lot-seed: must be a whole number ≥ 0, not -5"),
        (["run", SCENARIO, "--lot-seed=-1", "--no-draw"], "--lot-seed: must be a whole number ≥ 0"),
        (
            [
                "allocate",
                SEED,
                "--threshold",
                "7%",
                "--threshold-base",
                "participants",
                "--max-seats",
                "10",
            ],
            "the seat cap leaves seats that no list may take",
        ),
    ],
)
def test_usage_and_input_errors(args, text):
    one_line(seatsim(*args), text)


def test_bad_output_targets_are_refused_before_anything_is_written(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("x")
    run = seatsim("run", SCENARIO, "--csv", afile)
    one_line(run, "--csv needs a folder, and this is a file")
    assert run.stdout == ""  # refused before the report was computed or printed
    good = tmp_path / "summary.json"
    run = seatsim(
        "montecarlo",
        SCENARIO,
        "--draws",
        "100",
        "--save-json",
        good,
        "--save-draws",
        afile / "draws.npz",
    )
    one_line(run, f"--save-draws needs a folder, and {afile} is a file")
    assert not good.exists()


def test_a_folder_that_refuses_files_is_refused_before_anything_is_computed(tmp_path, monkeypatch):
    # Permission bits do not tell (root passes them; sysfs refuses files even to root): the
    # check tries a file there, and leaves nothing behind when it can.
    import tempfile

    from simulate.errors import InputError
    from simulate.report.atomic import check_file, check_folder

    check_folder(tmp_path / "new" / "deeper", "--csv")
    assert list(tmp_path.iterdir()) == []

    def refuse(*args, **kwargs):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(InputError) as err:
        check_file(tmp_path / "x" / "mc.json", "--save-json")
    assert str(err.value) == (
        f"{tmp_path / 'x' / 'mc.json'}: --save-json: cannot write in "
        f"{tmp_path} (Operation not permitted)"
    )


@pytest.mark.parametrize(
    "command, text",
    [("figures", "no scenarios/ folder here"), ("list", "no scenarios/ or seeds/ folder here")],
)
def test_defaults_are_the_folders_of_the_project_it_runs_in(tmp_path, command, text):
    # Run elsewhere, the defaults (./scenarios, ./seeds) do not reach into the installed
    # package's checkout: an error, and nothing written there or here.
    one_line(seatsim(command, cwd=tmp_path), text)
    assert list(tmp_path.iterdir()) == []


def test_a_good_run_exits_zero(tmp_path):
    run = seatsim(
        "allocate",
        SEED,
        "--threshold",
        "7%",
        "--threshold-base",
        "participants",
        "--max-seats",
        "65",
        "--json",
    )
    assert run.returncode == 0 and '"seats": 46' in run.stdout


def test_tables_into_a_pipe_carry_no_trailing_spaces():
    # rich pads table rows to the console width; into a file or a pipe the padding goes.
    run = seatsim("run", SCENARIO, "--no-draw", "--no-montecarlo")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert " Birimdik             487,685  24.50%     46        46  passed" in lines
    assert not [line for line in lines if line.endswith(" ")]
