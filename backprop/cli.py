"""The ``backprop`` command.

``backprop values [--config PATH] [--json]`` prints every value the lesson shows for a config,
so a teacher can check the numbers before rendering. A bad config prints one line and exits 2.
"""

from __future__ import annotations

import argparse
import json
import sys

from backprop.config import ConfigError, load_config
from backprop.fmt import decimals_for, format_number
from backprop.values import lesson_values

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="backprop", description="The backpropagation-calculus lesson.")
    commands = parser.add_subparsers(dest="command", required=True)
    values = commands.add_parser("values", help="print every value the lesson shows for a config")
    values.add_argument("--config", metavar="PATH", help="lesson config (default: $BACKPROP_CONFIG or the shipped one)")
    values.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return parser


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


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return {"values": _values}[args.command](args)
    except ConfigError as error:
        print(f"backprop: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
