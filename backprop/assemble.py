"""Assemble the lesson folder from rendered scenes: clips, posters, subtitles, the joined video,
``values.json``."""

from __future__ import annotations

import dataclasses
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from backprop import media
from backprop.errors import LessonError
from backprop.progress import Progress
from backprop.worker import RenderResult
from lessonmodel.config import LessonConfig

__all__ = ["Clip", "assemble", "values_json"]


@dataclass
class Clip:
    """One section of one scene: an idea of the lesson, and its files in the lesson folder."""

    number: int
    scene: str
    section: str
    stem: str  # file name without extension
    video: str
    poster: str
    duration: float = 0.0
    start: float = 0.0  # where it starts in the joined lesson video
    cues: list[media.Cue] = field(default_factory=list)
    formula: str | None = None  # Typst source of the formula the idea's step declared
    formula_words: str | None = None  # the same as readable text
    formula_svg: str | None = None
    narration: str = ""
    values: list[dict] = field(default_factory=list)  # [{"name", "text", "value"}]

    @property
    def title(self) -> str:
        return self.section.replace("_", " ")


def _slug(text: str) -> str:
    return re.sub(r"[^\w-]+", "_", text).strip("_") or "section"


def assemble(
    names: list[str],
    results: dict[str, RenderResult],
    folder: Path,
    work: Path,
    fmt: str,
    transparent: bool,
    progress: Progress,
) -> tuple[list[Clip], str]:
    """Move the clips into ``folder`` with their posters and subtitles; join the lesson.
    Returns the clips and the joined video's file name."""
    clips: list[Clip] = []
    segments: list[Path] = []  # the rendered videos, in order (mp4/webm/mov)
    tracks: list[Path | None] = []  # their sound tracks (WAV), when voiced
    for name in names:
        result = results[name]
        for section in result.sections:
            number = len(clips) + 1
            source = Path(section.video)
            stem = f"{number:02}_{_slug(name)}_{_slug(section.name)}"
            duration = media.duration_of(source)
            cues = [media.Cue(c["start"], c["end"], c["text"]) for c in section.cues]
            clip = Clip(number, name, section.name, stem, video="", poster=f"{stem}.png", duration=duration,
                        cues=media.cut_cues(cues, 0.0, duration), formula=section.formula,
                        formula_words=section.formula_words, formula_svg=section.formula_svg,
                        narration=section.narration, values=section.values)
            tracks.append(Path(section.audio) if section.audio and fmt != "gif" else None)
            media.poster(source, folder / clip.poster, [m["held_until"] for m in section.moments])
            if fmt == "gif":
                clip.video = f"{stem}.gif"
                media.to_gif(source, folder / clip.video, transparent)
                segments.append(source)
            else:
                clip.video = f"{stem}{source.suffix}"
                shutil.copyfile(source, folder / clip.video)  # a copy: the cache's own stays as rendered
                segments.append(folder / clip.video)
            media.write_srt(clip.cues, folder / f"{stem}.srt")
            media.write_vtt(clip.cues, folder / f"{stem}.vtt")
            clips.append(clip)
    if not clips:
        raise LessonError("the scenes rendered no clips")
    progress.note(f"joining {len(clips)} clips")
    if fmt == "gif":
        joined, lesson_video = work / f"lesson{segments[0].suffix}", "lesson.gif"
        starts = media.join_clips(segments, joined)  # GIF is silent
        media.to_gif(joined, folder / lesson_video, transparent)
    else:
        lesson_video = f"lesson{segments[0].suffix}"
        starts = media.join_clips(segments, folder / lesson_video, tracks)
    everything: list[media.Cue] = []
    for clip, start in zip(clips, starts):
        clip.start = start
        everything += media.shift_cues(clip.cues, start)
    media.write_srt(everything, folder / "lesson.srt")
    media.write_vtt(everything, folder / "lesson.vtt")
    return clips, lesson_video


def values_json(cfg: LessonConfig, names: list[str], modules: dict[str, str], results: dict[str, RenderResult],
                clips: list[Clip], options: dict) -> dict:
    """What ``values.json`` holds: the config (by its file name, never its path: the folder is
    shared, the teacher's folder names are not), the render options, every value each scene showed."""
    file_name = Path(cfg.path).name
    validated = {k: v for k, v in dataclasses.asdict(cfg).items() if k != "text"} | {"path": file_name}
    return {  # the config's text as validated and rendered: the file may have changed since
        "config": {"file": file_name, "text": cfg.text, "validated": validated},
        "render": options,
        "scenes": {
            name: {
                "module": modules[name],
                "clips": [c.video for c in clips if c.scene == name],
                "ideas": [{"clip": c.video, "title": c.title, "formula": c.formula_words, "typst": c.formula}
                          for c in clips if c.scene == name],
                "values": results[name].values,
            }
            for name in names
        },
    }
