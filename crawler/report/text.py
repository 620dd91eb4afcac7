"""Plain-text helpers of the renderers and the command line: datetimes for JSON, one-line cells, aligned tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any


def json_default(value: Any) -> Any:
    """Serialise datetimes as ISO 8601 strings for ``json.dumps``."""
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def shorten(text: str | None, width: int) -> str:
    """Return ``text`` on one line, cut to ``width`` characters with an ellipsis."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= width else flat[: max(width - 1, 0)] + "…"


def format_table(rows: Iterable[Sequence[Any]], headers: Sequence[str]) -> str:
    """Return rows as an aligned plain-text table (a header line, a rule, one line per row)."""
    cells = [["" if value is None else str(value) for value in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], len(value))
    lines = ["  ".join(h.ljust(widths[i]) for i, h in enumerate(headers)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(value.ljust(widths[i]) for i, value in enumerate(row)) for row in cells]
    return "".join(line.rstrip() + "\n" for line in lines)
