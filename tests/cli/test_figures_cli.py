"""``seatsim figures`` through typer's CliRunner: byte-identical files on a second run, the
file names, the shipped-scenarios mode (into figures/ beside scenarios/), the manifest that
lets it remove only figures it wrote and no longer makes, and errors as one line with exit
code 2. A small constructed scenario keeps this fast; the shipped scenarios are drawn by
``seatsim figures`` itself (figures/)."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulate.cli import app, figures_cmd
from simulate.report.manifest import MANIFEST

runner = CliRunner()

SEED = """name = "Testland, 1 May 2024"
seats = 20
participants = 1000
[[party]]
name = "Alpha"
votes = 400
[[party]]
name = "Beta"
votes = 300
[[party]]
name = "Gamma"
votes = 160
[[party]]
name = "Delta"
votes = 60
"""

SCENARIO = """title = "Testland under its rules"
election = "../seeds/testland.toml"
[rules]
label = "in force"
method = "hare"
threshold = "7%"
threshold_base = "participants"
[[compare]]
label = "5%"
threshold = "5%"
[[compare]]
label = "d'Hondt"
method = "dhondt"
[sweep]
range = ["0%", "20%"]
[montecarlo]
draws = 400
seed = 3
"""

KINDS = (
    "seats",
    "seats-vs-5pct",
    "sweep",
    "compare",
    "mc-changes",
    "mc-list-seats",  # in force
    "mc-list-seats-5pct",
    "mc-list-seats-d-hondt",
    "mc-majority",
    "margins",
)
"""What Testland draws: its [montecarlo] table names no rule_sets, so all three are run and
each gets its seats-per-list figure."""


@pytest.fixture
def tiny(tmp_path) -> Path:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "seeds" / "testland.toml").write_text(SEED, encoding="utf-8")
    path = tmp_path / "scenarios" / "testland.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


def _files(folder: Path) -> dict[str, bytes]:
    """The figure files (the manifest apart)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != MANIFEST}


