"""The scenario commands through typer's CliRunner: run, compare, sweep, validate, list, the
golden JSON of the Kyrgyz 2020 run, and every error path (exit code 2, one line, no traceback).
Expected numbers: reference/elections.md (2020)."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulate.cli import app

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "kyrgyzstan-2020.toml"
GOLDEN = ROOT / "tests" / "golden" / "kyrgyzstan-2020.run.json"
SHIPPED = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "scenarios").glob("*.toml"))

runner = CliRunner()

GOOD = f'''title = "test"
election = "{SEED}"

[rules]
seats = 120
method = "hare"
threshold = "7%"
threshold_base = "participants"
max_seats = 65

[[compare]]
label = "9%"
threshold = "9%"
'''


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def invoke(*args, width=100):
    """Run a command; ``run`` draws no figures here unless a test asks (--figures DIR): the
    figures have their own tests, and drawing them takes seconds."""
    args = [str(a) for a in args]
    if args and args[0] == "run" and "--figures" not in args:
        args.append("--no-draw")
    return runner.invoke(app, args, env={"COLUMNS": str(width)})


def scenario_file(tmp_path, text, name="x.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def assert_one_line_error(result, *fragments):
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("seatsim: error: "), result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


# -- run -----------------------------------------------------------------------------------


def test_run_prints_the_whole_scenario():
    result = invoke("run", "scenarios/kyrgyzstan-2020.toml")
    assert result.exit_code == 0, result.output
    out = result.stdout
    # elections.md: Mekenchil 136,276 votes (6.85%), 7% of 1,990,753 needs 139,353
    assert "short by 3,077 votes (6.85% < 7%)" in out
    assert "487,685" in out and "24.50%" in out
    assert "seats changing hands against the official seats: 0" in out
    assert "wasted: 711,439 of 1,990,753 participants (35.74%)" in out
    assert "regional threshold 0.7% checked in Bishkek and Talas only" in out
    # elections.md, "Regional results": Social Democrats 0.45% in Talas (24.kg/english/167492)
    assert "below 0.7% in Talas (0.45% published)" in " ".join(out.split())
    for label in ("d'Hondt", "Sainte-Laguë", "no cap", "seats moved"):
        assert label in out
    # elections.md: at 9% two lists, Birimdik 61 of 120 (a majority)
    assert "(8.76, 12.00]" in out and "Birimdik 61, Mekenim Kyrgyzstan 59" in out
    assert max(len(line.rstrip()) for line in out.splitlines()) <= 100


def table_rows(out: str) -> list[str]:
    """The list rows of the first table printed (between its header rule and the blank line
    before its caption), right-trimmed."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("─")) + 1
    end = next(i for i in range(start, len(lines)) if not lines[i].strip())
    return [line.rstrip() for line in lines[start:end]]


def test_allocate_renders_the_allocation_as_run_does():
    # One renderer: `seatsim allocate` with the 2020 rules in force prints the same rows and
    # the same threshold line as the first part of `seatsim run` (elections.md: 7% of
    # 1,990,753 participants needs 139,353 votes; Mekenchil is 3,077 short).
    run = invoke("run", "scenarios/kyrgyzstan-2020.toml", "--no-montecarlo")
    alloc = invoke(
        "allocate",
        SEED,
        "--threshold",
        "7%",
        "--threshold-base",
        "participants",
        "--regional-threshold",
        "0.7%",
        "--max-seats",
        "65",
    )
    assert run.exit_code == 0 and alloc.exit_code == 0, alloc.output
    assert table_rows(alloc.stdout) == table_rows(run.stdout)
    line = "threshold: 139,353 votes of 1,990,753 participants; seats filled: 120 of 120"
    assert line in alloc.stdout and line in run.stdout
    assert "short by 3,077 votes (6.85% < 7%)" in alloc.stdout
    assert "┏" not in alloc.stdout and "│" not in alloc.stdout  # no second, boxed style
    assert max(len(row) for row in alloc.stdout.splitlines()) <= 100


def test_allocate_without_a_threshold_says_none():
    # party votes in the 2020 seed: 1,923,216 (the lists' votes added up)
    alloc = invoke("allocate", SEED)
    assert alloc.exit_code == 0, alloc.output
    assert "threshold: none (base: 1,923,216 party votes); seats filled: 120 of 120" in alloc.stdout
    assert "0 votes of" not in alloc.stdout


