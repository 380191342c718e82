"""The lesson page, ``index.html``: works offline from the file system, no external requests.

A table of contents, then each clip (an idea of the lesson) as a ``<video>`` with its captions
``<track>``, and beside it the formula its step declared, its narration and the values it shows.
No web fonts, no stylesheet or script to fetch: the CSS and the script are inline and the
formulas are Manim's own Typst SVGs, inlined as ``data:`` images. The one script (the files of
:data:`SCRIPTS`, allowed by its hash in the page's Content-Security-Policy) adds presenter
mode (one idea at a time, stepped with the keys a presentation clicker sends, and a speaker view
in a second window), learner-paced playback (replay, cue by cue), the checkpoints that ask the
learner to predict a reveal (:mod:`backprop.page_checkpoints`), and the parts to explore: the
nudge sandbox and the network to click (:mod:`backprop.page_explore`).

Captions are inlined too (``data:text/vtt``): browsers refuse to load a ``<track>`` file next to
a page opened from ``file://`` (each file counts as its own origin), while a data URL is
allowed. The ``.vtt`` files stay in the folder for other players and course platforms.

Every text that can come from the config (its path and contents, narration, values) is escaped,
and its bidirectional controls (a right-to-left override, say) are shown as code points, so it
cannot reorder what the page shows.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
from html import escape as escape_html
from pathlib import Path
from typing import TYPE_CHECKING

from backprop import media
from backprop.checkpoint_places import Placed, place_checkpoints
from backprop.page_checkpoints import checkpoint_html, playback_html
from backprop.page_explore import network_html, sandbox_html
from lessonmodel.checkpoints import checkpoints_of
from lessonmodel.config import LessonConfig
from lessonmodel.network_terms import network_terms
from lessonmodel.precision import network_table
from lessonmodel.sandbox import sandbox_spec
from lessonmodel.values import network_of

if TYPE_CHECKING:
    from backprop.assemble import Clip

__all__ = ["write_page", "render_page", "escape", "PAGE_JS", "SCRIPTS"]

# The page's one script: presenter mode first, then what the learner acts on (each file its own scope).
SCRIPTS = ("presenter.js", "playback.js", "checkpoints.js", "sandbox.js", "network.js")
PAGE_JS = "\n".join(Path(__file__).with_name(name).read_text(encoding="utf-8") for name in SCRIPTS)

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
       color: var(--ink); background: var(--paper); overflow-wrap: anywhere; }
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
button { font: inherit; padding: .3rem .8rem; border-radius: 4px; border: 1px solid #8888; cursor: pointer;
         background: #2a6ebb; color: #fff; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: .5rem 0; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
@media (max-width: 50rem) { section.clip { grid-template-columns: 1fr; } body { padding: 1rem .75rem; } }
/* presenter mode: one idea at a time, the clip as large as the screen allows */
#presenter-bar { position: fixed; left: 0; right: 0; bottom: 0; display: flex; gap: .5rem; align-items: center;
                 justify-content: center; padding: .4rem; background: #000c; color: #ccc; z-index: 2; }
#presenter-bar[hidden], #speaker-view[hidden] { display: none; }
#presenter-bar button { background: #333; }
body.presenting { max-width: none; padding: 0; background: #000; color: #eee; overflow: hidden; }
body.presenting > header, body.presenting > nav, body.presenting > .whole,
body.presenting section.clip:not(.current) { display: none; }
body.presenting section.clip.current { position: fixed; inset: 0; display: flex; flex-direction: column;
  gap: .4rem; padding: .6rem 1rem 3.2rem; border: 0; }
body.presenting section.clip.current .idea, body.presenting section.clip.current p.small,
body.presenting section.clip.current h2 .scene { display: none; }
body.presenting section.clip.current > div:first-of-type { flex: 1; min-height: 0; }
body.presenting section.clip.current video, body.presenting section.clip.current img.clip {
  width: 100%; height: 100%; object-fit: contain; border-radius: 0; }
/* the speaker view: the same page in a second window, showing what the class doesn't see */
body.speaker > :not(#speaker-view) { display: none; }
body.speaker { max-width: none; }
#speaker-view { display: grid; gap: 1rem; grid-template-columns: minmax(0, 2fr) minmax(0, 1fr); }
#speaker-view h1 { grid-column: 1 / -1; font-size: 1.6rem; }
#speaker-narration { font-size: 1.4rem; line-height: 1.45; }
#speaker-formula { font-family: ui-monospace, monospace; background: #8882; padding: .5rem; }
#speaker-values div { display: flex; gap: 1rem; }
#speaker-values dt { color: var(--muted); }
#speaker-values dd { margin: 0; }
#speaker-clock { font-variant-numeric: tabular-nums; font-size: 1.4rem; }
@media (max-width: 50rem) { #speaker-view { grid-template-columns: 1fr; } }
""" + Path(__file__).with_name("learner.css").read_text(encoding="utf-8")


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


