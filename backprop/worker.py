"""Render scenes in worker processes, each with its own Manim media folder.

Manim's Typst cache is not safe to share between processes, so each scene renders in its own
process and folder. The worker renders in-process and hands back, as JSON, what the scene showed
(its record, :mod:`lessonmodel.record`, built by the base scene) with the files of each idea: its
clip and, when voiced, its sound track.
"""

from __future__ import annotations

import ctypes
import dataclasses
import importlib
import json
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
import time
import traceback
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from backprop.errors import SceneFailed
from backprop.progress import Progress
from backprop.voice import VoiceSpec, make_voice
from lessonmodel.config import LessonConfig
from lessonmodel.record import IdeaRecord, RecordError, SceneRecord

__all__ = ["QUALITIES", "TINY", "CODE_PACKAGES", "RenderJob", "ClipFiles", "RenderResult", "render_scene",
           "render_all"]

QUALITIES = {"low": "low_quality", "medium": "medium_quality", "high": "high_quality", "4k": "fourk_quality"}
TINY = {"pixel_width": 192, "pixel_height": 108, "frame_rate": 5}
CODE_PACKAGES = ("nncore", "lessonmodel", "lessonvideo", "scenes")  # the layers a scene's code can come from


@dataclass(frozen=True)
class RenderJob:
    """One scene to render, and how."""

    scene: str
    module: str
    config: LessonConfig  # validated once, in the main process: workers never read the file
    quality: str  # a key of QUALITIES
    tiny: bool
    manim_format: str  # mp4, mov or webm
    transparent: bool
    workspace: Path  # an empty folder the render owns
    voice: VoiceSpec = VoiceSpec("none")
    voice_cache: Path | None = None  # where synthesized cues are kept between builds

    @property
    def media_dir(self) -> Path:
        return self.workspace / "media"

    @property
    def log(self) -> Path:
        return self.workspace / "render.log"


@dataclass(frozen=True)
class ClipFiles:
    """The files of one section (idea) of a rendered scene: its clip and, when voiced, its sound
    track (WAV)."""

    video: str
    audio: str | None = None


@dataclass(frozen=True)
class RenderResult:
    """What a worker hands back for one scene: what the scene showed (its record, one idea per
    clip, in order: a section played before any step is an idea with no cues) and its files.
    Sent and stored as JSON (:meth:`to_json`); paths are absolute when sent, relative to the cache
    entry when stored (:meth:`with_paths`)."""

    record: SceneRecord
    clips: list[ClipFiles]  # each idea's files, in the order of record.ideas
    srt: str | None = None  # path of the scene's subtitles
    missing_recordings: list[str] = field(default_factory=list)  # cue ids the recorded voice lacked
    synthesized: int = 0  # cues whose speech this render synthesized (not cached)
    speech_seconds: float = 0.0  # seconds of speech a Piper voice synthesized for this render
    speech_cpu: float = 0.0  # CPU seconds that synthesis took
    modules: list[str] = field(default_factory=list)  # the project's modules the render ran
    seconds: float = 0.0  # wall time of its worker, from start to result: orders the next build's jobs

    @property
    def scene(self) -> str:
        return self.record.scene

    @property
    def sections_read(self) -> list[str]:
        """The config sections the scene read."""
        return self.record.sections_read

    def sections(self) -> list[tuple[IdeaRecord, ClipFiles]]:
        """Each idea of the scene with its clip's files, in story order."""
        return list(zip(self.record.ideas, self.clips))

    def with_paths(self, change: Callable[[str], str]) -> RenderResult:
        """The result with ``change`` applied to every path it holds."""
        clips = [ClipFiles(change(c.video), change(c.audio) if c.audio else None) for c in self.clips]
        return dataclasses.replace(self, clips=clips, srt=change(self.srt) if self.srt else None)

    def to_json(self) -> str:
        data = dataclasses.asdict(self) | {"record": self.record.to_data()}
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> RenderResult:
        """The result sent or stored as :meth:`to_json`; :class:`~lessonmodel.record.RecordError`
        for anything else (a result of an older shape among them)."""
        data = json.loads(text)
        names = {f.name for f in dataclasses.fields(cls)}
        if not isinstance(data, dict) or set(data) != names:
            raise RecordError(f"a render result has the fields {sorted(names)}")
        record = SceneRecord.from_data(data["record"])
        clips = [ClipFiles(**c) for c in data["clips"]]
        if len(clips) != len(record.ideas):
            raise RecordError(f"a render result of {len(record.ideas)} ideas with {len(clips)} clips")
        return cls(**(data | {"record": record, "clips": clips}))


