"""``backprop storyboard``: one contact sheet per scene, for reviewing the lesson's pictures
without watching it.

Each sheet shows, idea by idea (one clip each), the frame at the end of every moment of the idea
(:class:`lessonmodel.record.Moment`: each animation it plays, or each narration cue once there are
cues), so the picture a moment's words describe. Each idea has a heading (clip number, name,
length) and its narration; each tile is labelled with the idea and the frame's time in the clip,
and a moment whose text differs from the idea's narration (a cue) has that text under its tile.
A frame that is nearly empty, or has content within 0.4 scene units of its border, gets a note in
red under its tile (:func:`composition_notes`), so a reviewer's eye goes there first. Each idea's
heading is followed by what the composition checker (:mod:`backprop.composition`, run on a small
watched render of the scene) finds: how much of the clip moves, and each rule it breaks, in red.

Scenes render through the lesson's machinery (worker processes and the render cache kept in
``media/.lesson-cache``), at 480p15 by default: a storyboard after ``backprop lesson --quality
low`` renders nothing again. Sheets are palette PNGs, written whole or not at all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO

import numpy as np
from PIL import Image, ImageDraw, ImageFont

import scenes
from backprop import media
from backprop.composition import check_scene, clip_motion, render_watched
from backprop.errors import LessonError
from backprop.lesson import CACHE_FOLDER, VOICE_CACHE, chosen_scenes, render_options, reuse_or_render
from backprop.lesson_folder import build_lock
from backprop.progress import Progress
from backprop.render_cache import RenderCache
from backprop.voice import VoiceSpec, check_voice, parse_voice, render_key
from backprop.worker import QUALITIES, RenderJob, RenderResult
from lessonmodel.config import load_config
from lessonmodel.record import IdeaRecord

__all__ = ["Sheet", "Tile", "build_storyboards", "composition_notes", "TILE_WIDTH", "COLUMNS"]

TILE_WIDTH = 320  # pixels: a 854x480 frame at three eighths
COLUMNS = 4
GAP = 14  # pixels between tiles and around the sheet
PAPER, INK, FAINT, FRAME_EDGE, WARNING = (246, 246, 242), (25, 25, 25), (105, 105, 105), (150, 150, 150), (185, 25, 25)
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
COLOURS = 96  # palette size: text, the black stage and the lesson's few colours
# What a tile is flagged for, measured on the rendered frame: lit pixels (grey level above LIT)
# closer to the border than 0.4 scene units (Manim's frame is 8 units high), and frames with
# under 0.3 % of their pixels lit.
LIT, EDGE_UNITS, FRAME_UNITS_HIGH, EMPTY = 40, 0.4, 8.0, 0.003


@dataclass
class Tile:
    """One frame on a sheet: which idea and clip it is from, its time in the clip (seconds), the
    text of its moment, and where the frame sits on the sheet (left, top, right, bottom)."""

    idea: str
    clip: int
    time: float
    text: str
    box: tuple[int, int, int, int] = (0, 0, 0, 0)
    notes: list[str] = field(default_factory=list)  # what the frame is flagged for: see composition_notes


@dataclass
class Sheet:
    """One scene's storyboard: its file and its tiles, in order."""

    scene: str
    path: Path
    tiles: list[Tile] = field(default_factory=list)
    checks: dict[str, list[str]] = field(default_factory=dict)  # idea -> the checker's lines (see _checks)


