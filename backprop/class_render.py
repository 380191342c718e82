"""Render the lessons of a whole class: in local processes, or on an existing Dask cluster.

Every student's lesson is a normal lesson folder made by :func:`backprop.lesson.build_lesson`;
the students share one render cache (:class:`~backprop.render_cache.RenderCache`), so a scene
that reads no section a student's numbers changed renders once for the class, and a second run
of the same class renders nothing.

Locally (the default) the students are built one after another, each with its scenes rendered
in parallel processes.

On a Dask cluster (``scheduler="tcp://HOST:PORT"``) there is one task per student and scene. A
task receives the student's validated config itself (as a lesson build's render processes do)
and renders its scene in a child process on the worker (Manim keeps global state, so a worker
with several threads must not render two scenes in itself) and stores the render in the shared
cache. When a student's scenes are all in the cache, :func:`build_lesson` assembles the
student's folder here, from the cache, atomically (built beside it, renamed into place). A task
whose render process was killed is submitted once more, and so is one the scheduler gave up on
after its workers died (``KilledWorker``: the scheduler reschedules a dead worker's tasks itself
first); a scene that raises is a bug in the scene and is not retried. A failed student is reported by name while the
other students complete. Progress lines on stderr name the worker that rendered each scene.

The class holds the cache's build lock (:func:`backprop.lesson_folder.build_lock`) while it
renders, so another build sharing the cache waits; the students' builds take it again within it,
and the cluster's tasks store their renders under it (each entry is renamed into place whole).

The output folder and the cache must be on storage every worker sees at the same path (a shared
file system).
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import scenes
from backprop.derived_files import DerivedFiles
from backprop.errors import LessonError
from backprop.lesson import DERIVED, build_lesson, render_options
from backprop.lesson_folder import build_lock
from backprop.progress import Progress
from backprop.render_cache import KEEP, RenderCache
from backprop.worker import RenderJob, RenderResult, render_scene
from lessonmodel.config import load_config

__all__ = ["StudentLesson", "ClassReport", "render_class", "render_task"]

RETRIES = 1  # more attempts of a task whose worker or render process died


@dataclass(frozen=True)
class StudentLesson:
    """One student's lesson to build: the config its scenes read and the folder to write."""

    name: str
    config: Path
    out: Path


@dataclass
class ClassReport:
    """What became of a class: the students done, and each failed one with its reason."""

    done: list[str]
    failed: dict[str, str]
    seconds: float


class _Prefixed:
    """A text stream that writes each line of one student's build with the student's name."""

    def __init__(self, stream: IO[str], prefix: str) -> None:
        self.stream, self.prefix, self._line_start = stream, prefix, True

    def write(self, text: str) -> int:
        for piece in text.splitlines(keepends=True):
            if self._line_start:
                self.stream.write(self.prefix)
            self.stream.write(piece)
            self._line_start = piece.endswith("\n")
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return False  # plain lines: several students' lines interleave


