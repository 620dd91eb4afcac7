"""Safe HTML building blocks shared by the HTML report and the web pages: escaping, links, the page frame."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from crawler.report.highlight import matched_spans

# No script may run and nothing may load from elsewhere, even if some escaping were ever missed.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'self'; base-uri 'none'"

STYLE = """
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem 2rem;color:#1d1d1f}
nav a{margin-right:1rem} table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #ddd;
padding:.3rem .5rem;text-align:left;vertical-align:top} .claim{border:1px solid #ccc;border-radius:6px;
margin:1rem 0;padding:.5rem 1rem} .pair{display:grid;grid-template-columns:1fr 2fr;gap:1rem;
border-top:1px dashed #ccc;padding:.5rem 0} .verdict{font-weight:bold;padding:0 .4rem;border-radius:4px}
.v-supported{background:#d4f4dd} .v-partial{background:#fff1c2} .v-not_found{background:#ffd9d6}
.v-unavailable{background:#e4e4e4} .v-contradicted{background:#f4a6a6} .status{font-family:monospace}
mark{background:#ffe066} mark.conflict{background:#ff9e80;font-weight:bold}
.muted{color:#666} blockquote{margin:.3rem 0;padding-left:.7rem;border-left:3px solid #aaa}
.chart{vertical-align:middle} .legend{font-size:13px;margin-left:.5rem} .legend-item{margin-right:.6rem;
white-space:nowrap} .overview{display:grid;grid-template-columns:auto 1fr;gap:.3rem 1rem;align-items:center}
"""


def esc(value: Any) -> str:
    """Escape any value for HTML text or a quoted attribute (``None`` becomes empty)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.isoformat(timespec="seconds")
    return html.escape(str(value), quote=True)


def safe_url(url: str | None) -> str | None:
    """Return ``url`` if it is a plain absolute http(s) URL, else ``None`` (no ``javascript:`` and friends)."""
    if not url or any(ord(char) < 33 or char in "\"'<>\\`" for char in url):
        return None
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def link(url: str | None, label: Any) -> str:
    """Return an external link to ``url``, or the label as plain text when the URL is not safe."""
    target = safe_url(url)
    if target is None:
        return esc(label)
    return f'<a href="{esc(target)}" rel="noopener noreferrer nofollow">{esc(label)}</a>'


def internal_link(path: str, label: Any) -> str:
    """Return a link to a path of our own web pages (``path`` is built by us, never taken from input)."""
    return f'<a href="{esc(path)}">{esc(label)}</a>'


def highlighted(passage: str, claim: str, conflicts: Sequence[tuple[int, int]] = ()) -> str:
    """Return ``passage`` escaped, the words it shares with ``claim`` in ``<mark>``, ``conflicts`` in conflict marks.

    ``conflicts`` are ``(start, end)`` offsets in ``passage`` of what contradicts the claim; a shared word inside
    one is marked as part of the conflict.
    """
    words = [(start, end, "") for start, end in matched_spans(claim, passage)]
    return marked(passage, [(start, end, "conflict") for start, end in conflicts] + words)


def marked(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    """Return ``text`` escaped with each ``(start, end, css_class)`` span in ``<mark>``; earlier spans win overlaps."""
    kept: list[tuple[int, int, str]] = []
    for start, end, css_class in spans:
        if 0 <= start < end <= len(text) and all(end <= other[0] or start >= other[1] for other in kept):
            kept.append((start, end, css_class))
    pieces, position = [], 0
    for start, end, css_class in sorted(kept):
        opening = f'<mark class="{esc(css_class)}">' if css_class else "<mark>"
        pieces.append(esc(text[position:start]) + opening + esc(text[start:end]) + "</mark>")
        position = end
    return "".join(pieces) + esc(text[position:])


def verdict_badge(verdict: str) -> str:
    """Return a coloured verdict label."""
    return f'<span class="verdict v-{esc(verdict)}">{esc(verdict.replace("_", " "))}</span>'


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Return an HTML table; ``rows`` hold cells that are already safe HTML."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def page(title: str, body: str, nav: Sequence[tuple[str, str]] = ()) -> str:
    """Return a complete, self-contained HTML page (inline style, no script, no external asset)."""
    links = "".join(internal_link(path, label) for path, label in nav)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>"
        + (f"<nav>{links}</nav>" if links else "")
        + body
        + "</body></html>\n"
    )
