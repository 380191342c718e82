"""Broadcast loudness for the lesson's speech: every clip's track at -16 LUFS, true peak -1 dBTP.

Loudness is measured as ITU-R BS.1770-4 defines it (K-weighting, 400 ms blocks, the absolute and
relative gates), with pyloudnorm's meter; the true peak is the largest sample of the track
oversampled four times (BS.1770-4, annex 2). :func:`normalise` gains a track to
:data:`TARGET_LUFS` and, where that pushes a peak over :data:`CEILING_DBTP`, turns the gain down
around that peak only (a look-ahead limiter: the gain reaches its lowest a few milliseconds before
the peak and comes back as smoothly), then measures again and corrects. The tracks stay
:data:`CODEC_HEADROOM` under the ceiling, so the clips' AAC and Opus, decoded, keep to it too.

>>> track = normalise(speech, 48_000)
>>> round(integrated_loudness(track, 48_000)), true_peak(track, 48_000) <= CEILING_DBTP - CODEC_HEADROOM
(-16, True)
"""

from __future__ import annotations

import numpy as np

__all__ = ["TARGET_LUFS", "CEILING_DBTP", "CODEC_HEADROOM", "TOLERANCE_LU", "integrated_loudness", "true_peak",
           "normalise"]

TARGET_LUFS = -16.0  # integrated loudness of every clip's speech (the spoken-word norm for online media)
CEILING_DBTP = -1.0  # true peak never above this, so a lossy codec's overshoot stays below full scale
CODEC_HEADROOM = 0.5  # dB the tracks stay under the ceiling: AAC and Opus raised the lesson's peaks by 0.2 dB
TOLERANCE_LU = 1.0  # the norm the tests hold each clip to; normalise() lands within a tenth of it
BLOCK = 0.4  # seconds: BS.1770's gating block, the shortest audio the meter measures
OVERSAMPLING = 4
LIMITER_WINDOW = 0.005  # seconds either side of a peak over which the limiter's gain moves
SILENT = 1e-6  # a track whose samples all stay below this carries no speech: left as it is


def integrated_loudness(samples: np.ndarray, rate: int) -> float:
    """Integrated loudness of a mono track in LUFS (``-inf`` when it is silent).

    A track shorter than one gating block is measured repeated end to end until it fills one: its
    loudness is that of its own sound, not of silence around it.
    """
    import pyloudnorm

    samples = np.asarray(samples, np.float64)
    if len(samples) == 0 or np.max(np.abs(samples)) < SILENT:
        return float("-inf")
    needed = int(np.ceil(BLOCK * rate)) + 1
    if len(samples) < needed:
        samples = np.tile(samples, int(np.ceil(needed / len(samples))))
    return float(pyloudnorm.Meter(rate, block_size=BLOCK).integrated_loudness(samples))


def _oversampled(samples: np.ndarray) -> np.ndarray:
    from scipy.signal import resample_poly

    return resample_poly(np.asarray(samples, np.float64), OVERSAMPLING, 1)


def true_peak(samples: np.ndarray, rate: int) -> float:
    """The true peak of a mono track in dBTP: its largest magnitude oversampled 4 times."""
    peak = float(np.max(np.abs(_oversampled(samples)))) if len(samples) else 0.0
    return 20 * np.log10(peak) if peak > 0 else float("-inf")


def _limited(samples: np.ndarray, rate: int, ceiling: float) -> np.ndarray:
    """``samples`` with the gain turned down around each true peak above ``ceiling`` (linear)."""
    over = np.abs(_oversampled(samples))
    peaks = over[:OVERSAMPLING * len(samples)].reshape(len(samples), OVERSAMPLING).max(axis=1)
    needed = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
    if needed.min() >= 1.0:
        return samples
    from scipy.ndimage import minimum_filter1d, uniform_filter1d
    width = 2 * max(1, round(LIMITER_WINDOW * rate)) + 1
    # The lowest gain needed within half a window, averaged over a window: never above what any
    # sample needs, and smooth (no click where the limiter starts or lets go).
    gain = uniform_filter1d(minimum_filter1d(needed, width, mode="nearest"), width, mode="nearest")
    return samples * gain


def normalise(samples: np.ndarray, rate: int, target: float = TARGET_LUFS,
              ceiling: float = CEILING_DBTP - CODEC_HEADROOM, rounds: int = 6) -> np.ndarray:
    """``samples`` (mono float) gained to ``target`` LUFS with true peaks at most ``ceiling`` dBTP
    (default: :data:`CODEC_HEADROOM` under :data:`CEILING_DBTP`).

    A silent track comes back unchanged. Limiting lowers the loudness a little, so the gain is
    measured again and corrected, a few rounds at most; each round limits to a ceiling a little
    lower, which keeps the new oversampled peaks of a limited track under ``ceiling``.

    >>> quiet = 0.01 * np.sin(np.linspace(0, 2000 * np.pi, 48_000))
    >>> round(integrated_loudness(normalise(quiet, 48_000), 48_000), 1)
    -16.0
    """
    track = np.asarray(samples, np.float64)
    loudness = integrated_loudness(track, rate)
    if not np.isfinite(loudness):
        return np.asarray(samples, np.float32)
    margin = 0.1
    for _ in range(rounds):
        track = _limited(track * 10 ** ((target - loudness) / 20), rate, 10 ** ((ceiling - margin) / 20))
        loudness = integrated_loudness(track, rate)
        if abs(loudness - target) <= 0.1 and true_peak(track, rate) <= ceiling:
            break
        margin += 0.1
    return track.astype(np.float32)