def _modules_ran(scene_module: str) -> list[str]:
    """The scene's module and every module of :data:`CODE_PACKAGES` loaded in this process: the
    code the render ran, measured rather than declared."""
    ours = {name for name in sys.modules if name.partition(".")[0] in CODE_PACKAGES}
    return sorted(ours | {scene_module})


def render_scene(job: RenderJob) -> RenderResult:
    """Render one scene in this process; return what each idea showed and its files."""
    from scenes.kit.lesson_scene import use_config
    from scenes.kit.scene_record import scene_record

    use_config(job.config)
    voice = make_voice(job.voice, job.voice_cache or job.workspace / "voice")
    scene, plan = _render(job, voice)
    index = json.loads(Path(plan.section_index).read_text())
    record = scene_record(scene)
    names = [entry["name"] for entry in index]
    ideas = _ideas_of_clips(record.ideas, names)
    clips = [ClipFiles(str(Path(plan.sections_dir) / entry["video"])) for entry in index]
    if voice is not None:
        clips = [_voice_clip(idea, files, voice, job.workspace) if idea else files
                 for idea, files in zip(ideas, clips)]
    ideas = [idea or IdeaRecord(name) for idea, name in zip(ideas, names)]  # Manim's own section: a bare idea
    subtitles = Path(plan.subcaption_file) if plan.subcaption_file else None
    return RenderResult(
        record=dataclasses.replace(record, ideas=ideas),
        clips=clips,
        srt=str(subtitles) if subtitles and subtitles.exists() else None,
        missing_recordings=list(voice.missing) if voice else [],
        synthesized=voice.synthesized if voice else 0,
        speech_seconds=voice.speech_seconds if voice else 0.0,
        speech_cpu=voice.speech_cpu if voice else 0.0,
        modules=_modules_ran(job.module),
    )


def _render(job: RenderJob, voice):
    """Render the job's scene with its sections saved; the scene and Manim's plan of its output
    files."""
    from manim import tempconfig

    scene_class = getattr(importlib.import_module(job.module), job.scene)
    settings = {
        "quality": QUALITIES[job.quality],
        "media_dir": str(job.media_dir),
        "save_sections": True,
        "disable_caching": True,
        "verbosity": "WARNING",
        "progress_bar": "none",
        "format": job.manim_format,
        "transparent": job.transparent,
    }
    if job.tiny:
        settings |= TINY
    with tempconfig(settings):
        scene = scene_class(speech=voice.duration if voice else None)
        scene.render()
        return scene, scene.renderer.file_writer.output_plan


def _ideas_of_clips(ideas: list[IdeaRecord], sections: list[str]) -> list[IdeaRecord | None]:
    """The idea each clip shows, for the sections Manim wrote (by name, in order). Manim leaves out
    a section with no animation, and writes one of its own for what plays before the first step
    (None: no idea of the scene's)."""
    found: list[IdeaRecord | None] = []
    cursor = 0
    for name in sections:
        idea = None
        for i in range(cursor, len(ideas)):
            if ideas[i].name == name:
                idea, cursor = ideas[i], i + 1
                break
        found.append(idea)
    return found