def test_figures_twice_gives_byte_identical_files(tiny, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    for out in (first, second):
        result = runner.invoke(app, ["figures", str(tiny), "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert "20 files" in result.output
        assert "testland-mc-list-seats: in force" in result.output
        assert "testland-mc-list-seats-d-hondt: d'Hondt" in result.output
    a, b = _files(first), _files(second)
    assert sorted(a) == sorted(f"testland-{k}.{ext}" for k in KINDS for ext in ("png", "svg"))
    assert a == b
    assert (first / MANIFEST).read_bytes() == (second / MANIFEST).read_bytes()


def test_without_scenarios_it_rebuilds_figures_beside_the_scenarios(tiny, monkeypatch):
    # Issue 17, item 2: a file seatsim did not write is never deleted, even when its name
    # looks like one of the scenario's figures ("testland-holiday-photo.png").
    root = tiny.parent.parent
    monkeypatch.setattr(figures_cmd, "_shipped", lambda: (tiny.parent, [tiny]))
    figures = root / "figures"
    figures.mkdir()
    (figures / "testland-holiday-photo.png").write_bytes(b"mine")
    (figures / "someone-else.png").write_bytes(b"kept")
    result = runner.invoke(app, ["figures", "--no-montecarlo"])
    assert result.exit_code == 0, result.output
    made = sorted(p.name for p in figures.glob("testland-*") if "holiday" not in p.name)
    assert made == sorted(
        f"testland-{k}.{ext}"
        for k in ("seats", "seats-vs-5pct", "sweep", "compare", "margins")
        for ext in ("png", "svg")
    )
    assert not list(figures.glob(".*.tmp"))  # written atomically, nothing left over
    assert (figures / "testland-holiday-photo.png").read_bytes() == b"mine"
    assert (figures / "someone-else.png").read_bytes() == b"kept"
    assert "removed" not in result.output
    listed = json.loads((figures / MANIFEST).read_text())["files"]
    assert sorted(listed) == made and listed["testland-seats.png"]["figure"] == "seats"


def _manifest(folder: Path) -> dict:
    return json.loads((folder / MANIFEST).read_text())["files"]


def test_only_figures_it_wrote_and_no_longer_makes_are_removed(tiny, tmp_path):
    out = tmp_path / "out"
    narrow = SCENARIO.replace('range = ["0%", "20%"]', 'range = ["6%", "7%"]')
    tiny.write_text(narrow, encoding="utf-8")
    first = runner.invoke(app, ["figures", str(tiny), "--out", str(out), "--draws", "200"])
    assert first.exit_code == 0, first.output
    assert "testland-mc-changes.png" in _manifest(out)
    assert "testland-seats-vs-5pct: 5%" in first.output  # which file is which rule set
    # the 5% rule set is dropped from the scenario; one of its files was edited by hand
    tiny.write_text(narrow.replace('[[compare]]\nlabel = "5%"\nthreshold = "5%"\n', ""))
    (out / "testland-seats-vs-5pct.svg").write_text("edited")
    again = runner.invoke(app, ["figures", str(tiny), "--out", str(out), "--no-montecarlo"])
    assert again.exit_code == 0, again.output
    assert not (out / "testland-seats-vs-5pct.png").exists()  # ours, unchanged: removed
    assert "removed" in again.output
    assert (out / "testland-seats-vs-5pct.svg").read_text() == "edited"  # changed: kept
    assert "changed since seatsim wrote it" in again.output
    # --no-montecarlo skipped the Monte Carlo figures this time: they stay, still listed
    assert (out / "testland-mc-changes.png").exists()
    listed = _manifest(out)
    assert "testland-mc-changes.png" in listed and "testland-seats-vs-5pct.png" not in listed


def test_labels_that_give_one_file_name_get_distinct_files(tiny, tmp_path):
    # Issue 17, item 7: "9%" and "9pct" both became seats-vs-9pct; two Cyrillic labels both
    # became seats-vs-rules. Cyrillic is transliterated, and a repeat is numbered.
    text = SCENARIO[: SCENARIO.index("[[compare]]")] + "".join(
        f'[[compare]]\nlabel = "{label}"\nthreshold = "{t}"\n'
        for label, t in (("5%", "5%"), ("5pct", "4%"), ("Порог 3%", "3%"), ("Порог 2%", "2%"))
    )
    tiny.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["figures", str(tiny), "--out", str(out), "--no-montecarlo"])
    assert result.exit_code == 0, result.output
    names = sorted(p.stem for p in out.glob("testland-seats-vs-*.png"))
    # every one of these thresholds lets Delta (6% of participants) in, so each moves seats
    assert names == [
        "testland-seats-vs-5pct",
        "testland-seats-vs-5pct-2",
        "testland-seats-vs-porog-2pct",
        "testland-seats-vs-porog-3pct",
    ]
    assert "testland-seats-vs-5pct-2: 5pct" in result.output
    assert _manifest(out)["testland-seats-vs-porog-3pct.png"]["label"] == "Порог 3%"


@pytest.mark.parametrize(
    "args, message",
    [
        (["figures", "no/such.toml"], "no such scenario file"),
    ],
)
def test_errors_are_one_line_with_exit_code_2(args, message, tmp_path):
    result = runner.invoke(app, [*args, "--out", str(tmp_path)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("seatsim: error:") and message in lines[0]


def test_monte_carlo_figures_follow_the_montecarlo_table_unless_told(tiny, tmp_path):
    # As seatsim run: Monte Carlo figures for a scenario with a [montecarlo] table only;
    # --montecarlo draws them for every scenario (--no-montecarlo for none: above). A narrow
    # sweep keeps the majority curve short.
    narrow = SCENARIO.replace('range = ["0%", "20%"]', 'range = ["6%", "7%"]')
    table = tiny.parent / "table.toml"
    table.write_text(narrow, encoding="utf-8")
    plain = tiny.parent / "plain.toml"
    plain.write_text(narrow[: narrow.index("[montecarlo]")], encoding="utf-8")
    for args, counts in (([table, plain], (20, 10)), ([plain, "--montecarlo"], (20,))):
        out = tmp_path / f"out-{len(args)}"
        result = runner.invoke(
            app, ["figures", *map(str, args), "--out", str(out), "--draws", "200"]
        )
        assert result.exit_code == 0, result.output
        for path, count in zip(args, counts):
            assert f"{path}: {count} files" in result.output


def test_out_must_be_a_folder(tiny, tmp_path):
    target = tmp_path / "file.png"
    target.write_bytes(b"")
    result = runner.invoke(app, ["figures", str(tiny), "--out", str(target)])
    assert result.exit_code == 2
    assert "needs a folder" in result.output


def test_a_bad_scenario_among_several_writes_nothing_and_is_named(tiny, tmp_path):
    # Found by a fresh-eyes run: the first scenario's figures were written before the
    # second one's rules failed, and the message did not name the second scenario.
    bad = tiny.parent / "capped.toml"
    bad.write_text(
        SCENARIO.replace(
            'threshold_base = "participants"', 'threshold_base = "participants"\nmax_seats = 5'
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    out.mkdir()
    result = runner.invoke(app, ["figures", str(tiny), str(bad), "--out", str(out)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"seatsim: error: {bad}: rules:")
    assert "the seat cap leaves seats that no list may take" in lines[0]
    assert not list(out.iterdir())


def test_a_montecarlo_error_names_the_scenario(tiny, tmp_path):
    bad = tiny.parent / "capped.toml"
    bad.write_text(
        SCENARIO.replace(
            'threshold_base = "participants"', 'threshold_base = "participants"\nmax_seats = 5'
        ),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["montecarlo", str(bad), "--no-progress"])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    # checked as run and validate check it, before the Monte Carlo starts (issue 17, item 5)
    assert lines[0].startswith(f"seatsim: error: {bad}: rules: ")
    assert "the seat cap leaves seats that no list may take" in lines[0]


@pytest.mark.parametrize("command", ["figures", "run"])
def test_draws_reach_the_majority_curve_and_its_caption(command, tiny, tmp_path, monkeypatch):
    # Issue 18, item 6: the majority figure used 4,000 draws per threshold whatever --draws
    # said; now --draws is its draws per threshold, and the caption gives that number.
    from simulate.cli import scenario_cmd
    from simulate.plots.majority import curve_source, figure_majority

    module = figures_cmd if command == "figures" else scenario_cmd
    original, curves = module.scenario_curve, []

    def recording(*args, **kwargs):
        curves.append(original(*args, **kwargs))
        return curves[-1]

    monkeypatch.setattr(module, "scenario_curve", recording)
    tiny.write_text(SCENARIO.replace('range = ["0%", "20%"]', 'range = ["6%", "7%"]'))
    out = tmp_path / "out"
    where = ["--out", str(out)] if command == "figures" else ["--figures", str(out)]
    result = runner.invoke(app, [command, str(tiny), *where, "--draws", "150"])
    assert result.exit_code == 0, result.output
    assert [c.per_threshold for c in curves] == [150]
    assert "Monte Carlo: 150 draws per threshold" in curve_source(curves[0])
    fig = figure_majority(curves[0])
    assert "For each threshold, 150 simulated counts" in " ".join(t.get_text() for t in fig.texts)
