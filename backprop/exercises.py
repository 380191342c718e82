"""``backprop exercises``: a worksheet of their own for every student, the answer key, and
optionally every student's own lesson.

    DIR/01/config.toml     the student's numbers: a valid lesson config
    DIR/01/worksheet.pdf   their network drawn with its numbers, the questions, blank spaces
    DIR/01/lesson/         with --videos: the lesson rendered with their numbers
    DIR/answers.pdf        every student's answers, worked out
    DIR/.lesson-cache/     with --videos: the renders the students' lessons share

Everything is checked before anything is written (the class fits the seed space, the base
config is valid, the scheduler answers): a problem costs one line and exit status 2. Each
student's folder is built beside the others and renamed into place whole; with --videos a
student whose lesson failed keeps the folder it had, is named in the report, and the others
complete; each student's lesson is a marked lesson folder (:mod:`backprop.lesson_folder`). Two
commands writing one class folder take turns: they hold the build lock of its lesson cache
(which the students' lessons share), and the second removes what a killed first left behind.
The same command gives byte-identical PDFs.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import scenes
from backprop.cluster import connect
from backprop.errors import LessonError
from backprop.lesson_folder import build_lock
from backprop.progress import Progress
from backprop.worksheet import answers_pdf, worksheet_pdf
from lessonmodel.config import LessonConfig, load_config
from lessonmodel.practice import PracticeError, check_class, class_configs, config_toml

__all__ = ["ExercisesError", "ExercisesReport", "write_exercises", "ANSWERS", "CONFIG", "WORKSHEET", "LESSON"]

ANSWERS, CONFIG, WORKSHEET, LESSON = "answers.pdf", "config.toml", "worksheet.pdf", "lesson"
LESSON_CACHE = ".lesson-cache"  # backprop.lesson.CACHE_FOLDER: beside the students' lesson folders
_STUDENT_FOLDER = re.compile(r"\d{2,3}")
_SCRATCH_PREFIX = ".exercises.building-"


class ExercisesError(LessonError):
    """Bad input for ``backprop exercises``; ``str()`` is one line."""


@dataclass
class ExercisesReport:
    """What was written: the students' folders, the answer key, and any failed lesson."""

    out: Path
    students: list[str]
    failed: dict[str, str] = field(default_factory=dict)
    videos: object | None = None  # the ClassReport of the lessons, with --videos


def _output_folder(out: str | os.PathLike) -> Path:
    """``out`` as an absolute path: new, empty, an exercises folder, or one that a command which
    stopped before its answer key left (holding only the lesson cache and scratch folders)."""
    out = Path(out).resolve()
    begun = out.is_dir() and all(p.name == LESSON_CACHE or p.name.startswith(_SCRATCH_PREFIX) for p in out.iterdir())
    if out.exists() and not (begun or (out / ANSWERS).exists()):
        raise ExercisesError(f"{out} exists and is not an exercises folder (no {ANSWERS}); give --out a new one")
    return out


def _same(loaded: LessonConfig, cfg: LessonConfig) -> bool:
    return all(getattr(loaded, s) == getattr(cfg, s) for s in ("chain", "examples", "network", "descent"))


def _write_atomically(path: Path, data: bytes) -> None:
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as f:
        f.write(data)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(f.name, 0o666 & ~umask)  # as an ordinary new file, not the temporary file's 0600
    os.replace(f.name, path)


def write_exercises(
    out: str | os.PathLike,
    students: int,
    seed: int = 0,
    base_config: str | os.PathLike | None = None,
    *,
    videos: bool = False,
    quality: str = "medium",
    scheduler: str | None = None,
    jobs: int | None = None,
    tiny: bool = False,
    only: list[str] | None = None,
    lesson: dict[str, str] | None = None,
    progress_stream: IO[str] | None = None,
) -> ExercisesReport:
    """Write the class's folder ``out`` (see the module docstring) and return what was written.

    Raises :class:`ExercisesError` (or :class:`~lessonmodel.config.ConfigError`, or
    :class:`~backprop.cluster.SchedulerUnreachable`) before writing anything.
    """
    try:
        check_class(students, seed)
    except PracticeError as error:
        raise ExercisesError(str(error)) from None
    if scheduler and not videos:
        raise ExercisesError("--scheduler renders lessons: give --videos too")
    story = scenes.LESSON if lesson is None else lesson
    if only and (unknown := [n for n in only if n not in story]):
        raise ExercisesError(f"unknown scene(s) {', '.join(unknown)}; the lesson has: {', '.join(story)}")
    base = load_config(base_config)
    out = _output_folder(out)
    client = connect(scheduler) if scheduler else None
    try:
        configs = class_configs(base, students, seed)
        out.mkdir(parents=True, exist_ok=True)
        with build_lock(out / LESSON_CACHE, Progress([], progress_stream)):
            for left in out.glob(_SCRATCH_PREFIX + "*"):  # by a command that was killed
                shutil.rmtree(left, ignore_errors=True)
            scratch = Path(tempfile.mkdtemp(prefix=_SCRATCH_PREFIX, dir=out))
            try:
                return _write(out, scratch, configs, seed, videos, quality, client, jobs, tiny, only, lesson,
                              progress_stream)
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
    finally:
        if client is not None:
            client.close()


def _write(out, scratch, configs, seed, videos, quality, client, jobs, tiny, only, lesson, stream) -> ExercisesReport:
    if videos:  # the render machinery (Manim's dependencies) only when rendering
        from backprop.class_render import StudentLesson, render_class
    report = ExercisesReport(out, [c.path for c in configs])
    lessons = []
    for cfg in configs:
        folder = scratch / cfg.path
        folder.mkdir()
        text = config_toml(cfg, f"Backpropagation practice, student {cfg.path} (class seed {seed})")
        (folder / CONFIG).write_text(text, encoding="utf-8")
        if not _same(load_config(folder / CONFIG), cfg):  # what the student reads is what was drawn
            raise ExercisesError(f"student {cfg.path}: the written config does not read back the same")
        (folder / WORKSHEET).write_bytes(worksheet_pdf(cfg, cfg.path))
        if videos:
            # The lessons read a copy named by the student and its content, kept beside the cache (the
            # student's folder is still scratch, renamed into place after the lesson is built).
            digest = hashlib.sha256(text.encode()).hexdigest()[:12]
            render_config = out / LESSON_CACHE / "configs" / f"{cfg.path}-{digest}.toml"
            render_config.parent.mkdir(parents=True, exist_ok=True)
            if not render_config.exists():
                _write_atomically(render_config, text.encode())
            lessons.append(StudentLesson(cfg.path, render_config, folder / LESSON))
    if videos:
        report.videos = render_class(lessons, cache_dir=out / LESSON_CACHE, quality=quality, tiny=tiny, only=only,
                                     jobs=jobs, scheduler=client, lesson=lesson, progress_stream=stream)
        report.failed = dict(report.videos.failed)
    for cfg in configs:
        if cfg.path not in report.failed:
            _swap(scratch / cfg.path, out / cfg.path, scratch)
    for stale in out.iterdir():  # folders of students a previous, larger class had
        if _STUDENT_FOLDER.fullmatch(stale.name) and stale.name not in report.students and (stale / CONFIG).exists():
            shutil.rmtree(stale)
    _write_atomically(out / ANSWERS, answers_pdf(configs))
    return report


def _swap(new: Path, target: Path, scratch: Path) -> None:
    """Put the folder ``new`` where ``target`` is, by renames."""
    if target.exists():
        target.rename(scratch / f"previous-{target.name}")
    new.rename(target)
