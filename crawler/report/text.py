"""Plain-text helpers of the renderers and the command line: datetimes for JSON, one-line cells, aligned tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

# The identifiers a reference may name (the fields of ``crawler.ingest.identifiers.Identifiers``), as listed.
IDENTIFIERS = ("doi", "pmid", "pmcid", "arxiv", "isbn")


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


def archive_text(details: dict[str, Any], width: int | None = None) -> str:
    """Return an archived copy and its capture date on one line, cut to ``width`` (``-`` when there is none)."""
    if not details.get("archive_url"):
        return "-"
    captured = details.get("archive_captured_at")
    when = f" ({date_text(captured)})" if captured else ""
    url = details["archive_url"] if width is None else shorten(details["archive_url"], width - len(when))
    return url + when


def identifiers_text(details: dict[str, Any]) -> str:
    """Return a reference's identifiers as ``doi:… pmid:…`` (empty when it names none)."""
    return " ".join(f"{name}:{details[name]}" for name in IDENTIFIERS if details.get(name))


def date_text(value: datetime | str) -> str:
    """Return the day of a datetime (or of an ISO 8601 string) as ``YYYY-MM-DD``."""
    return value.date().isoformat() if isinstance(value, datetime) else str(value)[:10]


CONFLICT_HEADERS = ("conflict", "claim says", "claim span", "source says", "source span")


def conflict_cells(conflict: dict[str, Any]) -> list[str]:
    """Return one conflict (``Conflict.as_dict()``) as table cells: its kind, then each side's text and span."""
    claim, source = conflict["claim"], conflict["source"]
    return [
        conflict["kind"],
        shorten(claim["text"], 50),
        f"{claim['start']}:{claim['end']}",
        shorten(source["text"], 50),
        f"{source['start']}:{source['end']}",
    ]
