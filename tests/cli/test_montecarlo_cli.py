"""``seatsim montecarlo`` through typer's CliRunner: tables, JSON, saved files, the seed,
workers, and errors as one line with exit code 2 (issue 4, "What a user gets")."""

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from simulate.cli import app

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "kyrgyzstan-2020.toml"

runner = CliRunner()

SCENARIO = f'''title = "Kyrgyzstan 2020, Monte Carlo test"
election = "{SEED}"

[rules]
label = "in force"
seats = 120
method = "hare"
threshold = "7%"
threshold_base = "participants"
max_seats = 65

[[compare]]
label = "d'Hondt"
method = "dhondt"

[montecarlo]
draws = 3000
seed = 7
block_size = 1000
'''


def scenario(tmp_path, extra: str = "", text: str = SCENARIO) -> Path:
    path = tmp_path / "mc.toml"
    path.write_text(text + extra, encoding="utf-8")
    return path


def invoke(*args, width=100):
    return runner.invoke(app, ["montecarlo", *(str(a) for a in args)], env={"COLUMNS": str(width)})


def test_tables_per_rule_set(tmp_path):
    result = invoke(scenario(tmp_path))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "3,000 draws, seed 7" in out
    assert "in force: 120 seats, Hare" in out and "d'Hondt: 120 seats, d'Hondt" in out
    assert "Birimdik" in out and "P(one list holds a majority, 61 of 120)" in out
    assert 'seats changing hands against "in force" on the reported votes: mean ' in out
    assert 'minus under "in force", draw by draw' in words(out)
    assert "standard errors: probabilities binomial" in out


def words(text: str) -> str:
    """The output with every run of spaces and line breaks made one space (rich wraps)."""
    return " ".join(text.split())


def test_a_replaced_threshold_is_said_in_every_header(tmp_path):
    # Both rule sets have 7%; the Monte Carlo draws 5% to 9% instead. Each header says the
    # threshold used, and that "now" keeps the rule set's own.
    result = invoke(scenario(tmp_path, 'threshold_range = ["5%", "9%"]\n'))
    assert result.exit_code == 0, result.output
    out = words(result.stdout)
    used = (
        "threshold drawn uniformly from 5% to 9% of participants in every draw (replaces "
        'this rule set\'s 7%; the column "now" is at 7%)'
    )
    assert out.count(used) == 2
    assert "in force: 120 seats, Hare (largest remainder), at most 65 per list; " + used in out
    assert "threshold 7% of participants" not in out
    assert "its own threshold, not the Monte Carlo's" in out


@pytest.mark.parametrize(
    "extra, used",
    [
        ('threshold = "6%"\n', "threshold 6% of participants in every draw"),
        (
            'threshold_values = ["5%", "9%"]\nthreshold_weights = [1, 3]\n',
            "threshold drawn from 5% or 9% of participants (weights 1, 3) in every draw",
        ),
        (
            'threshold_values = ["5%", "9%"]\n',
            "threshold drawn from 5% or 9% of participants (equally likely) in every draw",
        ),
    ],
)
def test_each_kind_of_threshold_in_words(tmp_path, extra, used):
    result = invoke(scenario(tmp_path, extra), "--draws", 200)
    assert result.exit_code == 0, result.output
    assert words(result.stdout).count(used) == 2


def test_headers_hold_no_python_values(tmp_path):
    extra = 'model = "transfer"\ntransfer_from = ["Birimdik"]\ntransfer_share = ["0%", "20%"]\n'
    out = words(invoke(scenario(tmp_path, extra), "--draws", 300).stdout)
    assert (
        "model transfer (0% to 20% of the votes of Birimdik moved to the others in "
        "proportion)" in out
    )
    for python in ("['", "[]", "{", "2000.0", "±0.0", "± 0.0 ", "± 0.00 ", "-0.00 "):
        assert python not in out
    plain = words(invoke(scenario(tmp_path), "--draws", 300).stdout)
    assert "model dirichlet (concentration 2,000)" in plain


