"""The lesson page, ``index.html``: works offline from the file system, no external requests.

A table of contents, then each clip (an idea of the lesson) as a ``<video>`` with its captions
``<track>``, and beside it the idea's formula and the values it shows. No script, no web fonts,
no stylesheet to fetch: the CSS is inline and the formulas are Manim's own Typst SVGs, inlined
as ``data:`` images.

Captions are inlined too (``data:text/vtt``): browsers refuse to load a ``<track>`` file next to
a page opened from ``file://`` (each file counts as its own origin), while a data URL is
allowed. The ``.vtt`` files stay in the folder for other players and course platforms.

Every text that can come from the config (its path and contents, narration, values) is escaped,
and its bidirectional controls (a right-to-left override, say) are shown as code points, so it
cannot reorder what the page shows.
"""

from __future__ import annotations

import base64
import re
from html import escape as escape_html
from pathlib import Path
from typing import TYPE_CHECKING

from backprop import media

if TYPE_CHECKING:
    from backprop.assemble import Clip

__all__ = ["write_page", "render_page", "escape"]

BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def escape(text: str) -> str:
    """``text`` for HTML: escaped, and each bidirectional control written as its code point
    (``[U+202E]``) instead of reordering the text around it."""
    return BIDI_CONTROLS.sub(lambda m: f"[U+{ord(m.group()):04X}]", escape_html(text))


# Nothing outside the folder: only the page's own files and data: URLs (the inlined captions).
CSP = "default-src 'none'; img-src 'self' data: file:; media-src 'self' data: file:; style-src 'unsafe-inline'"
CSS = """
:root { color-scheme: light dark; --ink: #1d1d1f; --paper: #fbfbf8; --muted: #666; --panel: #111; }
@media (prefers-color-scheme: dark) { :root { --ink: #eee; --paper: #1b1b1d; --muted: #aaa; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem; font: 16px/1.5 system-ui, sans-serif;
       color: var(--ink); background: var(--paper); }
h1 { margin: 0 0 .25rem; font-size: 1.8rem; }
h2 { font-size: 1.25rem; margin: 0 0 .5rem; }
h2 .scene { color: var(--muted); font-weight: normal; font-size: .9rem; }
nav ol { columns: 2 18rem; padding-left: 1.5rem; }
a { color: #2a6ebb; }
.meta, .small { color: var(--muted); font-size: .9rem; }
section.clip { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1.25rem;
               padding: 1.5rem 0; border-top: 1px solid #8884; }
section.clip > header { grid-column: 1 / -1; }
video, img.clip { width: 100%; height: auto; background: #000; border-radius: 4px; display: block; }
.idea { display: flex; flex-direction: column; gap: .75rem; }
.formula { background: var(--panel); border-radius: 4px; padding: .75rem; overflow-x: auto; }
.formula img { display: block; max-width: 100%; height: auto; min-height: 1.2rem; }
dl.values { display: grid; grid-template-columns: auto 1fr; gap: .1rem 1rem; margin: 0;
            font-family: ui-monospace, monospace; font-size: .9rem; }
dl.values dt { color: var(--muted); }
dl.values dd { margin: 0; }
.narration { margin: 0; }
pre { background: #8881; padding: .75rem; overflow-x: auto; }
@media (max-width: 50rem) { section.clip { grid-template-columns: 1fr; } }
"""