class _Silent:
    """A text stream that drops what it is given (an assembly's per-scene lines)."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def _log(stream: IO[str], t0: float, line: str) -> None:
    seconds = int(time.monotonic() - t0)
    stream.write(f"[{seconds // 60:>2}:{seconds % 60:02}] {line}\n")
    stream.flush()


def render_class(
    students: list[StudentLesson],
    *,
    cache_dir: Path,
    quality: str = "low",
    tiny: bool = False,
    only: list[str] | None = None,
    jobs: int | None = None,
    scheduler=None,
    lesson: dict[str, str] | None = None,
    progress_stream: IO[str] | None = None,
) -> ClassReport:
    """Build every student's lesson folder; return who is done and who failed (and why).

    ``scheduler`` is a Dask client (see :func:`backprop.cluster.connect`) or None for local processes. ``lesson``
    maps scene names to modules (default :data:`scenes.LESSON`); ``only`` picks some scenes.
    """
    stream = progress_stream or sys.stderr
    lesson = dict(scenes.LESSON if lesson is None else lesson)
    names = [n for n in lesson if not only or n in only]
    t0 = time.monotonic()
    common = {"quality": quality, "tiny": tiny, "only": only, "lesson": lesson, "cache_dir": cache_dir, "prune": False}
    with build_lock(Path(cache_dir), Progress(names, _Prefixed(stream, ""))):
        if scheduler is None:
            report = _render_locally(students, common, jobs, stream, t0)
        else:
            report = _render_on_cluster(students, names, common, scheduler, stream, t0)
        for name in names:  # keep every student's renders: the class shares the cache
            RenderCache(Path(cache_dir), None, {}).prune(name, keep=max(KEEP, len(students)))
        DerivedFiles(Path(cache_dir) / DERIVED).prune(keep=max(KEEP, len(students)))  # and their posters...
    report.seconds = time.monotonic() - t0
    return report


def _render_locally(students, common: dict, jobs: int | None, stream, t0: float) -> ClassReport:
    report = ClassReport([], {}, 0.0)
    for i, student in enumerate(students, start=1):
        _log(stream, t0, f"student {student.name}: building its lesson ({i}/{len(students)})")
        try:
            build_lesson(student.config, out=student.out, jobs=jobs,
                         progress_stream=_Prefixed(stream, f"  student {student.name} "), **common)
        except LessonError as error:
            report.failed[student.name] = str(error)
            _log(stream, t0, f"student {student.name} FAILED: {error}")
            continue
        report.done.append(student.name)
    return report


# --- the cluster ------------------------------------------------------------------------------


class RenderCrashed(RuntimeError):
    """The render process died (killed, out of memory): worth another attempt."""


class SceneError(RuntimeError):
    """The scene raised: the same code and numbers would raise again."""


def render_task(student: str, job_fields: dict, cache_dir: str, options: dict) -> dict:
    """One task on a Dask worker: render one scene of one student into the shared cache.

    ``job_fields`` are a :class:`RenderJob`'s but its workspace, the validated config among them.
    Runs the render in a child process, stores it in the cache and returns where it ran and
    how long it took.
    """
    from distributed import get_worker

    start = time.monotonic()
    cache = RenderCache(Path(cache_dir), job_fields["config"], options)
    scene, module = job_fields["scene"], job_fields["module"]
    if cache.lookup(scene, module) is None:  # another task may have stored the same render
        workspace = cache.workspace(scene)
        job = RenderJob(**job_fields, workspace=workspace)
        try:
            result = _render_in_child(job)
            cache.store(scene, module, workspace, result)
        finally:
            if workspace.exists():  # not stored: a failed render
                shutil.rmtree(workspace, ignore_errors=True)
    worker = get_worker()
    return {"student": student, "scene": scene, "worker": worker.address, "host": socket.gethostname(),
            "seconds": time.monotonic() - start}


def _render_in_child(job: RenderJob) -> RenderResult:
    """Render ``job`` in a child process (``python -m backprop.class_render``), handed over as a
    pickle: the child gets the validated config itself, as :mod:`backprop.worker`'s processes do."""
    job_file = job.workspace / "job.pickle"
    result_file = job.workspace / "result-of-child.json"
    job_file.write_bytes(pickle.dumps(job))
    with open(job.log, "w") as log:
        process = subprocess.run([sys.executable, "-m", "backprop.class_render", str(job_file), str(result_file)],
                                 stdout=log, stderr=subprocess.STDOUT)
    if process.returncode < 0 or not result_file.exists():
        raise RenderCrashed(f"the render process of {job.scene} died (exit code {process.returncode})")
    answer = json.loads(result_file.read_text(encoding="utf-8"))
    job_file.unlink()
    result_file.unlink()
    if "error" in answer:
        raise SceneError(f"scene {job.scene} failed: {answer['error']}")
    return RenderResult.from_json(answer["result"])


def _exit_with_parent() -> None:
    """End this render process when the worker that started it is gone (a killed worker must
    not leave renders running that nobody waits for)."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="exit-with-parent").start()


def _child_main(job_file: str, result_file: str) -> int:
    """The render process: render the job of ``job_file``; write the result or the error."""
    _exit_with_parent()
    job: RenderJob = pickle.loads(Path(job_file).read_bytes())
    try:
        answer = {"result": render_scene(job).to_json()}
    except BaseException as error:  # everything is reported to the task
        message = f"{type(error).__name__}: {error}".strip().rstrip(":")
        answer = {"error": message.splitlines()[0], "traceback": traceback.format_exc()}
        print(answer["traceback"], file=sys.stderr)
    with tempfile.NamedTemporaryFile("w", dir=Path(result_file).parent, delete=False) as out:
        json.dump(answer, out)
    os.replace(out.name, result_file)
    return 1 if "error" in answer else 0


def _retryable(error: BaseException) -> bool:
    """A worker that died, or a render process that was killed: not the scene's fault."""
    from distributed import KilledWorker
    from distributed.comm import CommClosedError

    return isinstance(error, (RenderCrashed, KilledWorker, CommClosedError, OSError))


