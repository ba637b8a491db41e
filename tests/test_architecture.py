"""The layout's promises, read from the source: core/ keeps its private names to itself,
its modules import no Mesa, YAML, pydantic or matplotlib, and no module-level import
forms a cycle (a module can always be imported first)."""

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "armsim"


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def module_level_imports(name: str, path: Path) -> set[str]:
    """The armsim modules imported at module level (not in functions, not TYPE_CHECKING)."""
    tree = ast.parse(path.read_text())
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for sub in ast.walk(node) if isinstance(node, (ast.If, ast.Try)) else [node]:
            if isinstance(sub, ast.Import):
                found |= {a.name for a in sub.names}
            elif isinstance(sub, ast.ImportFrom):
                base = sub.module or ""
                if sub.level:
                    base = ".".join(package.split(".")[:len(package.split(".")) - sub.level + 1]
                                    + ([base] if base else []))
                found.add(base)
                found |= {f"{base}.{a.name}" for a in sub.names}
    known = modules()
    return {m for m in found if m in known and m != name}


def test_no_module_outside_core_uses_a_private_name_of_core():
    offences = []
    for name, path in modules().items():
        if name.startswith("armsim.core"):
            continue
        tree = ast.parse(path.read_text())
        aliases = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("armsim.core"):
                for a in node.names:
                    if a.name.startswith("_"):
                        offences.append(f"{name}: from {node.module} import {a.name}")
                    if node.module == "armsim.core":
                        aliases.add(a.asname or a.name)
            elif isinstance(node, ast.Import):
                aliases |= {a.asname for a in node.names
                            if a.name.startswith("armsim.core") and a.asname}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in aliases and node.attr.startswith("_")
                    and not node.attr.startswith("__")):
                offences.append(f"{name}:{node.lineno}: {node.value.id}.{node.attr}")
    assert offences == []


def test_core_imports_no_mesa_yaml_pydantic_or_matplotlib():
    heavy = ("mesa", "yaml", "pydantic", "matplotlib", "armsim.scenario", "armsim.strategies")
    for name, path in modules().items():
        if not name.startswith("armsim.core"):
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not [n for n in names if n.split(".")[0] in heavy or n.startswith(heavy)], \
                (name, names)


def test_no_import_cycle_among_modules():
    graph = {name: module_level_imports(name, path) for name, path in modules().items()}
    # a package imports its parent packages first: those edges are not cycles of ours
    cycles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph[m]):
            if m.startswith(n + "."):
                continue
            if state.get(n) == 1:
                cycles.append(stack[stack.index(n):] + [n])
            elif n not in state:
                visit(n)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    assert cycles == []


@pytest.mark.parametrize("name", sorted(modules()))
def test_every_module_can_be_imported_first(name):
    if name.startswith("armsim.app") and importlib.util.find_spec("solara") is None:
        pytest.skip("the classroom page needs the viz extra")
    done = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr[-2000:]
