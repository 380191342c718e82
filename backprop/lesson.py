"""``backprop lesson``: render every scene of the lesson and assemble the lesson folder.

The config is validated first (a bad one costs one line and exit status 2, nothing written).
Then each scene of :data:`scenes.LESSON`, in story order, renders in its own worker process with
its own Manim media folder (Manim's Typst cache is not safe to share between processes); the
worker renders in-process, so it can hand back what the scene showed (``scene.shown``) and the
formula of each idea. The main process shows the progress on stderr, then assembles the folder:

    01_NeuronChain_the_chain.mp4   one clip per section (idea), numbered in story order
    01_NeuronChain_the_chain.png   its poster (the clip's last frame)
    01_NeuronChain_the_chain.srt   its subtitles (and .vtt)
    lesson.mp4                     every clip joined, without re-encoding
    lesson.srt, lesson.vtt         the subtitles of the whole lesson, in its time
    values.json                    every value each scene showed, and the config it came from
    index.html                     the lesson page (offline, no external requests)

Everything is built in a temporary folder beside the output folder and swapped in by renames
at the end, so a failing scene or Ctrl-C leaves the previous complete lesson as it was.

For the tests, ``tiny=True`` (the hidden ``--tiny`` flag) renders at 192x108, 5 frames/s.
"""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import multiprocessing.connection
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from backprop import media
from backprop.config import LessonConfig, config_path, load_config
from backprop.render_cache import RenderCache

__all__ = [
    "QUALITIES",
    "FORMATS",
    "Clip",
    "LessonError",
    "SceneFailed",
    "Progress",
    "build_lesson",
]

QUALITIES = {"low": "low_quality", "medium": "medium_quality", "high": "high_quality", "4k": "fourk_quality"}
FORMATS = ("mp4", "webm", "gif")
TINY = {"pixel_width": 192, "pixel_height": 108, "frame_rate": 5}
LESSON_MARKERS = ("index.html", "values.json")  # what makes a folder a lesson folder
CACHE_FOLDER = ".lesson-cache"  # beside the output folder: renders kept between builds


class LessonError(Exception):
    """A problem that stops the lesson before or while it renders; ``str()`` is one line."""


class SceneFailed(LessonError):
    """A scene raised while rendering; ``details`` holds its traceback."""

    def __init__(self, scene: str, error: str, details: str = "") -> None:
        self.scene, self.error, self.details = scene, error, details
        super().__init__(f"scene {scene} failed: {error}")


class Interrupted(BaseException):
    """SIGTERM, handled like Ctrl-C."""


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
    formula: str | None = None  # Typst source of the idea's formula
    formula_svg: str | None = None
    values: list[dict] = field(default_factory=list)  # [{"name", "text", "value"}]

    @property
    def title(self) -> str:
        return self.section.replace("_", " ")


# --- progress -------------------------------------------------------------------------------


