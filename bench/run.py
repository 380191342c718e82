"""Render-speed benchmark of the lesson, every number taken in one run on this machine.

    .venv/bin/python bench/run.py            # 480p15 and 1080p60 (about an hour on 2 cores)
    .venv/bin/python bench/run.py --quick    # 480p15 only (a few minutes)
    .venv/bin/python bench/run.py --quality 1080p60

The unit is the render ratio: wall seconds of rendering per second of video (lower is faster).
Measured, for each quality: every scene rendered cold by plain ``manim render`` (one process),
the whole lesson by ``backprop lesson`` (all cores), and the encoding ceiling: the same number
of frames at the same size encoded with Manim's own encoder settings from frames already in
memory, the floor no renderer can beat. At 480p15 also: the lesson rebuilt with nothing changed
(warm) and after changing one [chain] value, and where a scene's time goes (nncore, typesetting,
drawing frames, encoding). Peak memory is the largest resident size of any render process.

Results are printed and written, with the machine's description, to bench/results/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
# name: (manim flag, backprop lesson --quality, width, height, frames per second)
QUALITIES = {"480p15": ("-ql", "low", 854, 480, 15), "1080p60": ("-qh", "high", 1920, 1080, 60)}


def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor() or "unknown")
    memory = next((f"{int(line.split()[1]) / 2**20:.1f} GiB" for line in _lines("/proc/meminfo")
                   if line.startswith("MemTotal")), "unknown")
    import manim

    return {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "host": platform.node(),
            "system": platform.platform(), "cpu": cpu, "cores": str(os.cpu_count()), "memory": memory,
            "python": platform.python_version(), "manim": manim.__version__, "pyav": av.__version__,
            "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg())}


def _lines(path: str) -> list[str]:
    return Path(path).read_text().splitlines() if Path(path).exists() else []


def timed(args: list[str], env: dict | None = None) -> tuple[float, float]:
    """Run a command from the project root: (wall seconds, peak resident MiB of it and its children)."""
    with tempfile.TemporaryFile() as log:  # a file, not a pipe: a full pipe would stall the render
        start = time.perf_counter()
        process = subprocess.Popen(args, cwd=ROOT, env={**os.environ, **(env or {})},
                                   stdout=subprocess.DEVNULL, stderr=log)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            log.seek(0)
            sys.exit(f"bench: failed: {' '.join(args)}\n{log.read().decode(errors='replace')[-3000:]}")
    return wall, usage.ru_maxrss / 1024


def video_info(path: Path) -> tuple[float, int]:
    """(seconds, frames) of a video."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = stream.frames or sum(1 for _ in container.decode(stream))
        return frames / float(stream.average_rate), frames


def scene_renders(quality: str, work: Path) -> list[dict]:
    """Each scene rendered cold by plain ``manim render`` (own media dir, no cache)."""
    import scenes

    rows = []
    for name, module in scenes.LESSON.items():
        media = work / f"{quality}-{name}"
        wall, peak = timed([str(BIN / "manim"), "render", QUALITIES[quality][0], "--disable_caching",
                            "--media_dir", str(media), module.replace(".", "/") + ".py", name])
        seconds, frames = video_info(next(media.rglob(f"{name}.mp4")))
        rows.append({"what": name, "wall": wall, "video": seconds, "frames": frames, "peak": peak})
        say(f"{quality} {name}: {wall:.1f} s for {seconds:.1f} s of video")
    return rows


def lesson_build(quality: str, out: Path, config: Path | None = None, voice: str = "none") -> dict:
    args = [str(BIN / "backprop"), "lesson", "--quality", QUALITIES[quality][1], "--out", str(out), "--voice", voice]
    wall, peak = timed(args + (["--config", str(config)] if config else []))
    seconds, frames = video_info(out / "lesson.mp4")
    say(f"{quality} lesson (voice {voice}): {wall:.1f} s for {seconds:.1f} s of video")
    return {"wall": wall, "video": seconds, "frames": frames, "peak": peak}


def encoding_ceiling(quality: str, frames: int, sample: Path) -> float:
    """Seconds for Manim's encoder (same codec, pixel format and options) to encode ``frames``
    RGBA frames of the quality's size, held in memory: a run of consecutive frames from the middle
    of the lesson, played forward and back, so that frame-to-frame change is like an animation's."""
    from manim._config.video_encoder import VideoEncoderSpec
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    _, _, width, height, rate = QUALITIES[quality]
    with av.open(str(sample)) as container:
        stream = container.streams.video[0]
        container.seek(int(stream.duration / 2) if stream.duration else 0, stream=stream)
        run = []
        for frame in container.decode(stream):
            run.append(np.ascontiguousarray(frame.reformat(width, height, "rgba").to_ndarray()))
            if len(run) == 4 * rate:
                break
    pool = run + run[-2:0:-1]  # forward, then back: no jump when the pool starts again
    spec = VideoEncoderSpec("mp4", "libx264", "yuv420p", width, height, Fraction(rate), (("crf", "23"),))
    target = Path(tempfile.mkdtemp()) / "ceiling.mp4"
    start = time.perf_counter()
    encoder = VideoSegmentEncoder(target=target, spec=spec)
    for i in range(frames):
        encoder.write_frame(pool[i % len(pool)])
    encoder.finish()
    seconds = time.perf_counter() - start
    shutil.rmtree(target.parent)
    return seconds


