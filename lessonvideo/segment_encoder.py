"""A segment encoder that encodes a held frame once, however long it is held.

Manim draws a static ``wait`` once and hands the frame to the encoder with a repeat count, but
its encoder converts and encodes every repeat as a frame of its own: at 1080p60 a second of a
still picture cost about as much as a second of motion. MP4 stores a duration per frame, so
:class:`HoldingSegmentEncoder` encodes the held frame a few times (:data:`HOLD_REFINEMENTS`: the
encoder sharpens a still picture over its first repeats) and lets the last copy last the rest of
the hold (a variable frame rate, which browsers play and seek like any other MP4; the timestamps
stay on the frame rate's grid). Moving frames go to the encoder without an extra copy.

x264 runs with the lesson's settings, :func:`lesson_x264_options` (``veryfast``, CRF 21, tuned for
animation; CRF 22 below 1080 lines), unless ``[video_encoder.options]`` sets others (:func:`with_lesson_options`):
measured on the lesson's frames they take 30 to 45 % less CPU than Manim's ``medium``, CRF 23,
at the same quality of moving frames and a sharper held picture, for 15 % fewer bytes at 1080p
and 4 to 14 % more at 480p; ``bench/README.md`` has the numbers.
"""

from __future__ import annotations

import dataclasses
import functools
import io
from contextlib import suppress
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from av.video.frame import PictureType
from manim._config.video_encoder import VideoEncoderSpec

__all__ = ["HOLDING_CONTAINERS", "HOLD_REFINEMENTS", "X264_OPTIONS", "HoldingSegmentEncoder", "concatenate",
           "lesson_x264_options", "with_lesson_options"]

HOLDING_CONTAINERS = ("mp4",)  # containers whose frames carry their own duration (and are tested)
# A held frame is encoded this many times, the last copy lasting the rest of the hold: x264 sharpens
# a still picture over its first repeats, then only repeats it. With X264_OPTIONS at 1080p: 8 copies
# give 50.4 dB PSNR, 12 copies 51.5, 24 copies 51.5 (bench/README.md).
HOLD_REFINEMENTS = 12
# veryfast: half the CPU of medium at the same bytes; tune animation (deblocking, psy, more B-frames
# and references, all for flat areas and sharp edges) sharper and smaller; CRF 21 gives the PSNR of
# Manim's default (medium, CRF 23) on moving frames (CRF 20 cost up to 24 % more bytes at 480p).
X264_OPTIONS = (("crf", "21"), ("preset", "veryfast"), ("tune", "animation"))
# Below 1080 lines CRF 21 made the most moving clips up to 23 % larger than Manim's default (480p15,
# NeuronChain's folding network; 720p30 alike): there the lesson takes CRF 22, 1 dB under Manim's
# default on moving frames and 2 dB over it on held ones (bench/README.md).
SMALL_FRAME_LINES, SMALL_FRAME_CRF = 1080, "22"


def lesson_x264_options(height: int) -> tuple[tuple[str, str], ...]:
    """The lesson's x264 settings for frames ``height`` lines high."""
    if height >= SMALL_FRAME_LINES:
        return X264_OPTIONS
    return tuple((key, SMALL_FRAME_CRF if key == "crf" else value) for key, value in X264_OPTIONS)


def with_lesson_options(spec: VideoEncoderSpec, chosen: dict[str, str]) -> VideoEncoderSpec:
    """``spec`` with the lesson's x264 settings, unless options were ``chosen`` (Manim's
    ``[video_encoder.options]``) or the codec is not x264."""
    if spec.codec != "libx264" or chosen:
        return spec
    return dataclasses.replace(spec, options=lesson_x264_options(spec.height))


@functools.cache
def _reorder_delay(codec: str, options: tuple[tuple[str, str], ...]) -> int:
    """How many frame periods the encoder's decoding timestamps run behind (B-frame reordering):
    the first packet's dts of a few frames encoded with these options."""
    container = av.open(io.BytesIO(), mode="w", format="mp4")
    stream = container.add_stream(codec, rate=Fraction(1), options=dict(options))
    stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
    rng = np.random.default_rng(0)
    first = None
    for n in range(12):
        frame = av.VideoFrame.from_ndarray(rng.integers(0, 256, (64, 64, 3), dtype=np.uint8), format="rgb24")
        frame.pts = n
        for packet in stream.encode(frame):
            first = packet.dts if first is None else first
    for packet in stream.encode():
        first = packet.dts if first is None else first
    container.close()
    return max(0, -first) if first is not None else 0