def test_run_json_matches_the_golden_file():
    # The exact part of the run; the Monte Carlo section is checked in test_montecarlo_cli
    # (its floats follow numpy's generators, which may change between numpy releases).
    result = invoke("run", "scenarios/kyrgyzstan-2020.toml", "--json", "--no-montecarlo")
    assert result.exit_code == 0, result.output
    actual = json.loads(result.stdout)
    expected = json.loads(GOLDEN.read_text(encoding="utf-8")) if GOLDEN.is_file() else None
    if actual != expected:
        GOLDEN.with_suffix(".actual.json").write_text(result.stdout, encoding="utf-8")
        pytest.fail(
            f"JSON differs from {GOLDEN.name}; actual output written beside it as "
            f"{GOLDEN.with_suffix('.actual.json').name}"
        )


def test_run_json_holds_the_key_facts():
    data = json.loads(
        invoke("run", "scenarios/kyrgyzstan-2020.toml", "--json", "--no-montecarlo").stdout
    )
    assert data["schema"] == 2 and data["kind"] == "run"
    lists = {r["name"]: r for r in data["allocation"]["lists"]}
    assert lists["Mekenchil"]["short_by"] == 3077
    assert lists["Mekenchil"]["why_not"] == "short by 3,077 votes (6.85% < 7%)"
    assert lists["Birimdik"]["seats"] == 46 == lists["Birimdik"]["official_seats"]
    sets = {o["label"]: o for o in data["compare"]["rule_sets"]}
    assert sets["9% (2019)"]["seats"]["Birimdik"] == 61
    assert sets["9% (2019)"]["metrics"]["majority"] == "Birimdik"
    assert sets["party votes"]["changed_from_baseline"] == 12
    # the sweep's cuts are the lists' shares of the 1,990,753 voters who took part
    cuts = [b["exact"] for b in data["sweep"]["breakpoints"]]
    assert "136276/1990753" in cuts and "174317/1990753" in cuts


def test_run_writes_csv_files(tmp_path):
    result = invoke("run", "scenarios/kyrgyzstan-2020.toml", "--csv", tmp_path / "out")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == [
        "kyrgyzstan-2020.compare.csv",
        "kyrgyzstan-2020.lists.csv",
        "kyrgyzstan-2020.metrics.csv",
        "kyrgyzstan-2020.sweep.csv",
    ]
    lists = (tmp_path / "out" / "kyrgyzstan-2020.lists.csv").read_text(encoding="utf-8")
    assert "Mekenchil,136276,0.068454,False,0,0,3077," in lists


