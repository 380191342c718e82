"""``backprop lesson``: render every scene of the lesson and assemble the lesson folder.

The config is validated first (a bad one costs one line and exit status 2, nothing written).
Scenes whose render is in the cache are reused; the others render in worker processes
(:mod:`backprop.worker`), with the progress on stderr (:mod:`backprop.progress`). Then the folder
is assembled (:mod:`backprop.assemble`) and the page written (:mod:`backprop.page`):

    01_NeuronChain_the_chain.mp4   one clip per section (idea), numbered in story order
    01_NeuronChain_the_chain.png   its poster (the idea's fullest frame)
    01_NeuronChain_the_chain.srt   its subtitles (and .vtt)
    lesson.mp4                     every clip joined, without re-encoding
    lesson.srt, lesson.vtt         the subtitles of the whole lesson, in its time
    values.json                    every value each scene showed, and the config it came from
    handout.pdf                    the handout: per idea its key frame, formula and narration
    index.html                     the lesson page (offline, no external requests, presenter mode)

Everything is built in a temporary folder beside the output folder and swapped in at the end
(:mod:`backprop.lesson_folder`), so a failing scene, Ctrl-C, SIGTERM or SIGHUP leaves the previous
complete lesson as it was; builds sharing a cache take turns.

For the tests, ``tiny=True`` (the hidden ``--tiny`` flag) renders at 192x108, 5 frames/s.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import importlib.util
import json
import os
import shutil
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable, Iterator

import scenes
from backprop.assemble import Clip, assemble, values_json
from backprop.derived_files import DerivedFiles, file_identity, place
from backprop.errors import Interrupted, LessonError, SceneFailed
from backprop.handout import handout_source, write_handout
from backprop.lesson_folder import (
    build_lock,
    check_output_folder,
    recover_leftovers,
    scratch_beside,
    swap,
    write_marker,
)
from backprop.page import write_page
from backprop.progress import Progress
from backprop.render_cache import RenderCache
from backprop.voice import VoiceSpec, check_voice, parse_voice, render_key
from backprop.worker import QUALITIES, RenderJob, RenderResult, render_all
from lessonmodel.config import LessonConfig, load_config

__all__ = ["QUALITIES", "FORMATS", "CACHE_FOLDER", "VOICE_CACHE", "LessonError", "SceneFailed", "Interrupted",
           "Progress", "build_lesson", "chosen_scenes", "reuse_or_render", "render_options"]

FORMATS = ("mp4", "webm", "gif")
CACHE_FOLDER = ".lesson-cache"  # beside the output folder: renders kept between builds
VOICE_CACHE = ".voice-cache"  # beside the output folder: each cue's synthesized speech
DERIVED = "derived"  # in the render cache: posters, joined videos, handouts kept between builds
HANDOUT = "handout.pdf"


def build_lesson(
    config: str | os.PathLike | None = None,
    *,
    quality: str = "medium",
    jobs: int | None = None,
    only: list[str] | None = None,
    out: str | os.PathLike = "media/lesson",
    fmt: str = "mp4",
    transparent: bool = False,
    tiny: bool = False,
    voice: str = "none",
    lesson: dict[str, str] | None = None,
    progress_stream: IO[str] | None = None,
    cache_dir: str | os.PathLike | None = None,
    prune: bool = True,
) -> Path:
    """Render the lesson and write its folder; return the folder.

    ``lesson`` maps scene names to modules in story order (default :data:`scenes.LESSON`).
    ``cache_dir`` is the render cache (default :data:`CACHE_FOLDER` beside ``out``); builds that
    share one (a class of students) pass ``prune=False`` and prune once at the end.
    ``voice`` is a ``--voice`` value (:func:`backprop.voice.parse_voice`); ``backprop lesson``
    passes ``piper``, the bundled voice, unless told otherwise; this function's own default is the
    silent lesson.
    Raises :class:`~lessonmodel.config.ConfigError` for a bad config (before anything is written),
    :class:`LessonError` for bad options or a voice that cannot be loaded (before anything renders)
    and :class:`SceneFailed` when a scene fails.
    """
    build, out = _checked_build(config, lesson, only, quality, fmt, transparent, tiny, voice, out)
    progress = Progress(build.names, progress_stream)
    cache = RenderCache(Path(cache_dir) if cache_dir is not None else out.parent / CACHE_FOLDER, build.cfg,
                        build.render_options | {"voice": render_key(build.spec)})
    job = functools.partial(build.job, voice_cache=out.parent / VOICE_CACHE)
    with _stop_signals_as_interrupt(), build_lock(cache.root, progress):
        recover_leftovers(out, progress)
        with scratch_beside(out) as (folder, work):
            try:
                results = reuse_or_render(build.names, build.lesson, cache, progress, jobs, job, prune)
            finally:
                cache.discard_workspaces()
            derived = DerivedFiles(cache.root / DERIVED)
            clips = _write_folder(build, results, folder, work, derived, progress)
            swap(folder, out)
        if prune:
            derived.prune()
    progress.close()
    _report(progress.stream, derived, [results[n] for n in build.names], build.spec, out, len(clips))
    return out


def _checked_build(config: str | os.PathLike | None, lesson: dict[str, str] | None, only: list[str] | None,
                   quality: str, fmt: str, transparent: bool, tiny: bool, voice: str,
                   out: str | os.PathLike) -> tuple[_Build, Path]:
    """The build the options ask for, and its output folder, checked before anything renders: a bad
    config, scene, quality, format, voice or output folder raises here."""
    cfg = load_config(config)
    lesson = dict(scenes.LESSON if lesson is None else lesson)
    names = chosen_scenes(lesson, only)
    _check_options(quality, fmt)
    spec = parse_voice(voice)
    out = check_output_folder(out)
    check_voice(spec)
    return _Build(cfg, lesson, names, quality, fmt, transparent, tiny, spec), out


@dataclass(frozen=True)
class _Build:
    """What one lesson build makes, and how: the config, the scenes (name -> module, in story
    order; the chosen ones), the render quality, the clip format, the background, the voice."""

    cfg: LessonConfig
    lesson: dict[str, str]
    names: list[str]
    quality: str
    fmt: str
    transparent: bool
    tiny: bool
    spec: VoiceSpec

    @property
    def render_options(self) -> dict:
        """The render options a cache key holds for a silent render (:func:`render_options`)."""
        return render_options(self.quality, self.fmt, self.transparent, self.tiny)[1]

    @property
    def folder_options(self) -> dict:
        """The render options ``values.json`` records."""
        return {"quality": "tiny" if self.tiny else self.quality, "format": self.fmt, "transparent": self.transparent,
                "scenes": self.names, "voice": self.spec.name}

    def job(self, scene: str, workspace: Path, voice_cache: Path) -> RenderJob:
        """The job that renders ``scene`` in ``workspace``."""
        manim_format = render_options(self.quality, self.fmt, self.transparent, self.tiny)[0]
        return RenderJob(scene=scene, module=self.lesson[scene], config=self.cfg, quality=self.quality, tiny=self.tiny,
                         manim_format=manim_format, transparent=self.transparent, workspace=workspace,
                         voice=self.spec, voice_cache=voice_cache)


def _write_folder(build: _Build, results: dict[str, RenderResult], folder: Path, work: Path, derived: DerivedFiles,
                  progress: Progress) -> list[Clip]:
    """Everything the lesson folder holds, made from the renders: the clips with their posters and
    subtitles, the joined lesson, ``values.json``, the handout, the page and the marker that makes
    it a lesson folder. Returns the clips."""
    clips, lesson_video = assemble(build.names, results, folder, work, build.fmt, build.transparent, progress, derived)
    values = values_json(build.cfg, build.names, build.lesson, results, clips, build.folder_options)
    (folder / "values.json").write_text(json.dumps(values, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _handout(folder, clips, values, work, derived, progress)
    write_page(folder / "index.html", clips, values, lesson_video=lesson_video, handout=HANDOUT, lesson=build.cfg)
    write_marker(folder)
    return clips


def _report(stream: IO[str], derived: DerivedFiles, results: list[RenderResult], spec: VoiceSpec, out: Path,
            clips: int) -> None:
    """The build's last lines: the files kept, the cues with no recording, the voice, the folder."""
    stream.write(f"kept files: {derived.summary()}\n")
    missing = [cue for result in results for cue in result.missing_recordings]
    if missing:
        fallback = "espeak-ng" if shutil.which("espeak-ng") else "silence"
        stream.write(f"no recording for {len(missing)} cue(s), {fallback} instead: {', '.join(missing)}\n")
    if not spec.silent:
        stream.write(_voice_summary(spec, results, out.parent / VOICE_CACHE))
    stream.write(f"lesson written to {out}/index.html ({clips} clips)\n")


