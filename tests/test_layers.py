"""The layers by import direction: nncore ← lessonmodel ← lessonvideo ← scenes (kit ← scene modules) ← backprop.

Every import of every module is read from its source with ``ast``, at the top level and inside
functions alike, so a lazy import cannot hide an upward dependency. A module imports only its own
layer and the layers below; scene modules import the kit and the model, never each other; no
module imports itself back through others.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from conftest import ROOT

PACKAGES = ("nncore", "lessonmodel", "lessonvideo", "scenes", "backprop")
# lessonvideo (the encoder, the atomic writer, the heap fill) sits under the kit: the kit's base scene
# hands Manim its writer, so a plain `manim render` writes as `backprop lesson` does.
RANKS = {"nncore": 0, "lessonmodel": 1, "lessonvideo": 2, "scenes.kit": 3, "scenes": 4, "backprop": 5}
LAYER_NAMES = ["nncore", "lessonmodel", "lessonvideo", "the kit", "the scene modules", "backprop"]


def module_files() -> dict[str, Path]:
    """Every module of our packages by dotted name (a package by its own name)."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


MODULES = module_files()


def imports_of(name: str, path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in the file, resolved to our modules where they are ours:
    ``from a.b import c`` is ``a.b.c`` when that is a module, else ``a.b``."""
    found = []
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package, up level - 1 packages
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                child = f"{base}.{alias.name}"
                found.append((node.lineno, child if child in MODULES else base))
    return list(dict.fromkeys(found))  # one entry per module, even for several names from it


def rank(module: str) -> int | None:
    """The layer of one of our modules (None for anything else)."""
    for prefix, value in sorted(RANKS.items(), key=lambda item: -len(item[0])):
        if module == prefix or module.startswith(prefix + "."):
            return value
    return None


def edges() -> list[tuple[str, int, str]]:
    """(importer, line, imported) for every import between two of our modules."""
    return [(name, line, target) for name, path in MODULES.items() for line, target in imports_of(name, path)
            if rank(target) is not None and target != name]


def test_the_walker_sees_imports_inside_functions_and_relative_ones(tmp_path):
    source = "import os\nfrom . import style\n\ndef f():\n    from nncore.network import Network\n    import scenes\n"
    path = tmp_path / "probe.py"
    path.write_text(source)
    assert imports_of("scenes.kit.probe", path) == [(1, "os"), (2, "scenes.kit.style"), (5, "nncore.network"),
                                                    (6, "scenes")]


def test_no_module_imports_a_layer_above_it():
    upward = [f"{MODULES[a].relative_to(ROOT)}:{line} imports {b} ({LAYER_NAMES[rank(b)]}, above "
              f"{LAYER_NAMES[rank(a)]})" for a, line, b in edges() if rank(b) > rank(a)]
    assert upward == []


def test_scene_modules_never_import_each_other():
    across = {(a, b) for a, _, b in edges() if rank(a) == rank(b) == RANKS["scenes"]}
    assert not across, sorted(across)


def cycles_in(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each cycle met by a depth-first walk, as the path that closes it."""
    cycles: list[list[str]] = []
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in path or nxt == node:
                cycles.append([*path[path.index(nxt):], node, nxt] if nxt in path else [node, nxt])
            elif nxt not in done:
                visit(nxt, [*path, node])
        done.add(node)

    for name in sorted(graph):
        if name not in done:
            visit(name, [])
    return cycles


def test_no_circular_imports():
    assert cycles_in({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for a, _, b in edges():
        graph[a].add(b)
    assert [" -> ".join(cycle) for cycle in cycles_in(graph)] == []


def test_the_video_writer_knows_nothing_of_the_lesson():
    """lessonvideo imports none of our other packages: it writes frames, whatever they show."""
    ours = [(a, b) for a, _, b in edges() if rank(a) == RANKS["lessonvideo"] and rank(b) != RANKS["lessonvideo"]]
    assert ours == []


def test_nncore_needs_only_numpy_and_the_model_never_draws():
    """nncore is numpy and the standard library; neither nncore nor lessonmodel imports manim."""
    for name, path in MODULES.items():
        outside = {m.partition(".")[0] for _, m in imports_of(name, path) if rank(m) is None}
        if rank(name) == 0:
            assert outside <= set(sys.stdlib_module_names) | {"numpy", "__future__"}, (name, outside)
        if rank(name) == 1:
            assert "manim" not in outside, name
