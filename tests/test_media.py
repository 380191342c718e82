"""backprop.media: joining clips, posters, GIFs and subtitles, on small synthetic videos."""

from __future__ import annotations

from fractions import Fraction

import av
import numpy as np
from conftest import video_packets
from PIL import Image

from backprop.media import (
    Cue,
    cut_cues,
    duration_of,
    frames_at,
    fullest,
    join_clips,
    poster,
    read_srt,
    shift_cues,
    to_gif,
    vtt_text,
    write_srt,
)


def make_clip(path, frames: int, size=(64, 36), rate: int = 10, shade: int = 0) -> None:
    """A tiny H.264 clip whose frame n is a flat grey of level shade + n."""
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=rate)
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        for n in range(frames):
            image = np.full((size[1], size[0], 3), (shade + 8 * n) % 256, dtype=np.uint8)
            container.mux(stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")))
        container.mux(stream.encode())


def frame_count(path) -> int:
    with av.open(str(path)) as container:
        return sum(1 for _ in container.decode(video=0))


def test_join_copies_packets_of_matching_clips(tmp_path):
    clips = [tmp_path / f"{n}.mp4" for n in range(3)]
    for clip, frames in zip(clips, (7, 12, 5)):
        make_clip(clip, frames)
    starts = join_clips(clips, tmp_path / "all.mp4")
    assert starts == [0.0, 0.7, 1.9]
    assert abs(duration_of(tmp_path / "all.mp4") - 2.4) < 1e-6
    assert frame_count(tmp_path / "all.mp4") == 24
    assert video_packets(tmp_path / "all.mp4") == sum((video_packets(c) for c in clips), [])  # not re-encoded


def test_join_reencodes_clips_that_differ(tmp_path):
    make_clip(tmp_path / "a.mp4", 6, size=(64, 36))
    make_clip(tmp_path / "b.mp4", 4, size=(32, 18))
    starts = join_clips([tmp_path / "a.mp4", tmp_path / "b.mp4"], tmp_path / "all.mp4")
    assert starts == [0.0, 0.6]
    assert frame_count(tmp_path / "all.mp4") == 10
    with av.open(str(tmp_path / "all.mp4")) as container:
        assert (container.streams.video[0].width, container.streams.video[0].height) == (64, 36)


def test_poster_is_the_last_frame_and_gif_keeps_every_frame(tmp_path):
    make_clip(tmp_path / "a.mp4", 29, shade=100)  # 2.9 s: the poster seeks to the last second
    poster(tmp_path / "a.mp4", tmp_path / "a.png")
    level = np.asarray(Image.open(tmp_path / "a.png").convert("L")).mean()
    assert abs(level - (100 + 8 * 28) % 256) < 4
    to_gif(tmp_path / "a.mp4", tmp_path / "a.gif")
    assert frame_count(tmp_path / "a.gif") == 29
    assert Fraction(Image.open(tmp_path / "a.gif").info["duration"]) == 100  # ms per frame at 10 fps


def test_poster_of_a_clip_that_fades_to_black_is_its_fullest_frame(tmp_path):
    make_clip(tmp_path / "a.mp4", 20, shade=100)  # levels 100, 108, ..., 252: all lit
    with av.open(str(tmp_path / "a.mp4")) as source, av.open(str(tmp_path / "b.mp4"), mode="w") as out:
        stream = out.add_stream("libx264", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 36, "yuv420p"
        frames = [f.to_ndarray(format="rgb24") for f in source.decode(video=0)]
        black = np.zeros_like(frames[0])
        half_lit = frames[-1].copy()
        half_lit[:, 32:] = 0
        for image in frames[:10] + [half_lit] * 5 + [black] * 5:  # full, then half, then black
            out.mux(stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")))
        out.mux(stream.encode())
    poster(tmp_path / "b.mp4", tmp_path / "b.png")  # no moments: every frame is a candidate
    level = np.asarray(Image.open(tmp_path / "b.png").convert("L")).mean()
    assert abs(level - (100 + 8 * 9)) < 4, "the last full frame, not the half-lit or black ones"
    poster(tmp_path / "b.mp4", tmp_path / "c.png", moments=[0.5, 1.5])  # frames 4 and 14, and the last
    assert abs(np.asarray(Image.open(tmp_path / "c.png").convert("L")).mean() - (100 + 8 * 4)) < 4
    # The last frame drawn before each time; past the end, the last frame.
    levels = [np.asarray(f.to_ndarray(format="gray")).mean() for f in frames_at(tmp_path / "b.mp4", [0.1, 1.0, 9.0])]
    assert abs(levels[0] - 100) < 4 and abs(levels[1] - (100 + 8 * 9)) < 4 and levels[2] < 4


def test_fullest_prefers_the_later_of_frames_about_as_full():
    assert fullest([0.1, 0.5, 0.49, 0.0]) == 2
    assert fullest([0.5, 0.1]) == 0
    assert fullest([0.0, 0.0]) == 1


def test_cues_are_cut_shifted_and_written(tmp_path):
    cues = [Cue(0.0, 4.0, "one"), Cue(4.0, 18.8, "two <b> & more"), Cue(18.8, 23.4, "three")]
    assert cut_cues(cues, 4.0, 18.8) == [Cue(0.0, 14.8, "two <b> & more")]
    assert cut_cues(cues, 2.0, 5.0) == [Cue(0.0, 2.0, "one"), Cue(2.0, 3.0, "two <b> & more")]
    assert shift_cues([Cue(0.0, 1.5, "x")], 61.25) == [Cue(61.25, 62.75, "x")]
    text = vtt_text(shift_cues(cues[1:2], 3600))
    assert text.startswith("WEBVTT\n") and "01:00:04.000 --> 01:00:18.800" in text
    assert "two &lt;b&gt; &amp; more" in text
    write_srt(cues, tmp_path / "a.srt")
    assert read_srt(tmp_path / "a.srt") == cues