def test_a_failed_run_leaves_earlier_outputs_intact(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    earlier = out / "x.lists.csv"
    earlier.write_text("earlier\n", encoding="utf-8")
    bad = scenario_file(tmp_path, GOOD.replace('"7%"', '"7"'))
    assert_one_line_error(invoke("run", bad, "--csv", out), "rules.threshold")
    assert earlier.read_text(encoding="utf-8") == "earlier\n"
    assert [p.name for p in out.iterdir()] == ["x.lists.csv"]


def test_csv_into_a_file_is_an_error(tmp_path):
    target = tmp_path / "file"
    target.write_text("", encoding="utf-8")
    result = invoke("run", scenario_file(tmp_path, GOOD), "--csv", target)
    assert result.exit_code == 2 and "--csv needs a folder" in result.stderr


# -- compare and sweep ---------------------------------------------------------------------


def test_compare_table_and_json(tmp_path):
    path = scenario_file(tmp_path, GOOD)
    result = invoke("compare", path)
    assert result.exit_code == 0, result.output
    assert "seats moved" in result.stdout and "9%" in result.stdout
    data = json.loads(invoke("compare", path, "--json").stdout)
    sets = data["compare"]["rule_sets"]
    assert [s["label"] for s in sets] == ["baseline", "9%"]
    assert sets[1]["seats"]["Birimdik"] == 61 and sets[1]["changed_from_baseline"] == 29


def test_compare_without_alternatives_says_so(tmp_path):
    path = scenario_file(tmp_path, GOOD.split("[[compare]]")[0])
    result = invoke("compare", path)
    assert result.exit_code == 0 and "no [[compare]] tables" in result.stdout


def test_sweep_with_a_range_from_the_command_line():
    result = invoke(
        "sweep", "scenarios/kyrgyzstan-2020.toml", "--from", "6%", "--to", "9%", "--json"
    )
    assert result.exit_code == 0, result.output
    sweep = json.loads(result.stdout)["sweep"]
    # elections.md: 6.85% (Mekenchil), 7.13% (Butun Kyrgyzstan), 8.76% (Kyrgyzstan) lie inside
    assert [b["exact"] for b in sweep["breakpoints"]] == [
        "136276/1990753",
        "141940/1990753",
        "174317/1990753",
    ]
    assert [len(iv["passed"]) for iv in sweep["intervals"]] == [5, 4, 3, 2]
    assert sweep["intervals"][1]["changed_from_baseline"] == 0


def test_sweep_table_and_csv(tmp_path):
    result = invoke("sweep", "scenarios/kyrgyzstan-2020.toml", "--csv", tmp_path)
    assert result.exit_code == 0, result.output
    assert "(6.85, 7.13]" in result.stdout
    assert (tmp_path / "kyrgyzstan-2020.sweep.csv").is_file()


def test_sweep_bound_without_percent_sign():
    assert_one_line_error(
        invoke("sweep", "scenarios/kyrgyzstan-2020.toml", "--to", "12"), '--to: "12" needs a % sign'
    )


# -- validate and list ---------------------------------------------------------------------


def test_validate_every_shipped_scenario():
    result = invoke("validate", *SHIPPED)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("ok  ") == len(SHIPPED) >= 2


def test_validate_reports_each_bad_file_and_exits_2(tmp_path):
    bad = scenario_file(tmp_path, GOOD.replace('"hare"', '"borda"'))
    result = invoke("validate", "scenarios/kyrgyzstan-2020.toml", bad)
    assert result.exit_code == 2
    assert "ok  scenarios/kyrgyzstan-2020.toml" in result.stdout
    assert f"seatsim: error: {bad}: rules.method: unknown method 'borda'" in result.stderr


@pytest.mark.parametrize(
    "text, fragment",
    [
        # elections.md: four lists pass at 7% of participants; 4 × 20 < 120 seats
        (
            GOOD.replace("max_seats = 65", "max_seats = 20"),
            "rules: "
            + str(SEED)
            + ": the seat cap leaves seats that no list may take (4 lists pass, "
            "at most 20 seats each, 120 seats)",
        ),
        # Birimdik, the largest list, has 24.50% of participants: none passes 30%
        (GOOD.replace('threshold = "7%"', 'threshold = "30%"'), "no list passes the threshold"),
        (
            GOOD.replace("max_seats = 65", 'max_seats = 65\nties = "lot"'),
            'ties = "lot" needs lot_seed in the scenario',
        ),
    ],
)
def test_validate_applies_the_scenarios_own_rules(tmp_path, text, fragment):
    result = invoke("validate", scenario_file(tmp_path, text))
    assert result.exit_code == 2 and result.stdout == ""
    assert fragment in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_sweep_without_a_table_says_the_range_is_the_default():
    # scenarios/kyrgyzstan-2010.toml has no [sweep]; its largest list, Ata-Jurt, has 266,923 of
    # 1,679,538 participants (15.89%, the seed)
    out = invoke("sweep", "scenarios/kyrgyzstan-2010.toml").stdout
    assert "threshold sweep 0% to 15.89%" in out
    assert "note: the scenario has no [sweep] table: the default range" in out
    assert "no [sweep] table" not in invoke("sweep", "scenarios/kyrgyzstan-2020.toml").stdout


def test_list_finds_scenarios_and_seeds():
    result = invoke("list")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    scenario = next(x for x in lines if "scenarios/kyrgyzstan-2020.toml " in x)
    seed = next(x for x in lines if "seeds/kyrgyzstan-2020.toml " in x)
    assert scenario.split()[1:] == ["Kyrgyzstan", "2020", "under", "the", "rules", "in", "force"]
    assert seed.split()[1:4] == ["Kyrgyzstan,", "Jogorku", "Kenesh,"]
    # the titles start in one column
    assert scenario.index("Kyrgyzstan 2020") == seed.index("Kyrgyzstan, Jogorku")
    data = json.loads(invoke("list", "--json").stdout)
    kinds = {f["path"]: f["kind"] for f in data["files"]}
    assert kinds["scenarios/kyrgyzstan-2020.toml"] == "scenario"
    assert kinds["seeds/kyrgyzstan-2020.toml"] == "seed"


def test_list_of_a_missing_folder(tmp_path):
    assert_one_line_error(invoke("list", tmp_path / "nowhere"), "no such folder")
    (tmp_path / "notes.md").write_text("x")
    assert_one_line_error(invoke("list", tmp_path / "notes.md"), "a file, not a folder")


def test_a_seed_given_as_a_scenario_and_a_scenario_as_a_seed_say_so(tmp_path):
    # found by a fresh-eyes run: a seed passed to run was refused for its "unknown key name"
    assert_one_line_error(invoke("run", SEED), f"{SEED}: a seed file (it has [[party]] tables)")
    path = scenario_file(tmp_path, GOOD)
    assert_one_line_error(invoke("allocate", path), f"{path}: a scenario file")


# -- error paths: every command, every kind of bad file ------------------------------------

BAD = [
    (
        "unknown key",
        GOOD.replace("[rules]", "[rules]\nthreshhold = 1"),
        "rules.threshhold: unknown key",
    ),
    (
        "bad type",
        GOOD.replace("seats = 120", 'seats = "120"'),
        "rules.seats: must be a whole number",
    ),
    ("missing seed", GOOD.replace(str(SEED), "../seeds/none.toml"), "election: no such seed file"),
    ("no % sign", GOOD.replace('"7%"', '"7"'), 'rules.threshold: "7" needs a % sign'),
    ("unknown method", GOOD.replace('"hare"', '"borda"'), "rules.method: unknown method 'borda'"),
    ("bad compare", GOOD + 'method = "nope"\n', "compare[0].method: unknown method 'nope'"),
    ("bad toml", GOOD + "[rules\n", "not valid TOML"),
]


@pytest.mark.parametrize("command", ["run", "compare", "sweep", "validate"])
@pytest.mark.parametrize("kind, text, fragment", BAD, ids=[b[0] for b in BAD])
def test_bad_files_exit_2_naming_the_key(tmp_path, command, kind, text, fragment):
    path = scenario_file(tmp_path, text)
    assert_one_line_error(invoke(command, path), f"{path}: ", fragment)


@pytest.mark.parametrize("command", ["run", "compare", "sweep", "validate"])
def test_missing_scenario_file(command, tmp_path):
    assert_one_line_error(invoke(command, tmp_path / "none.toml"), "no such scenario file")


def test_lot_ties_need_a_seed(tmp_path):
    path = scenario_file(tmp_path, GOOD.replace("[rules]", '[rules]\nties = "lot"'))
    assert_one_line_error(invoke("run", path), 'ties = "lot" needs lot_seed')
    assert invoke("run", path, "--lot-seed", "7").exit_code == 0


@pytest.mark.parametrize("command", ["run", "compare", "sweep", "validate", "list"])
def test_every_command_has_help(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0 and "Usage" in result.stdout


def test_rules_that_cannot_fill_the_seats(tmp_path):
    # elections.md: Birimdik, the largest list, has 24.50% of participants
    path = scenario_file(tmp_path, GOOD.replace('"7%"', '"30%"'))
    for command in ("run", "compare"):
        assert_one_line_error(
            invoke(command, path), f"{path}: rules: ", "no list passes the threshold"
        )


def test_a_tie_under_the_baseline_names_the_lists(tmp_path):
    # methods.md: d'Hondt, 15 seats, votes [360, 280] is a genuine tie
    seed = tmp_path / "tie.toml"
    seed.write_text(
        'name = "tie"\nseats = 15\n[[party]]\nname = "A"\nvotes = 360\n'
        '[[party]]\nname = "B"\nvotes = 280\n',
        encoding="utf-8",
    )
    path = scenario_file(
        tmp_path, f'title = "t"\nelection = "{seed}"\n[rules]\nmethod = "dhondt"\n'
    )
    assert_one_line_error(invoke("run", path), f"{path}: rules: ", "tie", "A, B")
    lot = scenario_file(
        tmp_path,
        f'title = "t"\nelection = "{seed}"\nlot_seed = 3\n[rules]\n'
        'method = "dhondt"\nties = "lot"\n',
        name="lot.toml",
    )
    result = invoke("run", lot, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["allocation"]["tie"]["decided_by_lot"] is True and data["lot_seed"] == 3
    assert data == json.loads(invoke("run", lot, "--json").stdout)  # same seed, same lot


def test_run_sweeps_only_when_the_scenario_asks(tmp_path):
    path = scenario_file(tmp_path, GOOD)  # no [sweep] table
    data = json.loads(invoke("run", path, "--json").stdout)
    assert data["sweep"] is None
    result = invoke("run", path, "--csv", tmp_path / "out")
    assert result.exit_code == 0 and "threshold sweep" not in result.stdout
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "x.compare.csv",
        "x.lists.csv",
        "x.metrics.csv",
    ]
    # seatsim sweep still works, over the default range 0% to the largest share
    sweep = json.loads(invoke("sweep", path, "--json").stdout)["sweep"]
    assert sweep["range"]["high"]["exact"] == "487685/1990753"


def test_run_writes_the_figures_next_to_its_results(tmp_path):
    # issue 5: "seatsim run SCENARIO writes the scenario's figures next to its results"
    out = tmp_path / "figs"
    result = invoke("run", "scenarios/kyrgyzstan-2020.toml", "--no-montecarlo", "--figures", out)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert "kyrgyzstan-2020-seats.png" in names and "kyrgyzstan-2020-sweep.svg" in names
    assert f"to {out}/" in result.stderr


def test_run_refuses_a_figures_folder_that_is_a_file(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("x")
    assert_one_line_error(
        invoke("run", "scenarios/kyrgyzstan-2020.toml", "--figures", afile),
        "--figures needs a folder",
    )
