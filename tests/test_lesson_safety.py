"""``backprop lesson`` against a hostile or unlucky user: nothing lost, one clear line per failure.

Real processes, real pipes and FIFOs, real read-only and full file systems (tmpfs mounts: the
tests run as root, which file permissions do not stop).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
from conftest import BIN, ROOT, run
from test_lesson import assert_previous_lesson_intact, make_previous_lesson

import scenes
from backprop import cli
from backprop.lesson import CACHE_FOLDER, DERIVED, build_lesson
from backprop.lesson_folder import MARKER

NEURON_CHAIN = ["--tiny", "--only", "NeuronChain", "--voice", "none"]  # silent: the voice has tests of its own


def lesson_command(*args: str) -> list[str]:
    return [str(BIN / "backprop"), "lesson", *NEURON_CHAIN, *args]


def shown(out: Path, scene: str = "NeuronChain") -> dict[str, str]:
    """The text each value had on screen, from values.json (what the scene recorded)."""
    values = json.loads((out / "values.json").read_text())
    return {v["name"]: v["text"] for v in values["scenes"][scene]["values"]}


def test_a_config_edited_during_the_build_does_not_reach_the_scenes(tmp_path):
    """The workers render the config the build validated, and the cache files it under that one."""
    config, out = tmp_path / "cfg.toml", tmp_path / "lesson"
    first, second = "[chain]\ninput = 0.25\n", "[chain]\ninput = 0.75\n"
    config.write_text(first)
    process = subprocess.Popen(lesson_command("--config", str(config), "--out", str(out)), cwd=ROOT,
                               stderr=subprocess.PIPE, text=True)
    for line in process.stderr:
        if "rendering NeuronChain (" in line:  # the worker has just started: it has read nothing yet
            config.write_text(second)
            break
    rest = process.stderr.read()
    assert process.wait(timeout=300) == 0, rest
    assert float(shown(out)["a(0)"]) == 0.25
    assert json.loads((out / "values.json").read_text())["config"]["text"] == first
    config.write_text(second)  # the cache holds the first config's render only under the first config
    result = run(lesson_command("--config", str(config), "--out", str(out)))
    assert result.returncode == 0, result.stderr
    assert "rendering NeuronChain" in result.stderr and float(shown(out)["a(0)"]) == 0.75


def test_lesson_from_process_substitution(tmp_path):
    """``--config <(cat my.toml)``: a pipe, read once by the main process, which the workers never see."""
    (tmp_path / "my.toml").write_text("[chain]\ninput = 0.25\n")
    command = " ".join(f'"{a}"' for a in lesson_command("--out", "lesson"))
    result = run(["bash", "-c", command + " --config <(cat my.toml)"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert float(shown(tmp_path / "lesson")["a(0)"]) == 0.25


SMALL = {"QuickIdea": "lesson_fixtures"}
TWO_SCENES = {"SlowTwoIdeas": "lesson_fixtures", "QuickIdea": "lesson_fixtures"}
CLIP_FILE = re.compile(r"\d\d_.*\.(mp4|png|srt|vtt)$")


def build_small(out: Path, lesson: dict[str, str] = SMALL, **options) -> str:
    """Build a one-scene lesson in this process; return its progress log."""
    stream = io.StringIO()
    build_lesson(out=out, tiny=True, lesson=lesson, progress_stream=stream, **options)
    return stream.getvalue()


def python_build(out: Path, lesson: dict[str, str] = SMALL) -> list[str]:
    """A command building a small lesson in its own process, as a second user would."""
    code = (f"import sys; sys.path.insert(0, {str(ROOT / 'tests')!r}); from backprop.lesson import build_lesson; "
            f"build_lesson(out={str(out)!r}, tiny=True, lesson={lesson!r})")
    return [str(BIN / "python"), "-c", code]


def test_a_folder_with_an_index_html_is_not_taken_for_a_lesson(tmp_path, monkeypatch, capsys):
    """Only the marker the lesson writes makes a lesson folder; nothing the lesson did not write
    is ever deleted, not even from a lesson folder."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("x")
    (site / "precious.txt").write_text("precious")
    monkeypatch.setattr(scenes, "LESSON", SMALL)
    assert cli.main(["lesson", "--tiny", "--voice", "none", "--out", str(site)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "is not a lesson folder" in err[0], err
    assert sorted(p.name for p in site.iterdir()) == ["index.html", "precious.txt"]

    lesson = tmp_path / "lesson"
    build_small(lesson)
    assert (lesson / MARKER).exists()
    (lesson / "my notes.txt").write_text("mine")
    assert cli.main(["lesson", "--tiny", "--voice", "none", "--out", str(lesson)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "holds files the lesson did not write (my notes.txt)" in err[0], err
    assert (lesson / "my notes.txt").read_text() == "mine"


def test_two_builds_at_once_take_turns_and_the_folder_never_disappears(tmp_path):
    """Two real processes build into one folder (one cache): the second waits, saying so; both
    succeed; the lesson folder exists at every moment."""
    out = tmp_path / "lesson"
    build_small(out)
    stop = threading.Event()
    missing = []

    def watch() -> None:
        while not stop.is_set():
            if not (out / MARKER).exists():
                missing.append(time.monotonic())

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        lesson = TWO_SCENES
        first = subprocess.Popen(python_build(out, lesson), cwd=ROOT, stderr=subprocess.PIPE, text=True)
        for line in first.stderr:
            if "rendering" in line:
                break
        second = subprocess.Popen(python_build(out, lesson), cwd=ROOT, stderr=subprocess.PIPE, text=True)
        errors = [first.stderr.read(), second.communicate(timeout=300)[1]]
        statuses = [first.wait(timeout=300), second.returncode]
    finally:
        stop.set()
        watcher.join()
    assert statuses == [0, 0], errors
    assert "waiting for another build" in errors[1] and "unchanged SlowTwoIdeas" in errors[1], errors[1]
    assert not missing, "the lesson folder disappeared during a swap"
    assert [p.name for p in tmp_path.iterdir() if p.name != CACHE_FOLDER] == ["lesson"]


def test_a_killed_build_leaves_no_worker_and_the_next_run_cleans_up(tmp_path):
    """kill -9 of the main process: its workers die with it; the next build removes its
    scratch folder and its unfinished render."""
    out = tmp_path / "lesson"
    process = subprocess.Popen(lesson_command("--out", str(out)), cwd=ROOT, stderr=subprocess.PIPE, text=True)
    for line in process.stderr:
        if "rendering NeuronChain (" in line:
            break
    time.sleep(1.0)  # the worker is importing Manim or rendering
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    workers = [pid for pid in children if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    assert workers, "no worker process"
    process.kill()
    process.wait()
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers), "a worker went on rendering"
    assert list(tmp_path.glob(".lesson.building-*"))
    result = run(lesson_command("--out", str(out)))
    assert result.returncode == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir() if p.name != CACHE_FOLDER] == ["lesson"]
    assert not list((tmp_path / CACHE_FOLDER).glob("*/.rendering-*"))


def test_a_lesson_left_between_the_two_renames_of_a_swap_is_put_back(tmp_path, monkeypatch, capsys):
    """Where the folders cannot be exchanged at once, a kill between the two renames leaves the
    previous lesson in the scratch folder: the next run puts it back, even if it then fails."""
    out = tmp_path / "lesson"
    scratch = tmp_path / ".lesson.building-killed"
    make_previous_lesson(scratch / "previous")
    monkeypatch.setattr(scenes, "LESSON", {"BrokenScene": "lesson_fixtures"})
    assert cli.main(["lesson", "--tiny", "--voice", "none", "--out", str(out)]) == 1
    assert "put back the lesson" in capsys.readouterr().err
    assert_previous_lesson_intact(out)


def test_clips_in_the_lesson_are_copies_not_the_cache(tmp_path):
    """Editing a clip in the lesson folder does not edit the cache, nor the next build's clip."""
    out = tmp_path / "lesson"
    build_small(out)
    clip = next(out.glob("01_*.mp4"))
    rendered = clip.read_bytes()
    with open(clip, "r+b") as f:
        f.write(b"tampered")
    assert "unchanged QuickIdea" in build_small(out)
    assert clip.read_bytes() == rendered


@pytest.fixture
def tmpfs(tmp_path):
    """Mount a small tmpfs (root only; the tests run as root) and unmount it after."""
    mounted = []

    def mount(name: str, size: str = "16m") -> Path:
        point = tmp_path / name
        point.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)], check=True)
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], check=False)