def _data_url(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _formula_image(svg: str, alt: str) -> str:
    """Manim's Typst SVG (black glyphs, coloured symbols), made light for the dark panel, as an
    ``<img>`` twice its natural size (Typst writes 10 pt text)."""
    light = svg.replace('fill="#000000"', 'fill="#ffffff"')
    size = ""
    if m := re.search(r'<svg[^>]*\swidth="([\d.]+)pt"', svg):
        size = f' width="{round(float(m.group(1)) * 2.2)}"'
    return f'<img src="{_data_url("image/svg+xml", light.encode("utf-8"))}"{size} alt="{escape(alt)}">'


def _readable(typst: str) -> str:
    """A formula's Typst source without its colour markup, for alt text."""
    return re.sub(r'#text\(fill: [^\[]*\)\[\$(.*?)\$\]', r"\1", typst)


def _clock(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60}:{seconds % 60:02}"


def _media(src: str, poster: str | None, cues: list, label: str) -> str:
    """A ``<video>`` with inline captions, or an ``<img>`` for GIF output."""
    if src.endswith(".gif"):
        return f'<img class="clip" src="{escape(src)}" alt="{escape(label)}">'
    track = ""
    if cues:  # a clip without narration gets no (empty) captions track
        data = _data_url("text/vtt", media.vtt_text(cues).encode("utf-8"))
        track = f'<track kind="captions" srclang="en" label="English" default src="{data}">'
    poster_attr = f' poster="{escape(poster)}"' if poster else ""
    return (
        f'<video controls preload="metadata" playsinline{poster_attr} src="{escape(src)}" '
        f'aria-label="{escape(label)}">{track}<a href="{escape(src)}">{escape(src)}</a></video>'
    )


def _clip_section(clip: Clip) -> str:
    values = "".join(f"<dt>{escape(v['name'])}</dt><dd>{escape(v['text'])}</dd>" for v in clip.values)
    formula = ""
    if clip.formula_svg:
        formula = f'<div class="formula">{_formula_image(clip.formula_svg, _readable(clip.formula or ""))}</div>'
    elif clip.formula:
        formula = f'<div class="formula"><code>{escape(clip.formula)}</code></div>'
    narration = " ".join(escape(c.text) for c in clip.cues)
    stem = escape(clip.stem)
    return f"""
<section class="clip" id="clip-{clip.number:02}">
  <header><h2>{clip.number}. {escape(clip.title)} <span class="scene">{escape(clip.scene)}</span></h2></header>
  <div>
    {_media(clip.video, clip.poster, clip.cues, clip.title)}
    <p class="small">{_clock(clip.duration)} · <a href="{escape(clip.video)}">{escape(clip.video)}</a>
      · subtitles <a href="{stem}.srt">.srt</a> <a href="{stem}.vtt">.vtt</a>
      · <a href="{escape(clip.poster)}">poster</a></p>
  </div>
  <div class="idea">
    {formula}
    {f'<p class="narration">{narration}</p>' if narration else ''}
    {f'<dl class="values">{values}</dl>' if values else ''}
  </div>
</section>"""


def render_page(clips: list[Clip], values: dict, lesson_video: str) -> str:
    """The HTML of the lesson page."""
    config = values["config"]
    toc = "".join(
        f'<li><a href="#clip-{c.number:02}">{escape(c.title)}</a> <span class="small">{escape(c.scene)} · '
        f"{_clock(c.duration)}</span></li>"
        for c in clips
    )
    everything = []
    for clip in clips:
        everything += media.shift_cues(clip.cues, clip.start)
    total = sum(c.duration for c in clips)
    config_text = config.get("text")
    config_block = (
        f"<details><summary>The config: <code>{escape(config['path'])}</code></summary>"
        f"<pre>{escape(config_text)}</pre></details>"
        if config_text is not None
        else f"<p class='meta'>Config: <code>{escape(config['path'])}</code></p>"
    )
    video_link = f'<a href="{escape(lesson_video)}">{escape(lesson_video)}</a>'
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>Backpropagation calculus: the lesson</title>
<style>{CSS}</style>
</head>
<body>
<header>
  <h1>Backpropagation calculus</h1>
  <p class="meta">{len(clips)} clips, {_clock(total)} in all. Every number on screen was computed
    by nncore from <code>{escape(config['path'])}</code>. Files: {video_link},
    subtitles <a href="lesson.srt">lesson.srt</a> <a href="lesson.vtt">lesson.vtt</a>,
    values <a href="values.json">values.json</a>.</p>
  {config_block}
</header>
<nav aria-label="Contents"><h2>Contents</h2><ol>{toc}</ol></nav>
<section class="whole" id="whole">
  <h2>The whole lesson</h2>
  {_media(lesson_video, clips[0].poster if clips else None, everything, "the whole lesson")}
</section>
<main>{''.join(_clip_section(c) for c in clips)}
</main>
</body>
</html>
"""


def write_page(path: Path, clips: list[Clip], values: dict, lesson_video: str) -> None:
    """Write the lesson page to ``path``."""
    path.write_text(render_page(clips, values, lesson_video), encoding="utf-8")
