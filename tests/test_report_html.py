"""``citetrack report --format html``: a self-contained page where no article or source markup becomes live."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from crawler.cli import main
from crawler.report.markup import safe_url
from store.engine import session_factory
from store.models import Article
from tests.reportdata import HOSTILE_CLAIM, HOSTILE_OUTLET, HOSTILE_TITLE, NTIA_ARCHIVE, add_contradiction, populate

ALLOWED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "nav",
    "h1",
    "h2",
    "p",
    "strong",
    "span",
    "div",
    "a",
    "blockquote",
    "mark",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "svg",  # the summary's charts: inline SVG shapes, no script and nothing loaded
    "rect",
}


class PageParser(HTMLParser):
    """Collects tags, attributes, links and the visible text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.marks: list[str] = []
        self.conflict_marks: list[str] = []
        self._mark: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._mark = (dict(attrs).get("class") or "") if tag == "mark" else None

    def handle_endtag(self, tag: str) -> None:
        self._mark = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._mark == "conflict":
            self.conflict_marks.append(data)
        elif self._mark is not None:
            self.marks.append(data)


def render(capsys: pytest.CaptureFixture[str], db_url: str, *, contradiction: bool = False) -> tuple[str, PageParser]:
    data = populate(db_url)
    if contradiction:
        add_contradiction(db_url, data)
    assert main(["report", str(data.article_id), "--format", "html", "--db", db_url]) == 0
    page = capsys.readouterr().out
    parser = PageParser()
    parser.feed(page)
    return page, parser


def test_hostile_article_and_source_text_is_shown_as_text_never_as_markup(db_url: str, capsys) -> None:
    page, parser = render(capsys, db_url)
    assert {tag for tag, _ in parser.tags} <= ALLOWED_TAGS
    for _, attrs in parser.tags:
        assert not any(name.startswith("on") for name in attrs)
    visible = "".join(parser.text)
    for hostile in (HOSTILE_TITLE, HOSTILE_CLAIM, HOSTILE_OUTLET, "<script>alert('source')</script>"):
        assert hostile in visible
    assert "<script" not in page.lower().replace("&lt;script", "")


def test_links_are_only_http_and_javascript_urls_are_dropped(db_url: str, capsys) -> None:
    _, parser = render(capsys, db_url)
    hrefs = [attrs["href"] for tag, attrs in parser.tags if tag == "a"]
    assert hrefs and all(href.startswith(("https://", "http://")) for href in hrefs)
    assert "javascript:" not in " ".join(hrefs)
    assert "https://web.archive.example/web/2026/https://gone.example/paper" in hrefs
    assert "https://ntia.example/report" in hrefs


def test_page_is_self_contained_and_forbids_scripts(sqlite_url: str, capsys) -> None:
    page, parser = render(capsys, sqlite_url)
    assert not [attrs for tag, attrs in parser.tags if tag in {"link", "script", "img", "iframe"}]
    assert "src=" not in page.replace("src=x", "")  # the only src= is escaped hostile text
    csp = [attrs["content"] for tag, attrs in parser.tags if tag == "meta" and attrs.get("http-equiv")]
    assert csp and "default-src 'none'" in csp[0]


def test_evidence_words_shared_with_the_claim_are_highlighted(sqlite_url: str, capsys) -> None:
    _, parser = render(capsys, sqlite_url)
    assert {"government", "restrict", "open", "model", "weights"} <= {mark.lower() for mark in parser.marks}
    assert "the" not in {mark.lower() for mark in parser.marks}


def test_a_contradicted_check_highlights_both_spans_escaped_in_a_page_that_still_forbids_scripts(
    db_url: str, capsys
) -> None:
    page, parser = render(capsys, db_url, contradiction=True)
    assert {tag for tag, _ in parser.tags} <= ALLOWED_TAGS
    # The claim's span (in the claim and in the conflict line) and the source's (in the line and in the passage).
    assert parser.conflict_marks == ["restricting", "restricting", "against restricting", "against restricting"]
    visible = "".join(parser.text)
    assert "negation: the claim says “restricting” (characters 23–34)" in visible
    assert "the source says “against restricting” (characters 58–77)" in visible
    assert "The agency <i>recommended</i> against restricting open model weights" in visible  # escaped, not markup
    assert "<i>" not in page and "the source says otherwise" in visible
    csp = [attrs["content"] for tag, attrs in parser.tags if tag == "meta" and attrs.get("http-equiv")]
    assert csp and "default-src 'none'" in csp[0] and "script-src" not in csp[0]


def test_archived_copies_show_their_capture_date_and_references_their_identifiers(sqlite_url: str, capsys) -> None:
    _, parser = render(capsys, sqlite_url)
    visible = " ".join(parser.text)
    assert "(captured 2026-01-15)" in visible and "doi:10.5555/ntia.2024.weights" in visible
    assert NTIA_ARCHIVE in [attrs["href"] for tag, attrs in parser.tags if tag == "a"]


def test_claims_show_verdicts_source_status_and_roles(sqlite_url: str, capsys) -> None:
    _, parser = render(capsys, sqlite_url)
    visible = " ".join(parser.text)
    for expected in (
        "supported",
        "partial",
        "not found",
        "unavailable",
        "dead",
        "unresolved",
        "dangling",
        "carries the support",
        "adds nothing",
        "archived copy",
    ):
        assert expected in visible


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org/a?b=1", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        (" javascript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("//example.org/x", False),
        ('https://example.org/"onmouseover=x', False),
        ("https://exa mple.org", False),
        ("", False),
        (None, False),
    ],
)
def test_safe_url_allows_only_plain_http_links(url: str | None, safe: bool) -> None:
    assert (safe_url(url) is not None) is safe


def test_summary_charts_come_first_and_carry_the_summary_counts(sqlite_url: str, capsys) -> None:
    page, parser = render(capsys, sqlite_url)
    with session_factory(sqlite_url)() as session:
        article_id = session.scalar(select(Article.id).where(Article.title == HOSTILE_TITLE))
    assert main(["report", str(article_id), "--format", "json", "--db", sqlite_url]) == 0
    summary = json.loads(capsys.readouterr().out)["summary"]
    charts = {attrs["data-chart"]: {} for tag, attrs in parser.tags if tag == "svg" and "data-chart" in attrs}
    current = None
    for tag, attrs in parser.tags:
        if tag == "svg" and "data-chart" in attrs:
            current = attrs["data-chart"]
        elif tag == "rect" and "data-key" in attrs and current is not None:
            charts[current][attrs["data-key"]] = int(attrs["data-count"] or 0)
    assert charts == {"verdicts": summary["verdicts"], "sources": summary["reference_statuses"]}
    assert page.index('data-chart="verdicts"') < page.index("<h2>") < page.index('class="claim"')


def test_claims_that_need_attention_come_before_the_rest(sqlite_url: str, capsys) -> None:
    page, _ = render(capsys, sqlite_url)
    marks = ("Claims that need attention (2)", "<strong>#3</strong>", "<strong>#4</strong>", "Other claims (2)",
             "<strong>#1</strong>", "<strong>#2</strong>")  # fmt: skip
    order = [page.index(mark) for mark in marks]
    assert order == sorted(order)
