"""The ``backprop`` command.

``backprop values [--config PATH] [--json]`` prints every value the lesson shows for a config,
so a teacher can check the numbers before rendering.

``backprop lesson [--config PATH] [--quality low|medium|high|4k] [--jobs N] [--only SCENE...]
[--out DIR] [--format mp4|webm|gif] [--transparent] [--voice VOICE]`` renders the whole lesson into one folder
(clips, subtitles, posters, values.json, index.html): see :mod:`backprop.lesson`.

``backprop exercises --students N [--seed S] [--config BASE] --out DIR [--videos] [--quality Q]
[--scheduler tcp://HOST:PORT]`` writes a worksheet per student and the answer key, and with
``--videos`` every student's lesson: see :mod:`backprop.exercises`.

``backprop storyboard [--config PATH] [--only SCENE...] --out DIR [--quality low|medium|high|4k]
[--jobs N] [--tile-width PX] [--voice VOICE]`` writes one contact sheet per scene: the frame at the end of each
animation (each narration moment) with its text: see :mod:`backprop.storyboard`.

``backprop init [PATH] [--example NAME]`` writes a shipped config to PATH, to start from: the
default (squared error) or ``cross_entropy`` (the cross-entropy, on the chain's sigmoid and on the
network's softmax); PATH defaults to ``NAME.toml``.

A bad config prints one line and exits 2, before anything is written; every other failure of
this process (a full disk, a read-only folder) is one line too, with status 1. Manim is imported
only by ``lesson``, ``storyboard`` and ``exercises --videos`` (in their render processes), so
``values`` stays fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from importlib import metadata

from lessonmodel.config import EXAMPLES, ConfigError, load_config, printable
from lessonmodel.fmt import decimals_for, format_number
from lessonmodel.values import Named, lesson_values

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="backprop", description="The backpropagation-calculus lesson.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    for add_command in (_values_command, _lesson_command, _narration_command, _exercises_command,
                        _storyboard_command, _init_command):
        add_command(commands)
    return parser


def _values_command(commands) -> None:
    values = commands.add_parser(
        "values",
        help="print every value the lesson shows for a config",
        description="Validate a lesson config and print every value the lesson shows with it, by scene "
        "section, as the scenes write them: check your numbers before rendering.",
    )
    _config_option(values)
    values.add_argument("--json", action="store_true", help="print JSON instead of a table")


def _lesson_command(commands) -> None:
    lesson = commands.add_parser(
        "lesson",
        help="render the whole lesson: clips, subtitles, posters, values.json, handout.pdf and index.html",
        description="Render every scene of the lesson, in story order, into one folder: a clip per idea "
        "with its poster and subtitles, the joined lesson video, values.json, the handout (handout.pdf) and "
        "the lesson page (index.html, with presenter mode).",
    )
    _config_option(lesson)
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
    _voice_option(lesson)
    lesson.add_argument("--tiny", action="store_true", help=argparse.SUPPRESS)  # 192x108 at 5 fps, for the tests


def _narration_command(commands) -> None:
    narration = commands.add_parser("narration", help="the narration's cues, to record your own voice",
                                    description="List every cue of the narration (id and text) for a config: "
                                    "record DIR/<id>.wav for each and render with --voice recorded:DIR.")
    _config_option(narration)
    narration.add_argument("--list", action="store_true", required=True, help="print each cue's id and text")
    narration.add_argument("--only", nargs="+", metavar="SCENE", help="only these scenes")


def _exercises_command(commands) -> None:
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


def _storyboard_command(commands) -> None:
    board = commands.add_parser(
        "storyboard",
        help="write one contact sheet per scene: the frame at each narration moment, with its text",
        description="Render the scenes (or reuse the lesson's renders) and write, per scene, one PNG: for each "
        "idea its narration and the frame at the end of each of its animations, labelled with the idea and "
        "the time in its clip.",
    )
    _config_option(board)
    board.add_argument("--only", nargs="+", metavar="SCENE", help="only these scenes (kept in story order)")
    board.add_argument("--out", metavar="DIR", required=True, help="folder for the sheets (NN_Scene.png)")
    board.add_argument("--quality", choices=["low", "medium", "high", "4k"], default="low",
                       help="render quality: 480p15 (default), 720p30, 1080p60 or 2160p60")
    board.add_argument("--jobs", type=_positive, metavar="N",
                       help="scenes rendered at once (default: the machine's cores)")
    _voice_option(board, " (the lesson's renders are reused when it matches theirs)")
    board.add_argument("--tile-width", type=_positive, metavar="PX", default=320,
                       help="width of each frame on the sheet (default: 320)")
    board.add_argument("--tiny", action="store_true", help=argparse.SUPPRESS)  # 192x108 at 5 fps, for the tests


def _init_command(commands) -> None:
    init = commands.add_parser(
        "init",
        help="write a shipped config to a file, to start your own from",
        description="Write a shipped lesson config, with its comments, to PATH (never over an existing "
        "file). Change what you like, then: backprop values --config PATH; backprop lesson --config PATH.",
    )
    init.add_argument("path", metavar="PATH", nargs="?",
                      help="the new config file, e.g. my.toml (default: NAME.toml, after the example)")
    init.add_argument("--example", metavar="NAME", default="default",
                      help=f"which shipped config: {', '.join(EXAMPLES)} (default: default, the squared error)")


def _version() -> str:
    try:
        return metadata.version("backprop-calculus")
    except metadata.PackageNotFoundError:
        return "(not installed)"


def _config_option(parser: argparse.ArgumentParser) -> None:
    """The ``--config PATH`` option the lesson's commands share."""
    parser.add_argument("--config", metavar="PATH", help="lesson config (default: $BACKPROP_CONFIG or the shipped one)")