def _voice_summary(spec: VoiceSpec, results: list[RenderResult], cache: Path) -> str:
    """The build's line about its voice: cues synthesized, and how fast, the rest cached."""
    spoken = sum(r.synthesized for r in results)
    seconds, cpu = sum(r.speech_seconds for r in results), sum(r.speech_cpu for r in results)
    rate = f" ({seconds:.1f} s of speech in {cpu:.1f} CPU s: {seconds / cpu:.1f} s a CPU second)" if cpu > 0 else ""
    return f"voice {spec.name}: {spoken} cue(s) synthesized{rate}, the rest from {cache}\n"


def _handout(folder: Path, clips: list[Clip], values: dict, work: Path, derived: DerivedFiles,
             progress: Progress) -> None:
    """The handout into ``folder``: kept from an earlier build when its text and key frames are
    the same, else typeset (the posters are in ``folder`` already)."""
    posters = {c.number: file_identity(c.kept_poster) for c in clips if c.kept_poster}
    inputs = {"source": handout_source(clips, values, {n: f"{n:02}.png" for n in posters}), "posters": posters}

    def typeset(target: Path) -> None:
        progress.note("typesetting the handout")
        write_handout(target, clips, values, work, posters=folder)

    handout, _ = derived.get("handout", HANDOUT, inputs, typeset, code=("backprop.handout", "lessonmodel.formula"),
                             libraries=("typst", "pillow", "numpy"))
    place(handout, folder / HANDOUT)


