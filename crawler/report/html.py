"""The report as one self-contained HTML page: each claim beside its evidence, matched words highlighted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crawler.report.charts import legend, stacked_bar
from crawler.report.markup import esc, highlighted, internal_link, link, marked, page, safe_url, table, verdict_badge
from crawler.report.summary import needs_attention
from crawler.report.text import date_text, identifiers_text

ROLE_LABELS = {
    "carries": "carries the support",
    "adds_nothing": "adds nothing (another citation supports the claim)",
    "insufficient": "no citation of this claim supports it fully",
    "contradicts": "the source says otherwise",
}


def render_html(report: dict[str, Any], nav: Sequence[tuple[str, str]] = (), *, source_pages: bool = False) -> str:
    """Return the report as a complete HTML page; every text from an article or a source is escaped.

    The summary's charts come first, then the claims that need attention, then the rest; ``source_pages`` links
    each source to its page of the web interface (``/sources/ID``).
    """
    article = report["article"]
    title = article["title"] or f"Article {article['id']}"
    references = {ref["number"]: {**ref, "page": source_pages} for ref in report["references"]}
    attention = [claim for claim in report["claims"] if needs_attention(claim)]
    rest = [claim for claim in report["claims"] if not needs_attention(claim)]
    body = (
        f"<h1>{esc(title)}</h1>"
        + _article_line(article)
        + _summary(report["summary"])
        + _claims("Claims that need attention", attention, references)
        + _claims("Other claims", rest, references)
        + "<h2>Sources</h2>"
        + _references(list(references.values()))
    )
    return page(f"citetrack report: {title}", body, nav)


def _claims(heading: str, claims: list[dict[str, Any]], references: dict[int, dict[str, Any]]) -> str:
    shown = "".join(_claim(claim, references) for claim in claims) or "<p>No claim to show.</p>"
    return f"<h2>{esc(heading)} ({len(claims)})</h2>{shown}"


def _article_line(article: dict[str, Any]) -> str:
    published = f" · published {esc(article['published'])}" if article.get("published") else ""
    return f'<p class="muted">Article {esc(article["id"])} · {link(article["url"], article["url"] or "no URL")}{published}</p>'


def _summary(summary: dict[str, Any]) -> str:
    counts = ", ".join(f"{count} {esc(verdict.replace('_', ' '))}" for verdict, count in summary["verdicts"].items())
    recall, precision = summary.get("citation_recall"), summary.get("citation_precision")
    figures = "" if recall is None else f" Citation recall {recall:.2f}, precision {precision:.2f}."
    shown = "" if summary["only"] == "all" else f" Showing {summary['shown_claims']} ({esc(summary['only'])})."
    statuses = summary["reference_statuses"]
    charts = (
        f'<div class="overview"><span>Verdicts per citation</span><span>{stacked_bar(summary["verdicts"], "verdicts")}'
        f'{legend(summary["verdicts"])}</span><span>Sources by status</span><span>'
        f'{stacked_bar(statuses, "sources")}{legend(statuses)}</span></div>'
    )
    return f"{charts}<p>{summary['claims']} claims, {summary['checks']} checks: {counts}.{figures}{shown}</p>"


def _claim(claim: dict[str, Any], references: dict[int, dict[str, Any]]) -> str:
    cites = "".join(f"[{number}]" for number in claim["citations"])
    head = (
        f'<div class="claim" id="claim-{esc(claim["id"])}"><p><strong>#{esc(claim["index"])}</strong> '
        f'{verdict_badge(claim["verdict"])} {esc(claim["text"])} <span class="muted">{esc(cites)}</span></p>'
    )
    pairs = "".join(_check(claim, check, references.get(check["reference"])) for check in claim["checks"])
    return head + pairs + "</div>"


def _check(claim: dict[str, Any], check: dict[str, Any], reference: dict[str, Any] | None) -> str:
    score = "" if check["score"] is None else f" score {check['score']:.0f}"
    reason = f' <span class="muted">({esc(check["reason"])})</span>' if check.get("reason") else ""
    role = ROLE_LABELS.get(check.get("role", ""), "")
    side = (
        f"<div><p>[{esc(check['reference'])}] {esc(reference['outlet'] if reference else 'no such source')}</p>"
        f'<p>{verdict_badge(check["verdict"])}{score}{reason}</p><p class="muted">{esc(role)}</p>'
        + (_source_links(reference) if reference else "")
        + "</div>"
    )
    conflicts = check.get("conflicts", [])
    evidence = "".join(
        f"<blockquote>{highlighted(passage['text'], claim['text'], _inside(passage, conflicts))}"
        f' <span class="muted">score {passage["score"]:.0f}, characters {esc(passage["start"])}–{esc(passage["end"])}'
        "</span></blockquote>"
        for passage in check["evidence"]
    )
    quotes = "".join(
        f"<p>Quote “{esc(quote['text'])}”: {'found' if quote.get('found') else 'not found'}</p>"
        for quote in check.get("quotes", [])
    )
    said = _conflicts(claim["text"], conflicts) if conflicts else ""
    return (
        f'<div class="pair">{side}<div>{said}{evidence or "<p class=muted>No evidence passage.</p>"}{quotes}</div></div>'
    )


def _conflicts(claim_text: str, conflicts: list[dict[str, Any]]) -> str:
    """Return the claim with what the source contradicts marked, and one line per conflict with both spans."""
    claim_spans = [(c["claim"]["start"], c["claim"]["end"], "conflict") for c in conflicts]
    lines = "".join(
        f'<p><strong>{esc(c["kind"])}</strong>: the claim says “<mark class="conflict">{esc(c["claim"]["text"])}</mark>” '
        f'<span class="muted">(characters {esc(c["claim"]["start"])}–{esc(c["claim"]["end"])})</span>, the source '
        f'says “<mark class="conflict">{esc(c["source"]["text"])}</mark>” <span class="muted">(characters '
        f'{esc(c["source"]["start"])}–{esc(c["source"]["end"])})</span></p>'
        for c in conflicts
    )
    return f"<p>Claim: {marked(claim_text, claim_spans)}</p>{lines}"


def _inside(passage: dict[str, Any], conflicts: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Return the source spans of ``conflicts`` that lie in ``passage``, as offsets into the passage's text."""
    start, end = passage["start"], passage["end"]
    return [
        (c["source"]["start"] - start, c["source"]["end"] - start)
        for c in conflicts
        if start <= c["source"]["start"] and c["source"]["end"] <= end
    ]


