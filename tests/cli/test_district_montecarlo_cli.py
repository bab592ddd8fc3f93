"""The Monte Carlo of a districted scenario through the scenario commands (typer's
CliRunner): ``run`` (tables, JSON, figures), ``montecarlo SCENARIO``, ``figures``, the error
for a model other than district-swing, and reproducibility.

The example is ``test_cli_scenario_districts.py``'s, hand-worked there: d'Hondt, D1 (3 seats)
A 600, B 310, C 90 -> A 2, B 1; D2 (2 seats) A 200, B 390, C 410 -> B 1, C 1; so the totals
are A 2, B 2, C 1 of 5. With both σ = 0 every draw is the reported count (each share times
exp(0) = 1, district totals kept), so no seat changes hands in any draw.
"""

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from simulate.cli import app

ROOT = Path(__file__).resolve().parents[2]

runner = CliRunner()

RESULTS = """district,list,votes
D1,A,600
D1,B,310
D1,C,90
D2,A,200
D2,B,390
D2,C,410
"""
SEATS = "district,seats\nD1,3\nD2,2\n"
RULES = """
[rules]
label = "law"
method = "dhondt"

[[compare]]
label = "national"
constituency = "national"
"""
STILL = """
[montecarlo]
model = "district-swing"
sigma_national = 0
sigma_district = 0
draws = 50
seed = 1
"""
MOVING = STILL.replace("= 0\n", "= 0.3\n")


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def example(tmp_path: Path, extra: str, rules: str = RULES) -> Path:
    (tmp_path / "results.csv").write_text(RESULTS, encoding="utf-8")
    (tmp_path / "seats.csv").write_text(SEATS, encoding="utf-8")
    path = tmp_path / "two.toml"
    path.write_text(
        'title = "two districts"\nelection = "results.csv"\ndistrict_seats = "seats.csv"\n'
        + rules
        + extra,
        encoding="utf-8",
    )
    return path


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "100"})


def run_json(path: Path, *more) -> dict:
    result = invoke("run", path, "--json", "--no-draw", *more)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_run_json_with_no_noise_moves_no_seat(tmp_path):
    mc = run_json(example(tmp_path, STILL))["montecarlo"]
    assert mc["draws"] == 50 and mc["seats"] == 5 and mc["majority"] == 3
    # the hand-worked totals, the same in all 50 draws
    assert {k: v["baseline_seats"] for k, v in mc["lists"].items()} == {"A": 2, "B": 2, "C": 1}
    assert {k: v["p_seats"] for k, v in mc["lists"].items()} == {
        "A": {"2": 1.0},
        "B": {"2": 1.0},
        "C": {"1": 1.0},
    }
    assert mc["seats_changing_hands"]["mean"] == 0
    assert mc["seats_changing_hands"]["distribution"] == {"0": 50}
    assert mc["p_no_majority"] == 1.0  # no list holds 3 of 5
    assert mc["districts"]["D1"]["seats"] == 3 and mc["districts"]["D2"]["seats"] == 2
    assert all(d["mean_seats_changing_hands"] == 0 for d in mc["districts"].values())
    assert mc["settings"]["model"] == {
        "kind": "district-swing",
        "sigma_national": 0.0,
        "sigma_district": 0.0,
    }
    assert mc["settings"]["seed"] == 1
    assert "national swing" in mc["model"]
    # the scenario's [[compare]] rule set is not drawn, and the notes say so
    assert any("own rules (law) only" in n for n in mc["notes"])


def test_run_options_draws_seed_and_no_montecarlo(tmp_path):
    path = example(tmp_path, MOVING)
    data = run_json(path, "--draws", "30", "--seed", "7")
    assert data["montecarlo"]["draws"] == 30 and data["montecarlo"]["settings"]["seed"] == 7
    assert "montecarlo" not in run_json(path, "--no-montecarlo")


def test_same_seed_same_json_and_montecarlo_command_agrees(tmp_path):
    path = example(tmp_path, MOVING)
    first, second = run_json(path)["montecarlo"], run_json(path)["montecarlo"]
    assert first == second
    assert first["seats_changing_hands"]["mean"] > 0  # σ = 0.3 does move seats
    alone = invoke("montecarlo", path, "--json", "--no-progress")
    assert alone.exit_code == 0, alone.output
    data = json.loads(alone.stdout)
    assert data["kind"] == "montecarlo" and data["scenario"]["title"] == "two districts"
    for key in ("lists", "districts", "seats_changing_hands", "settings", "draws"):
        assert data[key] == first[key]
    # the workers never change the numbers
    two = json.loads(invoke("montecarlo", path, "--json", "--workers", "2", "--no-progress").stdout)
    assert two["lists"] == first["lists"] and two["districts"] == first["districts"]


