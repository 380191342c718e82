"""The stills of docs/kit.md: each example of the page rendered, its last frame saved as
``docs/kit/<Scene>.png`` (640x360, a 128-colour palette: a few dozen kilobytes each, so they can
live in git).

    .venv/bin/python scripts/kit_stills.py [docs/kit.md]

Run it after changing an example or a drawing the page shows, and look at the stills.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import tempfile
from pathlib import Path

from manim import Scene, tempconfig
from PIL import Image
from stills import save_still  # scripts/, beside this one

SIZE = (640, 360)
PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def scene_classes(code: str, name: str, folder: Path) -> list[type[Scene]]:
    """The Scene classes an example defines, loaded from a file of its own (as ``manim render`` would)."""
    path = folder / f"{name}.py"
    path.write_text(code, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [c for c in vars(module).values()
            if isinstance(c, type) and issubclass(c, Scene) and c.__module__ == name]


def make_stills(page: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="kit-stills-") as scratch:
        folder = Path(scratch)
        for n, code in enumerate(PYTHON_BLOCK.findall(page.read_text(encoding="utf-8"))):
            for scene_class in scene_classes(code, f"kit_example_{n}", folder):
                settings = {"media_dir": str(folder / "media"), "pixel_width": SIZE[0], "pixel_height": SIZE[1],
                            "save_last_frame": True, "write_to_movie": False, "disable_caching": True,
                            "verbosity": "WARNING", "progress_bar": "none"}
                with tempconfig(settings):
                    scene = scene_class()
                    scene.render()
                    frame = Image.fromarray(scene.renderer.get_frame()).convert("RGB")
                written.append(save_still(frame, out / f"{scene_class.__name__}.png", colors=128))
    return written


if __name__ == "__main__":
    page = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/kit.md")
    make_stills(page, page.parent / "kit")
