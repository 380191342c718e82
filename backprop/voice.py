"""Voices that speak the narration, cue by cue, with the audio cached by cue text and voice.

``--voice`` takes one of:

- ``none`` (the default): silent clips, captions timed for reading;
- ``espeak``: Debian's espeak-ng, offline, on any machine (``apt-get install espeak-ng``);
- ``piper:PATH/voice.onnx``: a Piper neural voice model the user supplies (needs ``piper-tts``);
- ``recorded:DIR``: the teacher's own recordings, ``DIR/<cue id>.wav`` (any format FFmpeg reads,
  named by the ids ``backprop narration --list`` prints); a cue without a recording is spoken
  by espeak-ng when it is installed, else left silent, and named in the build's output.

Each voice turns a cue's text into words (:func:`lessonmodel.narration.spoken`: "dC0/dw(L)" is
"d C zero by d w L"), synthesizes it once into the cache folder (a file named by a hash of the
voice and the words), and reports its length, which times the cue.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from backprop import media
from backprop.errors import LessonError
from lessonmodel.narration import spoken

__all__ = ["VoiceSpec", "Voice", "parse_voice", "make_voice", "RECORDING_SUFFIXES"]

RECORDING_SUFFIXES = (".wav", ".flac", ".ogg", ".mp3", ".m4a")
ESPEAK = ("espeak-ng", "-v", "en-us", "-s", "160")


@dataclass(frozen=True)
class VoiceSpec:
    """A checked ``--voice`` value: ``kind`` is none, espeak, piper or recorded; ``path`` the
    model file or the recordings' folder."""

    kind: str
    path: str | None = None

    @property
    def silent(self) -> bool:
        return self.kind == "none"

    def fingerprint(self) -> str:
        """What a render's audio depends on: the voice, and its model's or recordings' files."""
        if self.kind == "piper":
            stat = os.stat(self.path)
            return f"piper:{self.path}:{stat.st_size}:{stat.st_mtime_ns}"
        if self.kind == "recorded":
            files = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in Path(self.path).iterdir())
            return "recorded:" + hashlib.sha256(repr(files).encode()).hexdigest()[:16]
        return self.kind


def parse_voice(text: str) -> VoiceSpec:
    """Check a ``--voice`` value before anything renders; raise :class:`LessonError` (one line)."""
    kind, _, arg = text.partition(":")
    if kind == "none" and not arg:
        return VoiceSpec("none")
    if kind == "espeak" and not arg:
        if shutil.which(ESPEAK[0]) is None:
            raise LessonError("--voice espeak: espeak-ng is not installed (apt-get install espeak-ng, "
                              "or run scripts/setup.sh --voice)")
        return VoiceSpec("espeak")
    if kind == "piper":
        model = Path(arg).expanduser()
        if not arg:
            raise LessonError("--voice piper:PATH: give the path of a Piper voice model (.onnx)")
        if not model.is_file():
            raise LessonError(f"--voice piper: voice model {model} not found")
        try:
            with open(model, "rb") as f:
                f.read(1)
        except OSError as error:
            raise LessonError(f"--voice piper: voice model {model} cannot be read: {error.strerror}") from None
        if not Path(f"{model}.json").is_file():
            raise LessonError(f"--voice piper: {model}.json (the model's config) not found beside the model")
        if _piper_command() is None:
            raise LessonError("--voice piper: the piper command is not installed (pip install piper-tts)")
        return VoiceSpec("piper", str(model.resolve()))
    if kind == "recorded":
        folder = Path(arg).expanduser()
        if not arg or not folder.is_dir():
            raise LessonError(f"--voice recorded:DIR: {folder if arg else 'DIR'} is not a folder")
        return VoiceSpec("recorded", str(folder.resolve()))
    raise LessonError(f"--voice {text!r}: choose none, espeak, piper:MODEL.onnx or recorded:DIR")


def _piper_command() -> str | None:
    """Piper's command: beside this Python (``pip install piper-tts`` into the project's
    environment), else on PATH."""
    beside = Path(sys.executable).parent / "piper"
    return str(beside) if beside.is_file() else shutil.which("piper")


@dataclass
class Voice:
    """Speaks cues for one build: ``duration(cue_id, text)`` synthesizes (or finds) the cue's
    audio and returns its seconds, None for a silent cue; ``audio(cue_id, text)`` is its file."""

    spec: VoiceSpec
    cache: Path
    missing: list[str] = field(default_factory=list)  # recorded voice: cues with no recording
    synthesized: int = 0  # cues synthesized (not found in the cache) by this process

    def audio(self, cue_id: str, text: str) -> Path | None:
        if self.spec.kind == "recorded":
            for suffix in RECORDING_SUFFIXES:
                if (recording := Path(self.spec.path) / f"{cue_id}{suffix}").is_file():
                    return recording
            if cue_id not in self.missing:
                self.missing.append(cue_id)
            return self._synthesize("espeak", text) if shutil.which(ESPEAK[0]) else None
        if self.spec.kind == "none":
            return None
        return self._synthesize(self.spec.kind, text)

    def duration(self, cue_id: str, text: str) -> float | None:
        path = self.audio(cue_id, text)
        return None if path is None else len(media.read_pcm(path)) / media.AUDIO_RATE

    def _synthesize(self, kind: str, text: str) -> Path:
        words = spoken(text)
        who = self.spec.fingerprint() if kind == "piper" else " ".join(ESPEAK)
        key = hashlib.sha256(f"{who}\n{words}".encode()).hexdigest()[:24]
        path = self.cache / f"{key}.wav"
        if path.exists():
            return path
        self.cache.mkdir(parents=True, exist_ok=True)
        fd, scratch = tempfile.mkstemp(suffix=".wav", dir=self.cache, prefix=".synth-")
        os.close(fd)
        try:
            if kind == "piper":
                command = [_piper_command() or "piper", "--model", self.spec.path, "--output_file", scratch]
                subprocess.run(command, input=words, text=True, check=True, capture_output=True)
            else:
                subprocess.run([*ESPEAK, "-w", scratch, words], check=True, capture_output=True)
            os.replace(scratch, path)  # whole or not at all: workers may share the cache
        finally:
            if os.path.exists(scratch):
                os.unlink(scratch)
        self.synthesized += 1
        return path


def make_voice(spec: VoiceSpec, cache: Path) -> Voice | None:
    """The voice for ``spec`` (None when silent), caching its audio in ``cache``."""
    return None if spec.silent else Voice(spec, cache)
