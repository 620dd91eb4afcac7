"""Small charts as inline SVG (no script, no external asset): stacked bars of counts and a timeline of statuses.

Every mark carries its numbers as ``data-*`` attributes and a ``<title>`` (the tooltip), and each chart has a
legend in plain text, so the figures read the same with or without the picture.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from crawler.enums import HealthStatus, Verdict
from crawler.report.markup import esc

VERDICT_COLOURS = {
    Verdict.SUPPORTED: "#2e9e4f",
    Verdict.PARTIAL: "#e3b23c",
    Verdict.NOT_FOUND: "#e0685a",
    Verdict.CONTRADICTED: "#a3162a",
    Verdict.UNAVAILABLE: "#9a9a9a",
}
STATUS_COLOURS = {
    HealthStatus.OK: "#2e9e4f",
    HealthStatus.REDIRECTED: "#7cc48f",
    HealthStatus.DEAD: "#a3162a",
    HealthStatus.SOFT_404: "#e0685a",
    HealthStatus.DRIFTED: "#e3b23c",
    HealthStatus.PAYWALLED: "#7a5bb5",
    HealthStatus.BLOCKED: "#b5607a",
    HealthStatus.SERVER_ERROR: "#d9822b",
    HealthStatus.TIMEOUT: "#d9822b",
    HealthStatus.PENDING: "#d0d0d0",
}
# Problem sources of an article: confirmed over several checks, or seen but not yet confirmed.
PROBLEM_COLOURS = {"confirmed": "#a3162a", "unconfirmed": "#e3b23c"}
OTHER_COLOUR = "#9a9a9a"
COLOURS: dict[str, str] = {**STATUS_COLOURS, **VERDICT_COLOURS, **PROBLEM_COLOURS}


def colour(key: str) -> str:
    """Return the fill of a verdict or a health status (grey for any other key)."""
    return COLOURS.get(key, OTHER_COLOUR)


def stacked_bar(counts: Mapping[str, int], chart: str, *, width: int = 240, height: int = 14) -> str:
    """Return a horizontal bar split in proportion to ``counts`` (every key a ``<rect>``, empty ones 0 wide).

    ``chart`` names what is counted (``verdicts``, ``sources``); it is the SVG's ``data-chart`` and label.
    """
    total = sum(counts.values())
    label = f"{chart}: " + (", ".join(f"{count} {_words(key)}" for key, count in counts.items()) or "none")
    rects, position = [], 0.0
    for key, count in counts.items():
        share = width * count / total if total else 0.0
        rects.append(
            f'<rect x="{position:.2f}" y="0" width="{share:.2f}" height="{height}" fill="{colour(key)}" '
            f'data-key="{esc(key)}" data-count="{count}"><title>{count} {esc(_words(key))}</title></rect>'
        )
        position += share
    if not total:
        rects.append(f'<rect x="0" y="0" width="{width}" height="{height}" fill="#eeeeee"/>')
    return (
        f'<svg class="chart" data-chart="{esc(chart)}" data-total="{total}" role="img" aria-label="{esc(label)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{esc(label)}</title>{''.join(rects)}</svg>"
    )


def legend(counts: Mapping[str, int]) -> str:
    """Return the counts as text beside a chart: a coloured square, the count and the key, zeros left out."""
    items = (
        f'<span class="legend-item"><svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" '
        f'fill="{colour(key)}"/></svg> {count} {esc(_words(key))}</span>'
        for key, count in counts.items()
        if count
    )
    return f'<span class="legend">{" ".join(items) or "none"}</span>'


def timeline(events: Sequence[tuple[str, str]], chart: str = "checks", *, step: int = 12, height: int = 24) -> str:
    """Return one coloured mark per ``(when, status)`` event, oldest on the left, each with its time as tooltip."""
    width = max(step * len(events), step)
    marks = "".join(
        f'<rect x="{index * step}" y="0" width="{step - 2}" height="{height}" fill="{colour(status)}" '
        f'data-status="{esc(status)}" data-when="{esc(when)}"><title>{esc(when)}: {esc(_words(status))}</title></rect>'
        for index, (when, status) in enumerate(events)
    )
    label = f"{chart}: {len(events)} over time, oldest first"
    return (
        f'<svg class="chart timeline" data-chart="{esc(chart)}" data-total="{len(events)}" role="img" '
        f'aria-label="{esc(label)}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{esc(label)}</title>{marks}</svg>'
    )


def _words(key: str) -> str:
    return str(key).replace("_", " ")
