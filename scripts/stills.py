"""Small stills of each scene for the README, from a rendered lesson folder.

    .venv/bin/python scripts/stills.py [media/lesson] [docs/stills]

For each scene in the lesson's values.json, the poster of its last clip (the scene's finished
picture) is scaled to 320 px wide and saved with a 64-colour palette as ``<Scene>.png``: a few
kilobytes each, so they can live in git. Render the lesson first (``./lesson.sh``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PIL import Image

WIDTH = 320


def make_stills(lesson: Path, out: Path) -> list[Path]:
    values = json.loads((lesson / "values.json").read_text(encoding="utf-8"))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for scene, info in values["scenes"].items():
        poster = lesson / Path(info["clips"][-1]).with_suffix(".png").name
        image = Image.open(poster).convert("RGB")
        image = image.resize((WIDTH, round(image.height * WIDTH / image.width)), Image.LANCZOS)
        written.append(save_still(image, out / f"{scene}.png"))
    return written


def save_still(image: Image.Image, path: Path, colors: int = 64) -> Path:
    """Save ``image`` as a PNG with a palette of ``colors`` (a few kilobytes: it lives in git), and say so."""
    image.quantize(colors=colors, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    print(f"{path}  {path.stat().st_size // 1024} KiB")
    return path


if __name__ == "__main__":
    args = sys.argv[1:]
    make_stills(Path(args[0] if args else "media/lesson"), Path(args[1] if len(args) > 1 else "docs/stills"))