def read_only(point: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def assert_one_error_line(err: str, *words: str) -> None:
    errors = [line for line in err.splitlines() if line.startswith("backprop: error: ")]
    assert len(errors) == 1 and "Traceback" not in err, err
    assert all(w in errors[0] for w in words), (words, errors[0])


def test_read_only_output_is_one_line(tmpfs, tmp_path, monkeypatch, capsys):
    """--out on a read-only file system, --out under a file, the default --out from a read-only
    working directory: one line each, non-zero, the previous lesson intact."""
    disk = tmpfs("ro")
    out = disk / "lesson"
    make_previous_lesson(out)
    read_only(disk)
    monkeypatch.setattr(scenes, "LESSON", SMALL)
    assert cli.main(["lesson", "--tiny", "--voice", "none", "--out", str(out)]) == 1
    assert_one_error_line(capsys.readouterr().err, "Read-only file system", str(disk))
    assert_previous_lesson_intact(out)

    (tmp_path / "file.txt").write_text("a file")
    assert cli.main(["lesson", "--tiny", "--voice", "none", "--out", str(tmp_path / "file.txt" / "sub")]) == 2
    assert_one_error_line(capsys.readouterr().err, "file.txt is a file")

    result = run([str(BIN / "backprop"), "lesson", *NEURON_CHAIN], cwd=disk)
    assert result.returncode == 1
    assert_one_error_line(result.stderr, "Read-only file system")


def test_a_full_disk_while_joining_is_one_line_and_keeps_the_previous_lesson(tmpfs, monkeypatch, capsys):
    """Room for the clips, posters and subtitles, none for the joined video: PyAV's error is one line."""
    disk = tmpfs("full", "4m")
    out = disk / "lesson"
    monkeypatch.setattr(scenes, "LESSON", TWO_SCENES)
    assert cli.main(["lesson", "--tiny", "--voice", "none", "--out", str(out)]) == 0
    before = snapshot(out)
    pages = lambda size: -(-size // 4096) * 4096  # noqa: E731 - tmpfs allocates whole pages
    needed = sum(pages(len(data)) for name, data in before.items() if CLIP_FILE.match(name))
    free = os.statvfs(disk)
    (disk / "filler").write_bytes(b"\0" * (free.f_bavail * free.f_frsize - needed - 4096))
    shutil.rmtree(disk / CACHE_FOLDER / DERIVED / "lesson")  # the joined video is made again, not reused
    capsys.readouterr()
    assert cli.main(["lesson", "--tiny", "--voice", "none", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "joining" in err.splitlines()[-2], err  # it failed while joining
    assert_one_error_line(err, "No space left on device", "lesson.mp4")
    assert snapshot(out) == before
    assert sorted(p.name for p in disk.iterdir()) == [CACHE_FOLDER, "filler", "lesson"]
