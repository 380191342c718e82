"""Media for the lesson folder: join clips, convert them, take posters, shift subtitles.

Everything goes through PyAV (Manim's own dependency): no ffmpeg binary is needed.

- :func:`join_clips` concatenates clips that share codec settings without re-encoding (it copies
  the packets and shifts their timestamps), and returns where each clip starts in the result.
- :func:`to_gif` converts a clip to an animated GIF with a palette made for that clip.
- :func:`frames_per_period` reads a clip at its frame rate (a held frame is encoded once with a
  long duration; it comes once per frame period).
- :func:`poster` writes a clip's fullest frame as a PNG (the finished picture of the idea);
  :func:`frames_at` takes the frames at given times, :func:`lit_fraction` measures how full one is.
- :class:`Cue`, :func:`read_srt`, :func:`write_srt`, :func:`write_vtt`, :func:`cut_cues` and
  :func:`shift_cues` handle the subtitles.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Iterator

import av
import numpy as np

from lessonmodel.narration import caption_lines

__all__ = [
    "AUDIO_RATE",
    "Cue",
    "audio_codec",
    "place",
    "read_pcm",
    "with_audio",
    "write_wav",
    "cut_cues",
    "decoded_frames",
    "duration_of",
    "frames_at",
    "frames_per_period",
    "fullest",
    "join_clips",
    "lit_fraction",
    "poster",
    "read_srt",
    "shift_cues",
    "to_gif",
    "write_srt",
    "vtt_text",
    "write_vtt",
]


# --- video ----------------------------------------------------------------------------------


def _frame_ticks(stream) -> int:
    """One frame's duration in the stream's time base (WebM packets carry no duration)."""
    rate = stream.base_rate or stream.average_rate or stream.guessed_rate or Fraction(30)
    return max(1, round(1 / (rate * stream.time_base)))


def decoded_frames(path: Path | str, from_time: float = 0.0) -> Iterator[av.VideoFrame]:
    """The frames of a video file's first video stream: all of them, or from the keyframe at or
    before ``from_time`` seconds on.

    VP9 goes through libvpx's decoder when PyAV has it: FFmpeg's own VP9 decoder drops the
    alpha channel that transparent WebM keeps beside the picture.
    """
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        if from_time > 0:
            container.seek(int(from_time / stream.time_base), stream=stream, backward=True)
        if stream.codec_context.name == "vp9" and "libvpx-vp9" in av.codecs_available:
            decoder = av.CodecContext.create("libvpx-vp9", "r")
            for packet in container.demux(stream):
                if packet.size:
                    yield from decoder.decode(packet)
            yield from decoder.decode(None)
        else:
            yield from container.decode(stream)


def frames_per_period(path: Path | str) -> Iterator[av.VideoFrame]:
    """The frames of a video at its nominal frame rate: a frame held for n frame periods (a static
    wait, encoded once with a long duration) comes n times, as a constant-rate video has it."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        rate = stream.base_rate or stream.average_rate or Fraction(30)
    periods = round(duration_of(path) * rate)
    shown, start = None, None
    period = 0
    for frame in decoded_frames(path):
        at = round((frame.time or 0.0) * rate) if frame.pts is not None else period
        if start is None:
            start = at
        while shown is not None and period < at - start:
            yield shown
            period += 1
        shown = frame
    while shown is not None and period < periods:
        yield shown
        period += 1


