"""The handout, ``handout.pdf``: the lesson on paper, typeset with Typst.

The first page names the config and lists its numbers; then, per idea in story order, its key
frame (the clip's poster: the idea's fullest frame), the formula its step declared with the values
filled in, and its narration.

Printable in black and white: the clips are drawn light on black, which wastes toner and turns
grey on paper, so each key frame is *lightness-inverted*: every pixel's lightness is flipped while
its hue is kept (invert the colour, then turn the hue half a circle back), so the background
prints white, white symbols print black and a blue weight stays blue (darker). Rendering the
scenes again on a light background would double the render time for one page of output; the
poster is already there. Formulas are set in black (their screen colours are for a dark
background; one of them, a's white, would vanish on paper).

The PDF is deterministic: no creation date, the same input gives the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

if TYPE_CHECKING:
    from backprop.assemble import Clip

__all__ = ["write_handout", "handout_source", "light_frame", "FRAME_WIDTH"]

FRAME_WIDTH = 640  # pixels of each key frame in the PDF: sharp at 8 cm, small files


def light_frame(poster: Path, target: Path, width: int = FRAME_WIDTH) -> None:
    """The poster lightness-inverted (see the module's docstring), at most ``width`` pixels wide,
    on white where it was transparent."""
    image = Image.open(poster)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        back = Image.new("RGBA", image.size, (0, 0, 0, 255))  # what the clip is seen on
        image = Image.alpha_composite(back, image)
    image = image.convert("RGB")
    if image.width > width:
        image = image.resize((width, round(image.height * width / image.width)), Image.LANCZOS)
    inverted = Image.fromarray(255 - np.asarray(image)).convert("HSV")
    hue, saturation, value = (np.asarray(band) for band in inverted.split())
    hue = ((hue.astype(np.int16) + 128) % 256).astype(np.uint8)
    bands = [Image.fromarray(band, "L") for band in (hue, saturation, value)]
    Image.merge("HSV", bands).convert("RGB").save(target, optimize=True)


def _string(text: str) -> str:
    """``text`` as a Typst string literal (no markup in it is interpreted)."""
    return json.dumps(text, ensure_ascii=False)


def _config_rows(validated: dict) -> str:
    """The config's sections as tables of key and value."""
    blocks = []
    for section, fields in validated.items():
        if not isinstance(fields, dict):
            continue
        cells = []
        for key, value in fields.items():
            if value is None:
                continue
            text = ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
            cells += [f"[#{_string(key)}]", f"[#{_string(text)}]"]
        if cells:
            blocks.append(
                f"#block(breakable: false)[=== #{_string('[' + section + ']')}\n"
                f"#table(columns: (auto, 1fr), stroke: 0.4pt + gray, inset: 4pt, {', '.join(cells)})]"
            )
    return "\n".join(blocks)


def handout_source(clips: list[Clip], values: dict, frames: dict[int, str]) -> str:
    """The Typst markup of the handout; ``frames`` maps a clip's number to its key frame's file
    (relative to the compile root)."""
    config = values["config"]
    render = values.get("render", {})
    parts = [
        '#set document(title: "Backpropagation calculus: the lesson", date: none)',
        '#set page(paper: "a4", margin: (x: 1.6cm, y: 1.5cm), numbering: "1 / 1")',
        '#set text(size: 10pt, lang: "en")',
        "#set par(justify: false)",
        "= Backpropagation calculus",
        f"The lesson's {len(clips)} ideas: for each, its key frame (the fullest frame of its clip), the formula "
        "that sums it up with the numbers of this lesson, and what the narration says. Every number was "
        f"computed by nncore from this config (#raw({_string(config['file'])})):",
        _config_rows(config.get("validated", {})),
    ]
    if render:
        parts.append(f"#text(size: 8pt, fill: gray)[Rendered: #{_string(json.dumps(render, ensure_ascii=False))}]")
    parts.append("#pagebreak()")
    for clip in clips:
        frame = frames.get(clip.number)
        picture = f'image({_string(frame)}, width: 100%)' if frame else "[]"
        formula = f"${clip.idea.formula.typst}$" if clip.idea.formula else ""
        narration = clip.idea.narration or " ".join(c.text for c in clip.cues)
        parts.append(
            "#block(breakable: false, below: 1.1em)["
            f"#text(weight: \"bold\")[#{_string(f'{clip.number}. {clip.title}')}] "
            f"#text(fill: gray, size: 8pt)[#{_string(clip.scene)}]\n"
            f"#grid(columns: (7.2cm, 1fr), gutter: 0.5cm, {picture}, ["
            f"#block(width: 100%)[{formula}]\n\n#text(size: 9pt)[#{_string(narration)}]])]"
        )
    return "\n\n".join(parts) + "\n"


def write_handout(path: Path, clips: list[Clip], values: dict, work: Path, posters: Path | None = None) -> None:
    """Typeset the handout to ``path``; ``work`` is a scratch folder (the key frames go there).

    The clips' posters must already be in ``posters`` (default: ``path``'s folder)."""
    import typst

    folder = path.parent if posters is None else posters
    frames_dir = work / "handout"
    frames_dir.mkdir(parents=True, exist_ok=True)
    frames: dict[int, str] = {}
    for clip in clips:
        poster = folder / clip.poster
        if poster.exists():
            light_frame(poster, frames_dir / f"{clip.number:02}.png")
            frames[clip.number] = f"{clip.number:02}.png"
    source = frames_dir / "handout.typ"
    source.write_text(handout_source(clips, values, frames), encoding="utf-8")
    pdf = typst.compile(str(source), root=str(frames_dir), format="pdf")
    path.write_bytes(pdf)
