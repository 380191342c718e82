"""Render-speed benchmark of the lesson, every number taken in one run on this machine.

    .venv/bin/python bench/run.py            # 480p15 and 1080p60, silent and voiced (about 40 min on 2 cores)
    .venv/bin/python bench/run.py --quick    # 480p15 only (a few minutes)
    .venv/bin/python bench/run.py --quality 1080p60 --only CostOfOneExample ChainRule --before main
    .venv/bin/python bench/run.py --encoders # only: x264 settings compared on a scene's 1080p frames
    .venv/bin/python bench/run.py --sizes --quality 480p15  # only: each clip's bytes, Manim's encoder and the lesson's

The unit is the render ratio: wall seconds of rendering per second of video (lower is faster).
Measured, for each quality: the whole lesson by ``backprop lesson`` (all cores), silent
(``--voice none``) and voiced (the default voice, Piper's en_US-joe-medium, every cue synthesized
in that build: the voice cache starts empty too), the voiced build's wall and CPU time against the
silent one's, the synthesis rate (seconds of speech per CPU second, as the build reports it), the
encoding ceiling (the same number of frames at the same size encoded from frames already in memory,
with Manim's x264 settings and with the lesson's: the floor no renderer can beat), and the share
of the workers' time that was busy (``backprop lesson`` reports it; the rest is the cores' idle
share). At 480p15 also: the lesson rebuilt with nothing changed (warm, silent and voiced) and after
changing one [chain] value. With ``--scenes``: every scene rendered cold by plain ``manim render``
(one process) and, at 480p15, where a scene's time goes (nncore, typesetting, drawing frames,
encoding). Peak memory is the largest resident size of any render process.

Also: the cost of a second of static hold against a second of motion at 1080p60, with Manim's
encoder and with the lesson's: one scene rendered in this process, the CPU of each ``play`` (its
drawing and its segment's encoding) summed over the waits and over the animations, each divided
by their seconds of video.

On a machine shared with other work, wall times follow the load: each build also reports its CPU
seconds (the build and its worker processes), and ``--before REV`` renders the same lesson with
the code of a git revision (``PYTHONPATH``, the same environment) in the same run, for a fair
before/after. ``--only`` limits the lesson to some scenes.

Results are printed and written, with the machine's description, to bench/results/.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from fractions import Fraction
from pathlib import Path
from typing import Iterator

import av
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
# name: (manim flag, backprop lesson --quality, width, height, frames per second)
QUALITIES = {"480p15": ("-ql", "low", 854, 480, 15), "720p30": ("-qm", "medium", 1280, 720, 30),
             "1080p60": ("-qh", "high", 1920, 1080, 60)}


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


def timed(args: list[str], env: dict | None = None) -> dict:
    """Run a command from the project root: its wall and CPU seconds (with its children), peak
    resident MiB of it or a child, and what it wrote on stderr."""
    with tempfile.TemporaryFile() as log:  # a file, not a pipe: a full pipe would stall the render
        start = time.perf_counter()
        process = subprocess.Popen(args, cwd=ROOT, env={**os.environ, **(env or {})},
                                   stdout=subprocess.DEVNULL, stderr=log)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        log.seek(0)
        stderr = log.read().decode(errors="replace")
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"bench: failed: {' '.join(args)}\n{stderr[-3000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak": usage.ru_maxrss / 1024, "stderr": stderr}


def video_info(path: Path) -> tuple[float, int]:
    """(seconds, frame periods) of a video: a held frame, encoded once, counts once per period."""
    from backprop.media import duration_of

    with av.open(str(path)) as container:
        rate = container.streams.video[0].base_rate
    seconds = duration_of(path)
    return seconds, round(seconds * rate)


def video_bytes(folder: Path) -> int:
    """Total size of the clips of a lesson folder."""
    return sum(p.stat().st_size for p in folder.glob("[0-9][0-9]_*.mp4"))


def narration_pace(folder: Path) -> dict:
    """The lesson's cues (``lesson.srt``): how many, the longest, and their characters per second
    over their time on screen (the most and the mean)."""
    from backprop.media import read_srt

    cues = read_srt(folder / "lesson.srt")
    rates = [len(c.text.replace("\n", " ")) / (c.end - c.start) for c in cues]
    return {"cues": len(cues), "longest": max(len(c.text.replace("\n", " ")) for c in cues),
            "fastest": max(rates), "mean_rate": sum(rates) / len(rates)}


def pace_table(builds: list[dict]) -> list[str]:
    lines = ["| build | cues | longest cue (characters) | characters/s, fastest | characters/s, mean | video s |",
             "|---|---:|---:|---:|---:|---:|"]
    for b in builds:
        p = b["pace"]
        lines.append(f"| {b['what']} | {p['cues']} | {p['longest']} | {p['fastest']:.1f} | {p['mean_rate']:.1f} | "
                     f"{b['video']:.1f} |")
    return lines


def scene_renders(quality: str, work: Path) -> list[dict]:
    """Each scene rendered cold by plain ``manim render`` (own media dir, no cache)."""
    import scenes

    rows = []
    for name, module in scenes.LESSON.items():
        media = work / f"{quality}-{name}"
        run = timed([str(BIN / "manim"), "render", QUALITIES[quality][0], "--disable_caching",
                     "--media_dir", str(media), module.replace(".", "/") + ".py", name])
        seconds, frames = video_info(next(media.rglob(f"{name}.mp4")))
        rows.append({"what": name, "video": seconds, "frames": frames} | run)
        say(f"{quality} {name}: {run['wall']:.1f} s for {seconds:.1f} s of video")
    return rows


BUSY = re.compile(r"on (\d+) worker\(s\): busy (\d+)% of the workers' time")
SYNTHESIS = re.compile(r"voice (\S+): (\d+) cue\(s\) synthesized \(([\d.]+) s of speech in ([\d.]+) CPU s")


def lesson_build(quality: str, out: Path, config: Path | None = None, only: list[str] | None = None,
                 code: Path | None = None, voice: str = "none") -> dict:
    """``backprop lesson`` at ``quality`` into ``out`` with ``voice``; with ``code``, the code of that
    folder (an exported git revision) instead of this checkout's."""
    args = [str(BIN / "backprop"), "lesson", "--quality", QUALITIES[quality][1], "--out", str(out)]
    knows_voices = code is None or "--voice" in (code / "backprop" / "cli.py").read_text(encoding="utf-8")
    args += ["--voice", voice] if knows_voices else []  # a revision from before voices is silent, with no --voice
    args += (["--config", str(config)] if config else []) + (["--only", *only] if only else [])
    run = timed(args, {"PYTHONPATH": str(code)} if code else None)
    seconds, frames = video_info(out / "lesson.mp4")
    busy = BUSY.search(run["stderr"])
    say(f"{quality} lesson{' (' + str(code.name) + ')' if code else ''} (voice {voice}): {run['wall']:.1f} s "
        f"({run['cpu']:.1f} CPU s) for {seconds:.1f} s of video")
    spoken = SYNTHESIS.search(run["stderr"])
    synthesis = {"cues": int(spoken.group(2)), "speech": float(spoken.group(3)),
                 "speech_cpu": float(spoken.group(4))} if spoken else {}
    return {"video": seconds, "frames": frames, "bytes": video_bytes(out), "synthesis": synthesis,
            "pace": narration_pace(out),
            "workers": int(busy.group(1)) if busy else None, "busy": int(busy.group(2)) / 100 if busy else None} | run