def duration_of(path: Path | str) -> float:
    """Duration in seconds of a video file's first video stream (from its packets' timestamps)."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        ticks = _frame_ticks(stream)
        end = 0
        start = None
        for packet in container.demux(stream):
            if packet.pts is None:
                continue
            start = packet.pts if start is None else min(start, packet.pts)
            end = max(end, packet.pts + (packet.duration or ticks))
        if start is None:
            return 0.0
        return float((end - start) * stream.time_base)


def _signature(stream) -> tuple:
    """What must agree for packets to be copied from one clip into another. The nominal frame
    rate (``base_rate``), not ``average_rate``: the latter is measured from each clip's own
    length and differs in its last digits between clips of the same render."""
    ctx = stream.codec_context
    return (ctx.name, ctx.width, ctx.height, ctx.pix_fmt, stream.base_rate, stream.time_base,
            bytes(ctx.extradata or b""))


def join_clips(clips: list[Path], out: Path, tracks: list[Path | None] | None = None) -> list[float]:
    """Concatenate ``clips`` into ``out``; return each clip's start time (seconds) in ``out``.

    ``tracks`` (one per clip, WAV or None) become the joined video's sound track, each placed
    where its clip starts (encoded once: AAC, or Opus in WebM).

    Clips with the same codec, size, pixel format, frame rate and time base (those Manim renders
    in one run) are joined by copying their packets with shifted timestamps: no re-encoding, no
    loss. Otherwise every frame is decoded and encoded again with the first clip's codec.
    """
    if not clips:
        raise ValueError("no clips to join")
    signatures = set()
    for clip in clips:
        with av.open(str(clip)) as container:
            signatures.add(_signature(container.streams.video[0]))
    sound = tracks if tracks and any(t is not None for t in tracks) else None
    if len(signatures) == 1:
        return _remux(clips, out, sound)
    return _reencode(clips, out, sound)


def _joined_sound(container, stream, tracks: list[Path | None], starts: list[float], length: float) -> None:
    track = np.zeros(round(length * AUDIO_RATE), np.float32)
    for path, start in zip(tracks, starts):
        if path is not None:
            place(track, read_pcm(path), start)
    _encode_audio(container, stream, track)


def _remux(clips: list[Path], out: Path, tracks: list[Path | None] | None = None) -> list[float]:
    starts: list[float] = []
    with av.open(str(clips[0])) as first:
        template = first.streams.video[0]
        out_container = av.open(str(out), mode="w")
        out_stream = out_container.add_stream_from_template(template=template)
        time_base = template.time_base
        pix_fmt = template.codec_context.pix_fmt
        alpha = pix_fmt == "yuva420p" or template.metadata.get("alpha_mode") == "1"
    if alpha:  # VP9 with alpha (transparent WebM): FFmpeg's decoder reports yuv420p, the flag says
        # alpha; the muxer writes WebM's AlphaMode flag for yuva420p, without which players
        # ignore the alpha plane the packets carry
        out_stream.pix_fmt = "yuva420p"
    sound = _add_audio_stream(out_container, out) if tracks else None
    offset, last_dts = 0, None
    try:
        for clip in clips:
            starts.append(float(offset * time_base))
            end = offset
            with av.open(str(clip)) as container:
                stream = container.streams.video[0]  # a clip's own sound is rebuilt from its track
                ticks = _frame_ticks(stream)
                for packet in container.demux(stream):
                    if packet.dts is None:  # the flushing packet at the end
                        continue
                    duration = packet.duration or ticks
                    pts = packet.pts if packet.pts is not None else packet.dts
                    packet.pts = pts + offset
                    packet.dts = packet.dts + offset
                    if last_dts is not None and packet.dts <= last_dts:
                        packet.dts = last_dts + 1
                    last_dts = packet.dts
                    end = max(end, packet.pts + duration)
                    packet.stream = out_stream
                    out_container.mux(packet)
            offset = end
        if sound is not None:
            _joined_sound(out_container, sound, tracks, starts, float(offset * time_base))
    finally:
        out_container.close()
    return starts


def _reencode(clips: list[Path], out: Path, tracks: list[Path | None] | None = None) -> list[float]:
    starts: list[float] = []
    with av.open(str(clips[0])) as first:
        template = first.streams.video[0]
        codec, rate = template.codec_context.name, template.base_rate or template.average_rate or Fraction(30)
        context = template.codec_context
        width, height, pix_fmt = context.width, context.height, context.pix_fmt
    out_container = av.open(str(out), mode="w")
    try:
        out_stream = out_container.add_stream(codec, rate=rate)
        out_stream.width, out_stream.height, out_stream.pix_fmt = width, height, pix_fmt
        sound = _add_audio_stream(out_container, out) if tracks else None
        count = 0
        for clip in clips:
            starts.append(count / float(rate))
            for frame in frames_per_period(clip):
                frame = frame.reformat(width=width, height=height, format=pix_fmt)
                frame.pts, frame.time_base = count, Fraction(1) / rate
                out_container.mux(out_stream.encode(frame))
                count += 1
        out_container.mux(out_stream.encode())
        if sound is not None:
            _joined_sound(out_container, sound, tracks, starts, count / float(rate))
    finally:
        out_container.close()
    return starts


def to_gif(clip: Path, out: Path, transparent: bool = False) -> None:
    """Convert ``clip`` to an animated GIF at the clip's frame rate, with its own palette."""
    with av.open(str(clip)) as source:
        stream = source.streams.video[0]
        rate = stream.base_rate or stream.average_rate or Fraction(15)
    tick = Fraction(1) / rate
    frames = frames_per_period(clip)
    first = next(frames)
    graph = av.filter.Graph()
    buffer = graph.add_buffer(width=first.width, height=first.height, format=first.format.name, time_base=tick)
    split = graph.add("split")
    palettegen = graph.add("palettegen", "stats_mode=diff" + (":reserve_transparent=1" if transparent else ""))
    paletteuse = graph.add("paletteuse", "dither=bayer:bayer_scale=5:diff_mode=rectangle")
    sink = graph.add("buffersink")
    buffer.link_to(split)
    split.link_to(palettegen, 0, 0)  # one copy of every frame makes the palette...
    split.link_to(paletteuse, 1, 0)  # ...the other is mapped onto it
    palettegen.link_to(paletteuse, 0, 1)
    paletteuse.link_to(sink)
    graph.configure()
    for n, frame in enumerate(itertools.chain([first], frames)):
        frame.pts, frame.time_base = n, tick
        graph.push(frame)
    graph.push(None)
    with av.open(str(out), mode="w") as container:
        gif = container.add_stream("gif", rate=rate)
        gif.width, gif.height, gif.pix_fmt = first.width, first.height, "pal8"
        count = 0
        while True:
            try:
                frame = graph.pull()
            except (av.error.EOFError, av.error.BlockingIOError):
                break
            frame.pts, frame.time_base = count, tick
            count += 1
            container.mux(gif.encode(frame))
        container.mux(gif.encode())


