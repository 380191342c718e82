"""Encoder settings compared on the lesson's own frames (``bench/run.py --encoders``).

A scene is rendered once in this process at 1080p60 and its frames are caught as the encoder
receives them (before any encoding): a run of consecutive moving frames, and the last held frame
(a finished picture with its formula). Each setting then encodes, from memory, in this process:

- the moving frames: CPU milliseconds per frame (every thread of the process: x264 runs its own),
  the bytes, and the PSNR of luma against the frames as rendered;
- one hold as :class:`lessonvideo.segment_encoder.HoldingSegmentEncoder` writes it (a segment of
  its own: the encoder opened, the frame converted once, encoded ``HOLD_REFINEMENTS`` times, the
  segment closed): CPU milliseconds per hold, and the PSNR of the picture the hold ends on, of
  the whole frame and of the crop around its formula.

x264 keeps its own threads, as in a render; the CPU time counts all of them, which is what a render
pays. :func:`refinements` measures the hold alone for several counts of refinement copies.
"""

from __future__ import annotations

import resource
import tempfile
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

__all__ = ["SETTINGS", "capture", "compare", "crop_figure", "refinements", "table"]

# (label, codec, options); the first is Manim's default, the one the others are measured against
SETTINGS = [
    ("x264 medium, CRF 23 (Manim's)", "libx264", {"crf": "23"}),
    ("x264 fast, CRF 22", "libx264", {"preset": "fast", "crf": "22"}),
    ("x264 faster, CRF 21", "libx264", {"preset": "faster", "crf": "21"}),
    ("x264 veryfast, CRF 19", "libx264", {"preset": "veryfast", "crf": "19"}),
    ("x264 veryfast, CRF 20", "libx264", {"preset": "veryfast", "crf": "20"}),
    ("x264 veryfast, CRF 21", "libx264", {"preset": "veryfast", "crf": "21"}),
    ("x264 superfast, CRF 20", "libx264", {"preset": "superfast", "crf": "20"}),
    ("x264 veryfast, CRF 20, tune animation", "libx264", {"preset": "veryfast", "crf": "20", "tune": "animation"}),
    ("x264 veryfast, CRF 21, tune animation (the lesson's)", "libx264",
     {"preset": "veryfast", "crf": "21", "tune": "animation"}),
    ("x264 veryfast, CRF 22, tune animation", "libx264", {"preset": "veryfast", "crf": "22", "tune": "animation"}),
]
RATE = 60
WIDTH, HEIGHT = 1920, 1080


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def capture(scene_name: str, work: Path, frames: int = 120, skip: int = 60,
            quality: str = "high_quality") -> tuple[list[np.ndarray], np.ndarray]:
    """Render ``scene_name`` at ``quality`` (1080p60: set :data:`WIDTH`, :data:`HEIGHT` and
    :data:`RATE` to match another) in this process; return ``frames`` consecutive moving frames
    (after the first ``skip``) and its last held frame, RGBA as rendered."""
    import manim

    import scenes
    from lessonvideo.segment_encoder import HoldingSegmentEncoder

    moving: list[np.ndarray] = []
    held: list[np.ndarray] = []
    seen = [0]
    original = HoldingSegmentEncoder.write_frame

    def catch(self, pixels, *, repeat=1):
        if repeat > 1:
            held[:] = [pixels.copy()]
        else:
            seen[0] += 1
            if skip < seen[0] <= skip + frames:
                moving.append(pixels.copy())
        return original(self, pixels, repeat=repeat)

    HoldingSegmentEncoder.write_frame = catch
    try:
        with manim.tempconfig({"quality": quality, "media_dir": str(work / f"capture-{scene_name}"),
                               "disable_caching": True, "verbosity": "WARNING", "progress_bar": "none"}):
            getattr(scenes, scene_name)().render()
    finally:
        HoldingSegmentEncoder.write_frame = original
    return moving, held[0]


def _luma(rgba: np.ndarray) -> np.ndarray:
    frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgba), format="rgba")
    return frame.reformat(format="yuv420p").to_ndarray()[:HEIGHT].astype(np.float64)


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a - b) ** 2))
    return 99.0 if mse == 0 else 10 * np.log10(255**2 / mse)


def _decoded_luma(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="yuv420p")[:HEIGHT].astype(np.float64) for f in container.decode(video=0)]


