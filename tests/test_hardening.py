"""Issue 17, "Hardening": each item's reproducer as a test. Nothing outside the output is
touched, no garbage with exit 0, no traceback: bad input is one line on stderr, exit 2."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
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
    # a results table whose name is what --csv would write: refused before any CSV file is
    # written (a scenario reads an election named *.csv as a results table)
    table = "list,votes\nA,600\nB,300\n"
    seed = write_seed(tmp_path, table, name="scenario.lists.csv")
    sc = write_scenario(tmp_path, "seats = 10\n", seed=seed)
    result = invoke("run", sc, "--csv", tmp_path, "--no-draw")
    one_line(result, "--csv lists names an input of this run")
    assert seed.read_text(encoding="utf-8") == table
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scenario.lists.csv", "scenario.toml"]


def test_a_regular_file_is_still_replaced(tmp_path):
    sc = write_scenario(tmp_path, MC)
    out = tmp_path / "out.json"
    out.write_text("old")
    result = invoke("montecarlo", sc, "--json", "--save-json", out)
    assert result.exit_code == 0, result.stderr
    assert out.read_text().startswith("{")


# ---------------------------------------------------------------------------------------------
# item 6: no traceback; one line, exit 2


def seed_with(**replace) -> str:
    text = SEED_TEXT
    for old, new in replace.items():
        text = text.replace(old.replace("_", " "), new)
    return text


@pytest.mark.parametrize(
    "text, fragment",
    [
        (
            SEED_TEXT.replace("votes = 300", "votes = 9223372036854775808"),
            "list 'B': votes: 9223372036854775808 is too large (counts stay below 2^53)",
        ),
        (
            SEED_TEXT.replace("votes = 300", "votes = " + "9" * 5000),
            "not valid TOML (Exceeds the limit (4300 digits) for integer string conversion",
        ),
        (
            SEED_TEXT.replace("votes = 300", "votes = " + "9" * 4000),
            "list 'B': votes: a number of 4000 digits is too large",
        ),
        (
            SEED_TEXT + "notes = " + "[" * 5000 + "]" * 5000 + "\n",
            "not valid TOML (nested too deep)",
        ),
    ],
    ids=["votes-2^63", "5000-digits", "4000-digits", "nested-5000"],
)
def test_hostile_numbers_and_nesting_in_a_seed(tmp_path, text, fragment):
    seed = write_seed(tmp_path, text)
    one_line(invoke("allocate", seed), f"{seed}: {fragment}")


def test_a_device_is_not_read(tmp_path):
    one_line(invoke("allocate", "/dev/zero"), "/dev/zero: not a regular file")


def test_a_fifo_is_not_waited_for(tmp_path):
    fifo = tmp_path / "seed.toml"
    os.mkfifo(fifo)
    # no writer ever opens it: reading would hang; refused at once
    one_line(invoke("allocate", fifo), f"{fifo}: not a regular file")


def test_a_huge_file_is_not_read(tmp_path):
    from simulate.filekeys import MAX_FILE_BYTES

    seed = write_seed(tmp_path, SEED_TEXT + "#" * MAX_FILE_BYTES + "\n")
    one_line(invoke("allocate", seed), f"{seed}: larger than 8 MiB; not a seed file")


def test_a_huge_exponent_is_refused_before_it_is_read(tmp_path):
    import time

    sc = write_scenario(tmp_path).read_text().replace('"5%"', '"1e-99999999%"')
    (tmp_path / "scenario.toml").write_text(sc)
    start = time.perf_counter()
    result = invoke("validate", tmp_path / "scenario.toml")
    assert time.perf_counter() - start < 5
    one_line(result, 'rules.threshold: "1e-99999999%" is not a percentage (more than 40')
    one_line(
        invoke("allocate", write_seed(tmp_path), "--threshold", "1e999999%"),
        '--threshold: "1e999999%" is not a percentage',
    )


@pytest.mark.parametrize(
    "old, new, fragment",
    [
        ("block_size = 100", "block_size = 1000000000000", "montecarlo.block_size: 1000000000000"),
        ("block_size = 100", "chunk_size = 1000000000000", "montecarlo.chunk_size: 1000000000000"),
        ("draws = 200", "draws = " + "9" * 60, "montecarlo.draws: a number of 60 digits"),
    ],
)
def test_validate_refuses_sizes_beyond_memory(tmp_path, old, new, fragment):
    sc = write_scenario(tmp_path, MC.replace(old, new))
    fragment += " is more than the most allowed"
    one_line(invoke("validate", sc), fragment)
    one_line(invoke("montecarlo", sc), fragment)


def test_seatsim_list_reads_no_fifo(tmp_path):
    os.mkfifo(tmp_path / "pipe.toml")
    write_seed(tmp_path)
    result = invoke("list", tmp_path)
    assert result.exit_code == 0, result.stderr
    assert "pipe.toml  (not a regular file" in result.stdout


NAMES_SEED = """name = "Markup"
seats = 10

