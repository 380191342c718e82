"""The loudness norm: the meter against BS.1770's own reference, the limiter, short and silent tracks."""

from __future__ import annotations

import numpy as np
import pytest

from backprop.loudness import CEILING_DBTP, CODEC_HEADROOM, TARGET_LUFS, integrated_loudness, normalise, true_peak

RATE = 48_000


def tone(seconds: float, amplitude: float, hertz: float = 997.0) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    return amplitude * np.sin(2 * np.pi * hertz * t)


def test_the_meter_reads_the_standards_reference_tone():
    """BS.1770: a 0 dBFS 997 Hz sine on one channel reads -3.01 LKFS (the K filter's gain at 1 kHz
    is +0.69 dB, less the -0.691 of the formula); -20 dBFS reads -23.01."""
    assert integrated_loudness(tone(5, 1.0), RATE) == pytest.approx(-3.01, abs=0.05)
    assert integrated_loudness(tone(5, 0.1), RATE) == pytest.approx(-23.01, abs=0.05)


def test_true_peak_finds_the_peak_between_samples():
    """A sine at a quarter of the rate sampled 45 degrees off its peaks: every sample is at 0.707,
    the wave itself reaches 1.0 (0 dBTP), which only oversampling sees."""
    n = np.arange(RATE)
    wave = np.sin(2 * np.pi * n / 4 + np.pi / 4)
    assert np.abs(wave).max() == pytest.approx(np.sqrt(0.5))
    assert true_peak(wave, RATE) == pytest.approx(0.0, abs=0.3)


def speechlike(seconds: float = 6.0, seed: int = 0) -> np.ndarray:
    """Noise bursts with pauses and sharp peaks: the shape that makes a limiter work."""
    rng = np.random.default_rng(seed)
    signal = 0.02 * rng.standard_normal(round(seconds * RATE))
    envelope = (np.sin(2 * np.pi * 1.5 * np.arange(len(signal)) / RATE) > 0).astype(float)
    signal *= envelope
    signal[rng.integers(0, len(signal), 20)] = 0.5  # clicks far above the rest: 28 dB over its RMS
    return signal


@pytest.mark.parametrize("track", [speechlike(), 0.03 * speechlike(seed=1), tone(3, 0.9), tone(3, 0.001, 200.0)],
                         ids=["peaky", "very quiet", "loud tone", "quiet low tone"])
def test_normalise_reaches_the_target_under_the_ceiling(track):
    out = normalise(track, RATE)
    assert integrated_loudness(out, RATE) == pytest.approx(TARGET_LUFS, abs=0.1)
    assert true_peak(out, RATE) <= CEILING_DBTP - CODEC_HEADROOM + 0.01
    assert len(out) == len(track)


def test_the_limiter_leaves_no_step():
    """The gain moves over milliseconds: no sample-to-sample jump bigger than the signal's own."""
    track = speechlike()
    out = normalise(track, RATE)
    gain = out / np.where(np.abs(track) > 1e-9, track, np.nan)  # sample by sample, where there is sound
    assert np.nanmin(gain) < 0.8 * np.nanmax(gain)  # the clicks were limited...
    assert np.nanmax(np.abs(np.diff(gain))) < 0.01 * np.nanmax(gain)  # ...by a gain that glides


def test_a_track_shorter_than_a_gating_block_is_measured_and_normalised():
    short = tone(0.25, 0.05)  # the meter's blocks are 0.4 s
    assert np.isfinite(integrated_loudness(short, RATE))
    assert integrated_loudness(normalise(short, RATE), RATE) == pytest.approx(TARGET_LUFS, abs=0.1)


def test_a_silent_track_stays_silent():
    silence = np.zeros(RATE)
    assert integrated_loudness(silence, RATE) == float("-inf")
    assert not normalise(silence, RATE).any()
