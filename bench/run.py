"""Render-speed benchmark: every number taken in one run on this machine, as ratios.

    .venv/bin/python bench/run.py                 # everything (about half an hour on 2 cores)
    .venv/bin/python bench/run.py --quick         # 480p15 only, no 1080p60
    .venv/bin/python bench/run.py --scenes NeuronChain CostTree

Prints a table and writes it, with the machine's description, to bench/results/. The main unit
is the render ratio: wall seconds of rendering per second of video (lower is faster).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
QUALITIES = {"480p15": ("-ql", "low", 854, 480, 15), "1080p60": ("-qh", "high", 1920, 1080, 60)}


def machine() -> dict[str, str]:
    cpu = "unknown"
    if Path("/proc/cpuinfo").exists():
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    if Path("/proc/meminfo").exists():
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 2**20:.1f} GiB"
    import manim

    return {
        "host": platform.node(),
        "system": platform.platform(),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "python": platform.python_version(),
        "manim": manim.__version__,
        "pyav": av.__version__,
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def timed_child(args: list[str], env: dict | None = None, cwd: Path = ROOT) -> tuple[float, float]:
    """Run a command; return (wall seconds, peak resident memory of it in MiB)."""
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, env={**os.environ, **(env or {})},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{process.stderr.read().decode()[-2000:]}")
    return wall, usage.ru_maxrss / 1024


def video_seconds(path: Path) -> tuple[float, int]:
    """(duration, frame count) of a video file."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = stream.frames or sum(1 for _ in container.decode(stream))
        return frames / float(stream.average_rate), frames


def scene_files() -> dict[str, str]:
    import scenes

    return {name: module.replace(".", "/") + ".py" for name, module in scenes.LESSON.items()}


def render_scenes(names: list[str], quality: str, work: Path) -> list[dict]:
    """Each scene rendered cold (own empty media dir, no cache) by plain `manim render`."""
    flag = QUALITIES[quality][0]
    rows = []
    for name in names:
        media = work / f"{quality}-{name}"
        wall, peak = timed_child([str(BIN / "manim"), "render", flag, "--disable_caching", "--media_dir", str(media),
                                  scene_files()[name], name])
        seconds, frames = video_seconds(next(media.rglob(f"videos/**/{name}.mp4")))
        rows.append({"scene": name, "quality": quality, "wall": wall, "video": seconds, "frames": frames,
                     "ratio": wall / seconds, "peak_mib": peak})
        print(f"  {name:<28} {quality}: {wall:7.1f} s for {seconds:6.1f} s of video = {wall / seconds:5.2f}",
              file=sys.stderr)
    return rows


def encoding_ceiling(frames: int, quality: str, sample: Path) -> float:
    """Seconds to encode ``frames`` ready-made frames with Manim's encoder settings."""
    from manim import config, tempconfig
    from manim._config.video_encoder import resolve_video_encoder  # noqa: F401 (settings below)

    _, name, width, height, rate = QUALITIES[quality]
    with av.open(str(sample)) as container:  # real frames of the lesson, decoded up front
        pool = [f.to_ndarray(format="rgb24") for _, f in zip(range(120), container.decode(video=0))]
    pool = [np.ascontiguousarray(np.array(av.VideoFrame.from_ndarray(p).reformat(width, height).to_ndarray(
        format="rgb24"))) for p in pool]
    with tempconfig({"quality": f"{name}_quality"}):
        codec, pix_fmt = "libx264", "yuv420p"
        options = {"crf": "23"}
        out = tempfile.mktemp(suffix=".mp4")
        start = time.perf_counter()
        with av.open(out, "w") as container:
            stream = container.add_stream(codec, rate=rate, options=options)
            stream.width, stream.height, stream.pix_fmt = width, height, pix_fmt
            for i in range(frames):
                frame = av.VideoFrame.from_ndarray(pool[i % len(pool)], format="rgb24")
                for packet in stream.encode(frame):
                    container.mux(packet)
            for packet in stream.encode():
                container.mux(packet)
        seconds = time.perf_counter() - start
        os.unlink(out)
    del config
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="480p15 only")
    parser.add_argument("--scenes", nargs="+", help="only these scenes (default: the whole lesson)")
    args = parser.parse_args()
    print("bench/run.py is being written", file=sys.stderr)


if __name__ == "__main__":
    main()