def time_shares(work: Path) -> list[dict]:
    """Per scene at 480p15, in this process: wall time and the seconds spent in nncore, in Typst
    typesetting, in drawing frames and in encoding (the encoder runs in its own thread, so the
    shares can add up to more than the wall time)."""
    import manim
    from manim.camera.camera import Camera
    from manim.mobject.text import typst_mobject
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    import nncore
    import scenes

    spent = {"nncore": 0.0, "typesetting": 0.0, "drawing": 0.0, "encoding": 0.0}
    depth = threading.local()

    def clock(kind, function):
        @functools.wraps(function)  # inspect still finds the source (GeneralRecursion shows it)
        def timed_call(*args, **kwargs):
            if getattr(depth, kind, 0):  # nested call: counted by the outer one
                return function(*args, **kwargs)
            setattr(depth, kind, 1)
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[kind] += time.perf_counter() - start
                setattr(depth, kind, 0)
        return timed_call

    for method in ("forward", "backward", "cost", "with_parameters"):
        setattr(nncore.Network, method, clock("nncore", getattr(nncore.Network, method)))
    for module in (nncore, nncore.chainrule, nncore.descent):
        for name in nncore.__all__:
            if callable(getattr(module, name, None)) and not isinstance(getattr(module, name), type):
                setattr(module, name, clock("nncore", getattr(module, name)))
    typst_mobject.MathTypst.__init__ = clock("typesetting", typst_mobject.MathTypst.__init__)
    Camera.capture_mobjects = clock("drawing", Camera.capture_mobjects)
    VideoSegmentEncoder.write_frame = clock("encoding", VideoSegmentEncoder.write_frame)
    VideoSegmentEncoder.finish = clock("encoding", VideoSegmentEncoder.finish)

    rows = []
    for name in scenes.LESSON:
        for kind in spent:
            spent[kind] = 0.0
        with manim.tempconfig({"quality": "low_quality", "media_dir": str(work / f"shares-{name}"),
                               "disable_caching": True, "verbosity": "WARNING", "progress_bar": "none"}):
            start = time.perf_counter()
            scene = getattr(scenes, name)()
            scene.render()
            wall = time.perf_counter() - start
        rows.append({"what": name, "wall": wall, **spent})
        say(f"shares {name}: " + ", ".join(f"{k} {v:.1f} s" for k, v in spent.items()) + f" of {wall:.1f} s")
    return rows


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def ratio_table(rows: list[dict], ceiling: dict | None = None) -> list[str]:
    lines = ["| what | render s | video s | ratio | peak MiB |", "|---|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['what']} | {r['wall']:.1f} | {r['video']:.1f} | {r['wall'] / r['video']:.2f} | "
                     f"{r['peak']:.0f} |")
    if ceiling:
        lines.append(f"| encoding ceiling ({ceiling['frames']} frames) | {ceiling['wall']:.1f} | "
                     f"{ceiling['video']:.1f} | {ceiling['wall'] / ceiling['video']:.2f} | |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="480p15 only")
    parser.add_argument("--quality", choices=list(QUALITIES), action="append", help="only this quality (repeatable)")
    args = parser.parse_args()
    qualities = args.quality or (["480p15"] if args.quick else list(QUALITIES))
    info = machine()
    report = ["# Render benchmark", "", "| machine | |", "|---|---|", *[f"| {k} | {v} |" for k, v in info.items()], ""]
    work = Path(tempfile.mkdtemp(prefix="backprop-bench-"))
    try:
        for quality in qualities:
            rows = scene_renders(quality, work)
            lesson = lesson_build(quality, work / f"{quality}-lesson" / "lesson")
            seconds = encoding_ceiling(quality, lesson["frames"], work / f"{quality}-lesson" / "lesson" / "lesson.mp4")
            ceiling = {"wall": seconds, "video": lesson["video"], "frames": lesson["frames"]}
            scenes_total = {"what": "all scenes, one after another", "wall": sum(r["wall"] for r in rows),
                            "video": sum(r["video"] for r in rows), "peak": max(r["peak"] for r in rows)}
            voiced = lesson_build(quality, work / f"{quality}-voiced" / "lesson", voice="espeak")
            report += [f"## {quality}", "", *ratio_table(rows + [
                scenes_total, {"what": "`backprop lesson` (all cores)", **lesson},
                {"what": "`backprop lesson --voice espeak` (all cores, speech synthesized)", **voiced}], ceiling), ""]
            if quality == "480p15":
                out = work / f"{quality}-lesson" / "lesson"
                warm = lesson_build(quality, out)
                changed_config = work / "changed.toml"
                changed_config.write_text("[chain]\ninput = 0.6\n")
                changed = lesson_build(quality, out, changed_config)
                report += ["| rebuild of the lesson | wall s |", "|---|---:|",
                           f"| cold (empty caches) | {lesson['wall']:.1f} |",
                           f"| warm (nothing changed) | {warm['wall']:.1f} |",
                           f"| one [chain] value changed | {changed['wall']:.1f} |", ""]
                shares = time_shares(work)
                report += ["### Where a scene's time goes (480p15, one process)", "",
                           "| scene | wall s | nncore | typesetting | drawing frames | encoding (own thread) |",
                           "|---|---:|---:|---:|---:|---:|"]
                for r in shares:
                    cells = " | ".join(f"{r[k]:.1f} s ({r[k] / r['wall']:.0%})"
                                       for k in ("nncore", "typesetting", "drawing", "encoding"))
                    report.append(f"| {r['what']} | {r['wall']:.1f} | {cells} |")
                report.append("")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = "\n".join(report) + "\n"
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d-%H%M") + f"-{platform.node() or 'machine'}.md"
    (RESULTS / name).write_text(text)
    say(f"written to {RESULTS / name}")


if __name__ == "__main__":
    main()