def test_run_prints_the_tables_and_progress(tmp_path):
    result = invoke("run", example(tmp_path, MOVING), "--no-draw")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Monte Carlo: two districts, 50 draws (seed 1)" in out
    assert "seats in total over 2 districts" in out
    assert "seats changing hands by district" in out
    assert "national swing (sd 0.3" in out
    assert "monte carlo" in result.stderr  # the progress line


def test_montecarlo_command_tables_and_save_json(tmp_path):
    path = example(tmp_path, STILL)
    target = tmp_path / "mc.json"
    result = invoke("montecarlo", path, "--save-json", target)
    assert result.exit_code == 0, result.output
    assert "seats changing hands in total against now: mean 0" in result.stdout
    assert json.loads(target.read_text(encoding="utf-8"))["seats_changing_hands"]["mean"] == 0
    refused = invoke("montecarlo", path, "--save-draws", tmp_path / "d.npz")
    assert refused.exit_code == 2 and "--save-draws" in refused.stderr


@pytest.mark.parametrize("command", ["run", "montecarlo", "figures", "validate"])
def test_another_model_is_one_line_naming_file_and_key(tmp_path, command):
    path = example(tmp_path, "\n[montecarlo]\ndraws = 100\nseed = 1\n")  # dirichlet, by default
    out = tmp_path / "out"
    args = (
        ("--out", out) if command == "figures" else ("--figures", out) if command == "run" else ()
    )
    result = invoke(command, path, *args)
    assert result.exit_code == 2 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert f"{path}: montecarlo.model: " in line
    assert "set model = \"district-swing\", not 'dirichlet'" in line
    assert not out.exists()


def test_national_baseline_skips_it(tmp_path):
    rules = RULES.replace('method = "dhondt"', 'method = "dhondt"\nconstituency = "national"')
    rules = rules.replace(
        'label = "national"\nconstituency = "national"',
        'label = "by district"\nconstituency = "districts"',
    )
    path = example(tmp_path, STILL, rules)
    result = invoke("run", path, "--no-draw")
    assert result.exit_code == 0, result.output
    assert "monte carlo: skipped: the districted Monte Carlo draws counts" in result.stderr
    refused = invoke("montecarlo", path)
    assert refused.exit_code == 2 and "one national constituency" in refused.stderr


def test_run_and_figures_draw_the_monte_carlo_figures(tmp_path):
    path = example(tmp_path, MOVING)
    out = tmp_path / "fig"
    result = invoke("run", path, "--figures", out)
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.glob("*-mc-*.png")}
    assert names == {"two-mc-changes.png", "two-mc-list-seats.png", "two-mc-district-changes.png"}
    again = tmp_path / "again"
    result = invoke("figures", path, "--out", again)
    assert result.exit_code == 0, result.output
    for name in names:  # the same seed, the same bytes
        assert (again / name).read_bytes() == (out / name).read_bytes()


def test_district_totals_shape_counts_half_seats(tmp_path):
    """``DistrictTotals`` hands the one-constituency figures Σ|s − s'| (twice the seats): a
    draw moving one seat is counted at 2."""
    from simulate.montecarlo.district_run import run_district_montecarlo
    from simulate.plots.mc_districts import DistrictTotals
    from simulate.scenario.file import Scenario

    sc = Scenario.load(example(tmp_path, MOVING))
    assert sc.montecarlo is not None
    sim = run_district_montecarlo(sc.election, sc.rules, sc.montecarlo)
    view = DistrictTotals(sim, (800, 700, 500), "law")
    half = view.changes_hist()
    assert half.sum() == 50 and not half[1::2].any()
    assert np.array_equal(half[::2], sim.tally.changed)
    assert view.mean_changes() == pytest.approx(sim.changed_mean()[0])
    assert view.baseline == (2, 2, 1) and view.labels == ("law",)


def test_district_chart_never_rounds_a_rare_change_to_zero():
    from simulate.plots.mc_districts import _mean_text, _share_text

    assert [_mean_text(v) for v in (0.0, 0.001, 0.005, 0.756)] == ["0.00", "<0.01", "0.01", "0.76"]
    assert [_share_text(p) for p in (0.0, 0.004, 0.5, 0.996, 1.0)] == [
        "0%",
        "<1%",
        "50%",
        ">99%",
        "100%",
    ]
