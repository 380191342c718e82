"""Functions a newcomer can read: none over 50 lines, outside the tests and the scene steps.

A function's length is its lines from ``def`` to its last line (its docstring included, its
decorators not), read with ``ast`` from every Python file of the project but those under
``tests/`` (and hidden folders, ``media/``). Nested functions are measured on their own, and
within the function around them.

A *scene step* is exempt: a method defined in the body of a class of a scene module
(``scenes/<module>.py``: not the kit, not the package's ``__init__``) whose body holds a
``with self.step(...)`` block. A step tells one idea of the story, animation after animation, and
reads best whole (the classic lesson's ``construct`` as a list of named steps).
"""

from __future__ import annotations

import ast
from pathlib import Path
from textwrap import indent

from conftest import ROOT

LIMIT = 50
SKIPPED = {"tests", "media"}  # besides hidden folders (.venv, .git, ...)


def project_files(root: Path = ROOT) -> list[Path]:
    """The project's Python files outside ``tests/``, ``media/`` and hidden folders."""
    return sorted(p for p in root.rglob("*.py")
                  if not any(part.startswith(".") or part in SKIPPED for part in p.relative_to(root).parts[:-1]))


def is_scene_module(relative: Path) -> bool:
    return relative.parts[0] == "scenes" and len(relative.parts) == 2 and relative.name != "__init__.py"


def plays_a_step(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether the function's body holds ``with self.step(...)``."""
    for node in ast.walk(function):
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                call = item.context_expr
                if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "step"
                        and isinstance(call.func.value, ast.Name) and call.func.value.id == "self"):
                    return True
    return False


def long_functions(relative: Path, source: str, limit: int = LIMIT) -> dict[str, int]:
    """``"path: Class.function"`` -> lines, for each function of the file over ``limit`` lines that
    is not a scene step."""
    found = {}

    def visit(node: ast.AST, prefix: str, in_class: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.", True)
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = child.end_lineno - child.lineno + 1
                step = in_class and is_scene_module(relative) and plays_a_step(child)
                if lines > limit and not step:
                    found[f"{relative.as_posix()}: {prefix}{child.name}"] = lines
                visit(child, f"{prefix}{child.name}.", False)
            else:
                visit(child, prefix, in_class)

    visit(ast.parse(source), "", False)
    return found


def test_no_function_is_over_50_lines_outside_the_tests_and_the_scene_steps():
    found = {}
    for path in project_files():
        found |= long_functions(path.relative_to(ROOT), path.read_text(encoding="utf-8"))
    assert found == {}


BODY = "\n".join(["x = 1"] * 50)
PLANTED = f'''
class Lesson(LessonScene):
    def construct(self):
        with self.step("idea"):
{indent(BODY, " " * 12)}

    def helper(self):
{indent(BODY, " " * 8)}

def outer():
    def inner():
{indent(BODY, " " * 8)}
    return inner
'''


def test_the_limit_spares_scene_steps_only():
    assert long_functions(Path("scenes/planted.py"), PLANTED) == {
        "scenes/planted.py: Lesson.helper": 51, "scenes/planted.py: outer": 53, "scenes/planted.py: outer.inner": 51}
    kit = long_functions(Path("scenes/kit/planted.py"), PLANTED)  # the kit has no scene steps
    assert set(kit) == {"scenes/kit/planted.py: Lesson.construct", "scenes/kit/planted.py: Lesson.helper",
                        "scenes/kit/planted.py: outer", "scenes/kit/planted.py: outer.inner"}
    assert "backprop/planted.py: Lesson.construct" in long_functions(Path("backprop/planted.py"), PLANTED)
    files = {p.relative_to(ROOT).parts[0] for p in project_files()}
    assert {"backprop", "bench", "lessonmodel", "nncore", "scenes", "scripts"} <= files and "tests" not in files
