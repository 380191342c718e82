"""Render scenes in worker processes, each with its own Manim media folder.

Manim's Typst cache is not safe to share between processes, so each scene renders in its own
process and folder. The worker renders in-process and hands back what the scene recorded
(:attr:`scenes.kit.lesson_scene.LessonScene.ideas`): per idea, its clip, the values it showed
and its formula.
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
from lessonmodel.formula import typst, words
from lessonmodel.names import Quantity

__all__ = ["QUALITIES", "TINY", "CODE_PACKAGES", "RenderJob", "RenderedIdea", "RenderResult", "render_all",
           "idea_record"]

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


@dataclass
class RenderedIdea:
    """One section (idea) of a rendered scene: its clip and what it showed."""

    name: str
    video: str  # path of the section clip
    values: list[dict] = field(default_factory=list)  # [{"name", "text", "value"}]
    formula: str | None = None  # Typst of the formula the step declared, plain (black, no groups: to print)
    formula_words: str | None = None  # the same as readable text (alt text, the page)
    formula_svg: str | None = None
    cues: list[dict] = field(default_factory=list)  # [{"id", "text", "start", "end", "mentions"}], clip times
    shown: list[dict] = field(default_factory=list)  # [{"name", "time"}]: when each value came on screen
    audio: str | None = None  # path of the clip's sound track (WAV), when voiced
    narration: str = ""
    moments: list[dict] = field(default_factory=list)  # [{"start", "end", "held_until", "text"}]: see _moments


@dataclass
class RenderResult:
    """What a worker hands back for one scene."""

    scene: str
    sections_read: list[str]  # the config sections the scene read
    sections: list[RenderedIdea]
    srt: str | None  # path of the scene's subtitles
    values: list[dict]  # every value the scene showed, first text of each name
    missing_recordings: list[str] = field(default_factory=list)  # cue ids the recorded voice lacked
    synthesized: int = 0  # cues whose speech this render synthesized (not cached)
    speech_seconds: float = 0.0  # seconds of speech a Piper voice synthesized for this render
    speech_cpu: float = 0.0  # CPU seconds that synthesis took
    modules: list[str] = field(default_factory=list)  # the project's modules the render ran
    seconds: float = 0.0  # wall time of its worker, from start to result: orders the next build's jobs

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> RenderResult:
        return cls(**(data | {"sections": [RenderedIdea(**s) for s in data["sections"]]}))


def _value_rows(scene, shown: list[tuple[Quantity, str]]) -> list[dict]:
    """Each name shown once: its text form, its name and number as the screen writes them, its value."""
    names = dict.fromkeys(name for name, _ in shown)
    return [{"name": str(n), "label": scene.label(n), "text": words(scene.value(n)),
             "value": scene.named.get(n)} for n in names]


def _idea_formula(idea) -> tuple[str | None, str | None, str | None]:
    """The formula the idea's step declared (:meth:`LessonScene.sums_up`): its Typst to print
    (black, no groups), its words (alt text, the page) and Manim's SVG of it (in colour)."""
    formula = idea.formula
    if formula is None:
        return None, None, None
    try:
        svg = Path(formula.file_name).read_text(encoding="utf-8")
    except (AttributeError, OSError):
        svg = None
    return typst(formula.expr, groups=False), words(formula.expr), svg


def _modules_ran(scene_module: str) -> list[str]:
    """The scene's module and every module of :data:`CODE_PACKAGES` loaded in this process: the
    code the render ran, measured rather than declared."""
    ours = {name for name in sys.modules if name.partition(".")[0] in CODE_PACKAGES}
    return sorted(ours | {scene_module})


def _moments(idea) -> list[dict]:
    """The moments of an idea a storyboard shows and its poster is chosen from, in seconds from
    the start of its clip: each animation it played (``start``, ``end``), with the idea's
    narration (``text``), and ``held_until``: when the next moment starts, or the idea ends. The
    frame just before ``held_until`` is the moment's finished picture.

    A moment's text is the narration cue on screen when its animation starts (a cue starts with
    the animation it is bound to), or the idea's narration before its first cue.
    """
    spans = [(s - idea.start, e - idea.start) for s, e in idea.animations]
    ends = [s for s, _ in spans[1:]] + [idea.end - idea.start]

    def said_at(t: float) -> str:
        said = [c.text for c in idea.cues if c.start - idea.start <= t + 1e-6]
        return said[-1] if said else idea.narration

    return [{"start": s, "end": e, "held_until": until, "text": said_at(s)}
            for (s, e), until in zip(spans, ends)]


def idea_record(scene, idea) -> tuple[list[dict], list[dict]]:
    """What an idea said and showed, in seconds from the start of its clip: its cues (id, text,
    start, end and the names of the values each names) and, for each value that came on screen
    during the idea, its name and the time its formula appeared. What the page's checkpoints wait for.
    """
    cues = [{"id": c.id, "text": c.text, "start": c.start - idea.start, "end": c.end - idea.start,
             "mentions": [str(name) for name, _ in c.mentions]} for c in idea.cues]
    shown = [{"name": str(s.name), "time": s.time - idea.start} for s in scene.on_screen
             if idea.start - 1e-6 <= s.time < idea.end - 1e-6]
    return cues, shown