def _encode_moving(codec: str, options: dict, frames: list[np.ndarray], target: Path) -> float:
    """Encode ``frames`` one per frame period; CPU seconds (conversion included)."""
    start = _cpu()
    with av.open(str(target), mode="w") as container:
        stream = container.add_stream(codec, rate=RATE, options=options)
        stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        for n, pixels in enumerate(frames):
            frame = av.VideoFrame.from_numpy_buffer(pixels, format="rgba")
            frame.pts, frame.time_base = n, Fraction(1, RATE)
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return _cpu() - start


def _encode_hold(codec: str, options: dict, picture: np.ndarray, target: Path, seconds: float = 2.0,
                 copies: int | None = None) -> float:
    """One hold of ``seconds`` as the lesson's encoder writes it (with ``copies`` refinement
    copies instead of its own count); CPU seconds."""
    from manim._config.video_encoder import VideoEncoderSpec

    from lessonvideo import segment_encoder
    from lessonvideo.segment_encoder import HoldingSegmentEncoder

    if copies is not None:
        segment_encoder.HOLD_REFINEMENTS, copies = copies, segment_encoder.HOLD_REFINEMENTS

    spec = VideoEncoderSpec("mp4", codec, "yuv420p", WIDTH, HEIGHT, Fraction(RATE), tuple(sorted(options.items())))
    start = _cpu()
    encoder = HoldingSegmentEncoder(target=target, spec=spec)
    try:
        encoder.write_frame(picture.copy(), repeat=round(seconds * RATE))
        encoder.finish()
    finally:
        if copies is not None:
            segment_encoder.HOLD_REFINEMENTS = copies
    return _cpu() - start


def refinements(codec: str, options: dict, held: np.ndarray, work: Path, counts=(1, 2, 4, 8, 12, 24),
                say=print) -> list[str]:
    """A hold encoded with each count of refinement copies: CPU ms, bytes, PSNR of the picture it
    ends on (whole frame and formula crop); a Markdown table."""
    held_luma = _luma(held)
    rows_box, columns_box = formula_box(held)
    lines = ["| refinement copies | CPU ms per hold | KiB | PSNR-Y dB (whole, formula crop) |", "|---:|---:|---:|---:|"]
    for count in counts:
        target = Path(tempfile.mkdtemp(dir=work)) / "hold.mp4"
        cpu = _encode_hold(codec, options, held, target, copies=count)
        last = _decoded_luma(target)[-1]
        whole, crop = _psnr(held_luma, last), _psnr(held_luma[rows_box, columns_box], last[rows_box, columns_box])
        lines.append(f"| {count} | {1000 * cpu:.0f} | {target.stat().st_size / 1024:.1f} | {whole:.2f}, {crop:.2f} |")
        say(f"encoders: a hold with {count} copies: {1000 * cpu:.0f} ms, {whole:.2f} dB ({crop:.2f} dB crop)")
    return lines


def formula_box(picture: np.ndarray) -> tuple[slice, slice]:
    """The rows and columns around the lowest lit block of ``picture`` (a formula under the
    diagram, in the lesson's layout), at most 1000 x 160 pixels."""
    lit = picture[..., :3].max(axis=2) > 40
    rows = np.flatnonzero(lit.any(axis=1))
    bottom = rows[-1]
    top = bottom
    while top > 0 and lit[top - 12:top].any():  # up through the formula's lines, to a gap of 12 rows
        top -= 1
    top = max(0, min(top - 10, bottom - 150))
    columns = np.flatnonzero(lit[top:bottom + 1].any(axis=0))
    middle = (columns[0] + columns[-1]) // 2
    left = max(0, min(middle - 500, WIDTH - 1000))
    return slice(top, min(HEIGHT, bottom + 11)), slice(left, left + 1000)


