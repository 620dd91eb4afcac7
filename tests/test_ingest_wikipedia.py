"""Wikipedia pages (desktop, saved mobile copy, Parsoid REST HTML): lists found from the markers, CS1 fields,
archived copies, identifiers, notes kept apart from references, and no backlinks or wiki links as sources."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.ingest import ParsedArticle, ParsedReference, parse_article

FIXTURES = Path(__file__).parent / "fixtures" / "articles"


def parse_fixture(name: str, url: str | None = None) -> ParsedArticle:
    return parse_article((FIXTURES / name).read_bytes(), filename=name, url=url)


def by_number(article: ParsedArticle) -> dict[int, ParsedReference]:
    return {reference.number: reference for reference in article.references}


@pytest.fixture(scope="module")
def desktop() -> ParsedArticle:
    return parse_fixture("wikipedia-desktop.html")


@pytest.fixture(scope="module")
def mobile() -> ParsedArticle:
    return parse_fixture("wikipedia-mobile.html")


@pytest.fixture(scope="module")
def parsoid() -> ParsedArticle:
    return parse_fixture("wikipedia-parsoid.html")


def test_desktop_claims_cite_the_numbers_the_reader_sees_and_notes_after_them(desktop: ParsedArticle) -> None:
    assert [(claim.citations, claim.text[:40]) for claim in desktop.claims] == [
        ((9,), "Eelgrass meadow restoration is the repla"),
        ((1, 2), "The largest project, in the coastal bays"),
        ((3,), "A wasting disease wiped out most eelgras"),
        ((4,), "Volunteer groups began collecting seeds "),
        ((2, 10), "The restored meadows now store about 0.4"),
        ((5,), "Seeds are broadcast from boats in autumn"),
        ((6,), "Survival is highest in water less than 2"),
        ((7,), "A 2021 model suggested that warming coul"),
        ((8,), "Local newspapers credited the volunteers"),
        ((1,), "The seed nursery is run by the state uni"),
    ]
    assert desktop.warnings == ()


def test_desktop_cs1_gives_work_as_outlet_and_quoted_title_as_title(desktop: ParsedArticle) -> None:
    assert [(ref.number, ref.outlet, ref.title) for ref in desktop.references[:8]] == [
        (1, "The Guardian", "How volunteers brought a lost seagrass meadow back to life"),
        (
            2,
            "Science Advances",
            "Restoration of seagrass habitat leads to rapid recovery of coastal ecosystem services",
        ),
        (3, "Island Press", "Seagrass Ecology of the Atlantic Coast"),
        (4, "Seagrass Recovery Project", "Our history"),
        (5, "University of Chicago Press", "Zostera: Biology, Ecology, and Management"),
        (6, "Virginia Institute of Marine Science", "Depth limits for eelgrass seedlings"),
        (7, "arXiv", "Warming and the survival of restored seagrass"),
        (8, "The Daily Times", "Bay scallops return to the seaside bays"),
    ]


def test_desktop_urls_are_the_cited_works_never_backlinks_or_wiki_pages(desktop: ParsedArticle) -> None:
    assert [ref.url for ref in desktop.references] == [
        "https://www.theguardian.com/environment/2021/mar/14/seagrass-meadows-virginia-restoration",
        "https://doi.org/10.1126/sciadv.abc6434",
        "https://books.google.com/books?id=Qx7aBwAAQBAJ",
        "http://www.seagrassrecovery.org/about/history.html",
        None,
        "https://www.vims.edu/research/topics/sav/restoration/depth-survival.php",
        "https://arxiv.org/abs/2104.01234",
        "https://www.delmarvanow.com/story/news/local/2019/05/03/bay-scallops-return-eelgrass/3654321002/",
        None,
        None,
    ]


def test_live_cs1_link_keeps_its_archived_copy_capture_and_access_dates(desktop: ParsedArticle) -> None:
    guardian = by_number(desktop)[1]
    assert guardian.archive_url == (
        "https://web.archive.org/web/20210315083012/"
        "https://www.theguardian.com/environment/2021/mar/14/seagrass-meadows-virginia-restoration"
    )
    assert guardian.archive_captured_at == datetime(2021, 3, 15, 8, 30, 12, tzinfo=UTC)
    assert guardian.accessed_at == datetime(2021, 4, 2, tzinfo=UTC)
    assert guardian.published_at == datetime(2021, 3, 14, tzinfo=UTC)


def test_dead_cs1_title_link_to_the_archive_cites_the_original(desktop: ParsedArticle) -> None:
    dead = by_number(desktop)[4]
    assert dead.url == "http://www.seagrassrecovery.org/about/history.html"
    assert (
        dead.archive_url
        == "https://web.archive.org/web/20150906123456/http://www.seagrassrecovery.org/about/history.html"
    )
    assert dead.archive_captured_at == datetime(2015, 9, 6, 12, 34, 56, tzinfo=UTC)


def test_identifiers_are_kept_and_an_entry_without_a_title_link_cites_its_doi(desktop: ParsedArticle) -> None:
    journal = by_number(desktop)[2]
    assert (journal.doi, journal.pmid, journal.pmcid) == ("10.1126/sciadv.abc6434", "33028530", "PMC7541171")
    book = by_number(desktop)[5]
    assert (book.url, book.isbn) == (None, "9780226112343")
    assert by_number(desktop)[7].arxiv == "2104.01234"


def test_short_harvard_note_is_read_through_the_full_citation_it_links_to(desktop: ParsedArticle) -> None:
    marsh = by_number(desktop)[3]
    assert (marsh.outlet, marsh.isbn) == ("Island Press", "9781597261234")
    assert marsh.raw_text == "Marsh 2012, p. 12."


def test_notes_list_is_kept_apart_with_its_labels(desktop: ParsedArticle) -> None:
    notes = [ref for ref in desktop.references if ref.group == "Notes"]
    assert [(ref.number, ref.label) for ref in notes] == [(9, "a"), (10, "b")]
    assert {ref.group for ref in desktop.references if ref.number <= 8} == {"References"}
    assert all(ref.label is None for ref in desktop.references if ref.number <= 8)


def test_desktop_text_has_no_lists_chrome_or_editorial_tags(desktop: ParsedArticle) -> None:
    for absent in ("Jump to content", "Retrieved", "citation needed", "[edit]", ": 95", "Also called seagrass"):
        assert absent not in desktop.text
    assert "below 15 °C.[5] Survival" in desktop.text


def test_saved_mobile_page_without_headings_finds_all_eight_references(mobile: ParsedArticle) -> None:
    assert len(mobile.claims) == 8
    assert [ref.number for ref in mobile.references] == list(range(1, 9))
    assert not any("wikipedia.org" in (ref.url or "") for ref in mobile.references)
    assert [ref.outlet for ref in mobile.references] == [
        "The Guardian",
        "foodsharing.de",
        "Hubbub Foundation",
        "Appetite",
        "Oxford University Press",
        "Food Standards Agency",
        "grahamriches.example.org",
        "Gothamist",
    ]


def test_mobile_titles_archives_and_library_copies(mobile: ParsedArticle) -> None:
    refs = by_number(mobile)
    assert refs[3].title == "The Community Fridge Network: Annual report"
    assert refs[3].url == "https://www.hubbub.org.uk/Handlers/Download.ashx?IDMF=community-fridge-report"
    assert refs[3].archive_captured_at == datetime(2020, 1, 1, tzinfo=UTC)
    # archive.org/details is a library's copy of a book, not an archived capture of a web page.
    assert (refs[5].url, refs[5].archive_url) == ("https://archive.org/details/isbn_9780199558742", None)
    assert refs[7].title == "Charity is not a right"
    assert refs[7].archive_url.startswith("https://web.archive.org/web/20181105123545/")
    assert refs[8].title == "Landlord removes Bed-Stuy community fridge"


def test_mobile_page_given_its_url_still_skips_self_links(mobile: ParsedArticle) -> None:
    with_url = parse_fixture("wikipedia-mobile.html", url="https://en.m.wikipedia.org/wiki/Community_fridge")
    assert [ref.url for ref in with_url.references] == [ref.url for ref in mobile.references]


def test_parsoid_html_resolves_relative_markers_and_groups(parsoid: ParsedArticle) -> None:
    assert [claim.citations for claim in parsoid.claims] == [(1,), (2,), (3,), (4, 6), (2, 5)]
    assert [(ref.number, ref.label, ref.group) for ref in parsoid.references] == [
        (1, None, "References"),
        (2, None, "References"),
        (3, None, "References"),
        (4, None, "References"),
        (5, None, "References"),
        (6, "note 1", "Notes"),
    ]


def test_parsoid_fields_from_coins_and_extlinks_only(parsoid: ParsedArticle) -> None:
    assert [(ref.outlet, ref.url) for ref in parsoid.references[:5]] == [
        ("Encyclopædia Britannica", "https://www.britannica.com/technology/tide-mill"),
        ("Transactions of the Newcomen Society", "https://doi.org/10.1179/tns.1979.001"),
        ("The Stationery Office", None),
        ("Tide Mills Trust", "http://www.tidemills.org.uk/history/atlantic.html"),
        ("East Anglian Daily Times", "https://www.eadt.co.uk/news/woodbridge-tide-mill-reopens-2021"),
    ]
    eadt = by_number(parsoid)[5]
    # archive.today short links name neither page nor time: the citation's "Archived … on" date is the capture.
    assert (eadt.archive_url, eadt.archive_captured_at) == (
        "https://archive.ph/3kQ2x",
        datetime(2021, 7, 3, tzinfo=UTC),
    )
