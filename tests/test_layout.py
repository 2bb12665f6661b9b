"""The layout STYLE asks for: no import circle among the project's modules, and pandas loaded only
where it is used, so the workers and every manage.py command start without it.

The import graph is read from the source with ast (module-level imports and those inside functions
alike: a lazy import hides a circle, it does not remove it).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("portal", "tenants", "imv", "municipalities", "api", "frontend")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                found[_module_name(path)] = path
    return found


def _imports(path: Path, name: str, known: set[str]) -> set[str]:
    """The project modules this module imports (a `from package import module` counts as the module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in names:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                targets.add(target)
    return targets


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(path, name, known) for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle, if there is any (depth-first search)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            # A package's __init__ re-exporting its own modules is not a circle through them.
            if target.startswith(node + "."):
                continue
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_graph_reader_sees_a_circle_when_there_is_one():
    # The control arm: a circle made by hand must be found, or the test below proves nothing.
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_graph_reader_follows_lazy_imports():
    graph = _graph()
    assert "imv.models" in graph["imv.mail"]  # a module-level import
    assert "tenants.models" in graph["tenants.access"]


def test_no_import_circle_among_the_projects_modules():
    assert _cycle(_graph()) is None


@pytest.mark.parametrize("module", ["portal.celery", "imv.tasks", "portal.urls", "portal.routing"])
def test_importing_workers_and_pages_loads_no_pandas(module):
    # A fresh interpreter: this one has long imported pandas for other tests.
    code = f"import django, sys; django.setup(); import {module}; print('pandas' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "False", f"importing {module} loads pandas"


# Apps from the bottom up: an app may import its own modules and those of the apps below it.
# portal's shared pieces (settings, exceptions, forms, progress, celery) are below every app;
# the URL, websocket and ASGI roots and frontend (context processors, error pages) sit on top.
LAYERS = {"portal": 0, "tenants": 1, "imv": 2, "municipalities": 3, "api": 4}
ROOTS = ("portal.urls", "portal.routing", "portal.asgi", "frontend")


def _upward_imports(graph: dict[str, set[str]]) -> list[str]:
    found = []
    for source, targets in sorted(graph.items()):
        if source.startswith(ROOTS):
            continue
        for target in sorted(targets):
            app = target.split(".")[0]
            if app == "frontend" or LAYERS.get(app, 0) > LAYERS[source.split(".")[0]]:
                found.append(f"{source} -> {target}")
    return found


def test_the_layer_check_sees_an_upward_import():
    assert _upward_imports({"tenants.services": {"imv.models"}, "imv.views": {"tenants.models"}}) == [
        "tenants.services -> imv.models"
    ]


def test_no_app_imports_one_above_it():
    # tenants imports neither imv nor municipalities, and nothing but the roots imports api.
    assert _upward_imports(_graph()) == []


# The skeleton: a layer is a module or a package of that name, never a module with a suffix.
LAYER_NAMES = ("services", "selectors", "views", "forms", "exports")
MAX_LINES = 400


def _suffixed_layer_modules(paths: list[Path]) -> list[str]:
    return sorted(
        str(path.relative_to(ROOT))
        for path in paths
        if any(path.stem.startswith(f"{layer}_") for layer in LAYER_NAMES) and "tests" not in path.parts
    )


def test_the_suffix_check_sees_a_suffixed_module():
    assert _suffixed_layer_modules([ROOT / "imv" / "views_dashboard.py", ROOT / "imv" / "views" / "rounds.py"]) == [
        "imv/views_dashboard.py"
    ]


def test_no_layer_module_has_a_suffix():
    assert _suffixed_layer_modules(list(_modules().values())) == []


def _python_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [ROOT / name for name in listed if "migrations" not in Path(name).parts and (ROOT / name).exists()]


def test_no_module_outside_migrations_is_longer_than_400_lines():
    files = _python_files()
    assert ROOT / "imv" / "services" / "opinions.py" in files  # the listing sees the project's modules
    long = {
        str(path.relative_to(ROOT)): count
        for path in files
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