def build_storyboards(
    config: str | os.PathLike | None = None,
    *,
    out: str | os.PathLike,
    only: list[str] | None = None,
    quality: str = "low",
    tiny: bool = False,
    jobs: int | None = None,
    tile_width: int = TILE_WIDTH,
    cache: str | os.PathLike | None = None,
    lesson: dict[str, str] | None = None,
    progress_stream: IO[str] | None = None,
    checks: bool = True,
    voice: str = "none",
) -> list[Sheet]:
    """Render the scenes (or reuse their renders) and write one sheet per scene into ``out``.

    ``cache`` is the render cache (default ``media/.lesson-cache``, the one ``backprop lesson``
    keeps beside its default folder); ``lesson`` maps scene names to modules in story order
    (default :data:`scenes.LESSON`); ``checks`` runs the composition checker on each scene (a small
    render of its own) and writes what it finds under each idea's heading. ``voice`` is a ``--voice``
    value, as for :func:`backprop.lesson.build_lesson` (``backprop storyboard`` passes ``piper``,
    like ``backprop lesson``, so either reuses the other's renders; the cues then last their
    speech); this function's own default is the silent lesson. Raises
    :class:`~lessonmodel.config.ConfigError` for a bad config and :class:`LessonError` for bad
    options, before anything renders or is written.
    """
    cfg = load_config(config)
    lesson = dict(scenes.LESSON if lesson is None else lesson)
    names = chosen_scenes(lesson, only)
    out, spec = _checked_options(quality, tile_width, out, voice)
    render_cache = _lesson_cache(cache, cfg, quality, tiny, spec)
    progress = Progress(names, progress_stream)

    def job(scene: str, workspace: Path) -> RenderJob:
        return RenderJob(scene=scene, module=lesson[scene], config=cfg, quality=quality, tiny=tiny,
                         manim_format="mp4", transparent=False, workspace=workspace, voice=spec,
                         voice_cache=render_cache.root.parent / VOICE_CACHE)

    with build_lock(render_cache.root, progress):  # the cache is shared with lesson builds
        try:
            results = reuse_or_render(names, lesson, render_cache, progress, jobs, job)
        finally:
            render_cache.discard_workspaces()
    sheets = _write_sheets(out, lesson, results, render_cache, progress,
                           config=cfg if checks else None, tile_width=tile_width)
    progress.close()
    progress.stream.write(f"{len(sheets)} storyboard(s) written to {out}\n")
    return sheets


def _lesson_cache(cache: str | os.PathLike | None, cfg, quality: str, tiny: bool, spec: VoiceSpec) -> RenderCache:
    """The render cache with the options of a lesson build at the same quality and voice, so either
    reuses the other's renders."""
    _, options = render_options(quality, "mp4", False, tiny)
    return RenderCache((Path(cache) if cache else Path("media") / CACHE_FOLDER).resolve(), cfg,
                       options | {"voice": render_key(spec)})


def _write_sheets(out: Path, lesson: dict[str, str], results: dict[str, RenderResult], cache: RenderCache,
                  progress: Progress, config=None, tile_width: int = TILE_WIDTH) -> list[Sheet]:
    """A sheet for each rendered scene, numbered by its place in the lesson (``--only`` or not),
    with what the composition checker finds when given the ``config`` to check."""
    out.mkdir(parents=True, exist_ok=True)
    first_clips = _first_clips(lesson, results, cache)
    if None in (first_clips[name] for name in results):
        progress.note("clips numbered within each scene: an earlier scene of the lesson is not rendered yet")
    sheets = []
    for number, name in enumerate(lesson, start=1):
        if name in results:
            sheet = Sheet(name, out / f"{number:02}_{name}.png")
            if config is not None:
                sheet.checks = _checks(name, lesson[name], config, cache.root)
            _write_sheet(sheet, results[name], first_clips[name] or 1, tile_width)
            sheets.append(sheet)
    return sheets


def _checked_options(quality: str, tile_width: int, out: str | os.PathLike, voice: str) -> tuple[Path, VoiceSpec]:
    """The sheets' folder and the voice, once the options are known to be good (:class:`LessonError`
    if not)."""
    if quality not in QUALITIES:
        raise LessonError(f"unknown quality {quality!r}; choose one of {', '.join(QUALITIES)}")
    if tile_width < 64:
        raise LessonError(f"tiles must be at least 64 pixels wide, got {tile_width}")
    out = Path(out).resolve()
    if out.exists() and not out.is_dir():
        raise LessonError(f"{out} exists and is not a folder")
    spec = parse_voice(voice)
    check_voice(spec)
    return out, spec


def _first_clips(lesson: dict[str, str], results: dict[str, RenderResult],
                 cache: RenderCache) -> dict[str, int | None]:
    """Each scene's first clip number in the lesson folder, counting the clips of the scenes before
    it (rendered now, or found in the render cache); None once an earlier scene's count is unknown."""
    first: dict[str, int | None] = {}
    clip: int | None = 1
    for name, module in lesson.items():
        first[name] = clip
        result = results.get(name) or cache.lookup(name, module)
        clip = None if clip is None or result is None else clip + len(result.clips)
    return first


