"""``backprop lesson``: the whole lesson folder, its page in a real browser, failures, Ctrl-C.

The lesson renders once for the module, tiny (``--tiny``: 192x108 at 5 frames/s), with a config
whose comment holds HTML, to check that the page escapes text from the config.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import signal
import subprocess
import time
from html import unescape
from pathlib import Path

import av
import numpy as np
import pytest
from arithmetic import values_json_problems
from browser import Chromium
from conftest import BIN, ROOT, config_file, run, video_packets
from expected import chain_value, factor_value
from PIL import Image
from test_config import BAD_CONFIGS

import scenes
from backprop import cli
from backprop.lesson import CACHE_FOLDER, Progress, build_lesson
from backprop.lesson_folder import MARKER
from backprop.media import duration_of, read_srt
from lessonmodel.checkpoints import checkpoints_of
from lessonmodel.config import load_config
from lessonmodel.fmt import typst_number
from lessonmodel.names import C0, derivative, weight
from lessonmodel.record import IdeaRecord, Summary

HOSTILE_CONFIG = config_file("hostile").read_text()  # its comment holds HTML
CLIP_NAME = re.compile(r"(\d\d)_(\w+?)_(\w+)\.(mp4|webm|mov|gif)$")


def clip_files(folder: Path, ext: str = "mp4") -> list[Path]:
    return sorted(p for p in folder.iterdir() if CLIP_NAME.match(p.name) and p.suffix == f".{ext}")


@pytest.fixture(scope="module")
def lesson(tmp_path_factory):
    """The whole lesson rendered tiny by the CLI, as a user runs it (stderr is not a TTY)."""
    base = tmp_path_factory.mktemp("lesson")
    config = base / "teacher <b>.toml"
    config.write_text(HOSTILE_CONFIG)
    out = base / "out" / "lesson"
    result = run([str(BIN / "backprop"), "lesson", "--tiny", "--voice", "none", "--config", str(config),
                  "--out", str(out)])
    assert result.returncode == 0, result.stderr[-3000:]
    return {"out": out, "config": config, "stderr": result.stderr}


def test_lesson_folder_has_every_scene_in_story_order(lesson):
    out = lesson["out"]
    clips = clip_files(out)
    assert clips, "no clips"
    numbers = [int(CLIP_NAME.match(c.name).group(1)) for c in clips]
    assert numbers == list(range(1, len(clips) + 1))
    scene_order = [CLIP_NAME.match(c.name).group(2) for c in clips]
    assert list(dict.fromkeys(scene_order)) == list(scenes.LESSON)  # every scene, in story order
    for clip in clips:
        for ext in (".png", ".srt", ".vtt"):
            assert clip.with_suffix(ext).stat().st_size > 0, clip.with_suffix(ext).name
        assert read_srt(clip.with_suffix(".srt")), f"{clip.name} has no subtitles"  # every idea is narrated
        assert Image.open(clip.with_suffix(".png")).size == (192, 108)
    assert (out / "index.html").exists() and (out / "values.json").exists()
    assert not list(out.parent.glob(".lesson.*")), "the temporary build folder was left behind"


def test_joined_lesson_and_its_subtitles_line_up_with_the_clips(lesson):
    out = lesson["out"]
    clips = clip_files(out)
    durations = [duration_of(c) for c in clips]
    assert duration_of(out / "lesson.mp4") == pytest.approx(sum(durations), abs=1e-3)
    joined = [packet for clip in clips for packet in video_packets(clip)]
    assert video_packets(out / "lesson.mp4") == joined, "the clips were re-encoded"
    whole = read_srt(out / "lesson.srt")
    start = 0.0
    expected = []
    for clip, duration in zip(clips, durations):
        expected += [(c.start + start, c.end + start, c.text) for c in read_srt(clip.with_suffix(".srt"))]
        start += duration
    assert len(whole) == len(expected)
    for cue, (s, e, text) in zip(whole, expected):
        assert cue.text == text and abs(cue.start - s) < 2e-3 and abs(cue.end - e) < 2e-3
    vtt = (out / "lesson.vtt").read_text()
    assert vtt.startswith("WEBVTT") and vtt.count(" --> ") == len(whole)


def test_progress_names_each_scene(lesson):
    for name in scenes.LESSON:
        assert re.search(rf"^\[ *\d+:\d\d\] rendering {name} \(", lesson["stderr"], re.M), lesson["stderr"]
        assert re.search(rf"^\[ *\d+:\d\d\] done +{name}: \d+ clip", lesson["stderr"], re.M)
    assert "\r" not in lesson["stderr"]  # plain lines when stderr is not a terminal


def test_values_json_has_every_value_shown_and_the_config(lesson):
    values = json.loads((lesson["out"] / "values.json").read_text())
    assert values["config"]["file"] == lesson["config"].name  # its name, not where the teacher keeps it
    assert values["config"]["text"] == HOSTILE_CONFIG
    assert values["config"]["validated"]["chain"]["activation"] == "tanh"
    assert list(values["scenes"]) == list(scenes.LESSON)
    cfg = load_config(lesson["config"])
    chain = {v["name"]: v for v in values["scenes"]["NeuronChain"]["values"]}
    assert chain["C0"]["value"] == pytest.approx(chain_value(C0, cfg))
    assert re.fullmatch(r"-0\.70+", chain["w(2)"]["text"].replace("−", "-"))  # with the digits the lesson needs
    assert chain["w(2)"]["label"] == "w(L-1)"  # as the screen names it
    for scene in values["scenes"].values():
        assert scene["values"] and scene["clips"]
        assert [i["clip"] for i in scene["ideas"]] == scene["clips"] and all(i["formula"] for i in scene["ideas"])
        for clip in scene["clips"]:
            assert (lesson["out"] / clip).exists()


def test_printed_arithmetic_in_values_json_checks_out_by_hand(lesson):
    """Every product, sum and square each idea printed (values.json's ``printed``, in data form)
    gives its printed result from its printed numbers."""
    values = json.loads((lesson["out"] / "values.json").read_text())
    problems, checked = values_json_problems(values)
    assert problems == []
    assert checked >= 30, checked  # this lesson prints 33: a reader that found none would pass anything
    for scene in values["scenes"].values():  # an idea's summary is printed, by it or an idea before it
        printed = set()
        for idea in scene["ideas"]:
            printed |= {formula["words"] for formula in idea["printed"]}
            assert idea["formula"] is None or idea["formula"] in printed, idea["title"]


def test_values_list_names_and_numbers_as_on_screen(lesson):
    page = (lesson["out"] / "index.html").read_text()
    listed = set(re.findall(r"<dt>(.*?)</dt>", page))
    assert {"w(L)", "a(L-1)", "∂C0/∂w(L)"} <= listed, sorted(listed)[:20]
    assert not {"w(3)", "a(2)", "dC0/dw(3)"} & listed  # the keys of lessonmodel.values, not the screen's names
    assert "times 10^" not in page  # Typst's spelling of a tiny number, not the screen's


def test_examples_are_numbered_from_0_on_every_surface(lesson):
    """The worked example ([chain]'s input and target) is example 0 of the training set: in
    values.json (names and screen labels), on the page, in the subtitles and in the handout."""
    cfg = load_config(lesson["config"])
    values = json.loads((lesson["out"] / "values.json").read_text())
    shown = {v["name"]: v for v in values["scenes"]["AverageOverExamples"]["values"]}
    n = 1 + len(cfg.examples.inputs if cfg.examples.inputs is not None else range(cfg.examples.count))
    assert {f"x_{k}" for k in range(n)} <= set(shown) and f"x_{n}" not in shown
    assert shown["x_0"]["value"] == cfg.chain.input and shown["y_0"]["value"] == cfg.chain.target
    assert shown["x_0"]["label"] == "x_0" and shown["dC0/dw(3)"]["label"] == "∂C0/∂w(L)"
    assert shown["dC0/dw(3)"]["value"] == pytest.approx(factor_value(derivative(C0, weight(3)), cfg))
    page = (lesson["out"] / "index.html").read_text()
    assert "<dt>x_0</dt>" in page and f"<dt>x_{n - 1}</dt>" in page and f"<dt>x_{n}</dt>" not in page
    srt = next(lesson["out"].glob("*_AverageOverExamples_training_examples.srt")).read_text()
    assert "example 0" in srt
    text = re.sub(r"\s+", " ", pdf_text(lesson["out"] / "handout.pdf"))
    assert "example 0" in text


def test_page_escapes_text_from_the_config(lesson):
    page = (lesson["out"] / "index.html").read_text()
    assert page.count("<script") == 1 and "<script>// Presenter mode" in page  # ours, and only ours
    assert "<b>" not in page and 'alert("boo")' not in page
    assert "&lt;/pre&gt;&lt;script&gt;alert(&quot;boo&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "teacher &lt;b&gt;.toml" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "the page refers to another host"


PAGE_REPORT = """(async () => {
  const wait = (el, ok, events) => new Promise(done => {
    if (ok()) return done();
    for (const e of events) el.addEventListener(e, done, {once: true});
    setTimeout(done, 20000);
  });
  const out = [];
  for (const video of document.querySelectorAll('video')) {
    await wait(video, () => video.readyState >= 1, ['loadedmetadata', 'error']);
    const tracks = [];
    for (const el of video.querySelectorAll('track')) {
      el.track.mode = 'hidden';
      await wait(el, () => el.readyState >= 2, ['load', 'error']);
      tracks.push({ready: el.readyState, cues: el.track.cues ? el.track.cues.length : 0});
    }
    out.push({src: video.getAttribute('src'), duration: video.duration,
              error: video.error ? video.error.code : null, tracks});
  }
  return {videos: out, title: document.title, toc: document.querySelectorAll('nav li a').length,
          formulas: [...document.querySelectorAll('.formula img')].map(i => i.naturalWidth)};
})()"""


def check_page_in_browser(folder: Path, clips: list[Path]) -> dict:
    """Open the folder's index.html in headless Chromium; every video and track must load."""
    with Chromium() as browser:
        browser.open((folder / "index.html").as_uri())
        report = browser.evaluate(PAGE_REPORT, timeout=120)
        errors = browser.errors()
        urls = browser.requested_urls()
    assert errors == [], errors
    assert all(u.startswith(("data:", folder.as_uri() + "/")) for u in urls), [u[:80] for u in urls]
    videos = {v["src"]: v for v in report["videos"]}
    lesson_video = next(p for p in folder.iterdir() if p.stem == "lesson" and p.suffix in (".mp4", ".webm"))
    assert set(videos) == {c.name for c in clips} | {lesson_video.name}
    for src, video in videos.items():
        assert video["error"] is None, f"{src}: media error {video['error']}"
        assert video["duration"] == pytest.approx(duration_of(folder / src), abs=0.25), src
        srt = folder / ("lesson.srt" if src == lesson_video.name else Path(src).with_suffix(".srt").name)
        narrated = len(read_srt(srt))
        assert len(video["tracks"]) == (1 if narrated else 0), f"{src}: {video['tracks']}"
        for track in video["tracks"]:  # every captions track loads, with the clip's cues
            assert track["ready"] == 2 and track["cues"] == narrated > 0, f"{src}: {track}"
    assert report["toc"] == len(clips)
    assert report["formulas"] and all(w > 0 for w in report["formulas"])
    return report


def test_page_works_offline_in_a_browser(lesson):
    check_page_in_browser(lesson["out"], clip_files(lesson["out"]))


def first_scene() -> str:
    return next(iter(scenes.LESSON))


SMALL_LESSON = {"SlowTwoIdeas": "lesson_fixtures", "QuickIdea": "lesson_fixtures"}


def test_webm_with_transparent_background(tmp_path, monkeypatch, capsys):
    out = tmp_path / "lesson"
    monkeypatch.setattr(scenes, "LESSON", SMALL_LESSON)
    status = cli.main(["lesson", "--tiny", "--voice", "none", "--transparent", "--out", str(out)])
    assert status == 0, capsys.readouterr().err
    clips = clip_files(out, "webm")
    assert clips and (out / "lesson.webm").exists() and not clip_files(out, "mp4")
    poster = np.asarray(Image.open(clips[0].with_suffix(".png")))
    assert poster.shape[2] == 4 and poster[..., 3].min() == 0 and poster[..., 3].max() > 128
    for video in (clips[0], out / "lesson.webm"):  # the joined video keeps WebM's alpha flag too
        with av.open(str(video)) as container:
            assert container.streams.video[0].metadata.get("alpha_mode") == "1", video.name
    check_page_in_browser(out, clips)


def test_gif_output(tmp_path, monkeypatch, capsys):
    out = tmp_path / "lesson"
    monkeypatch.setattr(scenes, "LESSON", SMALL_LESSON)
    status = cli.main(["lesson", "--tiny", "--voice", "none", "--format", "gif", "--out", str(out)])
    assert status == 0, capsys.readouterr().err
    gifs = clip_files(out, "gif")
    assert gifs and (out / "lesson.gif").exists() and not clip_files(out, "mp4")
    assert Image.open(out / "lesson.gif").n_frames == sum(Image.open(g).n_frames for g in gifs)
    page = (out / "index.html").read_text()
    assert all(f'src="{g.name}"' in page for g in gifs)


def make_previous_lesson(out: Path) -> None:
    """A lesson folder: its page, and the marker listing what the lesson wrote."""
    out.mkdir(parents=True)
    (out / "index.html").write_text("the previous lesson")
    (out / MARKER).write_text(json.dumps({"files": ["index.html"]}))


def assert_previous_lesson_intact(out: Path) -> None:
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "index.html"]
    assert (out / "index.html").read_text() == "the previous lesson"
    beside = [p.name for p in out.parent.iterdir() if p.name != CACHE_FOLDER]
    assert beside == [out.name], "temporary files were left beside the lesson"
    assert not list((out.parent / CACHE_FOLDER).glob("*/.rendering-*")), "an unfinished render was kept"


def test_failing_scene_stops_the_run_and_keeps_the_previous_lesson(tmp_path, monkeypatch, capsys):
    out = tmp_path / "lesson"
    make_previous_lesson(out)
    monkeypatch.setattr(scenes, "LESSON", {"BrokenScene": "lesson_fixtures"})
    status = cli.main(["lesson", "--tiny", "--voice", "none", "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 1
    assert "backprop: error: scene BrokenScene failed: RuntimeError: the broken scene broke on purpose" in err
    assert "Traceback" in err  # where it failed, for whoever fixes the scene
    assert_previous_lesson_intact(out)


@pytest.mark.parametrize("content, message", BAD_CONFIGS[:1])
def test_bad_config_renders_nothing(content, message, tmp_path, write_config):
    out = tmp_path / "out" / "lesson"
    result = run([str(BIN / "backprop"), "lesson", "--config", str(write_config(content)), "--out", str(out)])
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("backprop: error: ") and message in lines[0]
    assert not (tmp_path / "out").exists()


def test_unknown_scene_and_foreign_folder_are_refused(tmp_path):
    result = run([str(BIN / "backprop"), "lesson", "--only", "NoSuchScene", "--out", str(tmp_path / "x")])
    assert result.returncode == 2 and "unknown scene(s) NoSuchScene" in result.stderr
    assert first_scene() in result.stderr
    (tmp_path / "notes.txt").write_text("mine")
    result = run([str(BIN / "backprop"), "lesson", "--out", str(tmp_path)])
    assert result.returncode == 2 and "is not a lesson folder" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["ctrl-c", "term", "hup"])
def test_interrupted_run_leaves_the_previous_lesson(signum, tmp_path):
    out = tmp_path / "lesson"
    make_previous_lesson(out)
    process = subprocess.Popen(
        [str(BIN / "backprop"), "lesson", "--tiny", "--voice", "none", "--only", first_scene(), "--out", str(out)],
        cwd=ROOT, stderr=subprocess.PIPE, text=True,
    )
    try:
        seen = []
        for line in process.stderr:  # wait until a scene is rendering
            seen.append(line)
            if f"rendering {first_scene()} (" in line:
                break
        assert any("rendering" in line for line in seen), seen
        assert any(p.name.startswith(".lesson.building-") for p in tmp_path.iterdir())
        deadline = time.monotonic() + 60
        cache = tmp_path / CACHE_FOLDER
        while not any(".rendering-" in str(p) for p in cache.rglob("*.svg")):  # typesetting: mid-render
            assert time.monotonic() < deadline and process.poll() is None, "the render never started"
            time.sleep(0.1)
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        # the render workers (multiprocessing also starts a resource tracker, which exits by itself)
        workers = [pid for pid in children if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        assert workers, "no worker process"
        process.send_signal(signum)
        rest = process.stderr.read()
        status = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert status == 130, rest
    for pid in workers:  # the workers were stopped too (gone, or at most a zombie being reaped)
        stat = Path(f"/proc/{pid}/stat")
        assert not stat.exists() or stat.read_text().split(") ")[1].startswith("Z"), f"worker {pid} still runs"
    assert "interrupted" in rest and "Traceback" not in rest
    assert_previous_lesson_intact(out)


def test_backprop_values_stays_light():
    code = "import sys, backprop.cli; sys.exit(sorted({'manim', 'av', 'backprop.lesson'} & set(sys.modules)) != [])"
    assert run([str(BIN / "python"), "-c", code]).returncode == 0, "backprop.cli imports manim, av or the lesson"


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_redraws_one_status_line_on_a_terminal():
    stream = FakeTerminal()
    progress = Progress(["A", "B", "C"], stream)
    progress.start("A")
    progress.start("B")
    progress.finish("A", 2)
    progress.tick()
    progress.close()
    text = stream.getvalue()
    assert "rendering A (1/3)\n" in text and "done      A: 2 clip(s)" in text
    assert "1/3 scenes done · rendering B 0s" in text  # the status line: what renders, what is done
    assert text.endswith("\r\x1b[2K")  # the status line is cleared at the end


def test_scenes_render_in_parallel_and_keep_story_order(tmp_path):
    out = tmp_path / "lesson"
    stream = io.StringIO()
    build_lesson(out=out, jobs=2, tiny=True, lesson=SMALL_LESSON, progress_stream=stream)
    log = stream.getvalue()
    # both were rendering at once (whichever finishes first, the clips keep story order)
    assert log.index("rendering QuickIdea") < log.index("done      SlowTwoIdeas")
    assert log.index("rendering SlowTwoIdeas") < log.index("done      QuickIdea")
    assert [c.name for c in clip_files(out)] == [
        "01_SlowTwoIdeas_autocreated.mp4", "02_SlowTwoIdeas_first.mp4", "03_SlowTwoIdeas_second.mp4",
        "04_QuickIdea_first.mp4",
    ]
    # a cue naming the value its animation brings on screen starts as that animation ends (shown,
    # then said): "The cost is 0.116." after the 3 s fade, "The target is 1.00." after the 1.2 s one
    assert [duration_of(c) for c in clip_files(out)] == pytest.approx([1.0, 4.6, 2.4, 3.0], abs=0.21)
    assert read_srt(out / "01_SlowTwoIdeas_autocreated.srt") == []
    cues = read_srt(out / "lesson.srt")
    assert [(round(c.start, 1), round(c.end, 1), c.text) for c in cues] == [
        (4.0, 5.6, "The cost is 0.116."), (5.6, 7.6, "Then the weight."), (9.2, 11.0, "The target is 1.00."),
    ]
    values = json.loads((out / "values.json").read_text())
    assert values["scenes"]["SlowTwoIdeas"]["values"] == [
        {"name": "C0", "label": "C0", "text": "0.116", "value": 0.116},
        {"name": "w(3)", "label": "w(3)", "text": "0.91", "value": 0.91},  # no depth L in this scene
    ]
    page = (out / "index.html").read_text()
    assert page.index("04_QuickIdea_first.mp4") > page.index("03_SlowTwoIdeas_second.mp4")
    assert 'alt="C0 = 0.116"' in page  # the formula the step declared, beside its clip, in words
    assert 'alt="w(3) = 0.91"' in page  # declared, though not shown as such; no depth L in this scene
    # each idea lists the values it showed, its narration's included, and no others
    sections = re.finditer(r'<section class="clip" id="clip-(\d\d)"[^>]*>(.*?)</section>', page, re.S)
    clips = {m.group(1): m.group(2) for m in sections}
    listed = {n: re.findall(r"<dt>(.*?)</dt>", html) for n, html in clips.items()}
    assert listed == {"01": [], "02": ["C0"], "03": ["w(3)"], "04": ["y"]}  # these scenes have no depth L
    check_page_in_browser(out, clip_files(out))


def test_unchanged_scenes_are_reused_and_changed_ones_render_again(tmp_path, write_config):
    out = tmp_path / "lesson"
    lesson = {"NeuronChain": "scenes.neuron_chain"}

    def build(config_text: str) -> str:
        stream = io.StringIO()
        build_lesson(write_config(config_text), out=out, tiny=True, lesson=lesson, progress_stream=stream)
        return stream.getvalue()

    first = build("[chain]\ninput = 0.5\n")
    assert "rendering NeuronChain" in first
    video = (out / "lesson.mp4").read_bytes()
    again = build("[chain]\ninput = 0.5\n")
    assert "unchanged NeuronChain" in again and "rendering NeuronChain" not in again
    assert (out / "lesson.mp4").read_bytes() == video
    other_section = build("[chain]\ninput = 0.5\n[network]\nseed = 11\n")  # NeuronChain reads only [chain]
    assert "unchanged NeuronChain" in other_section
    changed = build("[chain]\ninput = 0.25\n")
    assert "rendering NeuronChain" in changed
    shown = json.loads((out / "values.json").read_text())["scenes"]["NeuronChain"]["values"]
    assert float({v["name"]: v["text"] for v in shown}["a(0)"]) == 0.25
    entries = [e for e in (tmp_path / CACHE_FOLDER / "NeuronChain").iterdir()]
    assert 1 < len(entries) <= 3 and not any(e.name.startswith(".") for e in entries)


# --- the classroom: no private paths, the handout, presenter mode, phone width ----------------


def test_no_absolute_path_anywhere_in_the_folder(lesson):
    base = str(lesson["out"].parent.parent)  # the teacher's folders, where config and lesson live
    for path in lesson["out"].iterdir():
        data = path.read_bytes()
        assert base.encode() not in data, f"{path.name} holds the path {base}"
        if path.suffix in (".html", ".json", ".srt", ".vtt"):
            assert not re.search(r"(?<![\w.])/(tmp|home|root|work|Users)/", data.decode()), path.name
    handout = subprocess.run(["pdftotext", str(lesson["out"] / "handout.pdf"), "-"], capture_output=True, text=True)
    assert base not in handout.stdout


def pdf_text(pdf: Path, *pages: int) -> str:
    """The PDF's text (poppler's pdftotext), minus signs as ASCII."""
    first_last = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    result = subprocess.run(["pdftotext", "-layout", *first_last, str(pdf), "-"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.replace("−", "-")


def test_handout_has_the_config_and_every_idea_with_its_values(lesson, tmp_path):
    from backprop.assemble import Clip
    from backprop.handout import write_handout

    pdf = lesson["out"] / "handout.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    first_page = pdf_text(pdf, 1)
    assert "teacher <b>.toml" in first_page
    assert "1.5, -0.7, 2.2" in first_page and "0.1, 0.9, -0.4" in first_page and "tanh" in first_page
    text = re.sub(r"\s+", " ", pdf_text(pdf))
    page = (lesson["out"] / "index.html").read_text()
    sections = re.findall(r'<section class="clip" id="clip-(\d\d)" data-title="([^"]*)"[^>]*>(.*?)</section>', page,
                          re.S)
    assert len(sections) == len(clip_files(lesson["out"]))
    for number, title, html in sections:
        assert f"{int(number)}. {unescape(title)}" in text, title
        words = unescape(re.search(r'<div class="formula"><img [^>]*alt="([^"]*)"', html).group(1))
        for value in re.findall(r"-?\d+\.\d+", words):  # the formula's values, typeset in the PDF
            assert value in text, f"idea {number}: {value} of {words!r} is not in the handout"
    cfg = load_config(lesson["config"])
    assert typst_number(chain_value(C0, cfg), 3) in text
    # the same lesson typesets the same bytes (no date, no randomness)
    values = json.loads((lesson["out"] / "values.json").read_text())
    idea = IdeaRecord("x", narration="Hello.", formula=Summary("C_0 = 0.116", "C0 = 0.116"))
    clip = Clip(1, "NeuronChain", idea, "01_NeuronChain_the_chain", "01_NeuronChain_the_chain.mp4",
                "01_NeuronChain_the_chain.png")
    for name in ("a.pdf", "b.pdf"):
        shutil.copy(lesson["out"] / clip.poster, tmp_path / clip.poster)
        write_handout(tmp_path / name, [clip], values, tmp_path / f"work-{name}")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


PRESENTER_STATE = """(() => {
  const shown = [...document.querySelectorAll('section.clip')].filter(s => getComputedStyle(s).display !== 'none');
  const current = document.querySelector('section.clip.current');
  const video = current && current.querySelector('video');
  return {presenting: document.body.classList.contains('presenting'), hash: location.hash,
          shown: shown.map(s => s.id), current: current ? current.id : null,
          paused: video ? video.paused : null, time: video ? video.currentTime : null,
          count: document.getElementById('presenter-count').textContent};
})()"""

HOLDS_ON_LAST_FRAME = """(async () => {
  const video = document.querySelector('section.clip.current video');
  document.addEventListener('backprop:checkpoint', (e) => {  // the clip's questions: skipped as they come
    if (e.detail.dataset.state === 'open') e.detail.querySelector('[data-step=skip]').click(); });
  const asking = document.querySelector('section.clip.current .checkpoint.open');
  if (asking) asking.querySelector('[data-step=skip]').click();
  video.playbackRate = 4;
  if (!video.ended) await new Promise(done => { video.addEventListener('ended', done, {once: true});
                                                setTimeout(done, 60000); });
  await new Promise(done => setTimeout(done, 700));  // it must not start again nor move on
  return {ended: video.ended, paused: video.paused, time: video.currentTime, duration: video.duration,
          loop: video.loop, current: document.querySelector('section.clip.current').id};
})()"""

CLOCKS = """(async () => {
  const out = [];
  for (const s of document.querySelectorAll('section.clip')) {
    const v = s.querySelector('video');
    if (v.readyState < 1) await new Promise(done => { v.addEventListener('loadedmetadata', done, {once: true});
                                                      setTimeout(done, 20000); });
    out.push({listed: s.querySelector('p.small').textContent.trim().split(' ')[0], duration: v.duration});
  }
  return out;
})()"""

SPEAKER = """(() => ({
  visible: !document.getElementById('speaker-view').hidden,
  classHidden: [...document.body.children].filter(e => e.id !== 'speaker-view' && e.tagName !== 'SCRIPT')
                 .every(e => getComputedStyle(e).display === 'none'),
  now: document.getElementById('speaker-now').textContent,
  next: document.getElementById('speaker-next').textContent,
  narration: document.getElementById('speaker-narration').textContent,
  formula: document.getElementById('speaker-formula').textContent,
  values: [...document.querySelectorAll('#speaker-values dt')].map(d => d.textContent),
}))()"""

OVERFLOW = """(() => ({width: innerWidth, scroll: document.documentElement.scrollWidth,
  wide: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)
          .slice(0, 5).map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 40))}))()"""


def test_presenter_mode_in_a_browser(lesson):
    out = lesson["out"]
    n = len(clip_files(out))
    page = (out / "index.html").as_uri()
    with Chromium() as browser:
        browser.open(page)
        state = lambda: browser.evaluate(PRESENTER_STATE)  # noqa: E731
        assert not state()["presenting"]
        browser.press("p")
        first = state()
        assert first["presenting"] and first["hash"] == "#idea-1" and first["shown"] == ["clip-01"], first
        assert first["count"] == f"1 / {n}"
        # what a keyboard or a clicker sends: next, previous, first, last; never past either end
        steps = [("ArrowRight", 2), (" ", 3), ("PageDown", 4), ("ArrowLeft", 3), ("PageUp", 2), ("End", n),
                 ("ArrowRight", n), ("Home", 1), ("ArrowLeft", 1), ("ArrowRight", 2), ("ArrowRight", 3)]
        for key, expected in steps:
            browser.press(key)
            now = state()
            assert now["current"] == f"clip-{expected:02}" and now["hash"] == f"#idea-{expected}", (key, now)
            assert now["shown"] == [now["current"]], f"{key}: more than one idea on screen: {now['shown']}"
        assert now["paused"] is False, "the clip does not play when its idea comes up"
        assert browser.errors() == []
        browser.reload()  # a reload (or a link to #idea-3) opens that idea
        again = state()
        assert again["presenting"] and again["current"] == "clip-03" and again["hash"] == "#idea-3", again
        held = browser.evaluate(HOLDS_ON_LAST_FRAME, timeout=90)
        assert held["ended"] and held["paused"] and not held["loop"], held
        assert held["time"] == pytest.approx(held["duration"], abs=0.05), held  # on its last frame
        assert held["current"] == "clip-03", "the presenter moved on by itself"
        browser.press("Escape")
        left = state()
        assert not left["presenting"] and left["hash"] == "" and len(left["shown"]) == n, left
        assert browser.errors() == []

        clocks = browser.evaluate(CLOCKS, timeout=120)  # lengths as the players show them
        for clock in clocks:
            seconds = int(clock["duration"] + 1e-6)
            assert clock["listed"] == f"{seconds // 60}:{seconds % 60:02}", clock

        browser.media_features(prefers_reduced_motion="reduce")  # no autoplay
        browser.open("about:blank")
        browser.open(page + "#idea-2")
        calm = state()
        assert calm["current"] == "clip-02" and calm["paused"] is True and calm["time"] == 0, calm
        browser.media_features(prefers_reduced_motion="no-preference")

        browser.open("about:blank")  # the speaker view: the window the class doesn't see
        browser.open(page + "#speaker-2")
        speaker = browser.evaluate(SPEAKER)
        section = browser.evaluate("""(() => { const s = document.querySelectorAll('section.clip');
          return {title: s[1].dataset.title, next: s[2].dataset.title,
                  narration: s[1].querySelector('.narration').textContent,
                  formula: s[1].querySelector('.formula img').alt,
                  values: [...s[1].querySelectorAll('dl.values dt')].map(d => d.textContent)}; })()""")
        assert speaker["visible"] and speaker["classHidden"], speaker
        assert speaker["now"] == f"2. {section['title']}" and speaker["next"] == f"3. {section['next']}"
        assert speaker["narration"] == section["narration"] and speaker["formula"] == section["formula"]
        assert speaker["values"] == section["values"] and speaker["values"]
        assert browser.errors() == []

        browser.open("about:blank")  # the speaker view in its own window, in step with the presenter
        browser.open(page + "#idea-3")
        browser.press("s")
        other = browser.attach_page("#speaker")

        def in_step(n: int) -> bool:
            """The speaker view shows idea n within a few seconds (it may still be loading)."""
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    now = browser.evaluate("document.getElementById('speaker-now')?.textContent ?? ''", session=other)
                except RuntimeError:  # the window is between documents
                    now = ""
                if now.startswith(f"{n}. "):
                    return True
                time.sleep(0.1)
            return False

        assert in_step(3), "the speaker view does not show the idea presented"
        browser.press("ArrowRight")
        assert in_step(4), "the speaker view did not follow to the next idea"
        browser.evaluate("document.querySelector('#speaker-view button[data-command=next]').click()", session=other)
        assert in_step(5), "the speaker view's Next button did not move the presenter"
        assert state()["current"] == "clip-05"
        assert browser.errors() == []


# --- the learner acts: the lesson's own checkpoints ----------------------------------------------

CHECKPOINT = re.compile(r'<div class="checkpoint" data-checkpoint="([^"]+)" data-kind="(\w+)" data-at="([\d.]+)"')


def placed_checkpoints(out: Path) -> dict[str, tuple[str, float]]:
    """Each checkpoint of the page: the clip it pauses and where."""
    page = (out / "index.html").read_text()
    found = {}
    for section in re.finditer(r'<section class="clip" id="clip-\d\d"[^>]*>(.*?)</section>', page, re.S):
        video = re.search(r'<video [^>]*src="([^"]+)"', section.group(1)).group(1)
        for ident, _, at in CHECKPOINT.findall(section.group(1)):
            found[ident] = (video, float(at))
    return found


def test_the_lesson_asks_before_each_reveal(lesson):
    """Every checkpoint of the config is on the page, in a clip of its own scene, and pauses before
    its clip's captions say its answer (or, for a choice, a value that gives it away); the numbers
    its question states are numbers the lesson showed up to its scene."""
    out = lesson["out"]
    cfg = load_config(lesson["config"])
    placed = placed_checkpoints(out)
    expected = {c.id: c for c in checkpoints_of(cfg)}
    assert len(placed) >= 8 and set(placed) == set(expected), (sorted(placed), sorted(expected))
    values = json.loads((out / "values.json").read_text())["scenes"]
    story = list(scenes.LESSON)
    for ident, (video, at) in placed.items():
        c = expected[ident]
        assert CLIP_NAME.match(video).group(2) == c.scene, (ident, video)
        texts = {v["name"]: v["text"].replace("−", "-") for s in values.values() for v in s["values"]}
        giveaways = {c.answer_text} if c.kind == "number" else {texts[str(n)] for n in c.reveals if str(n) in texts}
        for cue in read_srt(out / Path(video).with_suffix(".srt").name):
            if any(g in cue.text.replace("−", "-") for g in giveaways if len(g) >= 4):
                assert cue.start >= at, f"{ident}: {cue.text!r} at {cue.start} s, before the pause at {at} s"
        shown_so_far = {v["text"].replace("−", "-") for name in story[:story.index(c.scene) + 1]
                        for v in values[name]["values"]}
        for number in re.findall(r"-?\d+\.\d+(?:e[-+]\d+)?", c.question):
            assert number in shown_so_far, f"{ident}: its question states {number}, which the lesson never showed"


PAUSED_AT_QUESTION = """(async (cid) => {
  const point = document.querySelector(`[data-checkpoint="${cid}"]`);
  const video = point.closest('section').querySelector('video');
  const track = video.textTracks[0];
  track.mode = 'hidden';
  video.playbackRate = 2;
  await video.play();
  const until = Date.now() + 60000;
  while (point.dataset.state !== 'open' && Date.now() < until) await new Promise(d => setTimeout(d, 50));
  const said = [...(track.activeCues || [])].map(c => c.text).join(' ');
  const state = {state: point.dataset.state, paused: video.paused, time: video.currentTime, said};
  point.querySelector('[data-step=skip]').click();
  await new Promise(d => setTimeout(d, 400));
  return {...state, after: video.currentTime, playing: !video.paused};
})"""


def test_a_lesson_clip_stops_at_its_question_and_goes_on(lesson):
    placed = placed_checkpoints(lesson["out"])
    cost = next(c for c in checkpoints_of(load_config(lesson["config"])) if c.id == "cost")
    with Chromium() as browser:
        browser.open((lesson["out"] / "index.html").as_uri())
        seen = browser.evaluate(f"{PAUSED_AT_QUESTION}('cost')", timeout=90)
        assert seen["state"] == "open" and seen["paused"], seen
        assert seen["time"] == pytest.approx(placed["cost"][1] - 0.05, abs=0.01), seen
        assert cost.answer_text not in seen["said"], seen  # the caption on screen is the cue before
        assert seen["playing"] and seen["after"] > seen["time"], seen
        assert browser.errors() == []


@pytest.mark.parametrize("width", [360, 400])
def test_page_fits_a_phone(lesson, width):
    with Chromium() as browser:
        browser.viewport(width, 800, mobile=True)
        browser.open((lesson["out"] / "index.html").as_uri())
        report = browser.evaluate(OVERFLOW)
        assert report["width"] == width
        assert report["scroll"] <= width and not report["wide"], report