class HoldingSegmentEncoder:
    """Encode top-left-origin RGBA frames into one segment; a frame written with ``repeat=n``
    is encoded once and lasts ``n`` frame periods.

    The same interface as Manim's ``VideoSegmentEncoder``: :meth:`write_frame`, :meth:`finish`,
    :meth:`abort` and ``target``.
    """

    def __init__(self, *, target: Path, spec: VideoEncoderSpec) -> None:
        self.target = Path(target)
        self.spec = spec
        self._tick = Fraction(spec.frame_rate.denominator, spec.frame_rate.numerator)
        self._next_pts = 0
        self._durations: dict[int, int] = {}  # frame pts -> how many frame periods it lasts
        self._dts_shift: int | None = None
        self._closed = False
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self._container = av.open(str(self.target), mode="w", format=spec.container_format)
        try:
            self._stream = self._container.add_stream(spec.codec, rate=spec.frame_rate, options=dict(spec.options))
            self._stream.pix_fmt = spec.pixel_format
            self._stream.width = spec.width
            self._stream.height = spec.height
            self._delay = _reorder_delay(spec.codec, spec.options)
        except BaseException:
            self._container.close()
            self.target.unlink(missing_ok=True)
            raise

    def write_frame(self, pixels: np.ndarray, *, repeat: int = 1) -> None:
        """Encode ``pixels`` (height x width x 4, uint8, C-contiguous) lasting ``repeat`` frames."""
        if self._closed:
            raise RuntimeError(f"the encoder of {self.target} is closed")
        if isinstance(repeat, bool) or not isinstance(repeat, int) or repeat <= 0:
            raise ValueError("frame repeat must be a positive integer")
        if pixels.shape != (self.spec.height, self.spec.width, 4) or pixels.dtype != np.uint8:
            raise ValueError(f"frames must be {self.spec.height}x{self.spec.width}x4 uint8, got "
                             f"{'x'.join(map(str, pixels.shape))} {pixels.dtype}")
        # The writer owns ``pixels`` from now on (Manim's contract): wrap, don't copy.
        frame = av.VideoFrame.from_numpy_buffer(np.ascontiguousarray(pixels), format="rgba")
        if repeat > 1:
            frame = frame.reformat(format=self.spec.pixel_format)  # converted once for all its copies
        frame.time_base = self._tick
        copies = min(repeat, HOLD_REFINEMENTS)
        try:
            for n in range(copies):
                # The last two copies are P-frames: no B-frame is decoded after the last, long
                # one, which stays last in decoding order too, where MP4 keeps its duration.
                forced = repeat > 1 and n >= copies - 2 and (n or self._next_pts)
                frame.pict_type = PictureType.P if forced else PictureType.NONE
                frame.pts = self._next_pts
                lasts = 1 if n < copies - 1 else repeat - copies + 1
                self._durations[self._next_pts] = lasts
                self._next_pts += lasts
                self._mux(self._stream.encode(frame))
        except BaseException as error:
            raise RuntimeError(f"failed to encode a frame of {self.target}: {error}") from error

    def _mux(self, packets) -> None:
        """Mux ``packets``, each lasting as long as its frame was held (the encoder leaves every
        packet one frame period long, and the container keeps what the packet says).

        Decoding timestamps start the same reorder delay before 0 in every segment, also in a
        one-frame segment (where the encoder reorders nothing), so that segments joined by
        shifting their timestamps keep one frame's decoding interval equal to its duration."""
        for packet in packets:
            ticks = self._tick / packet.time_base  # one frame period in the packet's time base
            frame_pts = round(packet.pts / ticks)
            packet.duration = round(self._durations.pop(frame_pts, 1) * ticks)
            if self._dts_shift is None:
                self._dts_shift = min(0, round(-self._delay * ticks) - packet.dts)
            packet.dts += self._dts_shift
            self._container.mux(packet)

    def finish(self) -> None:
        """Flush the encoder and close the segment."""
        if self._closed:
            return
        self._closed = True
        try:
            self._mux(self._stream.encode())
        finally:
            self._container.close()

    def abort(self) -> None:
        """Close and remove the incomplete segment."""
        if not self._closed:
            self._closed = True
            with suppress(Exception):
                self._container.close()
        self.target.unlink(missing_ok=True)


def concatenate(segments: list[Path], out: Path, comment: str | None = None) -> None:
    """Join MP4 ``segments`` into ``out`` by copying their packets, each segment's timestamps
    shifted to start where the previous one ended (its last frame included, however long held).
    Unlike FFmpeg's concat demuxer, which guesses the decoding timestamps, this keeps those the
    segments have."""
    with av.open(str(segments[0])) as first:
        template = first.streams.video[0]
        container = av.open(str(out), mode="w")
        stream = container.add_stream_from_template(template=template)
    if comment:
        container.metadata["comment"] = comment
    offset, last_dts = 0, None
    try:
        for segment in segments:
            end = offset
            with av.open(str(segment)) as source:
                video = source.streams.video[0]
                for packet in source.demux(video):
                    if packet.dts is None:  # the flushing packet at the end
                        continue
                    packet.pts += offset
                    packet.dts += offset
                    if last_dts is not None and packet.dts <= last_dts:
                        packet.dts = last_dts + 1
                    last_dts = packet.dts
                    end = max(end, packet.pts + packet.duration)
                    packet.stream = stream
                    container.mux(packet)
            offset = end
    finally:
        container.close()
