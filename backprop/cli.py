"""The ``backprop`` command.

``backprop values [--config PATH] [--json]`` prints every value the lesson shows for a config,
so a teacher can check the numbers before rendering.

``backprop lesson [--config PATH] [--quality low|medium|high|4k] [--jobs N] [--only SCENE...]
[--out DIR] [--format mp4|webm|gif] [--transparent]`` renders the whole lesson into one folder
(clips, subtitles, posters, values.json, index.html): see :mod:`backprop.lesson`.

``backprop exercises --students N [--seed S] [--config BASE] --out DIR [--videos] [--quality Q]
[--scheduler tcp://HOST:PORT]`` writes a worksheet per student and the answer key, and with
``--videos`` every student's lesson: see :mod:`backprop.exercises`.

``backprop storyboard [--config PATH] [--only SCENE...] --out DIR [--quality low|medium|high|4k]
[--jobs N] [--tile-width PX]`` writes one contact sheet per scene: the frame at the end of each
animation (each narration moment) with its text: see :mod:`backprop.storyboard`.

A bad config prints one line and exits 2, before anything is written. Manim is imported only by
``lesson`` and ``storyboard`` (in their worker processes), so ``values`` stays fast.
"""

from __future__ import annotations

import argparse
import json
import sys

from backprop.errors import Interrupted, LessonError
from lessonmodel.config import ConfigError, load_config
from lessonmodel.fmt import decimals_for, format_number
from lessonmodel.values import lesson_values

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="backprop", description="The backpropagation-calculus lesson.")
    commands = parser.add_subparsers(dest="command", required=True)
    values = commands.add_parser("values", help="print every value the lesson shows for a config")
    values.add_argument("--config", metavar="PATH", help="lesson config (default: $BACKPROP_CONFIG or the shipped one)")
    values.add_argument("--json", action="store_true", help="print JSON instead of a table")
    lesson = commands.add_parser(
        "lesson",
        help="render the whole lesson: clips, subtitles, posters, values.json and index.html",
        description="Render every scene of the lesson, in story order, into one folder: a clip per idea "
        "with its poster and subtitles, the joined lesson video, values.json and index.html.",
    )
    lesson.add_argument("--config", metavar="PATH", help="lesson config (default: $BACKPROP_CONFIG or the shipped one)")
    lesson.add_argument("--quality", choices=["low", "medium", "high", "4k"], default="medium",
                        help="480p15, 720p30 (default), 1080p60 or 2160p60")
    lesson.add_argument("--jobs", type=_positive, metavar="N",
                        help="scenes rendered at once (default: the machine's cores)")
    lesson.add_argument("--only", nargs="+", metavar="SCENE", help="render only these scenes (kept in story order)")
    lesson.add_argument("--out", metavar="DIR", default="media/lesson",
                        help="the lesson folder (default: media/lesson)")
    lesson.add_argument("--format", choices=["mp4", "webm", "gif"], default=None,
                        help="clip format (default mp4; webm with --transparent)")
    lesson.add_argument("--transparent", action="store_true",
                        help="transparent background, for overlays: VP9 WebM with alpha (MOV with --format mp4)")
    lesson.add_argument("--tiny", action="store_true", help=argparse.SUPPRESS)  # 192x108 at 5 fps, for the tests
    ex = commands.add_parser(
        "exercises",
        help="a worksheet with numbers of their own for every student, the answer key, and their lessons",
        description="Write DIR/NN/config.toml and DIR/NN/worksheet.pdf for each student, DIR/answers.pdf with "
        "every answer worked out, and with --videos each student's lesson in DIR/NN/lesson/.",
    )
    ex.add_argument("--students", type=int, required=True, metavar="N", help="how many students (1 to 999)")
    ex.add_argument("--seed", type=int, default=0, metavar="S", help="the class's seed: student i gets seed S + i")
    ex.add_argument("--config", metavar="BASE", help="base config: the structure every student shares")
    ex.add_argument("--out", metavar="DIR", required=True, help="the class's folder")
    ex.add_argument("--videos", action="store_true", help="also render every student's lesson into DIR/NN/lesson/")
    ex.add_argument("--quality", choices=["low", "medium", "high", "4k"], default="medium",
                    help="of the lessons: 480p15, 720p30 (default), 1080p60 or 2160p60")
    ex.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                    help="render on this Dask cluster (one task per student and scene) instead of local processes")
    ex.add_argument("--jobs", type=_positive, metavar="N",
                    help="local processes per lesson (default: the machine's cores)")
    ex.add_argument("--only", nargs="+", metavar="SCENE", help="render only these scenes")
    ex.add_argument("--tiny", action="store_true", help=argparse.SUPPRESS)
    board = commands.add_parser(
        "storyboard",
        help="write one contact sheet per scene: the frame at each narration moment, with its text",
        description="Render the scenes (or reuse the lesson's renders) and write, per scene, one PNG: for each "
        "idea its narration and the frame at the end of each of its animations, labelled with the idea and "
        "the time in its clip.",
    )
    board.add_argument("--config", metavar="PATH", help="lesson config (default: $BACKPROP_CONFIG or the shipped one)")
    board.add_argument("--only", nargs="+", metavar="SCENE", help="only these scenes (kept in story order)")
    board.add_argument("--out", metavar="DIR", required=True, help="folder for the sheets (NN_Scene.png)")
    board.add_argument("--quality", choices=["low", "medium", "high", "4k"], default="low",
                       help="render quality: 480p15 (default), 720p30, 1080p60 or 2160p60")
    board.add_argument("--jobs", type=_positive, metavar="N",
                       help="scenes rendered at once (default: the machine's cores)")
    board.add_argument("--tile-width", type=_positive, metavar="PX", default=320,
                       help="width of each frame on the sheet (default: 320)")
    board.add_argument("--tiny", action="store_true", help=argparse.SUPPRESS)  # 192x108 at 5 fps, for the tests
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _table(values: dict[str, dict[str, float]]) -> str:
    lines = []
    for section, named in values.items():
        lines.append(f"[{section}]")
        width = max(map(len, named))
        lines += [f"  {name:<{width}}  {format_number(v, decimals_for(name)):>9}" for name, v in named.items()]
        lines.append("")
    return "\n".join(lines)