[[party]]
name = "[/]"
votes = 600

[[party]]
name = "$\\\\x$ [link=file:///x]y[/link]"
votes = 300

[[party]]
name = "C\\u001b]8;;x\\u0007\\nerror"
votes = 100
"""


def test_names_are_plain_text_in_tables(tmp_path):
    # item 6 ([/] was a rich MarkupError) and item 9 (markup, escapes and newlines in names)
    result = invoke("allocate", write_seed(tmp_path, NAMES_SEED))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    # (no threshold: the table has no threshold column)
    assert lines[4].split() == ["[/]", "600", "60.00%", "6"]
    assert lines[5].split() == ["$\\x$", "[link=file:///x]y[/link]", "300", "30.00%", "3"]
    assert lines[6].split() == ["C\\x1b]8;;x\\x07\\nerror", "100", "10.00%", "1"]
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout


def test_names_are_plain_text_in_errors(tmp_path):
    seed = write_seed(tmp_path, NAMES_SEED.replace("votes = 100", "votes = -1"))
    one_line(
        invoke("allocate", seed),
        "list 'C\\x1b]8;;x\\x07\\nerror': votes: must not be negative",
    )


def test_names_with_dollars_are_drawn(tmp_path):
    # $\x$ was a matplotlib mathtext ParseFatalException, after the tables were printed
    seed = write_seed(tmp_path, NAMES_SEED.replace("C\\u001b]8;;x\\u0007\\nerror", "C"))
    sc = tmp_path / "sc.toml"
    sc.write_text(f'title = "t"\nelection = "{seed.name}"\n[rules]\nmethod = "hare"\n')
    result = invoke("run", sc, "--figures", tmp_path / "figs", "--no-montecarlo")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "figs" / "sc-seats.png").stat().st_size > 1000


def test_csv_cells_that_a_spreadsheet_would_run_are_text(tmp_path):
    # item 9: a name (or label) starting with = + - @ is led by an apostrophe in CSV
    seed = write_seed(
        tmp_path,
        SEED_TEXT.replace('name = "A"', 'name = "=HYPERLINK(\\"http://x\\")"').replace(
            'name = "B"', 'name = "@SUM(A1)"'
        ),
    )
    sc = tmp_path / "sc.toml"
    sc.write_text(
        f'title = "t"\nelection = "{seed.name}"\n[rules]\nmethod = "hare"\n\n'
        '[[compare]]\nlabel = "-1 seat"\nmethod = "dhondt"\n'
    )
    result = invoke("compare", sc, "--csv", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "out" / "sc.compare.csv").read_text()
    assert text.splitlines() == [
        "list,baseline,'-1 seat",
        '"\'=HYPERLINK(""http://x"")",7,7',
        "'@SUM(A1),3,3",
    ]


# ---------------------------------------------------------------------------------------------
# item 10: duplicate names after NFKC and without format characters


@pytest.mark.parametrize(
    "first, second",
    [
        ("\\u00c9l", "E\\u0301l"),  # composed and decomposed É
        ("Ata Meken", "Ata\\u200b Meken"),  # a zero-width space
        ("AB", "\\uff21\\uff22"),  # full-width letters
        ("Ata", "A\\u2060ta\\u200d"),  # word joiner, zero-width joiner
    ],
    ids=["nfc-nfd", "zero-width-space", "full-width", "joiners"],
)
def test_names_that_read_alike_are_one_list(tmp_path, first, second):
    text = SEED_TEXT.replace('name = "A"', f'name = "{first}"').replace(
        'name = "B"', f'name = "{second}"'
    )
    result = invoke("allocate", write_seed(tmp_path, text))
    one_line(result, "duplicate list name", "but for how its letters are encoded")


def test_a_name_of_only_invisible_characters_is_empty(tmp_path):
    text = SEED_TEXT.replace('name = "B"', 'name = "\\u200b"')
    one_line(invoke("allocate", write_seed(tmp_path, text)), "a list has an empty name")


def test_names_that_differ_stay_apart():
    from simulate import Election

    e = Election.from_votes({"\u00c9l": 1, "El": 2, "Ata-Meken": 3, "Ata Meken": 4})
    assert e.names == ("\u00c9l", "El", "Ata-Meken", "Ata Meken")


# ---------------------------------------------------------------------------------------------
# item 3: model parameters in the range where the draws are valid; counts checked after


@pytest.mark.parametrize(
    "model, fragment",
    [
        (
            "concentration = 1e308",
            "montecarlo.concentration: 1e+308 is outside the range the draws are valid in "
            "(0.075 to 1.5e+300 for these votes; inf for no noise)",
        ),
        ("concentration = 0.01", "montecarlo.concentration: 0.01 is outside the range"),
        (
            'model = "logit-normal"\nsd = 1e-9',
            "montecarlo.sd: 1e-09 points is below the smallest the model solves for "
            "(0.0001; write 0 for no noise)",
        ),
        (
            'model = "logit-normal"\nsd = 1.0\nsd_lists = { A = 1e-12 }',
            "montecarlo.sd: 1e-12 points is below the smallest",
        ),
    ],
)
def test_model_parameters_outside_their_range_are_refused(tmp_path, model, fragment):
    sc = write_scenario(tmp_path, MC + model + "\n")
    one_line(invoke("validate", sc), fragment)
    one_line(invoke("montecarlo", sc), fragment)


def test_weights_of_1e308_are_equal_weights(tmp_path):
    from simulate.montecarlo.spec import ThresholdVariation

    v = ThresholdVariation.discrete(["5%", "7%"], [1e308, 1e308])
    assert v.cdf.tolist() == [0.5, 1.0]
    drawn = v.draw(np.random.default_rng(0), 10_000)
    assert abs((drawn == 0).mean() - 0.5) < 4 * 0.005  # 4 standard errors


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the garbage it forces on purpose
def test_counts_are_checked_after_every_model():
    from simulate.errors import InputError
    from simulate.montecarlo.models import Dirichlet

    assert (
        Dirichlet((600, 300, 100), 2000.0).draw(np.random.default_rng(0), 5).sum(0).tolist()
        == [1000] * 5
    )
    model = Dirichlet((600, 300, 100), 2000.0)
    object.__setattr__(model, "concentration", 1e308)  # past the checks, as a bug would be
    with pytest.raises(InputError, match="the dirichlet model drew counts that are not whole"):
        model.draw(np.random.default_rng(0), 5)


# ---------------------------------------------------------------------------------------------
# item 5: a tie on the reported votes is said in the Monte Carlo, as run says it

TIED_SEED = SEED_TEXT.replace("votes = 600", "votes = 500").replace("votes = 300", "votes = 250")
TIED_SEED += '\n[[party]]\nname = "C"\nvotes = 250\n'
TIED_SEED = TIED_SEED.replace("seats = 10", "seats = 2")  # A 1 seat; B and C tie for 1


def tied_scenario(tmp_path, rules: str, compare: str = "") -> Path:
    seed = write_seed(tmp_path, TIED_SEED)
    sc = tmp_path / "scenario.toml"
    sc.write_text(
        f'title = "tie"\nelection = "{seed.name}"\nlot_seed = 3\n\n[rules]\n'
        f'method = "hare"\n{rules}{compare}{MC}'
    )
    return sc


def test_a_tie_in_the_scenario_rules_is_refused_as_run_refuses_it(tmp_path):
    sc = tied_scenario(tmp_path, "")
    message = (
        f"{sc}: rules: {tmp_path / 'seed.toml'}: tie for the last 1 seat between B, C under "
        'Hare (largest remainder); set ties = "lot" to decide it by lot'
    )
    one_line(invoke("run", sc, "--no-draw"), message)
    one_line(invoke("montecarlo", sc), message)


def test_a_tie_on_the_reported_votes_is_said(tmp_path):
    compare = '\n[[compare]]\nlabel = "sl"\nmethod = "sainte-lague"\nties = "error"\n'
    sc = tied_scenario(tmp_path, 'label = "lot"\nties = "lot"\n', compare)
    result = invoke("montecarlo", sc, "--json")
    assert result.exit_code == 0, result.stderr
    notes = json.loads(result.stdout)["notes"]
    assert notes[:2] == [
        "rule set 'lot' on the reported votes: tie for the last 1 seat between B, C (decided "
        'by lot) with lots from seed 1, so its "now" is one of the ways the lot could fall',
        "rule set 'sl' on the reported votes: tie for the last 1 seat between B, C (decided "
        'by lot) with lots from seed 1, so its "now" is one of the ways the lot could fall; '
        'its own rules say ties = "error": seatsim run refuses this count',
    ]
    tables = invoke("montecarlo", sc).stdout
    assert "note: rule set 'lot' on the reported votes: tie for the last 1 seat" in tables


# ---------------------------------------------------------------------------------------------
# item 11: workers capped at the work and the cores, and said


@pytest.mark.parametrize(
    "cores, used, why", [(64, 2, "2 blocks of work"), (1, 1, "1 core on this machine")]
)
def test_workers_are_capped_at_the_work_and_the_cores(tmp_path, monkeypatch, cores, used, why):
    import simulate.montecarlo.run as mc

    monkeypatch.setattr(mc, "cores", lambda: cores)
    sc = write_scenario(tmp_path, MC)  # 200 draws in blocks of 100: 2 blocks
    result = invoke("montecarlo", sc, "--workers", 1000, "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["settings"]["workers"] == used
    assert f"workers: 1,000 asked for, {used} used ({why})" in data["notes"]
    tables = invoke("montecarlo", sc, "--workers", 1000)
    assert f"note: workers: 1,000 asked for, {used} used ({why})" in tables.stdout


# ---------------------------------------------------------------------------------------------
# item 4 (and the API part of item 6): wrong arguments are InputErrors, never wrong seats


def api_calls():
    from simulate import Election, Rules, allocate, allocate_batch

    e = Election.from_votes({"A": 600, "B": 300})
    votes = np.array([[5, 95], [7, 93]])
    seven = Rules(seats=10, threshold=0.07)
    return [
        (
            lambda: allocate_batch(votes, seven, base=np.array([-1, -1])),
            "base: must be ≥ 0, not -1 (draw 0)",
        ),
        (
            lambda: allocate_batch(votes, seven, eligible=np.array([True, False])),
            "eligible: need booleans of shape (2, 2), one per draw and list (as the votes), "
            "got bool (2,)",
        ),
        (
            lambda: allocate_batch(votes, seven, eligible=np.array([[1, 2], [0, 1]])),
            "eligible: need booleans of shape (2, 2)",
        ),
        (
            lambda: allocate_batch(votes[1:], Rules(seats=10), threshold=np.float32(0.07)),
            "threshold: a float32 (0.07000000029802322 as a double): give Python floats",
        ),
        (
            lambda: allocate_batch(
                votes, Rules(seats=10), threshold=np.array([0.07, 0.07], dtype=np.float32)
            ),
            "threshold: an array of float32: give Python floats",
        ),
        (lambda: Rules(seats=10, threshold=np.float32(0.07)), "threshold: a float32"),
        (
            lambda: allocate_batch([[1, 2], [3]], Rules(seats=3)),
            "votes: need an (N, P) array (rows of one length)",
        ),
        (
            lambda: allocate(e, Rules(seats=10), rng=42),
            "rng: need a numpy.random.Generator (numpy.random.default_rng(seed)), not 42",
        ),
        (lambda: allocate_batch(votes, Rules(seats=10), rng=42), "rng: need a numpy.random"),
        (lambda: Election.load(None), "seed file: needs a path, not None"),
        (lambda: allocate(e, 5), "rules: need a Rules, not 5"),
        (lambda: allocate_batch(votes, 5), "rules: need a Rules, not 5"),
        (lambda: allocate({"A": 1}, Rules(seats=1)), "election: need an Election, not {'A': 1}"),
    ]


@pytest.mark.parametrize("case", range(len(api_calls())))
def test_wrong_arguments_are_input_errors(case):
    from simulate.errors import InputError

    call, message = api_calls()[case]
    with pytest.raises(InputError) as err:
        call()
    assert str(err.value).startswith(message), str(err.value)


def test_the_checked_arguments_still_give_the_right_seats():
    from simulate import Rules, allocate_batch

    votes = np.array([[5, 95], [7, 93]])
    seven = Rules(seats=10, threshold=0.07)
    # at exactly 7% a list passes (float64 0.07 is read as the decimal it prints as)
    assert allocate_batch(votes, seven).tolist() == [[0, 10], [1, 9]]
    assert allocate_batch(votes, seven, base=np.array([100, 100])).tolist() == [[0, 10], [1, 9]]
    eligible = np.array([[True, True], [False, True]])
    assert allocate_batch(votes, seven, eligible=eligible).tolist() == [[0, 10], [0, 10]]


# ---------------------------------------------------------------------------------------------
# fuzz: seed and scenario files as a careless user or an attacker writes them


def toml_value(value) -> str:
    """A Python value as TOML (strings through JSON's escapes, which TOML reads too)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if value != value else ("inf" if value == float("inf") else repr(value))
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, str):  # TOML escapes no surrogate pairs: raw text, controls escaped
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    return str(value)


