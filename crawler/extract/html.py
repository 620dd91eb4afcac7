"""Main-text extraction from HTML with trafilatura, wrapped so that ``None`` never escapes."""

from __future__ import annotations

from configparser import ConfigParser
from importlib.metadata import version
from typing import Literal

from lxml.etree import XPath
from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.settings import use_config
from trafilatura.utils import load_html

from crawler.charset import decode_html
from crawler.dates import as_utc
from crawler.extract.document import Document
from crawler.extract.metadata import page_metadata
from crawler.extract.recall import recover_split_body

Focus = Literal["balanced", "precision", "recall"]

EXTRACTOR = f"trafilatura {version('trafilatura')}"
# Measured by benchmarks/eval_extract.py on aeb-dev (README): shingle F1 0.005 under favor_precision, but it
# finds the most gold sentences (a missed supporting sentence is a false "unsupported") and runs fastest.
FOCUS: Focus = "recall"
NO_TEXT = "trafilatura found no main text (page too short, or only boilerplate)"
# trafilatura's own date defaults plus a time and offset, so a full timestamp survives when the page has one.
DATE_PARAMS = {"original_date": True, "extensive_search": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z"}

_RE = {"re": "http://exslt.org/regular-expressions"}
_REF_HEADING = (
    "*[self::h2 or self::h3 or self::h4][re:test(normalize-space(), '^(references|bibliography|works cited)$', 'i')]"
)
_BOILERPLATE_NAMES = (
    r"(^|\s)(references|bibliography|reflist|ref-list|related|tooltiptext|hovercard|rollover-people-block)(\s|$)"
    r"|cookie|consent|related-"
)
# Parts trafilatura keeps that are not the source's own claims: reference lists, captions, banners, related links,
# and hover cards (hidden until hovered) whose headlines trafilatura splices into the middle of a sentence.
PRUNE_XPATH = [
    XPath(expression, namespaces=_RE)
    for expression in (
        "//*[@role='doc-bibliography' or @role='doc-endnotes']",
        (
            "//*[@id or @class][not(self::html or self::body or self::main or self::article)]"
            f"[re:test(concat(@id, ' ', @class), '{_BOILERPLATE_NAMES}', 'i')]"
        ),
        "//figcaption",
        f"//section[{_REF_HEADING}]",
        f"//{_REF_HEADING}/following-sibling::*[1][self::ol or self::ul]",
        f"//{_REF_HEADING}",
    )
]


def _build_config() -> ConfigParser:
    """Return trafilatura's configuration, read once at import rather than per page."""
    config = use_config()
    # trafilatura's timeout relies on SIGALRM, which only works in the main thread; the crawl caps time itself.
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


_CONFIG = _build_config()


def extract_html(body: bytes, content_type: str | None, url: str | None = None) -> Document:
    """Return the main text and metadata of an HTML body, decoded with its declared charset."""
    return html_document(decode_html(body, content_type), url)


def html_document(html: str, url: str | None = None, focus: Focus = FOCUS, prune: bool = True) -> Document:
    """Return the main text, title, author and date trafilatura finds (``prune``: PRUNE_XPATH and the recall pass)."""
    if not html.strip():
        return Document.empty("html", EXTRACTOR, "empty HTML body")
    tree = load_html(html)
    if tree is None:
        return Document.empty("html", EXTRACTOR, "unparseable HTML")
    if prune:
        _prune(tree)
    # Read before bare_extraction, which works on a copy and leaves ``tree`` as it was.
    metadata = page_metadata(tree, url, DATE_PARAMS)
    found = bare_extraction(
        tree,
        url=url or metadata.url,
        favor_precision=focus == "precision",
        favor_recall=focus == "recall",
        include_comments=False,
        config=_CONFIG,
    )
    text = (found.text or "").strip() if found is not None else ""
    if text and prune:
        text = recover_split_body(tree, text)
    if not text:
        return Document.empty("html", EXTRACTOR, NO_TEXT)
    return Document(
        outcome="ok",
        text=text,
        title=metadata.title or None,
        author=metadata.author or None,
        published=as_utc(metadata.date),
        kind="html",
        extractor=EXTRACTOR,
    )


def _prune(tree: HtmlElement) -> None:
    """Remove PRUNE_XPATH matches from ``tree`` in place, keeping the text that follows each one."""
    half_page = len(tree.text_content()) / 2
    for expression in PRUNE_XPATH:
        for element in expression(tree):
            # A wrapper whose class merely mentions "consent" or "related" must not take the article with it.
            if len(element.text_content()) <= half_page:
                element.drop_tree()
