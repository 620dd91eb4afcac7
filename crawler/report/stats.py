"""``citetrack stats`` on the terminal: the store's totals, with a text bar for each verdict and status."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

BAR_WIDTH = 30


def render_stats(stats: dict[str, Any]) -> str:
    """Return the overview as text: totals, checks by verdict, sources by status, problems and the last crawl."""
    problems = stats["problem_sources"]
    last = stats["last_crawl"]
    lines = [
        f"articles         {stats['articles']}",
        f"claims           {stats['claims']}",
        f"snapshots        {stats['snapshots']}",
        f"problem sources  {problems['open']} open: {problems['confirmed']} confirmed, "
        f"{problems['unconfirmed']} not yet confirmed",
        f"last crawl       {_when(last)}",
        "",
        f"checks by verdict ({stats['checks']})",
        *_bars(stats["verdicts"]),
        "",
        f"sources by status ({stats['sources']})",
        *_bars(stats["source_statuses"]),
    ]
    return "\n".join(lines) + "\n"


def _bars(counts: Mapping[str, int]) -> list[str]:
    """Return one line per key: its name, its count and a bar as long as its share of the largest count."""
    if not counts:
        return ["  (none)"]
    largest = max(counts.values()) or 1
    name_width = max(len(key) for key in counts)
    count_width = max(len(str(count)) for count in counts.values())
    return [
        f"  {key.replace('_', ' ').ljust(name_width)}  {str(count).rjust(count_width)}  "
        f"{'#' * round(BAR_WIDTH * count / largest)}".rstrip()
        for key, count in counts.items()
    ]


def _when(value: datetime | None) -> str:
    return "never" if value is None else value.strftime("%Y-%m-%d %H:%M UTC")
