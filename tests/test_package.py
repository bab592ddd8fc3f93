"""The package's shape: ``import simulate`` stays free of presentation libraries (DESIGN.md)."""

import subprocess
import sys


def test_import_simulate_does_not_import_matplotlib_or_typer():
    code = (
        "import sys, simulate; "
        "bad = [m for m in ('matplotlib', 'typer', 'rich') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_public_names():
    import simulate

    for name in (
        "Election",
        "Rules",
        "allocate",
        "allocate_batch",
        "METHODS",
        "run_montecarlo",
        "MonteCarloSpec",
        "Simulation",
        "TieError",
        "InputError",
    ):
        assert hasattr(simulate, name), name
    assert simulate.METHODS["jefferson"] is simulate.METHODS["dhondt"]
    assert simulate.METHODS["hamilton"] is simulate.METHODS["hare"]
    assert simulate.METHODS["webster"] is simulate.METHODS["sainte-lague"]
