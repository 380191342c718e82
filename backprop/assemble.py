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
from backprop.worker import ClipFiles, RenderResult
from lessonmodel.config import LessonConfig
from lessonmodel.record import IdeaRecord

__all__ = ["Clip", "assemble", "values_json"]


@dataclass
class Clip:
    """One section of one scene: an idea of the lesson (its record, what it said and showed), and
    its files in the lesson folder."""

    number: int
    scene: str
    idea: IdeaRecord
    stem: str  # file name without extension
    video: str
    poster: str
    duration: float = 0.0
    start: float = 0.0  # where it starts in the joined lesson video
    cues: list[media.Cue] = field(default_factory=list)  # its subtitles, within the clip
    kept_poster: Path | None = None  # the poster's kept file (its identity keys what is made from it)

    @property
    def section(self) -> str:
        return self.idea.name

    @property
    def title(self) -> str:
        return self.section.replace("_", " ")


def _slug(text: str) -> str:
    return re.sub(r"[^\w-]+", "_", text).strip("_") or "section"


MEDIA_CODE = ("backprop.media",)  # the code that makes posters, GIFs and the joined video
MEDIA_LIBRARIES = ("av", "pillow", "numpy")


@dataclass(frozen=True)
class _Output:
    """Where and how the clips go: the lesson folder, a scratch folder, the clip format, the
    background, and the files kept between builds."""

    folder: Path
    work: Path
    fmt: str
    transparent: bool
    derived: DerivedFiles


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
    out = _Output(folder, work, fmt, transparent, derived)
    clips: list[Clip] = []
    sources: list[ClipFiles] = []  # the rendered files, in order (mp4/webm/mov and WAV), in the render cache
    for name in names:
        for idea, files in results[name].sections():
            clips.append(_place_clip(len(clips) + 1, name, idea, files, out))
            sources.append(files)
    if not clips:
        raise LessonError("the scenes rendered no clips")
    lesson_video, starts = _join(clips, sources, out, progress)
    everything: list[media.Cue] = []
    for clip, start in zip(clips, starts):
        clip.start = start
        everything += media.shift_cues(clip.cues, start)
    media.write_srt(everything, folder / "lesson.srt")
    media.write_vtt(everything, folder / "lesson.vtt")
    return clips, lesson_video


def _place_clip(number: int, scene: str, idea: IdeaRecord, files: ClipFiles, out: _Output) -> Clip:
    """The idea's clip in the lesson folder: its video (converted to GIF for ``--format gif``), its
    poster and its subtitles, named by its number, scene and idea."""
    source = Path(files.video)
    stem = f"{number:02}_{_slug(scene)}_{_slug(idea.name)}"
    slot = f"{_slug(scene)}/{_slug(idea.name)}"
    poster, duration = _poster(source, slot, [m.held_until for m in idea.moments], out.derived)
    cues = [media.Cue(c.start, c.end, c.text) for c in idea.cues]
    clip = Clip(number, scene, idea, stem, video="", poster=f"{stem}.png", duration=duration,
                cues=media.cut_cues(cues, 0.0, duration), kept_poster=poster)
    place(poster, out.folder / clip.poster)
    if out.fmt == "gif":
        clip.video = f"{stem}.gif"
        gif, _ = out.derived.get(f"gif/{slot}", "clip.gif", {"clip": file_identity(source),
                                                             "transparent": out.transparent},
                                 lambda target: media.to_gif(source, target, out.transparent),
                                 code=MEDIA_CODE, libraries=MEDIA_LIBRARIES)
        place(gif, out.folder / clip.video)
    else:
        clip.video = f"{stem}{source.suffix}"
        place(source, out.folder / clip.video)  # a copy: the cache's own stays as rendered
    media.write_srt(clip.cues, out.folder / f"{stem}.srt")
    media.write_vtt(clip.cues, out.folder / f"{stem}.vtt")
    return clip


def _poster(source: Path, slot: str, moments: list[float], derived: DerivedFiles) -> tuple[Path, float]:
    """The clip's poster (its fullest frame among the ends of its ``moments``: kept between
    builds) and the clip's duration."""

    def make_poster(target: Path) -> dict:
        media.poster(source, target, moments)
        return {"duration": media.duration_of(source)}

    poster, facts = derived.get(f"poster/{slot}", "poster.png", {"clip": file_identity(source), "moments": moments},
                                make_poster, code=MEDIA_CODE, libraries=MEDIA_LIBRARIES)
    return poster, facts["duration"]


def _join(clips: list[Clip], sources: list[ClipFiles], out: _Output, progress: Progress) -> tuple[str, list[float]]:
    """The clips joined into the lesson video in the folder (kept between builds): its file name,
    and where each clip starts in it."""
    segments = [Path(s.video) for s in sources]
    tracks = [Path(s.audio) if s.audio and out.fmt != "gif" else None for s in sources]
    lesson_video = "lesson.gif" if out.fmt == "gif" else f"lesson{segments[0].suffix}"

    def join(target: Path) -> dict:
        progress.note(f"joining {len(clips)} clips")
        if out.fmt == "gif":
            joined = out.work / f"lesson{segments[0].suffix}"
            starts = media.join_clips(segments, joined)  # GIF is silent
            media.to_gif(joined, target, out.transparent)
        else:
            starts = media.join_clips(segments, target, tracks)
        return {"starts": starts}

    inputs = {"clips": [file_identity(s) for s in segments],
              "tracks": [file_identity(t) if t else None for t in tracks], "transparent": out.transparent}
    joined, facts = out.derived.get("lesson", lesson_video, inputs, join, code=MEDIA_CODE, libraries=MEDIA_LIBRARIES)
    place(joined, out.folder / lesson_video)
    return lesson_video, facts["starts"]


def values_json(cfg: LessonConfig, names: list[str], modules: dict[str, str], results: dict[str, RenderResult],
                clips: list[Clip], options: dict) -> dict:
    """What ``values.json`` holds: the config (by its file name, never its path: the folder is
    shared, the teacher's folder names are not), the render options, every value each scene
    showed, and per idea its formula and every formula it printed (in data form,
    :func:`lessonmodel.formula.to_data`: what a reader needs to check its arithmetic by hand)."""
    file_name = Path(cfg.path).name
    validated = {k: v for k, v in dataclasses.asdict(cfg).items() if k != "text"} | {"path": file_name}
    return {  # the config's text as validated and rendered: the file may have changed since
        "config": {"file": file_name, "text": cfg.text, "validated": validated},
        "render": options,
        "scenes": {
            name: {
                "module": modules[name],
                "clips": [c.video for c in clips if c.scene == name],
                "ideas": [_idea_entry(c) for c in clips if c.scene == name],
                "values": [v.to_data() for v in results[name].record.values],
            }
            for name in names
        },
    }


def _idea_entry(clip: Clip) -> dict:
    """One idea in ``values.json``: its clip, title, summary formula (words and Typst) and printed formulas."""
    formula = clip.idea.formula
    return {"clip": clip.video, "title": clip.title, "formula": formula.words if formula else None,
            "typst": formula.typst if formula else None, "printed": clip.idea.printed}