def _clock(seconds: float) -> str:
    """A duration as video players show it: whole seconds, rounded down (a 11.8 s clip shows 0:11)."""
    seconds = math.floor(seconds + 1e-6)
    return f"{seconds // 60}:{seconds % 60:02}"


def _script_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script."""
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


def _media(src: str, poster: str | None, cues: list, label: str, held: bool = False) -> str:
    """A ``<video>`` with inline captions, or an ``<img>`` for GIF output. ``held``: the poster
    waits in ``data-poster`` (a clip with questions: its fullest frame would show the answers)."""
    if src.endswith(".gif"):
        return f'<img class="clip" src="{escape(src)}" alt="{escape(label)}">'
    track = ""
    if cues:  # a clip without narration gets no (empty) captions track
        data = _data_url("text/vtt", media.vtt_text(cues).encode("utf-8"))
        track = f'<track kind="captions" srclang="en" label="English" default src="{data}">'
    poster_attr = f' {"data-poster" if held else "poster"}="{escape(poster)}"' if poster else ""
    return (
        f'<video controls preload="metadata" playsinline{poster_attr} src="{escape(src)}" '
        f'aria-label="{escape(label)}">{track}<a href="{escape(src)}">{escape(src)}</a></video>'
    )


def _formula_block(clip: Clip) -> str:
    """The formula that sums the clip's idea up: Manim's SVG of it, else its words (none without one)."""
    summary = clip.idea.formula
    if summary is None:
        return ""
    if summary.svg:
        return f'<div class="formula">{_formula_image(summary.svg, summary.words)}</div>'
    return f'<div class="formula"><code>{escape(summary.words)}</code></div>'


def _clip_section(clip: Clip, placed: list[Placed] = ()) -> str:
    values = "".join(f"<dt>{escape(v.label)}</dt><dd>{escape(v.text)}</dd>" for v in clip.idea.values)
    formula = _formula_block(clip)
    narration = escape(clip.idea.narration) if clip.idea.narration else " ".join(escape(c.text) for c in clip.cues)
    stem = escape(clip.stem)
    cues = " ".join(f"{c.start:.3f}" for c in clip.cues)  # where each cue starts: stepped to cue by cue
    gif = clip.video.endswith(".gif")  # an image: it cannot be paused or stepped
    placed = [] if gif else placed
    return f"""
<section class="clip" id="clip-{clip.number:02}" data-title="{escape(clip.title)}" data-cues="{cues}">
  <header><h2>{clip.number}. {escape(clip.title)} <span class="scene">{escape(clip.scene)}</span></h2></header>
  <div class="player">
    {_media(clip.video, clip.poster, clip.cues, clip.title, held=bool(placed))}
    <p class="small">{_clock(clip.duration)} · <a href="{escape(clip.video)}">{escape(clip.video)}</a>
      · subtitles <a href="{stem}.srt">.srt</a> <a href="{stem}.vtt">.vtt</a>
      · <a href="{escape(clip.poster)}">poster</a></p>
    {"" if gif else playback_html()}
    {"".join(checkpoint_html(p) for p in placed)}
  </div>
  <div class="idea">
    {formula}
    {f'<p class="narration">{narration}</p>' if narration else ''}
    {f'<dl class="values">{values}</dl>' if values else ''}
  </div>
</section>"""


def _voice_note(values: dict) -> str:
    """What the lesson was made from, continued: the voice that speaks it (``values.json``'s
    ``render.voice``: ``piper:en_US-joe-medium``, ``espeak``, ``recorded:<folder>``), or none."""
    voice = values.get("render", {}).get("voice", "none")
    return "; silent, captions paced for reading" if voice == "none" else f"; spoken by <code>{escape(voice)}</code>"


def _header(clips: list[Clip], values: dict, lesson_video: str, handout: str | None) -> str:
    """The page's title, what it holds (and the voice that speaks it), the presenter's button and
    keys, and the config."""
    config = values["config"]
    total = sum(c.duration for c in clips)
    config_text = config.get("text")
    config_block = (
        f"<details><summary>The config: <code>{escape(config['file'])}</code></summary>"
        f"<pre>{escape(config_text)}</pre></details>"
        if config_text is not None
        else f"<p class='meta'>Config: <code>{escape(config['file'])}</code></p>"
    )
    handout_link = f', the handout <a href="{escape(handout)}">{escape(handout)}</a> (to print)' if handout else ""
    video_link = f'<a href="{escape(lesson_video)}">{escape(lesson_video)}</a>'
    return f"""<header>
  <h1>Backpropagation calculus</h1>
  <p class="meta">{len(clips)} clips, {_clock(total)} in all. Every number on screen was computed
    by nncore from <code>{escape(config['file'])}</code>{_voice_note(values)}. Files: {video_link},
    subtitles <a href="lesson.srt">lesson.srt</a> <a href="lesson.vtt">lesson.vtt</a>,
    values <a href="values.json">values.json</a>{handout_link}.</p>
  <div class="actions"><button type="button" id="present">Present</button>
    <span class="small">or press P: one idea at a time; → Space PageDown next, ← PageUp back, Home End,
    F fullscreen, S speaker view, Esc leaves</span></div>
  <p class="small" id="keys">In a clip: , previous cue, . next cue, R replay, K play or pause. The clip
    stops before some reveals to ask you to predict them: answer, or skip.</p>
  {config_block}
