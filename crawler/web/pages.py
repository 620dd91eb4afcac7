"""Server-rendered pages: article list and article report for fact-checkers, broken sources for editors."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from crawler.enums import Verdict
from crawler.jobs.broken import broken_sources_page
from crawler.jobs.browse import list_claims
from crawler.jobs.overview import article_overview, source_overview
from crawler.jobs.report import build_report
from crawler.report.html import render_html
from crawler.report.overview import ARTICLE_HEADERS, article_cells, source_body
from crawler.report.markup import esc, internal_link, link, table, verdict_badge
from crawler.report.markup import page as html_page
from crawler.report.summary import ONLY_CHOICES
from crawler.web.params import (
    ArticleId,
    ArticleOrder,
    FormDate,
    FormOutlet,
    FormText,
    FormVerdict,
    PageNumber,
    PerPage,
    ReportOnly,
    SourceId,
    article_filter,
    envelope,
    form_day,
    offset,
)
from crawler.web.session import SessionDep
from store import browse, overview

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)
NAV = [("/", "Articles"), ("/claims", "Search claims"), ("/broken", "Broken sources"), ("/docs", "API")]
VERDICT_CHOICES = ("", *Verdict)


@router.get("/", summary="Article list page")
def article_list(
    session: SessionDep,
    page: PageNumber = 1,
    per_page: PerPage = 50,
    sort: ArticleOrder = "newest",
    outlet: FormOutlet = "",
    published_from: FormDate = "",
    published_until: FormDate = "",
) -> HTMLResponse:
    """Every article with its checks by verdict and its problem sources as small charts; sorted and filtered."""
    since, until = form_day(published_from), form_day(published_until)
    found = article_overview(session, offset(page, per_page), per_page, article_filter(outlet, since, until), sort)
    listing = envelope(found, page, per_page)
    query = {"outlet": outlet, "published_from": published_from, "published_until": published_until}
    body = "<h1>Articles</h1>" + _article_form(overview.outlets(session), query, sort) + _sort_links(query)
    body += "".join(
        f"<p><strong>“{esc(text)}” is not a day: that filter is left out.</strong></p>"
        for text, day in ((published_from, since), (published_until, until))
        if text and day is None
    )
    body += table(ARTICLE_HEADERS, (article_cells(article) for article in found.items))
    body += _pager("/", listing, per_page, {**query, "sort": sort})
    return HTMLResponse(html_page("citetrack: articles", body, NAV))


@router.get(
    "/articles/{article_id}", summary="Article report page", responses={404: {"description": "no such article"}}
)
def article_page(session: SessionDep, article_id: ArticleId, only: ReportOnly = "all") -> HTMLResponse:
    """The article's claims beside their evidence, as `report --format html`, with filters."""
    report = build_report(session, article_id, only)
    shown = [choice for choice in ONLY_CHOICES if choice != "all"] + ["all"]
    filters = [(f"/articles/{article_id}?only={choice}", f"Show {choice}") for choice in shown]
    links = [*NAV, *filters, (f"/api/articles/{article_id}/report", "JSON")]
    return HTMLResponse(render_html(report, links, source_pages=True))


@router.get("/broken", summary="Broken sources dashboard page")
def broken_page(session: SessionDep, page: PageNumber = 1, per_page: PerPage = 50) -> HTMLResponse:
    """Every problem source, the ones whose failure costs the most claims their support first, a page at a time."""
    shown = broken_sources_page(session, offset(page, per_page), per_page)
    cells = (
        [
            esc(row["claims_losing_support"]),
            f'<span class="status">{esc(row["status"])}</span>',
            "yes" if row["confirmed"] else "not yet",
            link(row["url"], row["url"]) + " · " + internal_link(f"/sources/{row['source_id']}", "source page"),
            esc(_evidence(row["evidence"])) + _drifted_claims(row["evidence"]),
            esc(row["first_seen"].strftime("%Y-%m-%d %H:%M")),
            esc(row["checks"]),
            link(row.get("archive_url"), "archived copy") if row.get("archive_url") else "",
            " ".join(
                internal_link(f"/articles/{a['article_id']}", f"article {a['article_id']}") for a in row["articles"]
            ),
        ]
        for row in shown.items
    )
    headers = ["claims losing support", "status", "confirmed", "source", "evidence", "since (UTC)", "checks"]
    headers += ["archive", "cited by"]
    body = f"<h1>Broken sources</h1><p>{shown.total} problem sources.</p>" + table(headers, cells)
    body += _pager("/broken", envelope(browse.Page([], shown.total), page, per_page), per_page)
    return HTMLResponse(html_page("citetrack: broken sources", body, NAV))