def _values(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    values = lesson_values(cfg)
    if args.json:
        print(json.dumps({"config": cfg.path, "values": values}, indent=2))
    else:
        print(f"# values for {cfg.path}\n")
        print(_table(values), end="")
    return 0


def _lesson(args: argparse.Namespace) -> int:
    from backprop.lesson import Interrupted, LessonError, SceneFailed, build_lesson

    fmt = args.format or ("webm" if args.transparent else "mp4")
    try:
        build_lesson(args.config, quality=args.quality, jobs=args.jobs, only=args.only, out=args.out, fmt=fmt,
                     transparent=args.transparent, tiny=args.tiny)
    except SceneFailed as error:
        if error.details:
            print(error.details.rstrip(), file=sys.stderr)
        print(f"backprop: error: {error}", file=sys.stderr)
        print(f"backprop: the lesson folder {args.out} was left as it was", file=sys.stderr)
        return 1
    except LessonError as error:
        print(f"backprop: error: {error}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, Interrupted):
        print(f"\nbackprop: interrupted; the lesson folder {args.out} was left as it was", file=sys.stderr)
        return 130
    return 0


def _storyboard(args: argparse.Namespace) -> int:
    from backprop.lesson import Interrupted, LessonError, SceneFailed
    from backprop.storyboard import build_storyboards

    try:
        build_storyboards(args.config, out=args.out, only=args.only, quality=args.quality, tiny=args.tiny,
                          jobs=args.jobs, tile_width=args.tile_width)
    except SceneFailed as error:
        if error.details:
            print(error.details.rstrip(), file=sys.stderr)
        print(f"backprop: error: {error}", file=sys.stderr)
        return 1
    except LessonError as error:
        print(f"backprop: error: {error}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, Interrupted):
        print("\nbackprop: interrupted", file=sys.stderr)
        return 130
    return 0


def _exercises(args: argparse.Namespace) -> int:
    from backprop.exercises import write_exercises

    try:
        report = write_exercises(args.out, args.students, args.seed, args.config, videos=args.videos,
                                 quality=args.quality, scheduler=args.scheduler, jobs=args.jobs, tiny=args.tiny,
                                 only=args.only)
    except LessonError as error:
        print(f"backprop: error: {error}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, Interrupted):
        print(f"\nbackprop: interrupted; the students' folders in {args.out} were left as they were", file=sys.stderr)
        return 130
    done = len(report.students) - len(report.failed)
    print(f"exercises for {done} student(s) written to {report.out} (worksheets, answers.pdf"
          + (", lessons" if args.videos else "") + ")", file=sys.stderr)
    for name, reason in report.failed.items():
        print(f"backprop: error: student {name} failed: {reason}", file=sys.stderr)
    if report.failed:
        print(f"backprop: {len(report.failed)} student(s) failed ({', '.join(report.failed)}); their folders were "
              "left as they were", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return {"values": _values, "lesson": _lesson, "storyboard": _storyboard,
                "exercises": _exercises}[args.command](args)
    except ConfigError as error:
        print(f"backprop: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