def test_probabilities_and_means_keep_their_error_visible():
    from simulate.cli.mc_tables import _estimate, _pct, _pct_words

    # binomial SE of 0.999 from 100,000 draws: sqrt(0.999 · 0.001 / 100,000) = 0.0100%
    assert _pct(0.999, 100_000) == "99.9 ± 0.01"
    assert _pct(0.579, 10_000) == "57.9 ± 0.5"  # 100 · sqrt(.579 · .421 / 1e4) = 0.49
    assert _pct(0.0012, 200_000) == "0.1 ± 0.008"  # 0.0077%
    assert _pct(0.9995, 1_000) == ">99.9" and _pct(0.0004, 1_000) == "<0.1"
    assert _pct(0.0, 1_000) == "0" and _pct(1.0, 1_000) == "100"
    assert _pct_words(0.0, 10) == "0% (no draw)" and _pct_words(0.25, 10_000) == "25.0 ± 0.4%"
    assert _estimate(45.88, 0.06) == "45.88 ± 0.06"
    assert _estimate(-0.0001, 0.002, signed=True) == "+0.000 ± 0.002"
    assert _estimate(0.0, 0.0) == "0" and _estimate(0.0, 0.0, signed=True) == "0"
    assert _estimate(0.0125, 0.00001) == "0.013 ± <0.001"


def test_json_is_the_same_for_the_same_seed_whatever_the_workers_and_chunks(tmp_path):
    path = scenario(tmp_path)
    one = json.loads(invoke(path, "--json").stdout)
    two = json.loads(invoke(path, "--json", "--workers", 2, "--chunk-size", 997).stdout)
    for data in (one, two):
        data["settings"].pop("workers"), data["settings"].pop("chunk_size")
    assert one == two
    assert one["draws"] == 3000 and one["settings"]["seed"] == 7
    assert [r["label"] for r in one["rule_sets"]] == ["in force", "d'Hondt"]


def test_options_override_the_table(tmp_path):
    data = json.loads(invoke(scenario(tmp_path), "--json", "--draws", 500, "--seed", 3).stdout)
    assert data["draws"] == 500 and data["settings"]["seed"] == 3
    # the envelope of every --json output (README, "JSON output")
    assert (data["schema"], data["kind"], data["lot_seed"]) == (2, "montecarlo", None)
    assert data["scenario"]["title"] == "Kyrgyzstan 2020, Monte Carlo test"
    assert data["scenario"]["election"]["participants"] == 1_990_753


def test_saves_summary_and_draws(tmp_path):
    out_json, out_npz = tmp_path / "out" / "mc.json", tmp_path / "out" / "draws.npz"
    result = invoke(scenario(tmp_path), "--save-json", out_json, "--save-draws", out_npz)
    assert result.exit_code == 0, result.output
    assert f"wrote {out_json}" in result.stderr and f"wrote {out_npz}" in result.stderr
    saved = json.loads(out_json.read_text())
    assert saved["draws"] == 3000 and saved["kind"] == "montecarlo"
    assert saved == json.loads(invoke(scenario(tmp_path), "--json").stdout)  # the same object
    draws = np.load(out_npz)
    assert draws["seats"].shape == (3000, 2, 16)
    assert (draws["seats"].sum(2) == 120).all()


def test_without_a_seed_one_is_picked_and_printed(tmp_path):
    text = SCENARIO.replace("seed = 7\n", "")
    result = invoke(scenario(tmp_path, text=text), "--json", "--draws", 200)
    assert result.exit_code == 0, result.output
    seed = json.loads(result.stdout)["settings"]["seed"]
    assert f"pass --seed {seed} to repeat" in result.stderr


def test_a_scenario_without_a_table_uses_the_defaults(tmp_path):
    text = SCENARIO[: SCENARIO.index("[montecarlo]")]
    result = invoke(scenario(tmp_path, text=text), "--draws", 300, "--seed", 1)
    assert result.exit_code == 0, result.output
    assert "no [montecarlo] table; defaults were used" in result.stdout