def _source_links(reference: dict[str, Any]) -> str:
    archive = reference.get("archive_url")
    archived = f" · {link(archive, 'archived copy')}{_captured(reference)}" if archive else ""
    flag = f' · flagged <span class="status">{esc(reference["flag"])}</span>' if reference.get("flag") else ""
    return (
        f'<p>status <span class="status">{esc(reference["status"])}</span>{flag} · '
        f"{link(reference['url'], 'source') if safe_url(reference['url']) else 'no usable link'}{archived}"
        f"{_source_page(reference, ' · ')}</p>"
    )


def _source_page(reference: dict[str, Any], before: str = "") -> str:
    """Return a link to the source's page of the web interface, when the page links sources and it has one."""
    if not reference["page"] or reference["source_id"] is None:
        return ""
    return before + internal_link(f"/sources/{reference['source_id']}", "source page")


def _references(references: list[dict[str, Any]]) -> str:
    rows = (
        [
            esc(ref["number"]),
            esc(ref["outlet"]),
            link(ref["url"], ref["title"] or ref["url"] or "(no link)") + _source_page(ref, " · "),
            f'<span class="status">{esc(ref["status"])}</span>'
            + (f" (flagged {esc(ref['flag'])})" if ref.get("flag") else ""),
            esc(ref["http_status"]),
            esc(ref["fetched_at"]),
            link(ref.get("archive_url"), "archived copy") + _captured(ref) if ref.get("archive_url") else "",
            esc(identifiers_text(ref)),
        ]
        for ref in references
    )
    return table(["#", "outlet", "title", "status", "HTTP", "fetched", "archive", "identifiers"], rows)


def _captured(reference: dict[str, Any]) -> str:
    """Return `` (captured DATE)`` for a reference's archived copy, when the capture time is known."""
    if not reference.get("archive_captured_at"):
        return ""
    return f" (captured {esc(date_text(reference['archive_captured_at']))})"