def render_scene(job: RenderJob) -> RenderResult:
    """Render one scene in this process; return its files and what each idea showed."""
    from manim import tempconfig

    from scenes.kit.lesson_scene import use_config

    use_config(job.config)
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
    voice = make_voice(job.voice, job.voice_cache or job.workspace / "voice")
    with tempconfig(settings):
        scene = scene_class(speech=voice.duration if voice else None)
        scene.render()
        plan = scene.renderer.file_writer.output_plan
        index = json.loads(Path(plan.section_index).read_text())

    ideas = list(scene.ideas)
    sections = []
    cursor = 0
    for entry in index:
        idea = None
        for i in range(cursor, len(ideas)):  # Manim's index leaves out sections with no animation
            if ideas[i].name == entry["name"]:
                idea, cursor = ideas[i], i + 1
                break
        section = RenderedIdea(entry["name"], str(Path(plan.sections_dir) / entry["video"]))
        if idea is not None:
            section.values = _value_rows(scene, idea.shown)
            section.formula, section.formula_words, section.formula_svg = _idea_formula(idea)
            section.cues, section.shown = idea_record(scene, idea)
            if voice is not None:
                _voice_section(section, idea, voice, job.workspace)
            section.narration, section.moments = idea.narration, _moments(idea)
        sections.append(section)
    subtitles = Path(plan.subcaption_file) if plan.subcaption_file else None
    return RenderResult(
        scene=job.scene,
        sections_read=scene.sections_read,
        sections=sections,
        srt=str(subtitles) if subtitles and subtitles.exists() else None,
        values=_value_rows(scene, scene.shown),
        missing_recordings=list(voice.missing) if voice else [],
        synthesized=voice.synthesized if voice else 0,
        speech_seconds=voice.speech_seconds if voice else 0.0,
        speech_cpu=voice.speech_cpu if voice else 0.0,
        modules=_modules_ran(job.module),
    )


def _voice_section(section: RenderedIdea, idea, voice, workspace: Path) -> None:
    """Give the section's clip its spoken track: each cue's audio from the cue's start, cut at its
    end (the next cue's start), the whole track at broadcast loudness (:mod:`backprop.loudness`).
    The clip is rewritten with the track; the track is kept as WAV (the joined lesson's sound is
    encoded from these)."""
    from backprop import loudness, media

    clip = Path(section.video)
    track = np.zeros(round(media.duration_of(clip) * media.AUDIO_RATE), np.float32)
    for cue in idea.cues:
        if (path := voice.audio(cue.id, cue.said)) is not None:
            media.place(track, voice.samples(path), cue.start - idea.start, cue.end - idea.start)
    track = loudness.normalise(track, media.AUDIO_RATE)
    voiced = workspace / "voiced"
    voiced.mkdir(exist_ok=True)
    out = voiced / clip.name
    media.with_audio(clip, track, out)
    wav = voiced / f"{clip.stem}.wav"
    media.write_wav(track, wav)
    section.video, section.audio = str(out), str(wav)


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when the main process dies (kill -9 included), so no
    render goes on for nobody. Its workspace is removed by the next build."""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _worker(job: RenderJob, conn, parent: int) -> None:
    """Entry point of a worker process: render, send ("ok", result) or ("error", text, traceback)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides what Ctrl-C does
    _die_with_parent(parent)
    log = open(job.log, "w", buffering=1)
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    try:
        conn.send(("ok", render_scene(job)))
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
    running: dict = {}
    results: dict[str, RenderResult] = {}
    began = time.monotonic()
    started: dict[str, float] = {}
    try:
        while pending or running:
            while pending and len(running) < workers:
                job = pending.popleft()
                receive, send = context.Pipe(duplex=False)
                process = context.Process(target=_worker, args=(job, send, os.getpid()), daemon=True,
                                          name=f"render-{job.scene}")
                with _children_ignore_sigint():
                    process.start()
                send.close()
                running[receive] = (job, process)
                started[job.scene] = time.monotonic()
                progress.start(job.scene)
            for conn in multiprocessing.connection.wait(list(running), timeout=1.0):
                job, process = running.pop(conn)
                try:
                    message = conn.recv()
                except EOFError:
                    process.join()
                    message = ("error", f"its worker process died (exit code {process.exitcode})", "")
                conn.close()
                process.join()
                if message[0] != "ok":
                    raise SceneFailed(job.scene, message[1], message[2])
                message[1].seconds = time.monotonic() - started[job.scene]
                results[job.scene] = on_done(job, message[1])
                progress.finish(job.scene, len(message[1].sections))
            progress.tick()
        span = time.monotonic() - began
        busy = sum(results[job.scene].seconds for job in jobs)
        progress.note(f"rendered {len(jobs)} scene(s) in {span:.1f} s on {workers} worker(s): "
                      f"busy {busy / (workers * span):.0%} of the workers' time")
    finally:
        for _job, process in running.values():
            process.terminate()
        for conn, (_job, process) in running.items():
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
                process.join()
            conn.close()
    return results