def _render_on_cluster(students, names: list[str], common: dict, client, stream, t0: float) -> ClassReport:
    from distributed import as_completed

    report = ClassReport([], {}, 0.0)
    futures, waiting = _submit_renders(students, names, common, client)
    total = len(futures)
    _log(stream, t0, f"{len(students)} student(s): {total} scene render(s) on {_workers(client)} worker(s), "
         f"{len(students) * len(names) - total} reused from the cache")
    by_name = {s.name: s for s in students}
    rendered = 0
    pending = as_completed(list(futures), loop=client.loop)
    for student in students:  # students with every scene in the cache: assemble right away
        if not waiting[student.name]:
            _assemble(student, common, report, stream, t0)
    for future in pending:
        student, fields, attempt = futures.pop(future)
        if student.name in report.failed:
            continue
        error = future.exception()
        if error is None:
            rendered += 1
            _log(stream, t0, f"student {student.name} {fields['scene']} rendered {_where(future.result())} "
                 f"({rendered}/{total})")
            waiting[student.name].discard(fields["scene"])
            if not waiting[student.name]:
                _assemble(by_name[student.name], common, report, stream, t0)
        elif _retryable(error) and attempt < RETRIES:
            _log(stream, t0, f"student {student.name} {fields['scene']}: {_one_line(error)}; trying again")
            again = _submit(client, student, fields, common)
            futures[again] = (student, fields, attempt + 1)
            pending.add(again)
        else:
            _fail_student(student, f"{fields['scene']}: {_one_line(error)}", futures, report, stream, t0)
    return report


def _submit_renders(students, names: list[str], common: dict, client) -> tuple[dict, dict[str, set[str]]]:
    """One task per student and scene not in the cache yet: the tasks (future -> (student, the
    job's fields, attempt)) and each student's scenes still to render."""
    manim_format, options = render_options(common["quality"], "mp4", False, common["tiny"])
    waiting: dict[str, set[str]] = {}
    futures = {}
    for student in students:
        cfg = load_config(student.config)  # validated here, once: the tasks receive it
        cache = RenderCache(Path(common["cache_dir"]), cfg, options)
        waiting[student.name] = {n for n in names if cache.lookup(n, common["lesson"][n]) is None}
        for scene in sorted(waiting[student.name], key=names.index):
            fields = {"scene": scene, "module": common["lesson"][scene], "config": cfg,
                      "quality": common["quality"], "tiny": common["tiny"], "manim_format": manim_format,
                      "transparent": False}
            futures[_submit(client, student, fields, common)] = (student, fields, 0)
    return futures, waiting


def _submit(client, student: StudentLesson, fields: dict, common: dict):
    """The task that renders one scene of ``student`` (a new one each time: a retry is a new task)."""
    _, options = render_options(common["quality"], "mp4", False, common["tiny"])
    return client.submit(render_task, student.name, fields, str(common["cache_dir"]), options,
                         key=f"render-{student.name}-{fields['scene']}-{time.monotonic_ns()}", pure=False)


def _where(info: dict) -> str:
    """Where and how fast a task rendered its scene."""
    return f"on {info['worker']} ({info['host']}) in {info['seconds']:.1f} s"


def _fail_student(student: StudentLesson, reason: str, futures: dict, report: ClassReport, stream,
                  t0: float) -> None:
    """Note the student as failed and cancel the student's other tasks: they are not needed."""
    report.failed[student.name] = reason
    _log(stream, t0, f"student {student.name} FAILED: {reason}")
    for other, (s, _, _) in list(futures.items()):
        if s.name == student.name:
            other.cancel()


def _assemble(student: StudentLesson, common: dict, report: ClassReport, stream, t0: float) -> None:
    """Write the student's lesson folder from the cache (every scene is in it)."""
    _, options = render_options(common["quality"], "mp4", False, common["tiny"])
    cache = RenderCache(Path(common["cache_dir"]), load_config(student.config), options)
    names = [n for n in common["lesson"] if not common["only"] or n in common["only"]]
    missing = [n for n in names if cache.lookup(n, common["lesson"][n]) is None]
    if missing:  # never render here what the cluster rendered: the keys disagree
        report.failed[student.name] = (f"the workers' renders of {', '.join(missing)} do not match this machine's "
                                       "code (install the same version of the project everywhere, and do not "
                                       "change it while a class renders)")
        _log(stream, t0, f"student {student.name} FAILED: {report.failed[student.name]}")
        return
    try:
        build_lesson(student.config, out=student.out, jobs=1, progress_stream=_Silent(), **common)
    except LessonError as error:
        report.failed[student.name] = str(error)
        _log(stream, t0, f"student {student.name} FAILED: {error}")
        return
    report.done.append(student.name)
    _log(stream, t0, f"student {student.name}: lesson assembled ({len(report.done)} student(s) done)")


def _one_line(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text.splitlines()[0]}" if text else type(error).__name__


def _workers(client) -> int:
    return len(client.scheduler_info().get("workers", {}))


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1], sys.argv[2]))