@pytest.mark.parametrize(
    "extra, fragment",
    [
        ("concentration = -1\n", "montecarlo.concentration: must be a number > 0"),
        (
            'model = "transfer"\ntransfer_from = ["Birimdik"]\ntransfer_share = "10%"\n'
            'transfer_to = ["Nobody"]\n',
            "montecarlo.transfer_to: no list named 'Nobody'",
        ),
        ('threshold_range = ["9%", "5%"]\n', "montecarlo.threshold_range: inverted"),
        ('model = "normal"\n', "montecarlo.model: unknown model 'normal'"),
        # 16 lists, against all and invalid ballots (the base is participants): 18 × 60% > 100%
        (
            'model = "uniform"\nmin_share = "60%"\n',
            "montecarlo.min_share: 60% for each of 18 categories (the lists and the other ballots "
            "the threshold base counts) is 1080% in all; it must stay below 100%",
        ),
    ],
)
def test_bad_table_is_one_line_naming_file_and_key(tmp_path, extra, fragment):
    path = scenario(tmp_path, extra)
    result = invoke(path)
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"seatsim: error: {path}: "), result.stderr
    assert fragment in lines[0]


def test_validate_checks_the_model_on_the_categories_the_run_draws(tmp_path):
    path = scenario(tmp_path, 'model = "uniform"\nmin_share = "60%"\n')
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2 and result.stdout == ""
    assert "montecarlo.min_share: 60% for each of 18 categories" in result.stderr


def test_bad_option_is_refused(tmp_path):
    result = invoke(scenario(tmp_path), "--draws", 0)
    assert result.exit_code == 2 and "--draws" in result.stderr


def test_run_includes_the_montecarlo_section(tmp_path):
    # issue 4: "seatsim run includes this section when the scenario has a [montecarlo] table"
    path = scenario(tmp_path)
    res = runner.invoke(app, ["run", str(path), "--json", "--no-draw"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    mc = data["montecarlo"]
    assert mc["draws"] == 3000 and mc["settings"]["seed"] == 7
    assert [r["label"] for r in mc["rule_sets"]] == ["in force", "d'Hondt"]
    again = json.loads(runner.invoke(app, ["run", str(path), "--json", "--no-draw"]).stdout)
    assert again["montecarlo"] == mc  # same seed, same numbers
    other = json.loads(
        runner.invoke(
            app, ["run", str(path), "--json", "--no-draw", "--seed", "8", "--draws", "2000"]
        ).stdout
    )["montecarlo"]
    assert other["draws"] == 2000 and other["settings"]["seed"] == 8
    off = json.loads(
        runner.invoke(app, ["run", str(path), "--json", "--no-montecarlo", "--no-draw"]).stdout
    )
    assert "montecarlo" not in off
    table = runner.invoke(app, ["run", str(path), "--no-draw"])
    assert table.exit_code == 0 and "Monte Carlo, 3,000 draws, seed 7" in table.stdout


def test_validate_checks_the_montecarlo_table(tmp_path):
    path = scenario(tmp_path, text=SCENARIO.replace("draws = 3000", "draws = 0"))
    res = runner.invoke(app, ["validate", str(path)])
    assert res.exit_code == 2
    assert "montecarlo.draws" in res.stderr


def test_a_threshold_variation_that_erases_the_difference_is_refused(tmp_path):
    # Two rule sets that differ only in their threshold become one when [montecarlo] draws
    # the threshold for both: refused, naming the key (rather than a table of zeros).
    text = SCENARIO.replace('method = "dhondt"', 'threshold = "5%"').replace(
        "[montecarlo]", '[montecarlo]\nthreshold_range = ["5%", "9%"]'
    )
    res = runner.invoke(app, ["validate", str(scenario(tmp_path, text=text))])
    assert res.exit_code == 2
    assert "montecarlo.threshold_range: replaces the thresholds of rule sets" in res.stderr


def test_a_rule_set_the_reported_votes_cannot_fill_shows_a_dash_now(tmp_path):
    # elections.md: four lists pass 7% of participants; at most 20 seats each fills 80 of 120
    text = SCENARIO.replace(
        'label = "d\'Hondt"\nmethod = "dhondt"', 'label = "cap 20"\nmax_seats = 20'
    )
    result = invoke(scenario(tmp_path, text=text), "--draws", 500)
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if line.startswith(" Birimdik")]
    assert rows[0].split()[1] == "46" and rows[1].split()[1] == "–"
    assert "(–: the rule set cannot fill the seats on the reported votes)" in result.stdout