@router.get("/claims", summary="Claim search page")
def claim_search(
    session: SessionDep,
    q: FormText = "",
    verdict: FormVerdict = "",
    page: PageNumber = 1,
    per_page: PerPage = 50,
) -> HTMLResponse:
    """Claims of every article whose text contains ``q`` and whose best verdict is ``verdict``."""
    found = list_claims(
        session, offset(page, per_page), per_page, verdict=verdict or None, text=q or None, article_id=None
    )
    listing = envelope(found, page, per_page)
    rows = (
        [
            internal_link(f"/articles/{c['article_id']}#claim-{c['id']}", f"article {c['article_id']} #{c['index']}"),
            verdict_badge(c["verdict"]),
            esc(c["text"]),
            esc("".join(f"[{n}]" for n in c["citations"])),
        ]
        for c in listing["items"]
    )
    body = f"<h1>Search claims</h1>{_search_form(q, verdict)}<p>{listing['total']} claims.</p>"
    body += table(["claim", "verdict", "text", "cites"], rows)
    body += _pager("/claims", listing, per_page, {"q": q, "verdict": verdict})
    return HTMLResponse(html_page("citetrack: claims", body, NAV))


@router.get("/sources/{source_id}", summary="Source page", responses={404: {"description": "no such source"}})
def source_page(session: SessionDep, source_id: SourceId) -> HTMLResponse:
    """A source's checks over time, its snapshots, the claims citing it with their verdicts, its archived copy."""
    history = source_overview(session, source_id)
    links = [*NAV, (f"/api/sources/{source_id}", "JSON")]
    return HTMLResponse(html_page(f"citetrack: source {source_id}", source_body(history), links))


def _article_form(outlets: list[str], query: dict[str, str], sort: str) -> str:
    """Return the article list's filter form: outlet, publication days from and until, and the order."""
    choices = "".join(
        f'<option value="{esc(name)}"{" selected" if name == query["outlet"] else ""}>'
        f"{esc(name or 'any outlet')}</option>"
        for name in ["", *outlets]
    )
    orders = "".join(
        f'<option value="{value}"{" selected" if value == sort else ""}>{label}</option>'
        for value, label in (("newest", "newest first"), ("problems", "most problems first"))
    )
    return (
        f'<form method="get" action="/"><label>Outlet <select name="outlet">{choices}</select></label> '
        f'<label>Published from <input type="date" name="published_from" value="{esc(query["published_from"])}">'
        f'</label> <label>until <input type="date" name="published_until" value="{esc(query["published_until"])}">'
        f'</label> <label>Order <select name="sort">{orders}</select></label> '
        '<button type="submit">Show</button></form>'
    )


def _sort_links(query: dict[str, str]) -> str:
    """Return links that sort the list (keeping its filters): newest first, most problems first."""
    links = (
        internal_link(f"/?{urlencode({**query, 'sort': value})}", label)
        for value, label in (("newest", "Newest first"), ("problems", "Most problems first"))
    )
    return f"<p>Sort: {' · '.join(links)}</p>"


def _evidence(evidence: dict[str, Any]) -> str:
    """Return the evidence of a problem in a few words: the rule that matched and the HTTP status."""
    parts = [str(evidence.get("rule") or ""), f"HTTP {evidence['http_status']}" if evidence.get("http_status") else ""]
    return " ".join(part for part in parts if part)


def _drifted_claims(evidence: dict[str, Any]) -> str:
    """Return, for a drift flag, each claim's verdict change with the old passage and the new one."""
    lines = []
    for drift in evidence.get("claims", []):
        conflicts = "; ".join(
            f"{c['kind']}: “{c['claim']['text']}” against “{c['source']['text']}”" for c in drift.get("conflicts", [])
        )
        lines.append(
            f"<p>claim {esc(drift['claim_id'])} [{esc(drift['reference'])}]: {verdict_badge(drift['old_verdict'])} → "
            f"{verdict_badge(drift['new_verdict'])}{' (' + esc(conflicts) + ')' if conflicts else ''}</p>"
            f"<blockquote>was: {esc(drift.get('old_passage') or '(no passage)')}</blockquote>"
            f"<blockquote>now: {esc(drift.get('new_passage') or '(no passage)')}</blockquote>"
        )
    return "".join(lines)


def _search_form(text: str, verdict: str) -> str:
    options = "".join(
        f'<option value="{esc(choice)}"{" selected" if choice == verdict else ""}>'
        f"{esc(choice.replace('_', ' ') or 'any verdict')}</option>"
        for choice in VERDICT_CHOICES
    )
    return (
        '<form method="get" action="/claims"><label>Text <input type="search" name="q" maxlength="200" '
        f'value="{esc(text)}"></label> <label>Verdict <select name="verdict">{options}</select></label> '
        '<button type="submit">Search</button></form>'
    )


def _pager(path: str, listing: dict[str, Any], per_page: int, query: dict[str, str] | None = None) -> str:
    number, pages = listing["page"], listing["pages"]
    links = []
    for target, label in ((number - 1, "← previous"), (number + 1, "next →")):
        if 1 <= target <= pages:
            params = urlencode({**(query or {}), "page": target, "per_page": per_page})
            links.append(internal_link(f"{path}?{params}", label))
    return f"<p>Page {number} of {max(pages, 1)} {' '.join(links)}</p>"
