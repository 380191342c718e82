"""Render outputs that appear whole or not at all.

Manim writes a scene's movie, section clips, subtitles and last-frame PNG straight to their final
paths, and trusts any cached animation segment that exists. A render killed half-way can then
leave a truncated video where the last good one was, or a truncated segment that later renders
reuse. :class:`AtomicFileWriter` writes each final file beside its target and renames it into
place when complete, and re-renders a cached segment that does not open as a video. Its MP4
segments are encoded by :class:`~lessonvideo.segment_encoder.HoldingSegmentEncoder`, with the
lesson's x264 settings: a held frame (a static ``wait``) is encoded a few times, however long.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import av
import srt
from manim import __version__, config
from manim.scene.scene_file_writer import SceneFileWriter

from lessonvideo.filled_heap import fill_new_heap_blocks
from lessonvideo.segment_encoder import HOLDING_CONTAINERS, HoldingSegmentEncoder, concatenate, with_lesson_options

__all__ = ["AtomicFileWriter", "replaced_when_done"]


@contextmanager
def replaced_when_done(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target`` (same suffix, so formats are inferred alike);
    move it onto ``target`` only if the block completes, else remove it."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.stem}.incomplete{target.suffix}")
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _playable(path: Path) -> bool:
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            return stream.frames > 0 or (container.duration or 0) > 0
    except (av.error.FFmpegError, OSError, IndexError):
        return False


class AtomicFileWriter(SceneFileWriter):
    """A SceneFileWriter whose final files are never left half-written, whose MP4 segments
    encode a held frame once, and whose encoders read filled memory (:mod:`lessonvideo.filled_heap`:
    the same scene and config give the same bytes)."""

    def _create_segment_encoder(self, target: Path):
        fill_new_heap_blocks()
        if self._holds_frames():
            return HoldingSegmentEncoder(target=target, spec=with_lesson_options(self.video_encoder,
                                                                                  config.video_encoder_options))
        return super()._create_segment_encoder(target)

    def combine_files(self, input_files, output_file, create_gif=False, includes_sound=False) -> None:
        with replaced_when_done(output_file) as temporary:
            if self._holds_frames() and not create_gif:
                # Held frames last longer than one frame period: the segments are joined keeping
                # their timestamps (Manim's concat demuxer would guess them).
                concatenate([Path(f) for f in input_files], temporary, f"Rendered with Manim Community v{__version__}")
            else:
                super().combine_files(input_files, temporary, create_gif, includes_sound)

    def _holds_frames(self) -> bool:
        spec = self.video_encoder
        return spec is not None and spec.container_format in HOLDING_CONTAINERS

    def write_subcaption_file(self) -> None:
        target = self.output_plan.subcaption_file
        with replaced_when_done(target) as temporary:
            temporary.write_text(srt.compose(self.subcaptions), encoding="utf-8")

    def save_image(self, pixels) -> None:
        if not self.output_spec.enabled:
            return
        from PIL import Image

        with replaced_when_done(self.image_file_path) as temporary:
            Image.fromarray(pixels).save(temporary, format="PNG")
        self.print_file_ready_message(self.image_file_path)

    def is_already_cached(self, hash_invocation: str) -> bool:
        if not super().is_already_cached(hash_invocation):
            return False
        segment = Path(self.output_plan.segment_path(hash_invocation))
        if _playable(segment):
            return True
        segment.unlink(missing_ok=True)  # left by an interrupted render: make it again
        return False
