"""The overview's HTML: an article list row with its charts, and a source's page (timeline, snapshots, claims)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from crawler.report.charts import legend, stacked_bar, timeline
from crawler.report.markup import esc, internal_link, link, table, verdict_badge

ARTICLE_HEADERS = ["id", "title", "outlet", "published", "claims", "checks by verdict", "problem sources", "link"]


def article_cells(article: dict[str, Any]) -> list[str]:
    """Return the cells of one article row: its checks as a stacked bar and its problem sources."""
    problems = article["problem_sources"]
    attention = f'{article["needs_attention"]} of {article["checks"]} need attention'
    return [
        esc(article["id"]),
        internal_link(f"/articles/{article['id']}", article["title"] or f"Article {article['id']}"),
        esc(article["outlet"]),
        esc(_when(article["published"])[:10] if article["published"] else ""),
        esc(article["claims"]),
        stacked_bar(article["verdicts"], "verdicts", width=160) + f'<br><span class="muted">{esc(attention)}</span>',
        stacked_bar({"confirmed": problems["confirmed"], "unconfirmed": problems["unconfirmed"]}, "problems", width=60)
        + f' <span class="problems">{problems["confirmed"]} confirmed, {problems["unconfirmed"]} not yet</span>',
        link(article["url"], "original"),
    ]


def source_body(history: dict[str, Any]) -> str:
    """Return the body of a source's page: facts, problems, archived copies, checks, snapshots and citing claims."""
    source = history["source"]
    return (
        f"<h1>Source {esc(source['id'])}</h1><p>{link(source['url'], source['url'])}</p>"
        + _facts(source)
        + _problems(history["problems"])
        + _archives(history["archives"])
        + _checks(history["checks"])
        + _snapshots(history["snapshots"])
        + _claims(history["claims"])
    )


def _facts(source: dict[str, Any]) -> str:
    replacement = f" · replaced by {link(source['replacement_url'], source['replacement_url'])}" if source[
        "replacement_url"] else ""  # fmt: skip
    note = f"<p>Editor's note: {esc(source['editor_note'])}</p>" if source["editor_note"] else ""
    return (
        f'<p>status <span class="status">{esc(source["status"])}</span> since {esc(_when(source["status_at"]))}'
        f" · last checked {esc(_when(source['last_checked_at']))}{replacement}</p>{note}"
    )


def _problems(problems: list[dict[str, Any]]) -> str:
    if not problems:
        return ""
    lines = "".join(
        f'<li><span class="status">{esc(p["status"])}</span> {"confirmed" if p["confirmed"] else "not yet confirmed"}'
        f", since {esc(_when(p['first_seen']))}, seen in {esc(p['checks'])} checks</li>"
        for p in problems
    )
    return f'<h2>Open problems</h2><ul class="problems">{lines}</ul>'


def _archives(archives: list[dict[str, Any]]) -> str:
    if not archives:
        return "<h2>Archived copy</h2><p>None known.</p>"
    lines = "".join(
        f"<li>{link(copy['url'], 'archived copy')}"
        + (f" (captured {esc(_when(copy['captured_at']))})" if copy["captured_at"] else "")
        + f' <span class="muted">{"named by the citation" if copy["found_by"] == "citation" else "found by lookup"}'
        "</span></li>"
        for copy in archives
    )
    return f'<h2>Archived copy</h2><ul class="archives">{lines}</ul>'


def _checks(checks: dict[str, Any]) -> str:
    items = checks["items"]
    statuses = Counter(check["status"] for check in items)
    chart = timeline([(_when(check["checked_at"]), check["status"]) for check in items])
    rows = (
        [esc(_when(c["checked_at"])), esc(c["outcome"]), f'<span class="status">{esc(c["status"])}</span>',
         esc(c["http_status"])]  # fmt: skip
        for c in reversed(items)
    )
    return (
        f"<h2>Checks over time</h2><p>{_latest(len(items), checks['total'])}, oldest on the left.</p>"
        f"<p>{chart}</p><p>{legend(dict(statuses))}</p>"
        + table(["checked (UTC)", "outcome", "status", "HTTP"], rows)
    )


def _snapshots(snapshots: dict[str, Any]) -> str:
    rows = (
        [esc(s["id"]), esc(_when(s["fetched_at"])), esc(s["http_status"]), esc(s["content_type"]),
         f'<span class="status">{esc(s["content_hash"] or "(no hash)")}</span>', esc(s["title"])]  # fmt: skip
        for s in reversed(snapshots["items"])
    )
    return f"<h2>Snapshots</h2><p>{_latest(len(snapshots['items']), snapshots['total'])}.</p>" + table(
        ["snapshot", "fetched (UTC)", "HTTP", "type", "content hash (sha256)", "title"], rows
    )


def _claims(claims: dict[str, Any]) -> str:
    rows = (
        [
            internal_link(
                f"/articles/{c['article_id']}#claim-{c['claim_id']}", f"article {c['article_id']} #{c['index']}"
            ),
            esc(c["text"]),
            esc(f"[{c['reference']}]"),
            verdict_badge(c["verdict"]),
            " → ".join(
                f"snapshot {esc(v['snapshot_id'])} ({esc(_when(v['verified_at']))}) {verdict_badge(v['verdict'])}"
                for v in c["verifications"]
            )
            or '<span class="muted">never verified</span>',
        ]
        for c in claims["items"]
    )
    shown, total = len(claims["items"]), claims["total"]
    count = total if shown == total else f"{shown} of {total}"
    return f"<h2>Claims citing it</h2><p>{esc(count)} claims.</p>" + table(
        ["claim", "text", "cites", "verdict now", "verdict per snapshot, oldest first"], rows
    )


def _latest(shown: int, total: int) -> str:
    return f"The latest {shown} of {total}" if total > shown else f"All {total}"


def _when(value: datetime | str | None) -> str:
    """Return a time to the minute (UTC), ``never`` for none."""
    if value is None:
        return "never"
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else str(value)[:16].replace("T", " ")
