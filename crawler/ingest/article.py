"""Parse an article (HTML or plain text) into its metadata, cited claims and numbered references."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from crawler.exceptions import InputTooLarge, NoCitations
from crawler.ingest.decode import DEFAULT_MAX_BYTES, decode_input
from crawler.ingest.html import parse_html
from crawler.ingest.markers import find_markers, marker_spans, strip_markers
from crawler.ingest.quotes import Quote, find_quotes
from crawler.ingest.references import ParsedReference
from crawler.ingest.text import parse_text
from crawler.sentences import split_sentences

_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
_TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
# Bounds on what one article stores: a page of [1-50] range markers once made 150,999 citation rows (28 s, 720 MB).
# Real articles stay far below: a long encyclopedia page cites about a thousand times.
MAX_CITATIONS_PER_CLAIM = 100
MAX_CITATIONS_PER_ARTICLE = 5_000


@dataclass(frozen=True)
class ParsedClaim:
    """A sentence that carries citation markers; ``start``/``end`` are offsets in the article text."""

    index: int
    text: str
    citations: tuple[int, ...]
    start: int
    end: int
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class ParsedArticle:
    """An ingested article: its text, metadata, claims, references and the warnings parsing raised."""

    text: str
    title: str | None
    byline: str | None
    publisher: str | None
    published: datetime | None
    url: str | None
    claims: tuple[ParsedClaim, ...]
    references: tuple[ParsedReference, ...]
    warnings: tuple[str, ...]


def parse_article(
    body: bytes,
    *,
    content_type: str | None = None,
    filename: str | None = None,
    url: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    inline_links: bool = False,
) -> ParsedArticle:
    """Parse an article's bytes; raise an ``InputError`` subclass when they cannot be an article with citations.

    With ``inline_links`` an HTML article's outbound links are its sources even if it has numbered citations.
    """
    decoded = decode_input(body, content_type=content_type, max_bytes=max_bytes)
    if _is_html(decoded.text, content_type, filename or url):
        parts = parse_html(decoded.text, url=url, inline_links=inline_links)
    else:
        parts = parse_text(decoded.text)
    claims = find_claims(parts.text, parts.body_end)
    if not claims:
        raise NoCitations(
            "no outbound links found in the article body"
            if inline_links
            else "no citation markers ([2], [1][6], <sup>2</sup>, #ref links) or outbound links found in the article"
        )
    return ParsedArticle(
        text=parts.text,
        title=parts.title,
        byline=parts.byline,
        publisher=parts.publisher,
        published=parts.published,
        url=url,
        claims=claims,
        references=parts.references,
        warnings=decoded.warnings + parts.warnings + dangling_warnings(claims, parts.references),
    )


def find_claims(text: str, body_end: int) -> tuple[ParsedClaim, ...]:
    """Return every sentence of ``text[:body_end]`` with citation markers, numbered from 1.

    Raises ``InputTooLarge`` past ``MAX_CITATIONS_PER_CLAIM`` or ``MAX_CITATIONS_PER_ARTICLE`` citations.
    """
    claims = []
    total = 0
    body = text[:body_end]
    for sentence in split_sentences(body, attached=marker_spans(body)):
        markers = find_markers(sentence.text)
        if not markers:
            continue
        claim_text = strip_markers(sentence.text)
        citations = tuple(sorted({number for marker in markers for number in marker.numbers}))
        total += len(citations)
        if len(citations) > MAX_CITATIONS_PER_CLAIM:
            raise InputTooLarge(f"claim {len(claims) + 1} cites {len(citations)} sources; at most "
                                f"{MAX_CITATIONS_PER_CLAIM} citations per claim are accepted")  # fmt: skip
        if total > MAX_CITATIONS_PER_ARTICLE:
            raise InputTooLarge(f"the article has over {MAX_CITATIONS_PER_ARTICLE:,} citations (claim × cited "
                                "number); split it, or check its markers")  # fmt: skip
        quotes = tuple(find_quotes(claim_text))
        claims.append(ParsedClaim(len(claims) + 1, claim_text, citations, sentence.start, sentence.end, quotes))
    return tuple(claims)


def dangling_warnings(claims: tuple[ParsedClaim, ...], references: tuple[ParsedReference, ...]) -> tuple[str, ...]:
    """Return one warning per cited number that has no entry in the source list."""
    known = {reference.number for reference in references}
    citing: dict[int, list[int]] = defaultdict(list)
    for claim in claims:
        for number in claim.citations:
            if number not in known:
                citing[number].append(claim.index)
    return tuple(
        f"[{number}] is cited by claim {', '.join(map(str, indexes))} but has no entry in the source list"
        for number, indexes in sorted(citing.items())
    )


def _is_html(text: str, content_type: str | None, name: str | None) -> bool:
    """Decide between the HTML and the plain-text reader."""
    media_type = (content_type or "").split(";")[0].strip().lower()
    if "html" in media_type:
        return True
    if media_type == "text/plain":
        return False
    suffix = (name or "").lower().split("?")[0]
    if suffix.endswith(_HTML_SUFFIXES):
        return True
    if suffix.endswith(_TEXT_SUFFIXES):
        return False
    return bool(_HTML_START.match(text[:4096]))
