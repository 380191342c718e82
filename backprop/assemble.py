"""Assemble the lesson folder from rendered scenes: clips, posters, subtitles, the joined video,
``values.json``.

The clips are copied from the render cache (:func:`backprop.derived_files.place`: reflinks where
the file system allows); the posters, GIF conversions and the joined video are kept between
builds (:class:`backprop.derived_files.DerivedFiles`): a rebuild with nothing changed makes none
again."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path

from backprop import media
from backprop.derived_files import DerivedFiles, file_identity, place
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
    formula: str | None = None  # Typst of the formula the idea's step declared, plain (to print)
    formula_words: str | None = None  # the same as readable text
    formula_svg: str | None = None
    narration: str = ""
    values: list[dict] = field(default_factory=list)  # [{"name", "text", "value"}]
    said: list[dict] = field(default_factory=list)  # each cue's id, start, end and the values it names
    shown: list[dict] = field(default_factory=list)  # [{"name", "time"}]: when each value came on screen
    kept_poster: Path | None = None  # the poster's kept file (its identity keys what is made from it)

    @property
    def title(self) -> str:
        return self.section.replace("_", " ")


def _slug(text: str) -> str:
    return re.sub(r"[^\w-]+", "_", text).strip("_") or "section"


MEDIA_CODE = ("backprop.media",)  # the code that makes posters, GIFs and the joined video
MEDIA_LIBRARIES = ("av", "pillow", "numpy")


def assemble(
    names: list[str],
    results: dict[str, RenderResult],
    folder: Path,
    work: Path,
    fmt: str,
    transparent: bool,
    progress: Progress,
    derived: DerivedFiles,
) -> tuple[list[Clip], str]:
    """Put the clips into ``folder`` with their posters and subtitles; join the lesson.
    Returns the clips and the joined video's file name."""
    clips: list[Clip] = []
    segments: list[Path] = []  # the rendered videos, in order (mp4/webm/mov), in the render cache
    tracks: list[Path | None] = []  # their sound tracks (WAV), when voiced
    for name in names:
        result = results[name]
        for section in result.sections:
            number = len(clips) + 1
            source = Path(section.video)
            stem = f"{number:02}_{_slug(name)}_{_slug(section.name)}"
            slot = f"{_slug(name)}/{_slug(section.name)}"
            moments = [m["held_until"] for m in section.moments]

            def make_poster(target: Path, source=source, moments=moments) -> dict:
                media.poster(source, target, moments)
                return {"duration": media.duration_of(source)}

            poster, facts = derived.get(f"poster/{slot}", "poster.png",
                                        {"clip": file_identity(source), "moments": moments}, make_poster,
                                        code=MEDIA_CODE, libraries=MEDIA_LIBRARIES)
            duration = facts["duration"]
            cues = [media.Cue(c["start"], c["end"], c["text"]) for c in section.cues]
            clip = Clip(number, name, section.name, stem, video="", poster=f"{stem}.png", duration=duration,
                        cues=media.cut_cues(cues, 0.0, duration), formula=section.formula,
                        formula_words=section.formula_words, formula_svg=section.formula_svg,
                        narration=section.narration, values=section.values, said=section.cues,
                        shown=section.shown)
            tracks.append(Path(section.audio) if section.audio and fmt != "gif" else None)
            clip.kept_poster = poster
            place(poster, folder / clip.poster)
            if fmt == "gif":
                clip.video = f"{stem}.gif"
                gif, _ = derived.get(f"gif/{slot}", "clip.gif", {"clip": file_identity(source),
                                                                 "transparent": transparent},
                                     lambda target, source=source: media.to_gif(source, target, transparent),
                                     code=MEDIA_CODE, libraries=MEDIA_LIBRARIES)
                place(gif, folder / clip.video)
            else:
                clip.video = f"{stem}{source.suffix}"
                place(source, folder / clip.video)  # a copy: the cache's own stays as rendered
            segments.append(source)
            media.write_srt(clip.cues, folder / f"{stem}.srt")
            media.write_vtt(clip.cues, folder / f"{stem}.vtt")
            clips.append(clip)
    if not clips:
        raise LessonError("the scenes rendered no clips")
    lesson_video = "lesson.gif" if fmt == "gif" else f"lesson{segments[0].suffix}"

    def join(target: Path) -> dict:
        progress.note(f"joining {len(clips)} clips")
        if fmt == "gif":
            joined = work / f"lesson{segments[0].suffix}"
            starts = media.join_clips(segments, joined)  # GIF is silent
            media.to_gif(joined, target, transparent)
        else:
            starts = media.join_clips(segments, target, tracks)
        return {"starts": starts}

    inputs = {"clips": [file_identity(s) for s in segments],
              "tracks": [file_identity(t) if t else None for t in tracks], "transparent": transparent}
    joined, facts = derived.get("lesson", lesson_video, inputs, join, code=MEDIA_CODE, libraries=MEDIA_LIBRARIES)
    place(joined, folder / lesson_video)
    everything: list[media.Cue] = []
    for clip, start in zip(clips, facts["starts"]):
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