def _checks(name: str, module: str, config, cache_root: Path) -> dict[str, list[str]]:
    """Per idea of the scene, what the composition checker says: its motion, then each broken rule."""
    scene = render_watched(name, config, module=module, typeset_cache=cache_root / ".composition-typeset")
    lines: dict[str, list[str]] = {}
    for motion in clip_motion(scene):
        verdict = "mostly static text" if motion.mostly_static_text else "moves"
        lines[motion.idea] = [f"motion {motion.motion:.1f} s of {motion.length:.1f} s ({motion.motion_share:.0%}), "
                              f"diagram {'on screen' if motion.diagram else 'none'}: {verdict}"]
    for finding in check_scene(scene):
        lines.setdefault(finding.idea, []).append(f"{finding.rule}: {finding.detail}")
    return lines


def _moments(idea: IdeaRecord) -> list[tuple[float, float, str]]:
    """(end, when its picture is left, text) of each moment to show for an idea (times in its
    clip), or, for an idea that recorded none, its last frame."""
    if idea.moments:
        return [(m.end, m.held_until, m.text) for m in idea.moments]
    return [(float("inf"), float("inf"), idea.narration)]


def composition_notes(frame: Image.Image) -> list[str]:
    """What a class would notice in a frame at a glance: ``"empty"`` (under 0.3 % of it lit), or
    ``"edge: top 12 px, left 19 px"`` (lit pixels that close to those borders, nearer than 0.4
    scene units)."""
    lit = np.asarray(frame.convert("L")) > LIT
    if lit.mean() < EMPTY:
        return ["empty"]
    margin = round(EDGE_UNITS / FRAME_UNITS_HIGH * lit.shape[0])
    rows, columns = np.flatnonzero(lit.any(axis=1)), np.flatnonzero(lit.any(axis=0))
    distances = {"top": rows[0], "bottom": lit.shape[0] - 1 - rows[-1],
                 "left": columns[0], "right": lit.shape[1] - 1 - columns[-1]}
    close = [f"{side} {gap} px" for side, gap in distances.items() if gap < margin]
    return [f"edge: {', '.join(close)}"] if close else []


def _write_sheet(sheet: Sheet, result: RenderResult, first_clip: int, tile_width: int,
                 columns: int = COLUMNS) -> None:
    """Lay out and write ``sheet`` for a rendered scene; fills in its tiles."""
    width = columns * tile_width + (columns + 1) * GAP
    blocks: list[tuple[str, object]] = [("title", (f"{result.scene}: storyboard", _font(1, 16)))]
    for n, (idea, files) in enumerate(result.sections()):
        blocks += _idea_blocks(idea, files.video, first_clip + n, sheet.checks.get(idea.name, []),
                               width - 2 * GAP, tile_width, columns)
    _save_png(_draw(blocks, width, tile_width, sheet), sheet.path)


def _idea_blocks(idea: IdeaRecord, video: str, clip: int, checks: list[str], text_width: int, tile_width: int,
                 columns: int) -> list[tuple[str, object]]:
    """An idea's part of a sheet, block by block: its heading, its narration, what the checker
    says (in red what it flags), and its tiles, ``columns`` to a row."""
    body, bold, small = _font(0, 15), _font(1, 16), _font(0, 13)
    moments = _moments(idea)
    frames = [f.to_image() for f in media.frames_at(video, [held for _, held, _ in moments])]
    duration = media.duration_of(video)
    blocks: list[tuple[str, object]] = [("title", (f"{clip:02}  {idea.name}   ({duration:.1f} s)", bold))]
    if idea.narration:
        blocks += [("text", (line, body)) for line in _wrap(idea.narration, body, text_width)]
    for k, check in enumerate(checks):
        broken = k > 0 or check.endswith("mostly static text")
        colour = WARNING if broken else FAINT
        blocks += [("note", (line, small, colour)) for line in _wrap(check, small, text_width)]
    tiles = [_tile(idea, clip, moment, frame, duration, tile_width) for moment, frame in zip(moments, frames)]
    return blocks + [("tiles", tiles[i:i + columns]) for i in range(0, len(tiles), columns)]


