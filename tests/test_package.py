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


def test_alliance_names_are_public():
    import simulate
    from simulate.alliance import Alliance
    from simulate.alliances import allocate_batch_allied

    assert simulate.Alliance is Alliance
    assert simulate.allocate_batch_allied is allocate_batch_allied
    assert {"Alliance", "allocate_batch_allied"} <= set(simulate.__all__) & set(dir(simulate))


def test_the_result_types_keep_their_public_home():
    # simulate.allocation names what simulate.outcome defines (the layers below allocate)
    from simulate import allocation, outcome

    for name in ("Allocation", "ListResult", "Tie", "shortfalls", "check_call", "regional_notes"):
        assert getattr(allocation, name) is getattr(outcome, name), name


def _package_imports() -> dict[str, set[str]]:
    """Each module of simulate/ and the modules of simulate/ it imports: at the top, inside a
    function, or for type checkers only (a loop there is a loop of the layers too)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "simulate"
    files = {}
    for f in root.rglob("*.py"):
        parts = f.relative_to(root.parent).with_suffix("").parts
        files[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = f

    def home(name: str) -> str:
        while name not in files:
            name = name.rpartition(".")[0]
        return name

    out = {}
    for name, f in files.items():
        tree = ast.parse(f.read_text(encoding="utf-8"))
        deps = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                if node.module.split(".")[0] == "simulate":
                    for a in node.names:
                        full = f"{node.module}.{a.name}"
                        deps.add(full if full in files else home(node.module))
            elif isinstance(node, ast.Import):
                deps |= {home(a.name) for a in node.names if a.name.split(".")[0] == "simulate"}
        # (the package itself only names its modules, imported when a name is first used)
        out[name] = deps - {name, "simulate"}
    return out


def test_no_module_imports_one_that_imports_it_back():
    graph = _package_imports()
    assert graph["simulate.outcome"] and graph["simulate.allocation"]  # (the walk found them)

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            m = todo.pop()
            if m == goal:
                return True
            if m not in seen:
                seen.add(m)
                todo.extend(graph.get(m, ()))
        return False

    loops = sorted((a, b) for a, deps in graph.items() for b in deps if reaches(b, a))
    assert loops == []
