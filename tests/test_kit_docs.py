"""Every example of docs/kit.md renders in a plain Manim scene, small and at a few frames a second,
keeps the lesson's margins in its last frame, and has its still beside the page."""

from __future__ import annotations

import re
from collections import deque

import av
import numpy as np
import pytest
from conftest import ROOT, TYPESET_CACHE
from manim import Scene, tempconfig

from backprop.composition import frame_problems

PAGE = ROOT / "docs" / "kit.md"
EXAMPLES = re.findall(r"^```python\n(.*?)^```", PAGE.read_text(encoding="utf-8"), re.S | re.M)


def example_scenes(code: str, name: str, folder) -> list[type[Scene]]:
    """Run an example as its own module would run, and return the Scene classes it defines."""
    path = folder / f"{name}.py"
    path.write_text(code, encoding="utf-8")
    namespace = {"__name__": name, "__file__": str(path)}
    exec(compile(code, str(path), "exec"), namespace)
    return [v for v in namespace.values() if isinstance(v, type) and issubclass(v, Scene) and v.__module__ == name]


def last_frame_grey(video) -> np.ndarray:
    with av.open(str(video)) as container:
        last = deque(container.decode(video=0), maxlen=1)[0]
        return np.asarray(last.to_image().convert("L"))


def test_the_page_shows_every_drawing_of_the_kit_with_an_example():
    import scenes.kit

    assert len(EXAMPLES) >= 7
    every = "\n".join(EXAMPLES)
    for name in ("NetworkDiagram", "forward_pass", "retarget", "BackwardSweep", "ChainDiagram", "BornFrom",
                 "ValueLine", "ValueAxes", "DependencyTree"):
        assert name in every, f"no example of {name}"
        assert name in scenes.kit.__all__ or hasattr(scenes.kit.NetworkDiagram, name)


@pytest.mark.parametrize("n", range(len(EXAMPLES)))
def test_the_example_renders_and_keeps_its_margins(n, tmp_path):
    classes = example_scenes(EXAMPLES[n], f"kit_example_{n}", tmp_path)
    assert classes, "the example defines no Scene"
    for scene_class in classes:
        media = tmp_path / "media"
        small = {"media_dir": str(media), "tex_dir": str(TYPESET_CACHE), "pixel_width": 192, "pixel_height": 108,
                 "frame_rate": 5, "disable_caching": True, "verbosity": "WARNING", "progress_bar": "none"}
        with tempconfig(small):
            scene_class().render()
        video = next(media.rglob(f"{scene_class.__name__}.mp4"))
        assert frame_problems(last_frame_grey(video)) == []
        still = PAGE.parent / "kit" / f"{scene_class.__name__}.png"
        assert still.is_file(), f"no still {still}: run scripts/kit_stills.py"
        assert f"(kit/{still.name})" in PAGE.read_text(encoding="utf-8")
