"""A one-line progress display on stderr, shown only when stderr is a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Counts work done out of ``total`` and redraws one status line at most 10 times a second."""

    def __init__(self, label: str, total: int | None = None, stream: TextIO | None = None) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self._last_draw = 0.0

    def start(self, total: int) -> None:
        """Set how many units of work there are, once they are known."""
        self.total = total

    def advance(self, step: int = 1, note: str = "") -> None:
        """Record ``step`` more units of work and redraw if it is time to."""
        self.done += step
        now = time.monotonic()
        if self.enabled and (now - self._last_draw >= 0.1 or self.done == self.total):
            self._last_draw = now
            of_total = f"/{self.total}" if self.total is not None else ""
            self.stream.write(f"\r\x1b[K{self.label} {self.done}{of_total} {note}"[:200])
            self.stream.flush()

    def close(self) -> None:
        """Finish the status line."""
        if self.enabled and self.done:
            self.stream.write("\n")
            self.stream.flush()