def frames_at(clip: Path | str, times: list[float]) -> list[av.VideoFrame]:
    """For each of ``times`` (seconds from the clip's start, in any order), the last frame drawn
    before that time; a time past the end gives the clip's last frame. The clip is decoded once.

    Ask for the time a picture is left, not the time it is finished: Manim draws an animation at
    times 0, 1/rate, ... short of its run time (its own last frame is a little short of the end,
    a circle not quite closed), and the next animation's first frame already shows its start (an
    arrow's tip). The last frame before the next animation starts is the finished picture.
    """
    with av.open(str(clip)) as container:
        stream = container.streams.video[0]
        rate = stream.base_rate or stream.average_rate or Fraction(30)
    # A scene's clock advances one frame interval per frame written: the frames drawn before
    # time t are those numbered below round(t * rate).
    past_the_end = 2**62
    return _frames_numbered(clip, [max(0, round(t * rate) - 1) if t < past_the_end else past_the_end for t in times])


def _frames_numbered(clip: Path | str, numbers: list[int]) -> list[av.VideoFrame]:
    """The frames with these numbers (0 is the first); a number past the end gives the last frame."""
    wanted = set(numbers)
    found: dict[int, av.VideoFrame] = {}
    last = None
    for number, frame in enumerate(frames_per_period(clip)):  # numbered by frame period: holds count
        last = frame
        if number in wanted:
            found[number] = frame
    if last is None:
        raise ValueError(f"{clip} has no frames")
    return [found.get(n, last) for n in numbers]


