"""Choosing a reference's link: archived copies and their capture times, identifiers, and plain-text entries."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.ingest import parse_article
from crawler.ingest.archives import parse_archive_url
from crawler.ingest.identifiers import Identifiers, identifiers_in_text, identifiers_in_url
from crawler.ingest.links import Link, choose_link
from crawler.ingest.references import parse_text_references


@pytest.mark.parametrize(
    ("url", "original", "captured"),
    [
        (
            "https://web.archive.org/web/20140709011039/http://pressupinc.com/blog/x/",
            "http://pressupinc.com/blog/x/",
            datetime(2014, 7, 9, 1, 10, 39, tzinfo=UTC),
        ),
        (
            "https://web.archive.org/web/20201112022638id_/http:/rubberduckdebugging.com/",
            "http://rubberduckdebugging.com/",
            datetime(2020, 11, 12, 2, 26, 38, tzinfo=UTC),
        ),
        ("https://web.archive.org/web/2014/http://x.example/a", "http://x.example/a", None),
        (
            "https://archive.today/2013.08.20-120000/http://example.com/a?b=1",
            "http://example.com/a?b=1",
            datetime(2013, 8, 20, 12, 0, tzinfo=UTC),
        ),
        (
            "https://arquivo.pt/wayback/20091010102944/http://www.example.pt/",
            "http://www.example.pt/",
            datetime(2009, 10, 10, 10, 29, 44, tzinfo=UTC),
        ),
        ("https://www.webcitation.org/6H8pdR68H", None, datetime(2013, 6, 5, 5, 23, 9, tzinfo=UTC)),
        ("https://archive.ph/AbCdE", None, None),
        ("https://perma.cc/ABC1-DEF2", None, None),
    ],
)
def test_archive_links_give_the_original_and_capture_time_when_they_say(url, original, captured) -> None:
    copy = parse_archive_url(url)
    assert copy is not None
    assert (copy.url, copy.original, copy.captured_at) == (url, original, captured)


@pytest.mark.parametrize(
    "url",
    ["https://archive.org/details/isbn_9780201616224", "https://example.com/web/20201112/http://x.com", "not a url"],
)
def test_library_items_and_lookalike_paths_are_not_archived_copies(url: str) -> None:
    assert parse_archive_url(url) is None


def test_identifiers_from_resolver_links_and_written_out_in_text() -> None:
    assert identifiers_in_url("https://doi.org/10.1126%2Fsciadv.abc6434") == Identifiers(doi="10.1126/sciadv.abc6434")
    assert identifiers_in_url("https://pubmed.ncbi.nlm.nih.gov/33028530/") == Identifiers(pmid="33028530")
    assert identifiers_in_url("https://pmc.ncbi.nlm.nih.gov/articles/PMC7541171/") == Identifiers(pmcid="PMC7541171")
    assert identifiers_in_url("https://arxiv.org/pdf/2104.01234v2.pdf") == Identifiers(arxiv="2104.01234v2")
    text = (
        "Smith (2020). Title. Journal 3: 4. doi:10.1000/xyz.12. PMID: 123456. PMC 7654321. arXiv:2101.00001. "
        "ISBN 978-0-201-61622-4"
    )
    assert identifiers_in_text(text) == Identifiers(
        doi="10.1000/xyz.12", pmid="123456", pmcid="PMC7654321", arxiv="2101.00001", isbn="9780201616224"
    )


def test_an_isbn_with_a_wrong_check_digit_is_not_kept() -> None:
    assert identifiers_in_text("ISBN 978-0-201-61622-5").isbn is None


def test_title_link_to_an_archive_cites_the_named_original() -> None:
    cited = choose_link(
        [
            Link("https://web.archive.org/web/20150906123456/http://www.example.org/a.html", "Our history"),
            Link("http://www.example.org/a.html", "the original"),
        ],
        "Our history. Archived from the original on 6 September 2015.",
    )
    assert cited.url == "http://www.example.org/a.html"
    assert cited.archive_captured_at == datetime(2015, 9, 6, 12, 34, 56, tzinfo=UTC)


def test_an_opaque_archive_link_takes_its_capture_date_from_the_text() -> None:
    cited = choose_link(
        [Link("https://news.example.com/story", "Story"), Link("https://archive.ph/3kQ2x", "Archived")],
        '"Story". Archived from the original on 3 July 2021.',
    )
    assert (cited.url, cited.archive_url) == ("https://news.example.com/story", "https://archive.ph/3kQ2x")
    assert cited.archive_captured_at == datetime(2021, 7, 3, tzinfo=UTC)


def test_the_link_carrying_the_title_wins_over_an_earlier_author_link() -> None:
    cited = choose_link(
        [
            Link("https://social.example/@jane", "Jane Smith"),
            Link("https://news.example.com/bay", "The bay is green again"),
        ],
        "Jane Smith, “The bay is green again”, News Daily.",
        title="The bay is green again",
    )
    assert cited.url == "https://news.example.com/bay"


def test_links_after_the_identifiers_are_not_title_links() -> None:
    cited = choose_link(
        [
            Link("https://arxiv.org/abs/2104.01234", "2104.01234"),
            Link("https://arxiv.org/archive/q-bio.PE", "q-bio.PE"),
        ],
        '"Warming". arXiv:2104.01234 [q-bio.PE].',
    )
    assert cited.url == "https://arxiv.org/abs/2104.01234"


def test_an_entry_with_only_an_isbn_has_no_url_but_keeps_the_isbn() -> None:
    cited = choose_link([], "Moore, K. (2006). Zostera. University of Chicago Press. ISBN 978-0-226-11234-3.")
    assert (cited.url, cited.identifiers.isbn) == (None, "9780226112343")


def test_plain_text_entries_get_archived_copies_and_doi_urls() -> None:
    text = (
        "Sources\n\n"
        "1. Harbour Ledger. Trout move upstream. https://web.archive.org/web/20200101000000/https://ledger.example.com/trout\n"
        "2. Varga, L. (2021). Stream warming. Journal of Hydrology. doi:10.1016/j.jhydrol.2021.126001.\n"
        "3. Elk River Council. Records. Retrieved 4 May 2022. https://elk.example.org/r.pdf\n"
    )
    references = parse_text_references(text)
    assert [(ref.number, ref.url) for ref in references] == [
        (1, "https://ledger.example.com/trout"),
        (2, "https://doi.org/10.1016/j.jhydrol.2021.126001"),
        (3, "https://elk.example.org/r.pdf"),
    ]
    assert references[0].archive_captured_at == datetime(2020, 1, 1, tzinfo=UTC)
    assert references[1].doi == "10.1016/j.jhydrol.2021.126001"
    assert references[2].accessed_at == datetime(2022, 5, 4, tzinfo=UTC)


def test_doi_only_entries_in_html_cite_the_doi() -> None:
    html = (
        "<html><body><main><p>Seagrass stores carbon fast.<sup><a href='#r1'>1</a></sup> "
        "Meadows recover in a decade.<sup><a href='#r2'>2</a></sup></p><h2>References</h2><ol>"
        "<li id='r1'>Orth, R. J. (2020). Restoration of seagrass habitat. <em>Science Advances</em>, 6(41), "
        "eabc6434. doi:10.1126/sciadv.abc6434</li>"
        "<li id='r2'>Duarte, C. (2021). Rebuilding marine life. <i>Nature</i>, 580, 39–51. "
        "<a href='https://doi.org/10.1038/s41586-020-2146-7'>https://doi.org/10.1038/s41586-020-2146-7</a></li>"
        "</ol></main></body></html>"
    )
    article = parse_article(html.encode(), content_type="text/html")
    assert [(ref.outlet, ref.title, ref.url, ref.doi) for ref in article.references] == [
        (
            "Science Advances",
            "Restoration of seagrass habitat",
            "https://doi.org/10.1126/sciadv.abc6434",
            "10.1126/sciadv.abc6434",
        ),
        ("Nature", "Rebuilding marine life", "https://doi.org/10.1038/s41586-020-2146-7", "10.1038/s41586-020-2146-7"),
    ]
