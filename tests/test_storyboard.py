"""``backprop storyboard`` (one contact sheet per scene, one tile per animation, each the frame at
the animation's end) and posters (the idea's fullest frame, never the black a clip fades out to).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

import scenes
from backprop import cli
from backprop.lesson import build_lesson
from backprop.media import decoded_frames, lit_fraction
from backprop.storyboard import build_storyboards, composition_notes

SMALL_LESSON = {"MovingDot": "lesson_fixtures", "QuickIdea": "lesson_fixtures"}
DARK = 0.002  # a frame with at most this share of lit pixels is black to the eye


def lit_share(image: Image.Image) -> float:
    return float((np.asarray(image.convert("L")) > 24).mean())


def test_one_sheet_per_scene_and_one_tile_per_animation(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(scenes, "LESSON", SMALL_LESSON)
    monkeypatch.chdir(tmp_path)  # the render cache goes to media/.lesson-cache of the working folder
    out = tmp_path / "boards"
    assert cli.main(["storyboard", "--tiny", "--voice", "none", "--out", str(out)]) == 0, capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["01_MovingDot.png", "02_QuickIdea.png"]
    assert (tmp_path / "media" / ".lesson-cache" / "MovingDot").is_dir()

    progress = io.StringIO()
    sheets = build_storyboards(out=out, tiny=True, progress_stream=progress)
    assert "every scene reused" in progress.getvalue()  # the renders of the first run were kept
    moving, quick = sheets
    # MovingDot plays FadeIn, move (the waits between are no moments), FadeIn, FadeOut.
    assert [(t.idea, t.clip, t.time) for t in moving.tiles] == [
        ("move", 1, 1.0), ("move", 1, 3.0), ("fade", 2, 1.0), ("fade", 2, 2.4)
    ]
    assert [(t.idea, t.clip, t.time) for t in quick.tiles] == [("first", 3, 1.2)]
    assert all(t.text == "A dot appears on the left and moves right." for t in moving.tiles[:2])

    sheet = Image.open(moving.path)
    assert sheet.mode == "P"  # a palette PNG: small files
    frames = [sheet.crop(t.box).convert("L") for t in moving.tiles]
    assert all(f.width == 320 for f in frames)

    def lit_columns(frame: Image.Image) -> tuple[float, float]:
        columns = np.flatnonzero((np.asarray(frame) > 24).any(axis=0)) / frame.width
        return columns.min(), columns.max()

    assert lit_columns(frames[0])[1] < 0.5, "after the FadeIn the dot is on the left"
    assert lit_columns(frames[1])[0] > 0.5, "after the move the dot is on the right: the frame is the move's end"
    assert lit_share(frames[2]) > 0.06, "the square has appeared"
    assert lit_share(frames[3]) < DARK, "the end of the fade-out is shown as it is: black"
    assert [t.notes for t in moving.tiles] == [[], [], [], ["empty"]]  # flagged in red on the sheet
    # the composition checker's lines under each idea: its motion, then the rules it breaks
    assert moving.checks["move"][0].startswith("motion ") and "diagram none" in moving.checks["move"][0]  # a dot
    assert "ending" in [line.split(":")[0] for line in moving.checks["fade"][1:]]  # it fades out to black

    # One scene again: its sheet keeps its file name and its clips their numbers in the lesson.
    only = tmp_path / "only"
    (quick,) = build_storyboards(out=only, tiny=True, only=["QuickIdea"], progress_stream=io.StringIO(),
                                 checks=False)
    assert quick.path.name == "02_QuickIdea.png" and [t.clip for t in quick.tiles] == [3]


def test_composition_notes_flag_empty_frames_and_content_at_the_edge():
    frame = Image.new("RGB", (854, 480))
    assert composition_notes(frame) == ["empty"]
    ImageDraw.Draw(frame).rectangle((300, 12, 600, 200), fill="white")  # 12 px from the top: 0.2 units
    assert composition_notes(frame) == ["edge: top 12 px"]
    frame = Image.new("RGB", (854, 480))
    ImageDraw.Draw(frame).rectangle((30, 30, 820, 440), fill="white")  # 30+ px (0.5 units) all round
    assert composition_notes(frame) == []


def test_storyboard_refuses_bad_options(tmp_path, capsys):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    assert cli.main(["storyboard", "--only", "NoSuchScene", "--out", str(tmp_path / "b")]) == 2
    assert "unknown scene(s) NoSuchScene" in capsys.readouterr().err
    assert cli.main(["storyboard", "--out", str(not_a_folder)]) == 2
    assert "is not a folder" in capsys.readouterr().err
    assert not (tmp_path / "b").exists()


def test_poster_of_a_clip_that_fades_out_is_its_fullest_frame(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(scenes, "LESSON", SMALL_LESSON)
    out = tmp_path / "lesson"
    assert cli.main(["lesson", "--tiny", "--voice", "none", "--out", str(out)]) == 0, capsys.readouterr().err
    fade = out / "02_MovingDot_fade.mp4"
    *_, last = decoded_frames(fade)
    assert lit_fraction(last) < DARK  # the fixture's clip ends on black...
    assert lit_share(Image.open(fade.with_suffix(".png"))) > 0.06  # ...its poster shows the square


@pytest.fixture(scope="module")
def recursion_lesson(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("recursion") / "lesson"
    build_lesson(only=["GeneralRecursion"], tiny=True, out=out, progress_stream=io.StringIO())
    return out


def test_no_clip_of_general_recursion_ends_black_or_has_an_empty_poster(recursion_lesson):
    clips = sorted(recursion_lesson.glob("*_GeneralRecursion_*.mp4"))
    assert len(clips) == 5
    for clip in clips:
        *_, last = decoded_frames(clip)
        assert lit_fraction(last) > 0.01, f"{clip.name} ends on a black frame"
        assert lit_share(Image.open(clip.with_suffix(".png"))) > 0.01, f"{clip.name}'s poster is nearly empty"