def lit_fraction(frame: av.VideoFrame, level: int = 24) -> float:
    """The share of a frame's pixels that are lit (brighter than ``level`` of 255, or, with an
    alpha channel, more opaque than it), measured on a copy at most 160 pixels wide."""
    width = min(160, frame.width)
    height = max(1, round(frame.height * width / frame.width))
    if any(component.is_alpha for component in frame.format.components):
        pixels = frame.reformat(width=width, height=height, format="rgba").to_ndarray()[..., 3]
    else:
        pixels = frame.reformat(width=width, height=height, format="gray").to_ndarray()
    return float((pixels > level).mean())


def fullest(lit: list[float], within: float = 0.95) -> int:
    """Which of the frames lit ``lit`` (see :func:`lit_fraction`) is the fullest picture: the
    latest lit at least ``within`` as much as the most lit one. Of pictures about as full, the
    later is the idea's finished state rather than a moment of a transition that briefly covers
    a little more."""
    if not lit:
        raise ValueError("no frames to choose from")
    best = max(lit)
    return max(n for n, share in enumerate(lit) if share >= within * best)


def poster(clip: Path, out: Path, moments: list[float] | None = None) -> None:
    """Write the clip's poster as a PNG (with its alpha channel, if it has one): the fullest
    (:func:`fullest`) of the frames just before ``moments`` (when each picture of the idea is
    left: see :func:`frames_at`; seconds from the clip's start) and the clip's last frame;
    without moments, of all its frames. So a clip that fades out to black still gets the
    picture it built as its poster."""
    if moments:
        candidates = frames_at(clip, [*moments, float("inf")])
        picked = candidates[fullest([lit_fraction(f) for f in candidates])]
    else:
        lit = [lit_fraction(f) for f in frames_per_period(clip)]  # frames are not kept: a clip can be long
        picked = _frames_numbered(clip, [fullest(lit)])[0]
    from PIL import Image

    if any(component.is_alpha for component in picked.format.components):
        Image.fromarray(picked.to_ndarray(format="rgba"), "RGBA").save(out)
    else:
        picked.to_image().save(out)


# --- subtitles ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    """One subtitle: ``start`` and ``end`` in seconds, and its text."""

    start: float
    end: float
    text: str


def read_srt(path: Path) -> list[Cue]:
    """The cues of an SRT file (Manim writes one per scene from its subcaptions)."""
    import srt

    return [
        Cue(s.start.total_seconds(), s.end.total_seconds(), s.content)
        for s in srt.parse(path.read_text(encoding="utf-8"))
    ]


def cut_cues(cues: list[Cue], start: float, end: float) -> list[Cue]:
    """The cues overlapping [start, end), clipped to it and made relative to ``start``."""
    out = []
    for cue in cues:
        lo, hi = max(cue.start, start), min(cue.end, end)
        if hi - lo > 1e-3:
            out.append(Cue(lo - start, hi - start, cue.text))
    return out


def shift_cues(cues: list[Cue], by: float) -> list[Cue]:
    """The same cues ``by`` seconds later."""
    return [Cue(c.start + by, c.end + by, c.text) for c in cues]


def _clock(seconds: float, separator: str) -> str:
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02}:{minutes:02}:{secs:02}{separator}{millis:03}"


def _one_block(text: str) -> str:
    """Cue text in at most two lines of 42 characters, without blank lines (a blank line would
    end the cue early)."""
    return "\n".join(caption_lines(" ".join(text.split()))) or " "


def write_srt(cues: list[Cue], path: Path) -> None:
    """Write ``cues`` as SubRip."""
    blocks = [
        f"{n}\n{_clock(c.start, ',')} --> {_clock(c.end, ',')}\n{_one_block(c.text)}\n"
        for n, c in enumerate(cues, start=1)
    ]
    path.write_text("\n".join(blocks), encoding="utf-8")


