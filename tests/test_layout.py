"""The package's shape: every module imports on its own, module-level imports form no cycle, and
only the entry points import the CLI."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "docclf"
ENTRY_POINTS = {"docclf.cli", "docclf.__main__"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path, module: str, top_level_only: bool) -> set[str]:
    """docclf modules that `path` imports (at module level only, if asked; TYPE_CHECKING blocks never count)."""
    tree = ast.parse(path.read_text())
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("docclf"))
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: resolve against this module's package
                    pkg = module.split(".")[: len(module.split(".")) - node.level + (path.name == "__init__.py")]
                    base = ".".join([*pkg, *([base] if base else [])])
                if base.startswith("docclf"):
                    subs = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in MODULES]
                    found.update(subs or [base])
            body = [] if top_level_only and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
                else [n for n in ast.iter_child_nodes(node) if isinstance(n, ast.stmt)]
            visit(body)

    visit(tree.body)
    found.discard(module)
    return found


def test_nothing_but_the_entry_points_imports_the_cli():
    offenders = sorted(m for m, p in MODULES.items()
                       if m not in ENTRY_POINTS and "docclf.cli" in _imports(p, m, top_level_only=False))
    assert offenders == []


def test_module_level_imports_form_no_cycle():
    graph = {m: _imports(p, m, top_level_only=True) & set(MODULES) for m, p in MODULES.items()}
    state: dict[str, str] = {}

    def walk(m: str, path: list[str]) -> None:
        state[m] = "open"
        for dep in sorted(graph[m]):
            if state.get(dep) == "open":
                pytest.fail("import cycle: " + " -> ".join(path[path.index(dep):] + [dep]) if dep in path
                            else f"import cycle through {dep}")
            if dep not in state:
                walk(dep, [*path, dep])
        state[m] = "done"

    for m in graph:
        if m not in state:
            walk(m, [m])


def test_every_module_imports():
    """In a fresh interpreter, with nothing happening on import (no output, no model loading)."""
    names = sorted(m for m in MODULES if m != "docclf.__main__")
    code = ("import importlib, sys\nbad = []\nfor m in sys.argv[1:]:\n    try:\n        importlib.import_module(m)\n"
            "    except Exception as exc:\n        bad.append(f'{m}: {type(exc).__name__}: {exc}')\nprint(bad)")
    proc = subprocess.run([sys.executable, "-c", code, *names], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and proc.stdout.strip() == "[]", proc.stdout + proc.stderr[-2000:]


def test_the_cycle_check_sees_a_cycle(tmp_path, monkeypatch):
    """The checker itself: two modules importing each other are reported."""
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_text("from docclf.cli import run\n")
    b.write_text("def f():\n    import docclf.cli\n")
    assert _imports(a, "docclf.a", True) == {"docclf.cli"}
    assert _imports(b, "docclf.b", True) == set() and _imports(b, "docclf.b", False) == {"docclf.cli"}
    assert importlib.util.find_spec("docclf.cli") is not None
