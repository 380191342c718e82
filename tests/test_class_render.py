"""A class's lessons: locally, and on a real Dask cluster (a LocalCluster of two worker processes
on 127.0.0.1, one thread each): real clips, the shared cache, a retried worker failure, and a
failed student reported by name while the others complete."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import av
import pytest

from backprop.exercises import write_exercises
from backprop.lesson_folder import MARKER
from lessonmodel.config import load_config
from lessonmodel.values import chain_of

TESTS = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def cluster():
    import distributed  # the dev extras install it: a missing Dask fails the tests, never skips them

    with pytest.MonkeyPatch.context() as mp:
        # The render processes on the workers import the test scenes from here.
        mp.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(TESTS), os.environ.get("PYTHONPATH")])))
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                      dashboard_address=":0") as local:
            yield local


def clip_frames(path: Path) -> int:
    with av.open(str(path)) as container:
        return sum(1 for _ in container.decode(video=0))


def test_a_class_renders_real_clips_on_a_dask_cluster(cluster, tmp_path):
    out, log = tmp_path / "class", io.StringIO()
    report = write_exercises(out, 2, seed=5, videos=True, tiny=True, only=["CostOfOneExample"],
                             scheduler=cluster.scheduler_address, progress_stream=log)
    assert report.failed == {}, log.getvalue()
    workers = set(re.findall(r"rendered on (tcp://127\.0\.0\.1:\d+)", log.getvalue()))
    assert workers and workers <= set(cluster.scheduler_info["workers"]), log.getvalue()
    clips = {}
    for student in ("01", "02"):
        lesson = out / student / "lesson"
        values = json.loads((lesson / "values.json").read_text())
        cfg = load_config(out / student / "config.toml")
        assert values["config"]["text"] == (out / student / "config.toml").read_text()
        shown = {v["name"]: v["value"] for v in values["scenes"]["CostOfOneExample"]["values"]}
        assert shown["a(3)"] == pytest.approx(chain_of(cfg.chain).a(3))  # the student's own numbers
        clips[student] = sorted(lesson.glob("*_CostOfOneExample_*.mp4"))
        assert clips[student] and all(clip_frames(c) > 0 for c in clips[student])
        assert (lesson / "index.html").is_file() and (out / student / "worksheet.pdf").is_file()
        assert "index.html" in json.loads((lesson / MARKER).read_text())["files"]  # a marked lesson folder
    assert clips["01"][0].read_bytes() != clips["02"][0].read_bytes()  # each student's own numbers

    again = io.StringIO()  # the same class again: every render comes from the shared cache
    report = write_exercises(out, 2, seed=5, videos=True, tiny=True, only=["CostOfOneExample"],
                             scheduler=cluster.scheduler_address, progress_stream=again)
    assert report.failed == {} and "0 scene render(s)" in again.getvalue(), again.getvalue()


def test_a_worker_failure_is_retried_and_a_failed_student_does_not_stop_the_class(cluster, tmp_path):
    out, log = tmp_path / "class", io.StringIO()
    lesson = {"CrashOnceFor01": "practice_fixtures", "FailsFor02": "practice_fixtures"}
    report = write_exercises(out, 2, seed=2, videos=True, tiny=True, lesson=lesson,
                             scheduler=cluster.scheduler_address, progress_stream=log)
    text = log.getvalue()
    assert set(report.failed) == {"02"} and "FailsFor02" in report.failed["02"], text
    assert "on purpose" in report.failed["02"]
    assert re.search(r"student 01 CrashOnceFor01: .*died.*; trying again", text), text
    assert "student 02 FAILED" in text
    clips = sorted((out / "01" / "lesson").glob("[0-9]*.mp4"))  # the other completes, with every scene
    assert {c.name.split("_")[1] for c in clips} == {"CrashOnceFor01", "FailsFor02"}
    assert all(clip_frames(c) > 0 for c in clips)
    assert not (out / "02").exists()  # written whole or not at all
    assert (out / "answers.pdf").is_file()
    assert not list(out.glob(".exercises.building-*"))


def test_a_class_renders_locally_and_shares_its_cache(tmp_path):
    out, log = tmp_path / "class", io.StringIO()
    lesson = {"QuickIdea": "lesson_fixtures"}
    report = write_exercises(out, 2, seed=9, videos=True, tiny=True, jobs=1, lesson=lesson, progress_stream=log)
    assert report.failed == {}, log.getvalue()
    for student in ("01", "02"):
        assert clip_frames(next((out / student / "lesson").glob("*_QuickIdea_*.mp4"))) > 0
        assert (out / student / "lesson" / MARKER).is_file()
    assert len(list((out / ".lesson-cache" / "QuickIdea").iterdir())) == 2  # one render per student
    again = io.StringIO()
    write_exercises(out, 2, seed=9, videos=True, tiny=True, jobs=1, lesson=lesson, progress_stream=again)
    assert "unchanged QuickIdea" in again.getvalue() and "rendering QuickIdea" not in again.getvalue()
