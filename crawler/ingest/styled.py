"""References in the common house styles: a quoted title and italic work (CS1, MLA, Chicago, APA), Vancouver.

In ``Hayes, David (25 June 2014). "The Psychology…". <i>Press Up</i>.`` the quoted title is the title and the
italic work is the outlet. Without a quoted title the first italic is the title (a book), and the outlet is
its publisher, the plain segment after it. PubMed's Vancouver line is "Authors. Title. Journal. Year;volume".
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator

import lxml.html

from crawler.ingest.citation import CitationFields
from crawler.ingest.citedates import published_date
from crawler.ingest.dates import DATE_IN_TEXT
from crawler.ingest.headings import visible_text
from crawler.ingest.references import strip_entry_label

_QUOTED = re.compile(r"[\"“](.+?)[\"”]")
_ITALIC = ("i", "em", "cite")
_SEGMENT_SEPARATOR = re.compile(r"\.\s+|,\s+")
_NOT_PUBLISHER = re.compile(
    r"^(?:(?:retrieved|archived|accessed|isbn|issn|doi|pmid|pmc|oclc|s2cid|jstor|bibcode|arxiv|hdl|zbl|"
    r"pp?|vol|via|in|page|pages|chapter|pdf|html|edition)\b|nos?\.\s*\d|eds?\.)",
    re.IGNORECASE,
)
_MAX_PUBLISHER = 80
_NOT_FIELDS = ".//q | .//*[contains(@class, 'cs1-maint') or contains(@class, 'cs1-hidden-error')]"
# Vancouver/ICMJE, as PubMed writes it: "Smith J, Lee K. Title. Journal. 2020;75(3):101-10."
_VANCOUVER = re.compile(
    r"^(?P<authors>[^.]{2,200}?)\.\s+(?P<title>[^.]{3,300}?)[.?!]\s+(?P<journal>[A-Z][^.;]{1,80}?)\.?\s+"
    r"\d{4}(?:\s+[A-Z][a-z]{2}(?:\s+\d{1,2})?)?\s*[;:]"
)
# Share of an entry's text above which a <cite> wraps the reference rather than a title.
_WHOLE_ENTRY = 0.6
_VOLUME = re.compile(r"^\s*[,.]?\s*(?:vol\.?\s*)?\d+\s*(?:\(\d+\))?\s*[,:(]")
_SENTENCE = re.compile(r"(?<=[.)])\s+")
_YEAR = re.compile(r"\(?\d{4}[a-z]?\)?|\(n\.d\.\)")
_YEAR_IN_PARENTHESES = re.compile(r"\(\s*(?:\d{4}[a-z]?|n\.d\.)\s*\)")


def styled_fields(element: lxml.html.HtmlElement, *, cs1: bool = False) -> CitationFields:
    """Return title, outlet and date of a reference written with a quoted title and/or italic work.

    A CS1 citation with no work names its publisher after the title. A book (an italic title) names its
    publisher after the title, or, outside CS1, its author or issuing body before it.
    """
    # The quotation a citation reproduces, and Wikipedia's hidden maintenance messages, are not its fields.
    shown = element
    if element.xpath(_NOT_FIELDS):
        shown = copy.deepcopy(element)
        for hidden in shown.xpath(_NOT_FIELDS):
            hidden.drop_tree()
    text = strip_entry_label(visible_text(shown))
    title, holder = _title(shown, text)
    if title is None and (vancouver := _VANCOUVER.match(text)):
        return CitationFields(title=vancouver["title"], outlet=vancouver["journal"], published_at=published_date(text))
    apart = (
        italic
        for italic in _italics(shown)
        if holder is None or not (_within(italic, holder) or _within(holder, italic))
    )
    work = next(filter(None, map(visible_text, apart)), None)
    outlet = work
    is_book = holder is not None and holder.tag in _ITALIC
    if outlet is None and title and (cs1 or is_book):
        before, _, after = text.partition(title)
        outlet = _publisher(after) or (None if cs1 else _issuer(before))
    return CitationFields(title=title, outlet=outlet, published_at=published_date(text))


def _title(element: lxml.html.HtmlElement, text: str) -> tuple[str | None, lxml.html.HtmlElement | None]:
    """Return the title and the element holding it: a quoted title (an article), else the first italic.

    An italic followed by a volume number (``*Nature Cities*, 2, 45–52``) is an APA-style journal, and the
    title is then the plain sentence before it.
    """
    quoted = _QUOTED.search(text)
    if quoted:
        title = quoted.group(1).strip(" ,.")
        return title, next((a for a in element.iter("a") if title in visible_text(a)), None)
    italic = next(_italics(element), None)
    if italic is None:
        return None, None
    work = visible_text(italic)
    before, _, after = text.partition(work)
    if _VOLUME.match(after):
        title = next((part.strip(" .") for part in reversed(_SENTENCE.split(before)) if _is_title(part)), None)
        return title, None
    return work or None, italic


def _is_title(segment: str) -> bool:
    """Tell whether a segment before an APA journal is the title, not the authors' year or an empty piece."""
    segment = segment.strip(" .")
    return len(segment.split()) >= 2 and not _YEAR.fullmatch(segment)


def _italics(element: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    """Yield the italic elements inside ``element``: ``<i>``, ``<em>`` and a ``<cite>`` holding a title.

    A CS1 ``<cite class="citation">``, or any ``<cite>`` wrapping most of the entry (as PubMed Central's do),
    holds the whole reference, not a title.
    """
    whole = len(visible_text(element))
    for italic in element.iterdescendants(*_ITALIC):
        if italic.tag == "cite" and (
            "citation" in (italic.get("class") or "").split() or len(visible_text(italic)) > whole * _WHOLE_ENTRY
        ):
            continue
        yield italic


def _publisher(after_title: str) -> str | None:
    """Return the first plain segment after the title that is a name, not a date, page or identifier."""
    for segment in _SEGMENT_SEPARATOR.split(after_title):
        segment = segment.strip(" .,;()[]")
        if ":" in segment:
            segment = segment.rsplit(":", 1)[1].strip()
        if _is_name(segment):
            return segment
    return None


def _issuer(before_title: str) -> str | None:
    """Return who issued an untitled-publisher book or report: the text before its title, without a year."""
    issuer = _YEAR_IN_PARENTHESES.sub("", before_title).strip(" .,;:–—-")
    return issuer if _is_name(issuer) else None


def _is_name(segment: str) -> bool:
    """Tell whether a segment can be a publisher's name rather than a date, page, format or identifier."""
    return (
        len(segment) >= 3
        and not segment[0].isdigit()
        and not _NOT_PUBLISHER.match(segment)
        and not DATE_IN_TEXT.fullmatch(segment)
        and len(segment) <= _MAX_PUBLISHER
    )


def _within(element: lxml.html.HtmlElement, container: lxml.html.HtmlElement) -> bool:
    """Tell whether ``element`` is ``container`` or inside it."""
    return element is container or container in element.iterancestors()