def render_options(quality: str, fmt: str, transparent: bool, tiny: bool) -> tuple[str, dict]:
    """Manim's output format for the clip format ``fmt``, and the render options a cache key holds
    for a silent render (a voiced one adds its voice's fingerprint).

    Manim refuses alpha in MP4: transparent clips of the default format are QuickTime MOV.
    GIF: rendered as video, then converted to GIF with a palette per clip.
    """
    manim_format = {"mp4": "mov" if transparent else "mp4", "webm": "webm", "gif": "mov" if transparent else "mp4"}[fmt]
    return manim_format, {"quality": quality, "tiny": tiny, "format": manim_format, "transparent": transparent,
                          "voice": "none"}


def chosen_scenes(lesson: dict[str, str], only: list[str] | None) -> list[str]:
    """The scenes to render, in story order (whatever the order ``only`` gives)."""
    names = list(lesson)
    if only:
        unknown = [n for n in only if n not in lesson]
        if unknown:
            raise LessonError(f"unknown scene(s) {', '.join(unknown)}; the lesson has: {', '.join(lesson)}")
        names = [n for n in names if n in only]
    if not names:
        raise LessonError("no scenes to render")
    return names


def _check_options(quality: str, fmt: str) -> None:
    if quality not in QUALITIES:
        raise LessonError(f"unknown quality {quality!r}; choose one of {', '.join(QUALITIES)}")
    if fmt not in FORMATS:
        raise LessonError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def reuse_or_render(names: list[str], lesson: dict[str, str], cache: RenderCache, progress: Progress,
                    workers: int | None, make_job: Callable[[str, Path], RenderJob],
                    prune: bool = True) -> dict[str, RenderResult]:
    """Each scene's render: from the cache when nothing it depends on changed, else rendered
    (and stored) in at most ``workers`` processes (default: the machine's cores)."""
    results: dict[str, RenderResult] = {}
    jobs: list[RenderJob] = []
    for n in names:
        if (stored := cache.lookup(n, lesson[n])) is not None:  # it synthesized nothing in this build
            results[n] = dataclasses.replace(stored, synthesized=0, speech_seconds=0.0, speech_cpu=0.0)
            progress.reuse(n)
        else:
            jobs.append(make_job(n, cache.workspace(n)))
    if jobs:
        jobs = _longest_first(jobs, cache)
        workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
        progress.note(f"rendering {len(jobs)} scene(s) in {workers} process(es)")
        def keep(job: RenderJob, result: RenderResult) -> RenderResult:
            return cache.store(job.scene, job.module, job.workspace, result)

        results |= render_all(jobs, workers, progress, keep)
    else:
        progress.note("nothing changed: every scene reused")
    if prune:
        for n in names:
            cache.prune(n)
    return results


def _longest_first(jobs: list[RenderJob], cache: RenderCache) -> list[RenderJob]:
    """``jobs`` in the order that keeps every worker busy to the end: longest first, by how long
    the scene's previous render took (from the cache). A scene never rendered is estimated from
    the length of its class's source (a scene's code grows with its animations), scaled by the
    seconds per line of the scenes that have rendered. The order changes no output: results are
    assembled in story order."""
    seconds = {job.scene: cache.last_seconds(job.scene) for job in jobs}
    lines = {job.scene: _source_lines(job.module, job.scene) for job in jobs}
    known = [job.scene for job in jobs if seconds[job.scene]]
    per_line = sum(seconds[n] for n in known) / max(1, sum(lines[n] for n in known)) if known else 1.0
    return sorted(jobs, key=lambda job: seconds[job.scene] or lines[job.scene] * per_line, reverse=True)


def _source_lines(module: str, scene: str) -> int:
    """Lines of the class ``scene`` in ``module``'s source (0 if not found)."""
    spec = importlib.util.find_spec(module)
    try:
        tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    except (AttributeError, TypeError, OSError, SyntaxError):
        return 0
    found = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == scene]
    return found[0].end_lineno - found[0].lineno + 1 if found else 0


@contextmanager
def _stop_signals_as_interrupt() -> Iterator[None]:
    """SIGTERM and SIGHUP (the terminal closed) raise :class:`Interrupted`, handled like Ctrl-C,
    while the build runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_stop(signum, frame):
        raise Interrupted()

    previous = {signum: signal.signal(signum, on_stop) for signum in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