def compare(moving: list[np.ndarray], held: np.ndarray, work: Path, say=print) -> list[dict]:
    """Every setting of :data:`SETTINGS` on the frames; one row each."""
    sources = [_luma(f) for f in moving]
    held_luma = _luma(held)
    rows_box, columns_box = formula_box(held)
    rows = []
    for label, codec, options in SETTINGS:
        target = Path(tempfile.mkdtemp(dir=work)) / "moving.mp4"
        cpu = _encode_moving(codec, options, moving, target)
        decoded = _decoded_luma(target)
        psnr = float(np.mean([_psnr(a, b) for a, b in zip(sources, decoded)]))
        hold_target = target.with_name("hold.mp4")
        hold_cpu = _encode_hold(codec, options, held, hold_target)
        last = _decoded_luma(hold_target)[-1]
        row = {"label": label, "codec": codec, "options": options, "ms": 1000 * cpu / len(moving),
               "kib": target.stat().st_size / 1024, "psnr": psnr, "hold ms": 1000 * hold_cpu,
               "hold kib": hold_target.stat().st_size / 1024, "hold psnr": _psnr(held_luma, last),
               "crop psnr": _psnr(held_luma[rows_box, columns_box], last[rows_box, columns_box])}
        rows.append(row)
        say(f"encoders: {label}: {row['ms']:.1f} ms/frame, {row['kib']:.0f} KiB, {psnr:.2f} dB; "
            f"a hold {row['hold ms']:.0f} ms, {row['hold psnr']:.2f} dB")
    return rows


def table(rows: list[dict], frames: int) -> list[str]:
    """The comparison as a Markdown table, sizes and CPU relative to the first row."""
    base = rows[0]
    lines = [f"| setting | CPU ms per moving frame | KiB ({frames} frames) | size vs Manim's | PSNR-Y dB | "
             "CPU ms per hold | PSNR-Y of the held frame (whole, formula crop) |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['label']} | {r['ms']:.1f} | {r['kib']:.0f} | {r['kib'] / base['kib']:.0%} | "
                     f"{r['psnr']:.2f} | {r['hold ms']:.0f} | {r['hold psnr']:.2f}, {r['crop psnr']:.2f} |")
    return lines


def _decoded_rgb(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    return frames[-1]


def crop_figure(held: np.ndarray, work: Path, target: Path, seconds: float = 2.0) -> None:
    """A PNG of the formula of ``held`` at 100 %: as rendered, as Manim's encoder leaves it after
    a hold of ``seconds`` (x264 medium, CRF 23, every frame encoded), and as the lesson's does
    (:data:`~lessonvideo.segment_encoder.X264_OPTIONS`, encoded ``HOLD_REFINEMENTS`` times)."""
    from manim._config.video_encoder import VideoEncoderSpec
    from manim.scene.video_segment_encoder import VideoSegmentEncoder
    from PIL import Image, ImageDraw

    from lessonvideo.segment_encoder import HOLD_REFINEMENTS, X264_OPTIONS, HoldingSegmentEncoder

    repeat = round(seconds * RATE)
    manims = work / "crop-manim.mp4"
    spec = VideoEncoderSpec("mp4", "libx264", "yuv420p", WIDTH, HEIGHT, Fraction(RATE), (("crf", "23"),))
    encoder = VideoSegmentEncoder(target=manims, spec=spec)
    encoder.write_frame(held.copy(), repeat=repeat)
    encoder.finish()
    ours = work / "crop-lesson.mp4"
    encoder = HoldingSegmentEncoder(target=ours, spec=VideoEncoderSpec(
        "mp4", "libx264", "yuv420p", WIDTH, HEIGHT, Fraction(RATE), X264_OPTIONS))
    encoder.write_frame(held.copy(), repeat=repeat)
    encoder.finish()
    rows, columns = formula_box(held)
    line = slice(rows.stop - 120, rows.stop)  # the formula's line, at the bottom of the box
    options = ", ".join(f"{k} {v}" for k, v in X264_OPTIONS)
    panels = [("rendered frame (lossless)", held[..., :3]),
              (f"before: Manim's encoder, x264 medium, CRF 23, the held frame encoded {repeat} times",
               _decoded_rgb(manims)),
              (f"now: x264 {options}, the held frame encoded {HOLD_REFINEMENTS} times, the last copy lasting "
               f"{repeat - HOLD_REFINEMENTS + 1} frame periods", _decoded_rgb(ours))]
    bar = 22
    figure = Image.new("RGB", (1000, len(panels) * (bar + 120)), (40, 40, 40))
    draw = ImageDraw.Draw(figure)
    for n, (caption, picture) in enumerate(panels):
        top = n * (bar + 120)
        draw.text((4, top + 5), caption, fill=(230, 230, 230))
        figure.paste(Image.fromarray(np.ascontiguousarray(picture[line, columns])), (0, top + bar))
    figure.save(target, optimize=True)
