"""What renders and what is done, shown on stderr while the lesson builds."""

from __future__ import annotations

import shutil
import sys
import time
from typing import IO

__all__ = ["Progress"]


class Progress:
    """What renders and what is done, on ``stream``.

    On a terminal one status line is redrawn in place; elsewhere (CI logs, pipes) every event
    is one plain line with the elapsed time.
    """

    def __init__(self, names: list[str], stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.names = names
        self.started: dict[str, float] = {}
        self.done: list[str] = []
        self.t0 = time.monotonic()
        self._status = ""

    def _clock(self) -> str:
        seconds = int(time.monotonic() - self.t0)
        return f"{seconds // 60}:{seconds % 60:02}"

    def _print(self, line: str) -> None:
        if self.tty:
            self.stream.write("\r\x1b[2K" + line + "\n")
            self._draw()
        else:
            self.stream.write(f"[{self._clock():>5}] {line}\n")
        self.stream.flush()

    def _draw(self) -> None:
        if not self.tty:
            return
        now = time.monotonic()
        running = [f"{n} {int(now - t)}s" for n, t in self.started.items() if n not in self.done]
        status = f"{len(self.done)}/{len(self.names)} scenes done"
        if running:
            status += " · rendering " + ", ".join(running)
        status = f"[{self._clock()}] {status}"
        width = shutil.get_terminal_size((100, 20)).columns - 1
        self._status = status[:width]
        self.stream.write("\r\x1b[2K" + self._status)
        self.stream.flush()

    def tick(self) -> None:
        self._draw()

    def start(self, name: str) -> None:
        self.started[name] = time.monotonic()
        self._print(f"rendering {name} ({self.names.index(name) + 1}/{len(self.names)})")

    def finish(self, name: str, clips: int) -> None:
        self.done.append(name)
        seconds = time.monotonic() - self.started[name]
        self._print(f"done      {name}: {clips} clip(s) in {seconds:.1f} s ({len(self.done)}/{len(self.names)} scenes)")

    def reuse(self, name: str) -> None:
        """``name`` did not change since a previous build: its render is reused."""
        self.started[name] = time.monotonic()
        self.done.append(name)
        self._print(f"unchanged {name}: reusing its render ({len(self.done)}/{len(self.names)} scenes)")

    def note(self, text: str) -> None:
        self._print(text)

    def close(self) -> None:
        if self.tty:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
