"""Tests that csec's modules import one another one way: no cycles, and storage in its layers.

Every import counts, wherever it is written: at the top of a module, inside a function (csec
defers many imports to keep start-up fast, but a deferred import is as real a dependency), and
under `if TYPE_CHECKING:` (a type that must come from above is a sign the layers are wrong).
Importing a submodule is not counted as importing its package's `__init__`, which Python runs
first but which the module did not ask for.
"""

from __future__ import annotations

import ast
from pathlib import Path

import csec_cli

PACKAGE = Path(csec_cli.__file__).parent

# The storage layers, top to bottom (see docs/design.md): each may reach, directly or not, only
# the storage modules below it.
# catalogue -> cache -> toml_format -> models; catalogue -> blockwise -> toml_format;
# catalogue -> safe_files; catalogue -> history (undo) -> safe_files; file_key (the key of a
# file's bytes) sits under them all.
STORAGE_MAY_IMPORT = {
    "csec_cli.catalogue": None,  # the top: anything below
    "csec_cli.resource_store": {"csec_cli.cache", "csec_cli.toml_format", "csec_cli.file_key"},
    "csec_cli.cache": {"csec_cli.toml_format", "csec_cli.file_key"},
    "csec_cli.blockwise": {"csec_cli.toml_format", "csec_cli.file_key"},
    "csec_cli.toml_format": {"csec_cli.file_key"},
    "csec_cli.history": {"csec_cli.safe_files", "csec_cli.file_key"},
    "csec_cli.safe_files": set(),
    "csec_cli.file_key": set(),
}


def module_name(path: Path, package: Path = PACKAGE) -> str:
    """The dotted name of a source file of the package."""
    parts = [package.name, *path.relative_to(package).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Each module of the package, with the modules of the package it imports anywhere."""
    files = {module_name(path, package): path for path in sorted(package.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = name.split(".")
                    if not is_package:
                        anchor = anchor[:-1]
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join([*anchor, *([base] if base else [])])
                for alias in node.names:
                    # `from csec_cli import cache` imports the module csec_cli.cache.
                    submodule = f"{base}.{alias.name}"
                    imported.add(submodule if submodule in files else base)
        graph[name] = {module for module in imported if module in files and module != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle (its modules in order, the first repeated at the end), or None."""
    done: set[str] = set()
    for start in sorted(graph):
        path: list[str] = []
        on_path: set[str] = set()
        stack = [(start, iter(sorted(graph[start])))]
        if start in done:
            continue
        path.append(start)
        on_path.add(start)
        while stack:
            module, following = stack[-1]
            step = next(following, None)
            if step is None:
                stack.pop()
                path.pop()
                on_path.discard(module)
                done.add(module)
            elif step in on_path:
                return [*path[path.index(step) :], step]
            elif step not in done:
                stack.append((step, iter(sorted(graph[step]))))
                path.append(step)
                on_path.add(step)
    return None


def reachable(graph: dict[str, set[str]], module: str) -> set[str]:
    """Every module `module` imports, directly or through others."""
    seen: set[str] = set()
    waiting = [module]
    while waiting:
        for step in graph[waiting.pop()]:
            if step not in seen:
                seen.add(step)
                waiting.append(step)
    return seen


def test_the_graph_sees_every_kind_of_import() -> None:
    """Imports at the top, inside functions, relative and `from csec_cli import x` all count."""
    graph = import_graph()
    assert "csec_cli.toml_format" in graph["csec_cli.catalogue"]  # at the top
    assert "csec_cli.cache" in graph["csec_cli.catalogue"]  # inside load_catalogue only
    assert "csec_cli.models" in graph["csec_cli.cache"]


def test_no_module_imports_itself_through_others() -> None:
    """No import cycle anywhere in the package."""
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_storage_dependencies_point_one_way() -> None:
    """Each storage module reaches only the storage modules below it, never one above."""
    graph = import_graph()
    storage = set(STORAGE_MAY_IMPORT)
    for module, allowed in STORAGE_MAY_IMPORT.items():
        if allowed is None:
            continue
        reached = reachable(graph, module) & storage
        assert reached <= allowed, f"{module} imports {sorted(reached - allowed)}"


def test_nothing_below_storage_imports_it() -> None:
    """The resource model and the modules it uses know nothing of how catalogues are stored."""
    graph = import_graph()
    for module in ("csec_cli.models", "csec_cli.dates", "csec_cli.errors"):
        assert not reachable(graph, module) & set(STORAGE_MAY_IMPORT), module


def test_only_storage_reaches_into_a_catalogues_provenance() -> None:
    """Commands and other modules see a Catalogue's resources, never its storage state."""
    storage_files = {name.rsplit(".", 1)[1] + ".py" for name in STORAGE_MAY_IMPORT}
    reaching = [
        path.name
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name not in storage_files or path.parent != PACKAGE
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr == "_provenance"
    ]
    assert reaching == []
