"""The spoken narration: espeak-ng and the teacher's recordings in clips and the joined lesson,
the audio cache, and the voice options' errors. Real audio, decoded back with PyAV."""

from __future__ import annotations

import shutil

import av
import numpy as np
import pytest
from conftest import BIN, run

from backprop import media
from lessonmodel.narration import spoken

FRAME = 1 / 5  # the tiny renders' frame


def streams(path):
    """(video seconds, audio seconds, audio samples at 48 kHz) of a clip."""
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        seconds = float(video.duration * video.time_base) if video.duration else media.duration_of(path)
        audio = container.streams.audio
        assert audio, f"{path.name} has no sound track"
        heard = float(audio[0].duration * audio[0].time_base)
    return seconds, heard, media.read_pcm(path)


def loud(samples, start, end) -> float:
    part = samples[round(start * media.AUDIO_RATE):round(end * media.AUDIO_RATE)]
    return float(np.sqrt(np.mean(part**2))) if len(part) else 0.0


@pytest.fixture(scope="module")
def voiced(tmp_path_factory):
    """A tiny lesson of one scene, spoken by espeak-ng, and what its build printed."""
    root = tmp_path_factory.mktemp("voiced")
    result = run([str(BIN / "backprop"), "lesson", "--tiny", "--only", "NeuronChain", "--voice", "espeak",
                  "--out", str(root / "lesson")])
    assert result.returncode == 0, result.stderr[-3000:]
    return root, result


def test_every_clip_and_the_lesson_speak_each_cue(voiced):
    root, _ = voiced
    folder = root / "lesson"
    clips = sorted(folder.glob("0*.mp4"))
    assert len(clips) == 3
    for clip in [*clips, folder / "lesson.mp4"]:
        seconds, heard, samples = streams(clip)
        assert abs(seconds - heard) <= FRAME, (clip.name, seconds, heard)
        for cue in media.read_srt(clip.with_suffix(".srt") if clip.name != "lesson.mp4" else folder / "lesson.srt"):
            assert loud(samples, cue.start, min(cue.end, cue.start + 1.0)) > 0.01, (clip.name, cue)


def test_a_rebuild_synthesizes_nothing(voiced):
    root, first = voiced
    assert "synthesized" in first.stderr and " 0 cue(s) synthesized" not in first.stderr
    shutil.rmtree(root / ".lesson-cache")  # render again: the speech must come from .voice-cache
    again = run([str(BIN / "backprop"), "lesson", "--tiny", "--only", "NeuronChain", "--voice", "espeak",
                 "--out", str(root / "lesson")])
    assert again.returncode == 0, again.stderr[-3000:]
    assert "voice espeak: 0 cue(s) synthesized" in again.stderr


def test_recordings_time_the_lesson_and_missing_ones_are_named(tmp_path):
    recordings = tmp_path / "recordings"
    recordings.mkdir()
    seconds = 5.0  # longer than espeak would take: the cue must wait for it
    t = np.arange(round(seconds * media.AUDIO_RATE)) / media.AUDIO_RATE
    media.write_wav(0.3 * np.sin(2 * np.pi * 440 * t), recordings / "NeuronChain.the_chain.1.wav")
    result = run([str(BIN / "backprop"), "lesson", "--tiny", "--only", "NeuronChain", "--voice",
                  f"recorded:{recordings}", "--out", str(tmp_path / "lesson")])
    assert result.returncode == 0, result.stderr[-3000:]
    assert "NeuronChain.the_chain.2" in result.stderr and "NeuronChain.the_chain.1," not in result.stderr
    first = media.read_srt(tmp_path / "lesson" / "01_NeuronChain_the_chain.srt")[0]
    assert first.end - first.start >= seconds
    _, _, samples = streams(tmp_path / "lesson" / "01_NeuronChain_the_chain.mp4")
    assert loud(samples, 1.0, 4.0) == pytest.approx(0.3 / np.sqrt(2), rel=0.2)


@pytest.mark.parametrize("voice, message", [
    ("piper:/nowhere/voice.onnx", "--voice piper: voice model /nowhere/voice.onnx not found"),
    ("piper:", "give the path of a Piper voice model"),
    ("recorded:/nowhere", "/nowhere is not a folder"),
    ("shout", "choose none, espeak, piper:MODEL.onnx or recorded:DIR"),
])
def test_a_bad_voice_is_one_line_before_anything_renders(voice, message, tmp_path):
    out = tmp_path / "lesson"
    result = run([str(BIN / "backprop"), "lesson", "--tiny", "--voice", voice, "--out", str(out)])
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert not out.exists() and not (tmp_path / ".lesson-cache").exists()


def test_a_piper_model_without_its_config_is_refused(tmp_path):
    model = tmp_path / "voice.onnx"
    model.write_bytes(b"not a model")
    result = run([str(BIN / "backprop"), "lesson", "--tiny", "--voice", f"piper:{model}", "--out", str(tmp_path / "o")])
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
    assert "voice.onnx.json" in result.stderr and not (tmp_path / "o").exists()


def test_narration_list_names_every_cue():
    result = run([str(BIN / "backprop"), "narration", "--list", "--only", "CostOfOneExample"])
    assert result.returncode == 0, result.stderr[-2000:]
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows[0] == ["CostOfOneExample.last_two_neurons.1", "Focus on the last two neurons."]
    assert len({cue_id for cue_id, _ in rows}) == len(rows) > 8


def test_formulas_are_spoken_as_words():
    assert spoken("dC0/dw(L) = -0.074") == "d C zero by d w L equals minus 0.074"
    assert spoken("a_k(L-1) feeds a_j(L).") == "a k L minus one feeds a j L."
    assert spoken("C0 = (a(L) - y)^2") == "C zero equals (a L minus y) squared"
    assert spoken("σ'(z(L)) = 3.2e-05") == "sigma prime of (z L) equals 3.2 times ten to the minus 5"
    assert spoken("ΔC0/Δw(L) for Δw(L) = 0.001") == "delta C zero over delta w L for delta w L equals 0.001"