def _voice_clip(idea: IdeaRecord, clip: ClipFiles, voice, workspace: Path) -> ClipFiles:
    """Give the idea's clip its spoken track: each cue's audio from the cue's start, cut at its
    end (the next cue's start), the whole track at broadcast loudness (:mod:`backprop.loudness`).
    The clip is written again with the track; the track is kept as WAV (the joined lesson's sound
    is encoded from these)."""
    from backprop import loudness, media

    video = Path(clip.video)
    track = np.zeros(round(media.duration_of(video) * media.AUDIO_RATE), np.float32)
    for cue in idea.cues:
        if (path := voice.audio(cue.id, cue.said)) is not None:
            media.place(track, voice.samples(path), cue.start, cue.end)
    track = loudness.normalise(track, media.AUDIO_RATE)
    voiced = workspace / "voiced"
    voiced.mkdir(exist_ok=True)
    out = voiced / video.name
    media.with_audio(video, track, out)
    wav = voiced / f"{video.stem}.wav"
    media.write_wav(track, wav)
    return ClipFiles(str(out), str(wav))


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when the main process dies (kill -9 included), so no
    render goes on for nobody. Its workspace is removed by the next build."""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _worker(job: RenderJob, conn, parent: int) -> None:
    """Entry point of a worker process: render, send ("ok", the result as JSON) or ("error", text,
    traceback)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides what Ctrl-C does
    _die_with_parent(parent)
    log = open(job.log, "w", buffering=1)
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    try:
        conn.send(("ok", render_scene(job).to_json()))
    except BaseException as error:  # everything, Ctrl-C and exits too, is reported to the main process
        message = f"{type(error).__name__}: {error}".strip().rstrip(":")
        if isinstance(error, SystemExit):
            message = f"exited with status {error.code}"
        conn.send(("error", message.splitlines()[0] if message else type(error).__name__, traceback.format_exc()))
    finally:
        conn.close()
        log.close()


@contextmanager
def _children_ignore_sigint():
    """Start processes that ignore Ctrl-C from their first instruction (an ignored signal stays
    ignored across exec): the terminal sends SIGINT to the workers too, and the main process
    alone decides what it means. Held for the moment a process takes to start."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def render_all(
    jobs: list[RenderJob], workers: int, progress: Progress, on_done: Callable[[RenderJob, RenderResult], RenderResult]
) -> dict[str, RenderResult]:
    """Render ``jobs`` in at most ``workers`` processes at a time, in the order given (put the
    longest first: the last job to start then ends soon after the others); stop at the first
    failure. Each result goes through ``on_done(job, result)`` as soon as its scene is done. At
    the end, ``progress`` notes the share of the workers' time that was busy."""
    context = multiprocessing.get_context("spawn")
    pending = deque(jobs)
    running: dict = {}  # the pipe a worker answers on -> (its job, its process, when it started)
    results: dict[str, RenderResult] = {}
    began = time.monotonic()
    try:
        while pending or running:
            while pending and len(running) < workers:
                job = pending.popleft()
                receive, process = _start_worker(context, job)
                running[receive] = (job, process, time.monotonic())
                progress.start(job.scene)
            for conn in multiprocessing.connection.wait(list(running), timeout=1.0):
                job, process, started = running.pop(conn)
                result = dataclasses.replace(_answer(job, conn, process), seconds=time.monotonic() - started)
                results[job.scene] = on_done(job, result)
                progress.finish(job.scene, len(result.clips))
            progress.tick()
        span = time.monotonic() - began
        busy = sum(results[job.scene].seconds for job in jobs)
        progress.note(f"rendered {len(jobs)} scene(s) in {span:.1f} s on {workers} worker(s): "
                      f"busy {busy / (workers * span):.0%} of the workers' time")
    finally:
        _stop_workers(running)
    return results


def _start_worker(context, job: RenderJob):
    """A worker process rendering ``job``, started; the pipe it answers on, and the process."""
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_worker, args=(job, send, os.getpid()), daemon=True, name=f"render-{job.scene}")
    with _children_ignore_sigint():
        process.start()
    send.close()
    return receive, process


def _answer(job: RenderJob, conn, process) -> RenderResult:
    """The result a finished worker sent; :class:`SceneFailed` if its scene failed or it died."""
    try:
        message = conn.recv()
    except EOFError:
        process.join()
        message = ("error", f"its worker process died (exit code {process.exitcode})", "")
    conn.close()
    process.join()
    if message[0] != "ok":
        raise SceneFailed(job.scene, message[1], message[2])
    return RenderResult.from_json(message[1])


def _stop_workers(running: dict) -> None:
    """Stop the workers still running (a failure or Ctrl-C ended the build): politely, then for good."""
    for _job, process, _started in running.values():
        process.terminate()
    for conn, (_job, process, _started) in running.items():
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
            process.join()
        conn.close()
