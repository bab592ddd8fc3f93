"""The documentation runs: docs/formats.md's TOML examples validate, docs/python.md's
walkthrough passes as a doctest."""

import re
import shutil
from pathlib import Path

from typer.testing import CliRunner

from simulate.cli import app

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
BLOCK = re.compile(r"```toml\n(.*?)```", re.DOTALL)


def toml_examples(text: str) -> list[tuple[str, str, str]]:
    """(how, path, body) of every TOML block that starts with ``# file: PATH`` (a file of its
    own) or ``# with: PATH`` (tables appended to that file)."""
    found = []
    for body in BLOCK.findall(text):
        first, _, _ = body.partition("\n")
        match = re.fullmatch(r"# (file|with): (\S+)", first.strip())
        if match:
            found.append((match.group(1), match.group(2), body))
    return found


def test_formats_examples_validate(tmp_path):
    examples = toml_examples((DOCS / "formats.md").read_text(encoding="utf-8"))
    files = {path: body for how, path, body in examples if how == "file"}
    assert set(files) == {"seeds/example.toml", "scenarios/example.toml"}
    assert sum(how == "with" for how, _, _ in examples) >= 5
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    (tmp_path / "scenarios").mkdir()
    for path, body in files.items():
        (tmp_path / path).write_text(body, encoding="utf-8")
    targets = [tmp_path / "scenarios/example.toml"]
    for i, (how, path, body) in enumerate(examples):
        if how == "with":
            target = tmp_path / "scenarios" / f"with-{i}.toml"
            target.write_text(files[path] + "\n" + body, encoding="utf-8")
            targets.append(target)
    runner = CliRunner()
    res = runner.invoke(app, ["validate", *map(str, targets)])
    assert res.exit_code == 0, res.output
    assert res.stdout.count("ok  ") == len(targets)


def test_formats_example_allocates_as_documented(tmp_path):
    """The example seed's rules: Green misses 2% of the South's participants (50 < 94)."""
    import json

    text = (DOCS / "formats.md").read_text(encoding="utf-8")
    examples = {p: b for how, p, b in toml_examples(text) if how == "file"}
    for path, body in examples.items():
        (tmp_path / path).parent.mkdir(exist_ok=True)
        (tmp_path / path).write_text(body, encoding="utf-8")
    res = CliRunner().invoke(app, ["compare", str(tmp_path / "scenarios/example.toml"), "--json"])
    assert res.exit_code == 0, res.output
    sets = {s["label"]: s for s in json.loads(res.stdout)["compare"]["rule_sets"]}
    assert sets["in force"]["passed"] == ["Blue", "Red", "Yellow"]
    assert sets["in force"]["seats"] == {"Blue": 5, "Red": 4, "Green": 0, "Yellow": 1}
    assert sets["no regional threshold"]["passed"] == ["Blue", "Red", "Green", "Yellow"]


def test_no_pointer_leaves_the_repository():
    """Seeds, scenarios, code and README cite docs/, not files outside the repository."""
    files = [
        ROOT / "README.md",
        *ROOT.glob("seeds/*.toml"),
        *ROOT.glob("scenarios/*.toml"),
        *ROOT.glob("simulate/**/*.py"),
    ]
    for path in files:
        text = path.read_text(encoding="utf-8")
        for bad in ("shared/", "DESIGN.md", "reference/elections.md"):
            assert bad not in text, f"{path.relative_to(ROOT)} points to {bad}"
    for path in ROOT.glob("scenarios/*.toml"):
        for target in re.findall(r"\.\./(docs/\S+\.md)", path.read_text(encoding="utf-8")):
            assert (ROOT / target).is_file(), f"{path.name}: {target}"


def test_python_walkthrough_runs(monkeypatch):
    """docs/python.md as a doctest, from the repository's root (its paths are relative)."""
    import doctest

    monkeypatch.chdir(ROOT)
    result = doctest.testfile(
        str(DOCS / "python.md"),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        raise_on_error=False,
        verbose=False,
    )
    assert result.attempted > 50
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed (above)"


def documented_keys(text: str, heading: str) -> set[str]:
    """The keys in the first column(s) of the tables under ``heading`` (up to the next
    heading of the same or a higher level)."""
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)  # a "# comment" is no heading
    level = heading.split(" ")[0]
    start = text.index(heading + "\n")
    rest = text[start + len(heading) + 1 :]
    stops = [rest.find("\n" + "#" * n + " ") for n in range(1, len(level) + 1)]
    section = rest[: min([s for s in stops if s >= 0] or [len(rest)])]
    keys = set()
    for line in section.splitlines():
        cells = (
            [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        )
        for cell in cells[:2]:
            keys.update(re.findall(r"^`([a-z_]+)`$", cell))
    return keys


def test_formats_lists_every_key_the_parsers_accept():
    from simulate import METHOD_NAMES, METHODS, election
    from simulate.montecarlo import models, spec
    from simulate.scenario import file

    text = (DOCS / "formats.md").read_text(encoding="utf-8")
    assert documented_keys(text, "### Top-level keys") == election._TOP_KEYS
    assert documented_keys(text, "### `[[party]]`: one list") == election._PARTY_KEYS
    assert documented_keys(text, "### `[regions.NAME]`: counts of one region") == (
        election._REGION_KEYS
    )
    scenario = text[text.index("## Scenario files") :]
    assert documented_keys(scenario, "### Top-level keys") == set(file.TOP_KEYS)
    rules = documented_keys(text, "### `[rules]`: the baseline") - set(METHOD_NAMES)
    assert rules == {"label", "constituency", *file.RULE_KEYS}
    assert documented_keys(text, "### `[sweep]`: the threshold sweep") == set(file.SWEEP_KEYS)
    montecarlo = documented_keys(text, "## `[montecarlo]`: the Monte Carlo run")
    assert montecarlo - set(models.MODEL_KINDS) == set(spec.KEYS)
    for name in METHODS:  # every method and alias, as the parser accepts them
        assert f"`{name}`" in text, name
    for model, parameters in models.MODEL_PARAMETERS.items():
        assert f"| `{model}` |" in text
        assert set(parameters) <= montecarlo