def toml_table(pairs: dict) -> str:
    return "".join(f"{k} = {toml_value(v)}\n" for k, v in pairs.items() if v is not None)


HOSTILE = {
    "name": [
        "[/]",
        "$\\x$",
        "=1+1",
        "\u00c9",
        "E\u0301",
        "a\u200b",
        "\x1b[2J",
        "A\nB",
        "\uff21",
        "",
    ],
    "votes": [-1, 2**53, 2**63, 2**64, 10**300, 1.5, float("nan"), "12", True],
    "seats": [0, -1, 2**63, 10**300, "ten"],
    "threshold": ["100%", "-1%", "7", "1/3%", "1e-99999999%", "1e400%", "0x10%", "\u0667%", ""],
    "method": ["nope", 3],
    "threshold_base": ["valid", "x"],
    "max_seats": [-1, 0, 2**64],
    "ties": ["coin", True],
    "draws": [0, 10**30],
    "seed": [-1, 2**200],
    "block_size": [10**12, 0],
    "workers": [1000],
    "concentration": [1e308, 1e-9, -1.0, float("nan")],
    "threshold_values": [["1e999%"], [], ["5%", "5%", "5%"]],
}
"""Hostile values by key: a fuzzed file has one of them now and then (or a name of any
characters), the rest of it good, so that both answers, a result and an error, are tried."""