class Progress:
    """What renders and what is done, on ``stream``.

    On a terminal one status line is redrawn in place; elsewhere (CI logs, pipes) every event
    is one plain line with the elapsed time.
    """

    def __init__(self, names: list[str], stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.names = names
        self.started: dict[str, float] = {}
        self.done: list[str] = []
        self.t0 = time.monotonic()
        self._status = ""

    def _clock(self) -> str:
        seconds = int(time.monotonic() - self.t0)
        return f"{seconds // 60}:{seconds % 60:02}"

    def _print(self, line: str) -> None:
        if self.tty:
            self.stream.write("\r\x1b[2K" + line + "\n")
            self._draw()
        else:
            self.stream.write(f"[{self._clock():>5}] {line}\n")
        self.stream.flush()

    def _draw(self) -> None:
        if not self.tty:
            return
        now = time.monotonic()
        running = [f"{n} {int(now - t)}s" for n, t in self.started.items() if n not in self.done]
        status = f"{len(self.done)}/{len(self.names)} scenes done"
        if running:
            status += " · rendering " + ", ".join(running)
        status = f"[{self._clock()}] {status}"
        width = shutil.get_terminal_size((100, 20)).columns - 1
        self._status = status[:width]
        self.stream.write("\r\x1b[2K" + self._status)
        self.stream.flush()

    def tick(self) -> None:
        self._draw()

    def start(self, name: str) -> None:
        self.started[name] = time.monotonic()
        self._print(f"rendering {name} ({self.names.index(name) + 1}/{len(self.names)})")

    def finish(self, name: str, clips: int) -> None:
        self.done.append(name)
        seconds = time.monotonic() - self.started[name]
        self._print(f"done      {name}: {clips} clip(s) in {seconds:.1f} s ({len(self.done)}/{len(self.names)} scenes)")

    def reuse(self, name: str) -> None:
        """``name`` did not change since a previous build: its render is reused."""
        self.started[name] = time.monotonic()
        self.done.append(name)
        self._print(f"unchanged {name}: reusing its render ({len(self.done)}/{len(self.names)} scenes)")

    def note(self, text: str) -> None:
        self._print(text)

    def close(self) -> None:
        if self.tty:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()


# --- the worker -----------------------------------------------------------------------------


def _render_in_worker(job: dict) -> dict:
    """Render one scene in this process; return its files and what it showed, by section."""
    import importlib

    from manim import tempconfig

    os.environ["BACKPROP_CONFIG"] = job["config"]
    scene_class = getattr(importlib.import_module(job["module"]), job["scene"])
    settings = {
        "quality": QUALITIES[job["quality"]],
        "media_dir": job["media_dir"],
        "save_sections": True,
        "disable_caching": True,
        "verbosity": "WARNING",
        "progress_bar": "none",
        "format": job["manim_format"],
        "transparent": job["transparent"],
    }
    if job["tiny"]:
        settings |= TINY
    with tempconfig(settings):
        scene = scene_class()
        spans = _track_sections(scene)
        scene.render()
        plan = scene.renderer.file_writer.output_plan
        index = json.loads(Path(plan.section_index).read_text())

    shown = list(getattr(scene, "shown", []))
    formulas = list(getattr(scene, "formulas", []))
    named = dict(getattr(scene, "named", {}))
    marks = spans(len(shown), len(formulas))
    sections = []
    cursor = 0
    for entry in index:
        mark = None
        for j in range(cursor, len(marks)):  # Manim's index leaves out sections with no animation
            if marks[j]["name"] == entry["name"]:
                mark, cursor = marks[j], j + 1
                break
        seen: dict[str, str] = {}
        formula = svg = None
        if mark is not None:
            for name, text in shown[mark["shown"][0] : mark["shown"][1]]:
                seen.setdefault(name, text)
            own = formulas[mark["formulas"][0] : mark["formulas"][1]]
            # The idea's formula: the longest equation the section typeset (else its last formula).
            with_equals = [f for f in own if "=" in getattr(f, "source", "")]
            pick = max(with_equals, key=lambda f: len(f.source)) if with_equals else (own or [None])[-1]
            if pick is not None:
                formula = getattr(pick, "source", None)
                try:
                    svg = Path(pick.file_name).read_text(encoding="utf-8")
                except (AttributeError, OSError):
                    svg = None
        sections.append({
            "name": entry["name"],
            "video": str(Path(plan.sections_dir) / entry["video"]),
            "values": [{"name": n, "text": t, "value": named.get(n)} for n, t in seen.items()],
            "formula": formula,
            "formula_svg": svg,
        })
    subtitles = Path(plan.subcaption_file) if plan.subcaption_file else None
    all_seen: dict[str, str] = {}
    for name, text in shown:
        all_seen.setdefault(name, text)
    lesson = getattr(scene, "lesson", None)
    return {
        "scene": job["scene"],
        "sections_read": sorted(lesson.read) if hasattr(lesson, "read") else None,  # None: all
        "sections": sections,
        "srt": str(subtitles) if subtitles and subtitles.exists() else None,
        "values": [{"name": n, "text": t, "value": named.get(n)} for n, t in all_seen.items()],
    }


def _track_sections(scene):
    """Watch ``scene`` render; return a function giving each section's slice of ``scene.shown``
    and ``scene.formulas`` as ``[{"name", "shown": (start, end), "formulas": (start, end)}]``.

    A lesson scene's section is a ``step``, whose narration (and so its ``self.plain`` values)
    is evaluated before the step begins: a step owns what was recorded after the previous step
    ended, up to its own end. Scenes that call ``next_section`` themselves are cut where their
    sections begin.
    """
    counts = lambda: (len(getattr(scene, "shown", [])), len(getattr(scene, "formulas", [])))  # noqa: E731
    steps: list[tuple[str, tuple[int, int]]] = []  # (name, counts at the step's end)
    starts: list[tuple[str, tuple[int, int]]] = []  # (name, counts at the section's start)
    next_section = scene.next_section

    def marked_next_section(name: str = "unnamed", *args, **kwargs):
        starts.append((name, counts()))
        return next_section(name, *args, **kwargs)

    scene.next_section = marked_next_section
    if hasattr(scene, "step"):
        step = scene.step

        @contextmanager
        def marked_step(name, *args, **kwargs):
            with step(name, *args, **kwargs):
                yield
            steps.append((name, counts()))

        scene.step = marked_step

    def spans(n_shown: int, n_formulas: int) -> list[dict]:
        if steps:
            ends = [c for _, c in steps]
            begins = [(0, 0)] + ends[:-1]
            names = [n for n, _ in steps]
        else:
            begins = [c for _, c in starts]
            ends = begins[1:] + [(n_shown, n_formulas)]
            names = [n for n, _ in starts]
        return [{"name": n, "shown": (b[0], e[0]), "formulas": (b[1], e[1])} for n, b, e in zip(names, begins, ends)]

    return spans


def _worker(job: dict, conn) -> None:
    """Entry point of a worker process: render, send ("ok", result) or ("error", text, traceback)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides what Ctrl-C does
    log = open(job["log"], "w", buffering=1)
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    try:
        conn.send(("ok", _render_in_worker(job)))
    except BaseException as error:  # noqa: BLE001 - everything is reported to the main process
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


def _render_all(jobs: list[dict], workers: int, progress: Progress, on_done) -> dict[str, dict]:
    """Render ``jobs`` in at most ``workers`` processes at a time; stop at the first failure.
    Each result goes through ``on_done(job, result)`` as soon as its scene is done."""
    context = multiprocessing.get_context("spawn")
    pending = deque(jobs)
    running: dict = {}
    results: dict[str, dict] = {}
    try:
        while pending or running:
            while pending and len(running) < workers:
                job = pending.popleft()
                receive, send = context.Pipe(duplex=False)
                process = context.Process(target=_worker, args=(job, send), daemon=True, name=f"render-{job['scene']}")
                with _children_ignore_sigint():
                    process.start()
                send.close()
                running[receive] = (job, process)
                progress.start(job["scene"])
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
                    raise SceneFailed(job["scene"], message[1], message[2])
                results[job["scene"]] = on_done(job, message[1])
                progress.finish(job["scene"], len(message[1]["sections"]))
            progress.tick()
    finally:
        for conn, (job, process) in running.items():
            process.terminate()
        for conn, (job, process) in running.items():
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
                process.join()
            conn.close()
    return results


# --- assembling the folder ------------------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^\w-]+", "_", text).strip("_") or "section"


def _assemble(
    names: list[str],
    results: dict[str, dict],
    folder: Path,
    work: Path,
    fmt: str,
    transparent: bool,
    progress: Progress,
) -> tuple[list[Clip], str]:
    """Move the clips into ``folder`` with their posters and subtitles; join the lesson."""
    clips: list[Clip] = []
    segments: list[Path] = []  # the rendered videos, in order (mp4/webm/mov)
    for name in names:
        result = results[name]
        cues = media.read_srt(Path(result["srt"])) if result["srt"] else []
        t = 0.0
        for section in result["sections"]:
            number = len(clips) + 1
            source = Path(section["video"])
            stem = f"{number:02}_{_slug(name)}_{_slug(section['name'])}"
            duration = media.duration_of(source)
            clip = Clip(number, name, section["name"], stem, video="", poster=f"{stem}.png", duration=duration,
                        cues=media.cut_cues(cues, t, t + duration), formula=section["formula"],
                        formula_svg=section["formula_svg"], values=section["values"])
            t += duration
            media.poster(source, folder / clip.poster)
            if fmt == "gif":
                clip.video = f"{stem}.gif"
                media.to_gif(source, folder / clip.video, transparent)
                segments.append(source)
            else:
                clip.video = f"{stem}{source.suffix}"
                _link_or_copy(source, folder / clip.video)
                segments.append(folder / clip.video)
            media.write_srt(clip.cues, folder / f"{stem}.srt")
            media.write_vtt(clip.cues, folder / f"{stem}.vtt")
            clips.append(clip)
    if not clips:
        raise LessonError("the scenes rendered no clips")
    progress.note(f"joining {len(clips)} clips")
    if fmt == "gif":
        joined, lesson_video = work / f"lesson{segments[0].suffix}", "lesson.gif"
        starts = media.join_clips(segments, joined)
        media.to_gif(joined, folder / lesson_video, transparent)
    else:
        lesson_video = f"lesson{segments[0].suffix}"
        starts = media.join_clips(segments, folder / lesson_video)
    everything: list[media.Cue] = []
    for clip, start in zip(clips, starts):
        clip.start = start
        everything += media.shift_cues(clip.cues, start)
    media.write_srt(everything, folder / "lesson.srt")
    media.write_vtt(everything, folder / "lesson.vtt")
    return clips, lesson_video


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link where the file system allows one (the cache keeps its copy), else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _values_json(cfg: LessonConfig, names: list[str], modules: dict[str, str], results: dict[str, dict],
                 clips: list[Clip], options: dict) -> dict:
    path = Path(cfg.path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        text = None
    return {
        "config": {"path": str(path.resolve()), "text": text, "validated": dataclasses.asdict(cfg)},
        "render": options,
        "scenes": {
            name: {
                "module": modules[name],
                "clips": [c.video for c in clips if c.scene == name],
                "values": results[name]["values"],
            }
            for name in names
        },
    }


def _is_lesson_folder(path: Path) -> bool:
    return path.is_dir() and (not any(path.iterdir()) or any((path / m).exists() for m in LESSON_MARKERS))


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
    lesson: dict[str, str] | None = None,
    progress_stream: IO[str] | None = None,
) -> Path:
    """Render the lesson and write its folder; return the folder.

    ``lesson`` maps scene names to modules in story order (default :data:`scenes.LESSON`).
    Raises :class:`~backprop.config.ConfigError` for a bad config (before anything is written),
    :class:`LessonError` for bad options and :class:`SceneFailed` when a scene fails.
    """
    cfg = load_config(config)
    if quality not in QUALITIES:
        raise LessonError(f"unknown quality {quality!r}; choose one of {', '.join(QUALITIES)}")
    if fmt not in FORMATS:
        raise LessonError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if lesson is None:
        import scenes

        lesson = dict(scenes.LESSON)
    names = list(lesson)
    if only:
        unknown = [n for n in only if n not in lesson]
        if unknown:
            raise LessonError(f"unknown scene(s) {', '.join(unknown)}; the lesson has: {', '.join(lesson)}")
        names = [n for n in names if n in only]  # story order, whatever the order given
    if not names:
        raise LessonError("no scenes to render")
    out = Path(out).resolve()
    if out.exists() and not _is_lesson_folder(out):
        raise LessonError(f"{out} exists and is not a lesson folder (no index.html or values.json); "
                          "give --out a new or lesson folder")
    workers = max(1, min(jobs or os.cpu_count() or 1, len(names)))
    # Manim refuses alpha in MP4: transparent clips of the default format are QuickTime MOV.
    # GIF: rendered as video, then converted to GIF with a palette per clip.
    manim_format = {"mp4": "mov" if transparent else "mp4", "webm": "webm", "gif": "mov" if transparent else "mp4"}[fmt]

    out.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    folder, work = scratch / out.name, scratch / "work"
    folder.mkdir()
    work.mkdir()
    progress = Progress(names, progress_stream)
    previous_term = signal.getsignal(signal.SIGTERM)

    def on_term(signum, frame):
        raise Interrupted()

    in_main_thread = threading.current_thread() is threading.main_thread()
    cache = None
    try:
        if in_main_thread:
            signal.signal(signal.SIGTERM, on_term)
        config_file = str(config_path(config).resolve())
        cache = RenderCache(out.parent / CACHE_FOLDER, cfg, {"quality": quality, "tiny": tiny,
                            "format": manim_format, "transparent": transparent})
        results: dict[str, dict] = {}
        jobs_list = []
        for n in names:
            if (stored := cache.lookup(n, lesson[n])) is not None:
                results[n] = stored
                progress.reuse(n)
                continue
            workspace = cache.workspace(n)
            jobs_list.append({"scene": n, "module": lesson[n], "config": config_file, "quality": quality,
                              "tiny": tiny, "media_dir": str(workspace / "media"), "workspace": str(workspace),
                              "log": str(workspace / "render.log"), "manim_format": manim_format,
                              "transparent": transparent})
        if jobs_list:
            progress.note(f"rendering {len(jobs_list)} scene(s) in {min(workers, len(jobs_list))} process(es) "
                          f"into {out}")
            results |= _render_all(jobs_list, workers, progress,
                                   lambda job, r: cache.store(job["scene"], job["module"], Path(job["workspace"]), r))
        else:
            progress.note("nothing changed: every scene reused")
        for n in names:
            cache.prune(n)
        clips, lesson_video = _assemble(names, results, folder, work, fmt, transparent, progress)
        options = {"quality": "tiny" if tiny else quality, "format": fmt, "transparent": transparent,
                   "scenes": names}
        values = _values_json(cfg, names, lesson, results, clips, options)
        (folder / "values.json").write_text(json.dumps(values, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        from backprop.page import write_page

        write_page(folder / "index.html", clips, values, lesson_video=lesson_video)
        swapped: list[bool] = []
        try:
            _swap(folder, out, scratch, swapped)
        except (KeyboardInterrupt, Interrupted):
            if not swapped:
                raise
            # Ctrl-C held off during the swap arrives now: the new lesson is already in place.
        progress.close()
        progress.stream.write(f"lesson written to {out}/index.html ({len(clips)} clips)\n")
        return out
    finally:
        progress.close()
        shutil.rmtree(scratch, ignore_errors=True)
        if cache is not None:
            cache.discard_workspaces()
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous_term)


def _swap(new: Path, out: Path, scratch: Path, swapped: list[bool]) -> None:
    """Put ``new`` where ``out`` is, by renames, with Ctrl-C held off between them; append
    True to ``swapped`` once done."""
    blocked = {signal.SIGINT, signal.SIGTERM}
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        if out.exists():
            out.rename(scratch / "previous")
        new.rename(out)
        swapped.append(True)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
