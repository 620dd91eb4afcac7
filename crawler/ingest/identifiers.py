"""Scholarly identifiers a reference names (DOI, PMID, PMCID, arXiv, ISBN) and the page each one resolves to."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from urllib.parse import unquote, urlsplit

_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)")
_DOI_IN_TEXT = re.compile(r"(?:\bdoi\s*:?\s*|\bdoi\.org/)(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
_PMID_IN_TEXT = re.compile(r"\bPMID\s*:?\s*(\d{1,9})\b")
_PMCID_IN_TEXT = re.compile(r"\bPMC(?:ID)?\s*:?\s*(?:PMC)?(\d{4,9})\b")
_ARXIV_ID = r"(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)"
_ARXIV_IN_TEXT = re.compile(rf"\barXiv\s*:\s*{_ARXIV_ID}", re.IGNORECASE)
_ISBN_IN_TEXT = re.compile(r"\bISBN(?:-1[03])?\s*:?\s*((?:97[89][\s-]?)?\d[\d\s-]{7,12}[\dXx])\b")
_PUBMED_PATH = re.compile(r"^/(?:pubmed/)?(\d{1,9})/?$")
_PMC_PATH = re.compile(r"/(?:pmc/)?articles/PMC(\d+)", re.IGNORECASE)
_ARXIV_PATH = re.compile(rf"^/(?:abs|pdf)/{_ARXIV_ID}(?:\.pdf)?/?$")
# Hosts that resolve an identifier (Bibcode, JSTOR, OCLC, S2CID, handle …) rather than publish the work.
_RESOLVER_HOSTS = frozenset(
    "doi.org dx.doi.org pubmed.ncbi.nlm.nih.gov ncbi.nlm.nih.gov pmc.ncbi.nlm.nih.gov europepmc.org arxiv.org "
    "ui.adsabs.harvard.edu adsabs.harvard.edu jstor.org worldcat.org search.worldcat.org api.semanticscholar.org "
    "hdl.handle.net osti.gov zbmath.org mathscinet.ams.org ams.org citeseerx.ist.psu.edu eric.ed.gov lccn.loc.gov "
    "portal.issn.org papers.ssrn.com ssrn.com inspirehep.net".split()
)
_IDENTIFIER_TAIL = re.compile(r"[.,;]?\s*\b(?:doi|pmid|pmcid|arxiv|isbn)\b\s*:?\s*\S.*$", re.IGNORECASE)
# Sentence punctuation that follows a DOI in running text is not part of it.
_TRAILING = ".,;:)]}'\""


@dataclass(frozen=True)
class Identifiers:
    """Identifiers of one cited work; None where the reference names none."""

    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    arxiv: str | None = None
    isbn: str | None = None

    def merged(self, other: Identifiers) -> Identifiers:
        """Return these identifiers with the gaps filled from ``other``."""
        return Identifiers(**{name: getattr(self, name) or getattr(other, name) for name in _NAMES})

    def resolver_url(self) -> str | None:
        """Return the landing page of the most direct identifier; an ISBN names a book, not a page."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmcid:
            return f"https://www.ncbi.nlm.nih.gov/pmc/articles/{self.pmcid}/"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        if self.arxiv:
            return f"https://arxiv.org/abs/{self.arxiv}"
        return None


_NAMES = tuple(f.name for f in fields(Identifiers))


def identifiers_in_url(url: str) -> Identifiers:
    """Return the identifier a resolver or repository URL carries (doi.org, PubMed, PMC, arXiv)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return Identifiers()
    host = (parts.hostname or "").removeprefix("www.")
    path = unquote(parts.path)
    if host in ("doi.org", "dx.doi.org") and (doi := _DOI.search(path)):
        return Identifiers(doi=_clean_doi(doi.group(1)))
    if host == "pubmed.ncbi.nlm.nih.gov" or (host == "ncbi.nlm.nih.gov" and path.startswith("/pubmed/")):
        if pmid := _PUBMED_PATH.match(path):
            return Identifiers(pmid=pmid.group(1))
    if host in ("ncbi.nlm.nih.gov", "pmc.ncbi.nlm.nih.gov") and (pmcid := _PMC_PATH.search(path)):
        return Identifiers(pmcid=f"PMC{pmcid.group(1)}")
    if host in ("arxiv.org", "export.arxiv.org") and (arxiv := _ARXIV_PATH.match(path)):
        return Identifiers(arxiv=arxiv.group(1))
    return Identifiers()


def identifiers_in_text(text: str) -> Identifiers:
    """Return the identifiers written out in a reference's text (``doi:10.…``, ``PMID 123``, ``ISBN …``)."""
    doi = _DOI_IN_TEXT.search(text)
    pmid = _PMID_IN_TEXT.search(text)
    pmcid = _PMCID_IN_TEXT.search(text)
    arxiv = _ARXIV_IN_TEXT.search(text)
    return Identifiers(
        doi=_clean_doi(doi.group(1)) if doi else None,
        pmid=pmid.group(1) if pmid else None,
        pmcid=f"PMC{pmcid.group(1)}" if pmcid else None,
        arxiv=arxiv.group(1) if arxiv else None,
        isbn=next(filter(None, (_valid_isbn(m.group(1)) for m in _ISBN_IN_TEXT.finditer(text))), None),
    )


def without_identifiers(text: str) -> str:
    """Return a title without the identifiers a reference wrote after it (``… 2024. doi:10.…``)."""
    return _IDENTIFIER_TAIL.sub("", text)


def is_identifier_link(url: str, text: str, identifiers: Identifiers) -> bool:
    """Tell whether a link shows an identifier (``10.1038/…``, ``PMID 37103261``, a Bibcode) rather than a title."""
    value = text.strip().removeprefix("PMC")
    known = {getattr(identifiers, name) for name in _NAMES} - {None}
    if value and (value in known or f"PMC{value}" in known or _DOI.fullmatch(value)):
        return True
    try:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:
        return False
    # A resolver link whose text is one token is an identifier; one whose text is a title is a title link.
    return host in _RESOLVER_HOSTS and " " not in value


def _clean_doi(doi: str) -> str:
    """Drop punctuation that ends the sentence around a DOI."""
    return doi.rstrip(_TRAILING)


def _valid_isbn(candidate: str) -> str | None:
    """Return an ISBN-10 or ISBN-13 without separators if its check digit is right, else None."""
    digits = re.sub(r"[\s-]", "", candidate).upper()
    if len(digits) == 13 and digits.isdigit():
        total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
        return digits if total % 10 == 0 else None
    if len(digits) == 10 and digits[:9].isdigit() and (digits[9].isdigit() or digits[9] == "X"):
        total = sum((10 - i) * (10 if d == "X" else int(d)) for i, d in enumerate(digits))
        return digits if total % 11 == 0 else None
    return None