def voice_report(silent: dict, voiced: dict, warm: dict | None = None) -> list[str]:
    """The voiced build against the silent one (same run), and its synthesis rate."""
    lines = ["| voiced against silent, cold | wall | CPU | video |", "|---|---:|---:|---:|",
             f"| voiced / silent | {voiced['wall'] / silent['wall']:.2f} | {voiced['cpu'] / silent['cpu']:.2f} | "
             f"{voiced['video'] / silent['video']:.2f} |", ""]
    if speech := voiced["synthesis"]:
        lines += [f"Synthesis: {speech['cues']} cues, {speech['speech']:.1f} s of speech in {speech['speech_cpu']:.1f} "
                  f"CPU s: {speech['speech'] / speech['speech_cpu']:.1f} s of speech per CPU second (each worker one "
                  "onnxruntime thread).", ""]
    if warm:
        lines += [f"Voiced rebuild, nothing changed: {warm['wall']:.1f} s wall, {warm['cpu']:.1f} CPU s, "
                  f"{warm['synthesis'].get('cues', 0)} cues synthesized.", ""]
    return lines


def exported(revision: str, work: Path) -> Path:
    """The project's files at a git ``revision``, in a folder of ``work``."""
    folder = work / f"code-{revision.replace('/', '-')}"
    folder.mkdir()
    archive = subprocess.run(["git", "archive", revision], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def encoding_ceiling(quality: str, frames: int, sample: Path, ours: bool = False) -> float:
    """Seconds for Manim's encoder (same codec, pixel format and options), or with ``ours`` the
    lesson's (:class:`lessonvideo.segment_encoder.HoldingSegmentEncoder`), to encode ``frames``
    RGBA frames of the quality's size, held in memory: a run of consecutive frames from the middle
    of the lesson, played forward and back, so that frame-to-frame change is like an animation's."""
    from manim._config.video_encoder import VideoEncoderSpec
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    from lessonvideo.segment_encoder import HoldingSegmentEncoder, with_lesson_options

    _, _, width, height, rate = QUALITIES[quality]
    with av.open(str(sample)) as container:
        stream = container.streams.video[0]
        container.seek(int(stream.duration / 2) if stream.duration else 0, stream=stream)
        run = []
        for frame in container.decode(stream):
            image = np.ascontiguousarray(frame.reformat(width, height, "rgba").to_ndarray())
            if not run or not np.array_equal(image, run[-1]):  # moving frames only
                run.append(image)
            if len(run) == 4 * rate:
                break
    pool = run + run[-2:0:-1]  # forward, then back: no jump when the pool starts again
    spec = VideoEncoderSpec("mp4", "libx264", "yuv420p", width, height, Fraction(rate), (("crf", "23"),))
    spec = with_lesson_options(spec, {}) if ours else spec
    target = Path(tempfile.mkdtemp()) / "ceiling.mp4"
    start = time.perf_counter()
    encoder = (HoldingSegmentEncoder if ours else VideoSegmentEncoder)(target=target, spec=spec)
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

    import scenes

    spent = {"nncore": 0.0, "typesetting": 0.0, "drawing": 0.0, "encoding": 0.0}
    clock_the_parts(spent)
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


def clock_the_parts(spent: dict[str, float]) -> None:
    """Wrap, in this process, nncore's functions, Typst's typesetting, Manim's drawing of frames
    and its encoder, so that each call adds its seconds to ``spent[kind]`` (a nested call of the
    same kind is counted once, by the outer one)."""
    from manim.camera.camera import Camera
    from manim.mobject.text import typst_mobject
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    import nncore

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


@contextlib.contextmanager
def encoder_of(manim_encoder: bool) -> Iterator[None]:
    """Scenes rendered in this process meanwhile use Manim's own encoder (x264 medium, CRF 23,
    every repeat of a held frame encoded) with ``manim_encoder``, else the lesson's."""
    from lessonvideo.safe_output import AtomicFileWriter

    original = AtomicFileWriter._holds_frames
    if manim_encoder:
        AtomicFileWriter._holds_frames = lambda self: False
    try:
        yield
    finally:
        AtomicFileWriter._holds_frames = original


def hold_and_motion_cost(scene_name: str, work: Path, manim_encoder: bool = False) -> dict:
    """CPU seconds per second of video at 1080p60 spent on the scene's static holds (its waits)
    and on its motion (every other ``play``), in one render in this process: each ``play`` is
    timed from its start to its end, its segment encoded by then (with one encoder in flight,
    Manim's default, a segment's encoder thread is joined when the segment closes).
    Typesetting and building mobjects between plays is counted in neither. ``manim_encoder``: with
    Manim's own encoder, as before held frames were encoded once."""
    import manim
    from manim import Wait
    from manim.renderer.cairo_renderer import CairoRenderer

    import scenes

    original_play = CairoRenderer.play
    spent = {"hold": [0.0, 0.0], "motion": [0.0, 0.0]}  # CPU s, video s

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread of the process
        return usage.ru_utime + usage.ru_stime

    def timed_play(self, scene, *args, **kwargs):
        before, start = cpu(), self.time
        try:
            return original_play(self, scene, *args, **kwargs)
        finally:
            animations = scene.animations or []
            kind = "hold" if len(animations) == 1 and isinstance(animations[0], Wait) else "motion"
            spent[kind][0] += cpu() - before
            spent[kind][1] += self.time - start

    CairoRenderer.play = timed_play
    try:
        media = work / f"cost-{scene_name}-{manim_encoder}"
        with encoder_of(manim_encoder), manim.tempconfig({
                "quality": "high_quality", "media_dir": str(media), "disable_caching": True, "verbosity": "WARNING",
                "progress_bar": "none", "max_inflight_encoders": 1}):
            getattr(scenes, scene_name)().render()
    finally:
        CairoRenderer.play = original_play
    hold, motion = (spent[k][0] / spent[k][1] for k in ("hold", "motion"))
    say(f"1080p60 {scene_name} ({'Manim' if manim_encoder else 'lesson'} encoder): a static second "
        f"{hold:.3f} CPU s ({spent['hold'][1]:.1f} s of holds), a second of motion {motion:.3f} CPU s "
        f"({spent['motion'][1]:.1f} s)")
    return {"hold": hold, "motion": motion, "hold seconds": spent["hold"][1], "motion seconds": spent["motion"][1]}


def section_clips(scene_name: str, quality: str, media: Path, manim_encoder: bool = False) -> dict[str, int]:
    """Bytes of each section clip of ``scene_name`` rendered at ``quality`` in this process, with the
    lesson's encoder or (``manim_encoder``) Manim's: x264 medium, CRF 23, every repeat encoded."""
    import manim

    import scenes

    with encoder_of(manim_encoder), manim.tempconfig({
            "quality": f"{QUALITIES[quality][1]}_quality", "media_dir": str(media), "disable_caching": True,
            "save_sections": True, "verbosity": "WARNING", "progress_bar": "none"}):
        scene = getattr(scenes, scene_name)()
        scene.render()
        folder = Path(scene.renderer.file_writer.output_plan.sections_dir)
    return {p.stem: p.stat().st_size for p in sorted(folder.glob(f"{scene_name}_*.mp4"))}


def size_report(quality: str, work: Path, only: list[str] | None) -> list[str]:
    """Every section clip of the lesson (or of ``only``'s scenes) at ``quality``, its bytes with
    Manim's encoder and with the lesson's, the same scenes and config."""
    import scenes
    from lessonvideo.segment_encoder import lesson_x264_options

    lesson = ", ".join(f"{key} {value}" for key, value in lesson_x264_options(QUALITIES[quality][3]))
    lines = [f"## Clip sizes at {quality}: Manim's encoder (x264 medium, CRF 23, every repeat encoded) and "
             f"the lesson's ({lesson}, held frames)", "",
             "| clip | Manim's bytes | the lesson's bytes | lesson / Manim |", "|---|---:|---:|---:|"]
    totals = [0, 0]
    for name in only or scenes.LESSON:
        theirs = section_clips(name, quality, work / f"sizes-{quality}-{name}-manim", manim_encoder=True)
        ours = section_clips(name, quality, work / f"sizes-{quality}-{name}-lesson")
        for clip, size in theirs.items():
            lines.append(f"| {clip} | {size} | {ours[clip]} | {ours[clip] / size:.0%} |")
            totals = [totals[0] + size, totals[1] + ours[clip]]
        say(f"sizes {quality} {name}: {sum(ours.values()) / sum(theirs.values()):.0%} of Manim's")
    largest = max(float(line.split("|")[4].strip(" %")) for line in lines[4:])
    lines += [f"| all clips | {totals[0]} | {totals[1]} | {totals[1] / totals[0]:.0%} |", "",
              f"The largest ratio: {largest:.0f} %.", ""]
    return lines


def hold_report(scene_name: str, work: Path) -> list[str]:
    """The cost of a static second against a second of motion, before held frames and now."""
    costs = [("Manim's encoder (before)", hold_and_motion_cost(scene_name, work, manim_encoder=True)),
             ("the lesson's encoder", hold_and_motion_cost(scene_name, work))]
    return [f"## A static second against a second of motion (1080p60, {scene_name}, one process)", "",
            "| encoder | CPU s per second of hold | CPU s per second of motion | hold / motion | "
            "seconds of hold, of motion |", "|---|---:|---:|---:|---:|",
            *[f"| {name} | {c['hold']:.3f} | {c['motion']:.3f} | {c['hold'] / c['motion']:.0%} | "
              f"{c['hold seconds']:.1f}, {c['motion seconds']:.1f} |" for name, c in costs], ""]


def encoder_report(scene_name: str, work: Path) -> list[str]:
    """The encoder comparison of ``bench/encoders.py`` on ``scene_name``'s frames at 1080p60."""
    sys.path.insert(0, str(Path(__file__).parent))
    import encoders

    from lessonvideo.segment_encoder import X264_OPTIONS

    moving, held = encoders.capture(scene_name, work)
    encoders.crop_figure(held, work, RESULTS / "formula-1080p-crop.png")
    encoders.refinements("libx264", {"crf": "23"}, held, work, counts=(1,), say=lambda text: None)  # warm-up
    rows = encoders.compare(moving, held, work, say)
    lesson = dict(X264_OPTIONS)
    return [f"## Encoder settings on {scene_name}'s frames (1080p60, {len(moving)} moving frames, one held)", "",
            *encoders.table(rows, len(moving)), "",
            f"### Refinement copies of a held frame, the lesson's x264 settings ({lesson})", "",
            *encoders.refinements("libx264", lesson, held, work, say=say), ""]


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def ratio_table(rows: list[dict], ceilings: list[dict] = ()) -> list[str]:
    """Wall and CPU seconds per second of video; CPU / 2 is the wall time the work needs on two
    otherwise idle cores, if both stay busy (see the workers' busy share)."""
    lines = ["| what | wall s | CPU s | video s | ratio (wall) | ratio (CPU / 2 cores) | clips MiB | peak MiB |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        size = f"{r['bytes'] / 2**20:.2f}" if r.get("bytes") else ""
        lines.append(f"| {r['what']} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['video']:.1f} | "
                     f"{r['wall'] / r['video']:.3f} | {r['cpu'] / 2 / r['video']:.3f} | {size} | {r['peak']:.0f} |")
    for c in ceilings:
        lines.append(f"| encoding ceiling, {c['what']} ({c['frames']} moving frames) | {c['wall']:.1f} | | "
                     f"{c['video']:.1f} | {c['wall'] / c['video']:.3f} | | | |")
    return lines


def scenes_measured(args: argparse.Namespace) -> str:
    if args.encoders:
        return f"{args.cost_scene} (the encoder comparison only)"
    if args.sizes:
        return (", ".join(args.only) if args.only else "the whole lesson") + " (clip sizes only)"
    return ", ".join(args.only) if args.only else "the whole lesson"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="480p15 only")
    parser.add_argument("--quality", choices=list(QUALITIES), action="append", help="only this quality (repeatable)")
    parser.add_argument("--only", nargs="+", metavar="SCENE", help="render only these scenes of the lesson")
    parser.add_argument("--before", metavar="REV", help="also build the lesson with the code of this git revision")
    parser.add_argument("--scenes", action="store_true", help="also render each scene by plain `manim render`")
    parser.add_argument("--cost-scene", default="CostOfOneExample", help="the scene of the hold/motion cost")
    parser.add_argument("--sizes", action="store_true",
                        help="only: each clip's size with Manim's encoder and with the lesson's, per quality")
    parser.add_argument("--encoders", action="store_true",
                        help="only compare encoder settings on the cost scene's frames at 1080p (bench/encoders.py)")
    return parser.parse_args()


def quality_report(quality: str, work: Path, args: argparse.Namespace, before_code: Path | None) -> list[str]:
    """One quality's part of the report: the lesson built (before, silent, voiced) against the
    encoding ceiling, the workers' busy share, the voice, the narration's pace; at 480p15 the
    rebuilds too, and with ``--scenes`` each scene by plain ``manim render`` and where its time goes."""
    rows = scene_renders(quality, work) if args.scenes else []
    if rows:
        rows.append({"what": "all scenes, one after another", "video": sum(r["video"] for r in rows),
                     **{k: sum(r[k] for r in rows) for k in ("wall", "cpu")},
                     "peak": max(r["peak"] for r in rows)})
    out = work / f"{quality}-lesson" / "lesson"
    builds = []
    if before_code:
        before = lesson_build(quality, work / f"{quality}-before" / "lesson", only=args.only, code=before_code)
        builds.append({"what": f"`backprop lesson` before ({args.before}), all cores"} | before)
    lesson = lesson_build(quality, out, only=args.only)
    builds.append({"what": "`backprop lesson --voice none`, all cores"} | lesson)
    voiced_out = work / f"{quality}-voiced" / "lesson"
    voiced = lesson_build(quality, voiced_out, only=args.only, voice="piper")
    builds.append({"what": "`backprop lesson` voiced (piper, the default), all cores, speech synthesized"} | voiced)
    ceilings = [{"what": name, "wall": encoding_ceiling(quality, lesson["frames"], out / "lesson.mp4", ours),
                 "video": lesson["video"], "frames": lesson["frames"]}
                for name, ours in (("Manim's x264 settings", False), ("the lesson's", True))]
    report = [f"## {quality}", "", *ratio_table(rows + builds, ceilings), ""]
    report += ["| build | workers | busy share of the workers' time | idle share |", "|---|---:|---:|---:|"]
    for b in builds:
        if b["busy"] is not None:
            report.append(f"| {b['what']} | {b['workers']} | {b['busy']:.0%} | {1 - b['busy']:.0%} |")
    report.append("")
    warm_voiced = None if quality != "480p15" else lesson_build(quality, voiced_out, only=args.only, voice="piper")
    report += voice_report(lesson, voiced, warm_voiced)
    report += ["### The narration's pace", "", *pace_table(builds), ""]
    if quality == "480p15":
        report += rebuild_report(quality, out, lesson, work, args.only)
        if args.scenes:
            report += shares_report(work)
    return report


def rebuild_report(quality: str, out: Path, lesson: dict, work: Path, only: list[str] | None) -> list[str]:
    """The lesson of ``out`` (built cold, ``lesson``) built again with nothing changed, then after
    changing one [chain] value."""
    warm = lesson_build(quality, out, only=only)
    changed_config = work / "changed.toml"
    changed_config.write_text("[chain]\ninput = 0.6\n")
    changed = lesson_build(quality, out, changed_config, only=only)
    return ["| rebuild of the lesson | wall s | CPU s |", "|---|---:|---:|",
            f"| cold (empty caches) | {lesson['wall']:.1f} | {lesson['cpu']:.1f} |",
            f"| warm (nothing changed) | {warm['wall']:.1f} | {warm['cpu']:.1f} |",
            f"| one [chain] value changed | {changed['wall']:.1f} | {changed['cpu']:.1f} |", ""]


def shares_report(work: Path) -> list[str]:
    """Where each scene's time goes (:func:`time_shares`), as a table."""
    report = ["### Where a scene's time goes (480p15, one process)", "",
              "| scene | wall s | nncore | typesetting | drawing frames | encoding (own thread) |",
              "|---|---:|---:|---:|---:|---:|"]
    for r in time_shares(work):
        cells = " | ".join(f"{r[k]:.1f} s ({r[k] / r['wall']:.0%})"
                           for k in ("nncore", "typesetting", "drawing", "encoding"))
        report.append(f"| {r['what']} | {r['wall']:.1f} | {cells} |")
    return report + [""]


def main() -> None:
    args = arguments()
    qualities = args.quality or (["480p15"] if args.quick else ["480p15", "1080p60"])
    info = machine()
    report = ["# Render benchmark", "", "| machine | |", "|---|---|", *[f"| {k} | {v} |" for k, v in info.items()],
              f"| scenes | {scenes_measured(args)} |", ""]
    work = Path(tempfile.mkdtemp(prefix="backprop-bench-"))
    if args.encoders:
        qualities = []
    try:
        if args.encoders:
            report += encoder_report(args.cost_scene, work)
        if args.sizes:
            for quality in qualities:
                report += size_report(quality, work, args.only)
            qualities = []
        before_code = exported(args.before, work) if args.before else None
        for quality in qualities:
            report += quality_report(quality, work, args, before_code)
        if not (args.encoders or args.sizes):
            report += hold_report(args.cost_scene, work)
        report += ["", f"Load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", ""]
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