def _vtt_text(text: str) -> str:
    return _one_block(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_vtt(cues: list[Cue], path: Path) -> None:
    """Write ``cues`` as WebVTT (what ``<track>`` in a web page reads)."""
    path.write_text(vtt_text(cues), encoding="utf-8")


def vtt_text(cues: list[Cue]) -> str:
    """``cues`` as WebVTT text."""
    blocks = ["WEBVTT\n"]
    blocks += [
        f"{n}\n{_clock(c.start, '.')} --> {_clock(c.end, '.')}\n{_vtt_text(c.text)}\n"
        for n, c in enumerate(cues, start=1)
    ]
    return "\n".join(blocks)



# --- audio ----------------------------------------------------------------------------------

AUDIO_RATE = 48_000  # samples per second of every track (Opus's own rate; AAC takes it too)


def audio_codec(path: Path | str) -> str:
    """The audio codec for a video container: Opus in WebM, AAC in MP4 and MOV."""
    return "libopus" if Path(path).suffix == ".webm" else "aac"


def read_pcm(path: Path | str) -> np.ndarray:
    """The first audio stream of a file (WAV, or anything FFmpeg reads), as mono float32 samples
    at :data:`AUDIO_RATE`."""
    resampler = av.AudioResampler(format="flt", layout="mono", rate=AUDIO_RATE)
    chunks = []
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            chunks += [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
    chunks += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    return np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)


def write_wav(samples: np.ndarray, path: Path | str, rate: int = AUDIO_RATE) -> None:
    """Mono float samples (at ``rate``, default :data:`AUDIO_RATE`) as a 16-bit WAV file."""
    import wave

    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())


def place(track: np.ndarray, samples: np.ndarray, start: float, end: float | None = None) -> None:
    """Add ``samples`` into ``track`` from ``start`` seconds on, cut at ``end`` and at the track's end."""
    first = max(0, round(start * AUDIO_RATE))
    last = len(track) if end is None else min(len(track), round(end * AUDIO_RATE))
    n = max(0, min(len(samples), last - first))
    track[first:first + n] += samples[:n]


def _encode_audio(container, stream, samples: np.ndarray) -> None:
    block = 4096
    for i in range(0, len(samples), block):
        chunk = samples[i:i + block].reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(chunk), format="flt", layout="mono")
        frame.sample_rate = AUDIO_RATE
        frame.pts = i
        frame.time_base = Fraction(1, AUDIO_RATE)
        container.mux(stream.encode(frame))
    container.mux(stream.encode(None))


def _add_audio_stream(container, path: Path | str):
    # FFmpeg's AAC encoder with its "fast" coder: measured on the lesson's speech at 96 kbit/s, it
    # takes half the CPU of the default "twoloop" and errs a quarter as much (twoloop's first
    # half second was off by up to 0.4 of full scale, its peaks 2 dB over the source's).
    codec = audio_codec(path)
    stream = container.add_stream(codec, rate=AUDIO_RATE, options={"aac_coder": "fast"} if codec == "aac" else {})
    stream.layout = "mono"
    if codec == "aac":
        stream.bit_rate = 96_000
    return stream


def with_audio(video: Path, samples: np.ndarray, out: Path) -> None:
    """Write ``video`` to ``out`` with ``samples`` (mono, :data:`AUDIO_RATE`) as its sound track,
    the picture's packets copied as they are. The track is cut or padded to the video's length."""
    length = round(duration_of(video) * AUDIO_RATE)
    track = np.zeros(length, np.float32)
    track[:min(length, len(samples))] = samples[:length]
    with av.open(str(video)) as source, av.open(str(out), mode="w") as target:
        template = source.streams.video[0]
        picture = target.add_stream_from_template(template=template)
        if template.codec_context.pix_fmt == "yuva420p" or template.metadata.get("alpha_mode") == "1":
            picture.pix_fmt = "yuva420p"  # transparent WebM keeps its AlphaMode flag (see _remux)
        sound = _add_audio_stream(target, out)
        for packet in source.demux(template):
            if packet.dts is None:
                continue
            packet.stream = picture
            target.mux(packet)
        _encode_audio(target, sound, track)
