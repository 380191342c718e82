"""The render cache keys each scene on the code its render ran, measured by the worker.

A real tiny build of a copy of the project (so that its files can be edited), with two scene
modules made from the lesson fixtures: editing the application (the page, the CLI) re-renders
nothing, editing one scene module re-renders only its scene, editing a kit module no scene ran
re-renders nothing, and editing nncore re-renders every scene.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import BIN, ROOT, run

from backprop.render_cache import RenderCache
from backprop.worker import RenderResult
from lessonmodel.config import load_config
from lessonmodel.record import SCHEMA, SceneRecord

PACKAGES = ("nncore", "lessonmodel", "scenes", "backprop")
LESSON = {"SlowTwoIdeas": "scene_a", "QuickIdea": "scene_b"}  # one scene from each module
BUILD = f"""
import backprop
from backprop.lesson import build_lesson
print(backprop.__file__)
build_lesson(out="out/lesson", tiny=True, jobs=2, lesson={LESSON!r})
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project's packages and two scene modules, each a copy of the fixtures."""
    root = tmp_path_factory.mktemp("project")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, root / package, ignore=shutil.ignore_patterns("__pycache__"))
    fixtures = (ROOT / "tests" / "lesson_fixtures.py").read_text()
    for module in set(LESSON.values()):
        (root / f"{module}.py").write_text(fixtures)
    return root


def build(root: Path) -> dict[str, str]:
    """Build the two-scene lesson in ``root``; what happened to each scene: rendered or reused."""
    result = run([str(BIN / "python"), "-c", BUILD], env={"PYTHONPATH": str(root)}, cwd=root)
    assert result.returncode == 0, result.stderr[-3000:]
    assert Path(result.stdout.strip()).is_relative_to(root), "the build did not run the copy"
    done = {}
    for scene in LESSON:
        rendered, reused = f"rendering {scene}" in result.stderr, f"unchanged {scene}" in result.stderr
        assert rendered != reused, result.stderr
        done[scene] = "rendered" if rendered else "reused"
    return done


def edit(path: Path) -> None:
    """Change a file as an edit would (its code runs the same)."""
    path.write_text(path.read_text() + "\n# edited\n")


def test_a_build_renders_again_only_the_scenes_whose_code_changed(project):
    assert build(project) == {"SlowTwoIdeas": "rendered", "QuickIdea": "rendered"}
    edit(project / "backprop" / "page.py")
    edit(project / "backprop" / "cli.py")
    assert build(project) == {"SlowTwoIdeas": "reused", "QuickIdea": "reused"}
    edit(project / "scene_a.py")
    assert build(project) == {"SlowTwoIdeas": "rendered", "QuickIdea": "reused"}
    edit(project / "scenes" / "kit" / "value_bars.py")  # a drawing neither scene uses
    assert build(project) == {"SlowTwoIdeas": "reused", "QuickIdea": "reused"}
    edit(project / "nncore" / "cost.py")
    assert build(project) == {"SlowTwoIdeas": "rendered", "QuickIdea": "rendered"}


def test_the_key_covers_the_modules_a_render_ran_and_not_others(tmp_path):
    """The key changes with the modules the render ran and the config sections it read; a stored
    render is found again from the modules it noted, and one that noted none is not reused."""
    cache = RenderCache(tmp_path, load_config(None), {"quality": "low"})
    ran = ["scenes.kit.style"]
    base = cache.key("QuickIdea", "lesson_fixtures", ["chain"], ran)
    assert cache.key("QuickIdea", "lesson_fixtures", ["chain"], ran) == base
    assert cache.key("QuickIdea", "lesson_fixtures", ["chain"], [*ran, "nncore.cost"]) != base
    assert cache.key("QuickIdea", "lesson_fixtures", ["chain", "network"], ran) != base
    entry = tmp_path / "QuickIdea" / base
    entry.mkdir(parents=True)
    stored = RenderResult(SceneRecord("QuickIdea", ["chain"]), [], modules=ran)
    (entry / "result.json").write_text(stored.to_json())
    assert cache.lookup("QuickIdea", "lesson_fixtures") == stored
    data = json.loads(stored.to_json())
    (entry / "result.json").write_text(json.dumps({k: v for k, v in data.items() if k != "modules"}))
    assert cache.lookup("QuickIdea", "lesson_fixtures") is None


def test_a_stored_result_of_another_shape_is_never_read(tmp_path):
    """An entry written by older code (the record of another schema, or the untyped result of
    before the record had one) is passed over, though its key matches, and renders again."""
    cache = RenderCache(tmp_path, load_config(None), {"quality": "low"})
    ran = ["scenes.kit.style"]
    entry = tmp_path / "QuickIdea" / cache.key("QuickIdea", "lesson_fixtures", ["chain"], ran)
    entry.mkdir(parents=True)
    data = json.loads(RenderResult(SceneRecord("QuickIdea", ["chain"]), [], modules=ran).to_json())
    (entry / "result.json").write_text(json.dumps(data | {"record": data["record"] | {"schema": SCHEMA - 1}}))
    assert cache.lookup("QuickIdea", "lesson_fixtures") is None
    untyped = {"scene": "QuickIdea", "sections_read": ["chain"], "sections": [], "srt": None, "values": [],
               "missing_recordings": [], "synthesized": 0, "speech_seconds": 0.0, "speech_cpu": 0.0,
               "modules": ran, "seconds": 1.5}
    (entry / "result.json").write_text(json.dumps(untyped))
    assert cache.lookup("QuickIdea", "lesson_fixtures") is None
    assert cache.last_seconds("QuickIdea") is None  # an estimate from a result this code cannot read: none