def fuzz_strategies():
    """A seed, a scenario's [rules] and [montecarlo], all good, and at most one hostile value
    (``HOSTILE``, or a name of any characters) put in one of them."""
    from hypothesis import strategies as st

    name = st.sampled_from(["Ata", "Birimdik", "Mekenim", "B\u00fct\u00fcn", "Ak Jol"])
    party = st.fixed_dictionaries({"name": name, "votes": st.integers(0, 10**6)})
    parties = st.lists(party, min_size=1, max_size=5, unique_by=lambda p: p["name"])
    seed = st.fixed_dictionaries({"name": name, "seats": st.integers(1, 30)})
    rules = st.fixed_dictionaries(
        {
            "method": st.sampled_from(["hare", "dhondt", "droop", "sainte-lague"]),
            "threshold": st.sampled_from([None, "0%", "5%", "7%", "12.5%", "0.001%"]),
            "max_seats": st.one_of(st.none(), st.integers(1, 30)),
            "ties": st.sampled_from([None, "lot", "error"]),
        }
    )
    montecarlo = st.one_of(
        st.none(),
        st.fixed_dictionaries(
            {
                "draws": st.integers(1, 30),
                "seed": st.integers(0, 9),
                "block_size": st.sampled_from([1, 7, 16]),
                "concentration": st.sampled_from([2000, 10, float("inf")]),
            }
        ),
    )
    text = st.text(st.characters(exclude_categories=("Cs",)), max_size=6)
    damage = st.one_of(
        st.none(),
        st.sampled_from([(k, v) for k, values in HOSTILE.items() for v in values]),
        st.tuples(st.just("name"), text),
    )
    return parties, seed, rules, montecarlo, damage