def _tile(idea: IdeaRecord, clip: int, moment: tuple[float, float, str], frame: Image.Image, duration: float,
          tile_width: int) -> tuple[Tile, Image.Image, list[tuple[str, tuple]]]:
    """One moment's tile, its frame and the lines under it: the frame's notes, in red, then the
    moment's own text (a cue), when it is not the idea's narration."""
    time, _, text = moment
    tile = Tile(idea.name, clip, round(min(time, duration), 2), text, notes=composition_notes(frame))
    own_text = text if text and text != idea.narration else ""
    lines = [(note, WARNING) for note in tile.notes]
    lines += [(line, INK) for line in (_wrap(own_text, _font(0, 13), tile_width) if own_text else [])]
    return tile, frame, lines


def _draw(blocks: list[tuple[str, object]], width: int, tile_width: int, sheet: Sheet) -> Image.Image:
    """The sheet's picture: each block below the one before; the tiles drawn are added to ``sheet``."""
    body, bold, small = _font(0, 15), _font(1, 16), _font(0, 13)
    heights = {"title": bold.size + 12, "text": body.size + 5, "note": small.size + 4}

    def height(kind: str, content) -> int:
        return _tiles_height(content, tile_width) if kind == "tiles" else heights[kind]

    image = Image.new("RGB", (width, GAP + sum(height(*block) for block in blocks) + GAP), PAPER)
    draw = ImageDraw.Draw(image)
    y = GAP
    for kind, content in blocks:
        if kind == "tiles":
            _draw_tiles(image, draw, content, y, tile_width)
            sheet.tiles += [tile for tile, _, _ in content]
        else:
            text, font, *colour = content
            draw.text((GAP, y + (6 if kind == "title" else 0)), text, font=font, fill=colour[0] if colour else INK)
        y += height(kind, content)
    return image


def _tiles_height(row: list, tile_width: int) -> int:
    """The height of a row of tiles: the frames, their labels and the most lines under one of them."""
    small = _font(0, 13)
    return round(tile_width * 9 / 16) + small.size + 6 + max(len(lines) for _, _, lines in row) * (small.size + 3) + GAP


def _draw_tiles(image: Image.Image, draw: ImageDraw.ImageDraw, row: list, y: int, tile_width: int) -> None:
    """A row of tiles at height ``y``: each frame scaled to the tile's width, with a grey edge, its
    label (idea and time) and the lines under it; notes each tile's place on the sheet."""
    small = _font(0, 13)
    tile_height, label_height = round(tile_width * 9 / 16), small.size + 6
    for column, (tile, frame, lines) in enumerate(row):
        x = GAP + column * (tile_width + GAP)
        frame = frame.convert("RGB").resize((tile_width, round(tile_width * frame.height / frame.width)),
                                            Image.Resampling.LANCZOS)
        image.paste(frame, (x, y))
        tile.box = (x, y, x + frame.width, y + frame.height)
        draw.rectangle((x - 1, y - 1, x + frame.width, y + frame.height), outline=FRAME_EDGE)
        draw.text((x, y + tile_height + 3), f"{tile.idea} · {tile.time:.1f} s", font=small, fill=FAINT)
        for k, (line, colour) in enumerate(lines):
            draw.text((x, y + tile_height + label_height + k * (small.size + 3)), line, font=small, fill=colour)


def _save_png(image: Image.Image, path: Path) -> None:
    """Save as a palette PNG (a fraction of the size of RGB), whole or not at all. The sheet's own
    colours keep a palette entry each (a median cut would merge the few red pixels of a note)."""
    own = [PAPER, INK, FAINT, FRAME_EDGE, WARNING]
    cut = image.quantize(COLOURS - len(own), method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    palette = Image.new("P", (1, 1))
    palette.putpalette(cut.getpalette()[: 3 * (COLOURS - len(own))] + [c for colour in own for c in colour])
    temporary = path.with_name(f".{path.stem}.incomplete.png")
    try:
        image.quantize(palette=palette, dither=Image.Dither.NONE).save(temporary, format="PNG", optimize=True)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """``text`` in lines no wider than ``width`` pixels, broken between words."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}".strip()
            if line and font.getlength(candidate) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return [line for line in lines if line] or [""]


@lru_cache(maxsize=None)
def _font(bold: int, size: int) -> ImageFont.FreeTypeFont:
    """DejaVu Sans (Manim's own dependencies bring it on Debian), else Pillow's built-in font."""
    try:
        return ImageFont.truetype(FONT_FILES[bold], size)
    except OSError:
        return ImageFont.load_default(size)
