"""Visual regression: the middle and last frames of every scene against committed references.

After an intended visual change, rewrite the references and look at them before committing:

    ./test.sh tests/test_visual.py --update-references

On a mismatch the test writes the frame it got and a diff image to ``media/visual-diffs/``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT, render_scene
from PIL import Image
from test_words import assert_ideas_declare_formulas

import scenes
from backprop.media import frames_per_period

REFERENCES = Path(__file__).with_name("references")
DIFFS = ROOT / "media" / "visual-diffs"
SIZE = (256, 144)
# A pixel "differs" when a channel is off by more than PIXEL_TOLERANCE (0-255); a frame matches
# while at most MAX_DIFFERING of its pixels differ (room for encoder and font-rasterizer noise).
PIXEL_TOLERANCE = 40
MAX_DIFFERING = 0.002


def middle_and_last(video: Path) -> dict[str, np.ndarray]:
    """The frames shown halfway through the video and at its end (by time: how often a held frame
    is encoded does not move them)."""
    frames = list(frames_per_period(video))
    return {which: frame.to_ndarray(format="rgb24")
            for which, frame in (("middle", frames[len(frames) // 2]), ("last", frames[-1]))}


def differing_share(got: np.ndarray, want: np.ndarray) -> tuple[float, np.ndarray]:
    off = np.abs(got.astype(int) - want.astype(int)).max(axis=2) > PIXEL_TOLERANCE
    return float(off.mean()), off


@pytest.mark.parametrize("name", list(scenes.LESSON))
def test_frames_match_references(name, tmp_path, monkeypatch, request):
    scene = render_scene(name, tmp_path, monkeypatch=monkeypatch, size=SIZE)
    assert_ideas_declare_formulas(scene)  # the default lesson: every step's formula, in words
    video = next(tmp_path.rglob(f"{type(scene).__name__}.mp4"))
    update = request.config.getoption("--update-references")
    failures = []
    for which, frame in middle_and_last(video).items():
        reference = REFERENCES / f"{name}_{which}.png"
        if update:
            REFERENCES.mkdir(exist_ok=True)
            Image.fromarray(frame).save(reference, optimize=True)
            continue
        if not reference.exists():
            failures.append(f"no reference {reference.name}: run ./test.sh tests/test_visual.py --update-references")
            continue
        want = np.asarray(Image.open(reference).convert("RGB"))
        if want.shape != frame.shape:
            failures.append(f"{reference.name}: size {frame.shape[:2]} != reference {want.shape[:2]}")
            continue
        share, off = differing_share(frame, want)
        if share > MAX_DIFFERING:
            DIFFS.mkdir(parents=True, exist_ok=True)
            Image.fromarray(frame).save(DIFFS / f"{name}_{which}_got.png")
            diff = (frame // 3).copy()
            diff[off] = [255, 0, 255]
            Image.fromarray(diff).save(DIFFS / f"{name}_{which}_diff.png")
            failures.append(f"{reference.name}: {share:.2%} of pixels differ (diff in {DIFFS})")
    assert not failures, "; ".join(failures)


def test_the_comparison_can_fail():
    frame = np.zeros((SIZE[1], SIZE[0], 3), np.uint8)
    moved = frame.copy()
    moved[10:40, 10:60] = 255  # a label that moved in
    assert differing_share(frame, frame)[0] == 0
    assert differing_share(moved, frame)[0] > MAX_DIFFERING