</header>"""


def _contents(clips: list[Clip], explore: bool) -> str:
    toc = "".join(
        f'<li><a href="#clip-{c.number:02}">{escape(c.title)}</a> <span class="small">{escape(c.scene)} · '
        f"{_clock(c.duration)}</span></li>"
        for c in clips
    )
    more = ('<p class="small">Try it yourself: <a href="#sandbox">the nudge sandbox</a>, '
            '<a href="#network">click any edge</a>.</p>') if explore else ""
    return f'<nav aria-label="Contents"><h2>Contents</h2><ol>{toc}</ol>{more}</nav>'


def _whole(clips: list[Clip], lesson_video: str) -> str:
    everything = []
    for clip in clips:
        everything += media.shift_cues(clip.cues, clip.start)
    return f"""<section class="whole" id="whole">
  <h2>The whole lesson</h2>
  {_media(lesson_video, clips[0].poster if clips else None, everything, "the whole lesson")}
</section>"""


def _explore(lesson: LessonConfig | None) -> str:
    """The sandbox and the network to click, for the lesson's config (none without one)."""
    if lesson is None:
        return ""
    terms = network_terms(network_of(lesson.network), network_table(lesson.network))  # the lesson's digits
    return sandbox_html(sandbox_spec(lesson)) + network_html(terms)


PRESENTER_BAR = """<div id="presenter-bar" hidden>
  <button type="button" data-command="previous" aria-label="previous idea">←</button>
  <span id="presenter-count"></span>
  <button type="button" data-command="next" aria-label="next idea">→</button>
  <button type="button" data-command="previous-cue" aria-label="previous cue">◀ Cue (,)</button>
  <button type="button" data-command="next-cue" aria-label="next cue">Cue ▶ (.)</button>
  <button type="button" data-command="replay">Replay (R)</button>
  <button type="button" data-command="fullscreen">Fullscreen (F)</button>
  <button type="button" data-command="speaker">Speaker view (S)</button>
  <button type="button" data-command="leave">Leave (Esc)</button>
  <span id="presenter-live" class="visually-hidden" aria-live="polite"></span>
</div>"""

SPEAKER_VIEW = """<div id="speaker-view" hidden>
  <h1>Now: <span id="speaker-now"></span></h1>
  <div>
    <div id="speaker-question" hidden>
      <h2>The question on screen</h2>
      <p id="speaker-question-text"></p>
      <p>Answer: <strong id="speaker-answer"></strong></p>
      <p id="speaker-why"></p>
      <div class="actions"><button type="button" data-command="reveal">Show the answer on screen</button>
        <button type="button" data-command="go-on">Go on ▶</button></div>
    </div>
    <p id="speaker-narration"></p>
    <p id="speaker-formula"></p>
  </div>
  <div>
    <p>Next: <strong id="speaker-next"></strong></p>
    <dl id="speaker-values"></dl>
    <p><span id="speaker-clock">0:00</span> since this view opened</p>
    <div class="actions"><button type="button" data-command="previous">← Previous</button>
      <button type="button" data-command="next">Next →</button></div>
    <p>The clip on screen: <span id="speaker-clip">stopped</span></p>
    <div class="actions"><button type="button" data-command="toggle">Play / pause (K)</button>
      <button type="button" data-command="previous-cue">◀ Cue (,)</button>
      <button type="button" data-command="next-cue">Cue ▶ (.)</button>
      <button type="button" data-command="replay">Replay (R)</button></div>
  </div>
</div>"""


def render_page(clips: list[Clip], values: dict, lesson_video: str, handout: str | None = None,
                lesson: LessonConfig | None = None) -> str:
    """The HTML of the lesson page (``handout``: the handout's file name, linked when given;
    ``lesson``: the config, whose checkpoints, sandbox and network the page gets)."""
    placed = place_checkpoints(checkpoints_of(lesson), clips) if lesson is not None else []
    explore = _explore(lesson)
    csp = f"{CSP}; script-src '{_script_hash(PAGE_JS)}'"  # the page's script, and no other
    sections = "".join(_clip_section(c, [p for p in placed if p.clip == c.number]) for c in clips)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<title>Backpropagation calculus: the lesson</title>
<style>{CSS}</style>
</head>
<body>
{_header(clips, values, lesson_video, handout)}
{_contents(clips, bool(explore))}
{_whole(clips, lesson_video)}
<main>{sections}
</main>
{explore}
{PRESENTER_BAR}
{SPEAKER_VIEW}
<script>{PAGE_JS}</script>
</body>
</html>
"""


def write_page(path: Path, clips: list[Clip], values: dict, lesson_video: str, handout: str | None = None,
               lesson: LessonConfig | None = None) -> None:
    """Write the lesson page to ``path``."""
    path.write_text(render_page(clips, values, lesson_video, handout, lesson), encoding="utf-8")