def damaged(parties, seed, rules, montecarlo, damage):
    """The four tables with the one hostile value put where its key belongs."""
    if damage is None:
        return parties, seed, rules, montecarlo
    key, value = damage
    if key in ("name", "votes"):
        parties = [*parties[:-1], {**parties[-1], key: value}]
    elif key == "seats":
        seed = {**seed, key: value}
    elif key in ("threshold", "method", "threshold_base", "max_seats", "ties"):
        rules = {**rules, key: value}
    else:
        montecarlo = {**(montecarlo or {"draws": 5}), key: value}
    return parties, seed, rules, montecarlo


def files_in(folder: Path, skip: Path) -> dict:
    return {
        p: (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file() and skip not in p.parents
    }


def checked(result, house: int | None = None):
    """Exit 0 with a valid result, or exit 2 with exactly one line on stderr; never a
    traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    if result.exit_code == 0:
        data = json.loads(result.stdout)
        allocation = data.get("allocation", data)
        seats = [r["seats"] for r in allocation["lists"]]
        assert all(isinstance(s, int) and s >= 0 for s in seats)
        assert sum(seats) == allocation["seats_total"] == allocation["rules"]["seats"]
        return
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("seatsim: error: "), result.stderr


def test_fuzz_seed_and_scenario_files():
    import tempfile

    from hypothesis import HealthCheck, given, settings

    strategies = fuzz_strategies()

    @settings(
        max_examples=100,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(*strategies)
    def run(parties, seed, rules, montecarlo, damage):
        party_list, seed_keys, rule_keys, mc_keys = damaged(
            parties, seed, rules, montecarlo, damage
        )
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            seed_text = toml_table(seed_keys) + "".join(
                "\n[[party]]\n" + toml_table(p) for p in party_list
            )
            (folder / "seed.toml").write_text(seed_text, encoding="utf-8")
            scenario = 'title = "fuzz"\nelection = "seed.toml"\nlot_seed = 1\n\n[rules]\n'
            scenario += toml_table(rule_keys)
            if mc_keys is not None:
                scenario += "\n[montecarlo]\n" + toml_table(mc_keys)
            (folder / "scenario.toml").write_text(scenario, encoding="utf-8")
            out = folder / "out"
            before = files_in(folder, out)
            checked(invoke("allocate", folder / "seed.toml", "--json"))
            validated = invoke("validate", folder / "scenario.toml")
            assert (
                validated.exit_code in (0, 2)
                and validated.exception is None
                or isinstance(validated.exception, SystemExit)
            )
            result = invoke("run", folder / "scenario.toml", "--json", "--no-draw", "--csv", out)
            checked(result)
            if validated.exit_code == 2:
                assert result.exit_code == 2  # what validate refuses, run refuses
            assert files_in(folder, out) == before

    run()


# ---------------------------------------------------------------------------------------------
# item 6: Ctrl-C while the command line starts up


INTERRUPT_ON_IMPORT = """
import sys

class Interrupt:  # a Ctrl-C at the moment numpy is imported
    def find_spec(self, name, path=None, target=None):
        if name == "numpy":
            raise KeyboardInterrupt
        return None

sys.meta_path.insert(0, Interrupt())
sys.argv = ["seatsim", "list"]
from simulate.cli import main
main()
"""


def test_ctrl_c_while_starting_is_one_line_and_130():
    run = subprocess.run(
        [sys.executable, "-c", INTERRUPT_ON_IMPORT],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert (run.returncode, run.stderr) == (130, "seatsim: interrupted\n")
    assert run.stdout == ""


@pytest.mark.parametrize("option", ["--max-seats", "--min-seats", "--seats"])
def test_huge_seat_options_are_one_line(tmp_path, option):
    # --max-seats 10**20 was an OverflowError in the engine
    one_line(
        invoke("allocate", write_seed(tmp_path), option, 10**20),
        f"{option.removeprefix('--').replace('-', '_')}: 100000000000000000000 is more than "
        "the most allowed (9,007,199,254,740,992)",
    )


def test_outputs_of_one_run_are_written_together_or_not_at_all(tmp_path, monkeypatch):
    # Issue 17, item 8: an interrupt while .npz was written left a hidden temp file and a new
    # JSON beside old draws. write_files writes every file to a temporary name first: an
    # interrupt or an error before all are written replaces nothing and leaves no temp file.
    import os

    from simulate.report import atomic

    first, second = tmp_path / "out.json", tmp_path / "out.npz"
    first.write_bytes(b"old json")
    second.write_bytes(b"old draws")
    real = os.fdopen
    calls = {"n": 0}

    def interrupted(fd, mode):
        calls["n"] += 1
        if calls["n"] == 2:  # Ctrl-C while the second file is being written
            os.close(fd)
            raise KeyboardInterrupt
        return real(fd, mode)

    monkeypatch.setattr(atomic.os, "fdopen", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic.write_files({first: b"new json", second: b"new draws"})
    assert first.read_bytes() == b"old json" and second.read_bytes() == b"old draws"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json", "out.npz"]  # no temp
    monkeypatch.setattr(atomic.os, "fdopen", real)
    assert atomic.write_files({first: b"new json", second: b"new draws"}) == [first, second]
    assert first.read_bytes() == b"new json" and second.read_bytes() == b"new draws"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json", "out.npz"]


def test_an_output_folder_that_is_a_symbolic_link_is_refused(tmp_path):
    # Outputs are never written through a symbolic link: a file was checked, now a folder too
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    from simulate.errors import InputError
    from simulate.report.atomic import check_folder

    with pytest.raises(InputError, match="is a symbolic link; name the folder itself"):
        check_folder(link, "--csv")
    assert check_folder(real, "--csv") == real