def _voice_option(parser: argparse.ArgumentParser, note: str = "") -> None:
    """The ``--voice VOICE`` option of the commands that render the lesson."""
    parser.add_argument("--voice", default="piper", metavar="VOICE",
                        help="piper (default: the bundled neural voice en_US-joe-medium), none (silent, captions "
                        "paced for reading), espeak (espeak-ng), piper:MODEL.onnx (a Piper voice model of your "
                        f"own), or recorded:DIR (your recordings, DIR/<cue id>.wav){note}")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _table(values: dict[str, Named]) -> str:
    lines = []
    for section, named in values.items():
        lines.append(f"[{section}]")
        width = max(len(str(name)) for name in named)
        lines += [f"  {str(name):<{width}}  {format_number(v, decimals_for(name)):>9}" for name, v in named.items()]
        lines.append("")
    return "\n".join(lines)


def _values(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    values = lesson_values(cfg)
    if args.json:
        texts = {section: {str(name): v for name, v in named.items()} for section, named in values.items()}
        print(json.dumps({"config": cfg.path, "values": texts}, indent=2))
    else:
        print(f"# values for {cfg.path}\n")
        print(_table(values), end="")
    return 0


def _init(args: argparse.Namespace) -> int:
    if args.example not in EXAMPLES:
        return _fail(f"--example: unknown example {args.example!r}; known: {', '.join(EXAMPLES)}", 2)
    path = args.path or f"{args.example}.toml"
    try:
        with open(path, "x", encoding="utf-8") as file:
            file.write(EXAMPLES[args.example].read_text(encoding="utf-8"))
    except FileExistsError:
        return _fail(f"{path} exists already; give a new file name (it is never overwritten)", 2)
    except OSError as error:
        return _fail(_os_error_line(error, f"cannot write {path}"), 1)
    print(printable(f"wrote {path}: change what you like, then  backprop values --config {path}"))
    return 0


def _fail(line: str, status: int) -> int:
    print(f"backprop: error: {printable(line)}", file=sys.stderr)
    return status


def _os_error_line(error: OSError, what: str) -> str:
    """One line for a failed system call: what failed, on which file, why (disk full, read-only...)."""
    where = f" ({error.filename})" if error.filename else ""
    return f"{what}{where}: {error.strerror or error}"


def _lesson(args: argparse.Namespace) -> int:
    from backprop.lesson import Interrupted, LessonError, SceneFailed, build_lesson

    fmt = args.format or ("webm" if args.transparent else "mp4")
    try:
        build_lesson(args.config, quality=args.quality, jobs=args.jobs, only=args.only, out=args.out, fmt=fmt,
                     transparent=args.transparent, tiny=args.tiny, voice=args.voice)
    except SceneFailed as error:
        if error.details:
            print(error.details.rstrip(), file=sys.stderr)
        _fail(str(error), 1)
        print(printable(f"backprop: the lesson folder {args.out} was left as it was"), file=sys.stderr)
        return 1
    except LessonError as error:
        return _fail(str(error), 2)
    except (KeyboardInterrupt, Interrupted):
        print("\n" + printable(f"backprop: interrupted; the lesson folder {args.out} was left as it was"),
              file=sys.stderr)
        return 130
    except OSError as error:  # a full disk, a read-only folder, ...: PyAV's errors are OSErrors too
        return _fail(_os_error_line(error, "cannot write the lesson") + f"; the lesson folder {args.out} "
                     "was left as it was", 1)
    return 0


def _narration(args: argparse.Namespace) -> int:
    from backprop.errors import LessonError
    from backprop.narration import narration_cues

    try:  # a bad config: one line (main), before any scene runs
        for _scene, cues in narration_cues(args.config, args.only):
            for cue_id, text in cues:
                print(f"{cue_id}\t{text}")
    except LessonError as error:
        return _fail(str(error), 2)
    return 0


def _storyboard(args: argparse.Namespace) -> int:
    from backprop.lesson import Interrupted, LessonError, SceneFailed
    from backprop.storyboard import build_storyboards

    try:
        build_storyboards(args.config, out=args.out, only=args.only, quality=args.quality, tiny=args.tiny,
                          jobs=args.jobs, tile_width=args.tile_width, voice=args.voice)
    except SceneFailed as error:
        if error.details:
            print(error.details.rstrip(), file=sys.stderr)
        return _fail(str(error), 1)
    except LessonError as error:
        return _fail(str(error), 2)
    except (KeyboardInterrupt, Interrupted):
        print("\nbackprop: interrupted", file=sys.stderr)
        return 130
    except OSError as error:  # a full disk, a read-only folder, ...
        return _fail(_os_error_line(error, "cannot write the storyboards"), 1)
    return 0


def _exercises(args: argparse.Namespace) -> int:
    from backprop.exercises import write_exercises
    from backprop.lesson import Interrupted, LessonError

    try:
        report = write_exercises(args.out, args.students, args.seed, args.config, videos=args.videos,
                                 quality=args.quality, scheduler=args.scheduler, jobs=args.jobs, tiny=args.tiny,
                                 only=args.only)
    except LessonError as error:
        return _fail(str(error), 2)
    except (KeyboardInterrupt, Interrupted):
        print("\n" + printable(f"backprop: interrupted; the students' folders in {args.out} were left as they were"),
              file=sys.stderr)
        return 130
    done = len(report.students) - len(report.failed)
    print(printable(f"exercises for {done} student(s) written to {report.out} (worksheets, answers.pdf"
                    + (", lessons" if args.videos else "") + ")"), file=sys.stderr)
    for name, reason in report.failed.items():
        _fail(f"student {name} failed: {reason}", 1)
    if report.failed:
        print(f"backprop: {len(report.failed)} student(s) failed ({', '.join(report.failed)}); their folders were "
              "left as they were", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        commands = {"values": _values, "lesson": _lesson, "narration": _narration, "storyboard": _storyboard,
                    "exercises": _exercises,
                    "init": _init}
        status = commands[args.command](args)
        sys.stdout.flush()  # here, where a closed pipe is handled, not at exit
        return status
    except ConfigError as error:
        return _fail(str(error), 2)
    except BrokenPipeError:  # ``backprop values | head -1``: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 1


if __name__ == "__main__":
    sys.exit(main())
