"""Footnote systems outside Wikipedia: Pandoc, kramdown/Jekyll, Hugo, markdown-it, Python-Markdown, Substack,
WordPress (core footnotes block, Easy Footnotes, Modern Footnotes), endnote paragraphs, and two lists on a page."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.exceptions import NoCitations
from crawler.ingest import ParsedArticle, parse_article

FIXTURES = Path(__file__).parent / "fixtures" / "articles"


def parse_fixture(name: str) -> ParsedArticle:
    return parse_article((FIXTURES / name).read_bytes(), filename=name)


def fields(article: ParsedArticle) -> list[tuple[int, str, str, str | None]]:
    return [(ref.number, ref.outlet, ref.title, ref.url) for ref in article.references]


def test_pandoc_footnotes_with_chicago_apa_and_archived_entries() -> None:
    article = parse_fixture("pandoc-footnotes.html")
    assert [claim.citations for claim in article.claims] == [(1,), (2,), (3,), (4,), (5,)]
    assert fields(article) == [
        (
            1,
            "Harbour Ledger Data Desk",
            "Thermal camera survey of Dock Road",
            "https://data.harbourledger.example/heat/dock-road-survey",
        ),
        (
            2,
            "Proceedings of the National Academy of Sciences",
            "Scale-dependent interactions between tree canopy cover and impervious surfaces reduce daytime urban "
            "heat during summer",
            "https://doi.org/10.1073/pnas.1817561116",
        ),
        (
            3,
            "Harbour City Council",
            "Extreme Heat Action Plan 2024–2030",
            "https://www.harbourcity.example.gov/environment/heat-plan-2024.pdf",
        ),
        (4, "Friends of Harbour Trees", "Lost Trees Map", "http://www.harbourtrees.example.org/lost-trees"),
        (5, "Los Angeles Times", "The Cool Pavement Experiment", None),
    ]
    assert article.references[1].doi == "10.1073/pnas.1817561116"
    assert article.references[3].archive_captured_at == datetime(2023, 11, 5, 9, 15, tzinfo=UTC)
    assert "↩" not in article.references[0].raw_text and "Thermal camera" not in article.text


def test_kramdown_named_footnotes_own_site_links_and_archive_today() -> None:
    article = parse_fixture("kramdown-footnotes.html")
    assert [claim.citations for claim in article.claims] == [(1,), (2,), (3,), (4,)]
    assert fields(article)[:3] == [
        (
            1,
            "Office of Rail and Road",
            "Ferry punctuality statistics 2023",
            "https://www.orr.example.gov.uk/statistics/ferry-punctuality-2023",
        ),
        (2, "Island Ferries Ltd", "Our fleet", "https://www.islandferries.example.com/about/fleet"),
        # The blog's own earlier post is a source; its outlet is the blog.
        (
            3,
            "Tidal Notes",
            "Engineers wanted, again",
            "https://tidalnotes.example.net/2023/11/20/engineers-wanted.html",
        ),
    ]
    union = article.references[3]
    assert union.url == "https://www.mwu.example.org/news/ferry-staffing"
    assert union.archive_captured_at == datetime(2024, 2, 15, 10, 15, tzinfo=UTC)
    assert article.references[1].accessed_at == datetime(2024, 3, 1, tzinfo=UTC)


def test_substack_footnote_divs_are_one_list_and_leave_the_text() -> None:
    article = parse_fixture("substack-footnotes.html")
    assert [claim.citations for claim in article.claims] == [(1,), (2,), (3,), (4,)]
    assert fields(article) == [
        (
            1,
            "Campaign for Better Transport",
            "Save Our Buses: the state of the network 2023",
            "https://bettertransport.example.org.uk/research/save-our-buses-2023",
        ),
        (
            2,
            "Bus statistics",
            "Local bus services: funding",
            "https://www.gov.example.uk/government/statistical-data-sets/bus05-costs",
        ),
        (
            3,
            "Confederation of Passenger Transport",
            "evidence to the Transport Committee, 2023. The page has moved; an archived copy is available",
            "https://www.cpt-uk.example.org/evidence/bus-recovery",
        ),
        (
            4,
            "Transport Research Reports",
            "Demand-responsive transport pilots: interim evaluation",
            "https://doi.org/10.5555/trr.2022.014",
        ),
    ]
    assert article.references[2].archive_url.startswith("https://web.archive.org/web/20230612080910/")
    assert "Save Our Buses" not in article.text


def test_wordpress_easy_footnotes_list_under_its_notes_heading() -> None:
    article = parse_fixture("wordpress-easy-footnotes.html")
    assert [claim.citations for claim in article.claims] == [(1,), (2,), (3,), (4,)]
    assert fields(article) == [
        (
            1,
            "Environment Agency",
            "Bathing water profile: Wend at Millford",
            "https://environment.example.gov.uk/bwq/profiles/wend-millford",
        ),
        (2, "Riverwatch volunteer sampling results", "summer 2024", None),
        (
            3,
            "Wend Water",
            "Event Duration Monitoring annual return 2023",
            "https://www.wendwater.example.co.uk/media/edm-annual-return-2023.pdf",
        ),
        (
            4,
            "Millford Gazette",
            "Wend Water commits £62m to Millford upgrade",
            "https://www.millfordgazette.example.co.uk/news/wend-water-62m-upgrade",
        ),
    ]
    assert {ref.group for ref in article.references} == {"Notes"}
    assert "Bathing water profile" not in article.text


def test_two_lists_keep_apart_and_each_marker_resolves_to_its_own_list() -> None:
    article = parse_fixture("two-lists.html")
    assert [(claim.citations, claim.text[:30]) for claim in article.claims] == [
        ((1,), "Weekday rail journeys into the"),
        ((2, 5), "Office occupancy, measured by "),
        ((2, 3), "Tuesdays to Thursdays are now "),
        ((4, 6), "The operator has cut 14 peak s"),
    ]
    assert [(ref.number, ref.label, ref.group) for ref in article.references] == [
        (1, None, "References"),
        (2, None, "References"),
        (3, None, "References"),
        (4, None, "References"),
        (5, "1", "Notes"),
        (6, "2", "Notes"),
    ]
    assert article.references[3].url == "https://doi.org/10.9999/cityrail.2024.annual"
    assert article.references[3].title == "Annual performance report 2024"
    assert article.references[5].url == "https://www.cityrail.example.com/about/timetable-changes-2024"


COUNCIL = 'City Council, <a href="https://city.example.gov/trams">Trams are back</a>.'
METRO = 'Metro Tram Ltd, <a href="https://metrotram.example.com/annual-report-2024">Annual report 2024</a>.'
UUID1, UUID2 = "5b2e8c1a-0d4f-4e7b-9c2d-7a1f3e9b6c10", "e3d9a7c4-1b2f-4a6e-8d5c-0f9b2a7e4c31"
MFN = "mfn-content-00000000000000000000000000000001_77"
VARIANTS = {
    "markdown-it": (
        '<sup class="footnote-ref"><a href="#fn{n}" id="fnref{n}">[{n}]</a></sup>',
        '<hr class="footnotes-sep"><section class="footnotes"><ol class="footnotes-list">'
        f'<li id="fn1" class="footnote-item"><p>{COUNCIL} <a href="#fnref1" class="footnote-backref">↩︎</a></p></li>'
        f'<li id="fn2" class="footnote-item"><p>{METRO} <a href="#fnref2" class="footnote-backref">↩︎</a></p></li>'
        "</ol></section>",
    ),
    "hugo-goldmark": (
        '<sup id="fnref:{n}"><a href="#fn:{n}" class="footnote-ref" role="doc-noteref">{n}</a></sup>',
        '<div class="footnotes" role="doc-endnotes"><hr><ol>'
        f'<li id="fn:1"><p>{COUNCIL}&#160;<a href="#fnref:1" class="footnote-backref" role="doc-backlink">'
        "&#x21a9;&#xfe0e;</a></p></li>"
        f'<li id="fn:2"><p>{METRO}&#160;<a href="#fnref:2" class="footnote-backref" role="doc-backlink">'
        "&#x21a9;&#xfe0e;</a></p></li>"
        "</ol></div>",
    ),
    "python-markdown": (
        '<sup id="fnref:{n}"><a class="footnote-ref" href="#fn:{n}">{n}</a></sup>',
        '<div class="footnote"><hr /><ol>'
        f'<li id="fn:1"><p>{COUNCIL}&#160;<a class="footnote-backref" href="#fnref:1">&#8617;</a></p></li>'
        f'<li id="fn:2"><p>{METRO}&#160;<a class="footnote-backref" href="#fnref:2">&#8617;</a></p></li>'
        "</ol></div>",
    ),
    "wordpress-core-footnotes": (
        '<sup data-fn="{uuid}" class="fn"><a href="#{uuid}" id="{uuid}-link">{n}</a></sup>',
        '<ol class="wp-block-footnotes">'
        f'<li id="{UUID1}">{COUNCIL} <a href="#{UUID1}-link" aria-label="Jump to footnote reference 1">↩︎</a></li>'
        f'<li id="{UUID2}">{METRO} <a href="#{UUID2}-link" aria-label="Jump to footnote reference 2">↩︎</a></li></ol>',
    ),
    "wordpress-modern-footnotes": (
        '<sup class="modern-footnotes-footnote " data-mfn="{n}"><a href="javascript:void(0)" role="button" '
        'aria-describedby="' + MFN + '-{n}">{n}</a></sup><span id="' + MFN + '-{n}" role="tooltip" '
        'class="modern-footnotes-footnote__note" data-mfn="{n}">{note}</span>',
        "",
    ),
    "endnote-paragraphs": (
        '<sup><a href="#endnote{n}" id="endref{n}">{n}</a></sup>',
        f'<h3>Notes</h3><p id="endnote1"><a href="#endref1">1.</a> {COUNCIL}</p>'
        f'<p id="endnote2"><a href="#endref2">2.</a> {METRO}</p>',
    ),
}


@pytest.mark.parametrize("style", sorted(VARIANTS))
def test_each_footnote_markup_gives_the_same_claims_and_sources(style: str) -> None:
    marker, notes = VARIANTS[style]
    first = marker.format(n=1, uuid=UUID1, note=COUNCIL)
    second = marker.format(n=2, uuid=UUID2, note=METRO)
    html = (
        f"<html><body><article><p>Trams returned to the high street in 2023.{first} Ridership doubled within a "
        f"year.{second}</p><p>Nothing else here.</p>{notes}</article></body></html>"
    )
    article = parse_article(html.encode(), content_type="text/html")
    assert [(claim.citations, claim.text) for claim in article.claims] == [
        ((1,), "Trams returned to the high street in 2023."),
        ((2,), "Ridership doubled within a year."),
    ]
    assert fields(article) == [
        (1, "City Council", "Trams are back", "https://city.example.gov/trams"),
        (2, "Metro Tram Ltd", "Annual report 2024", "https://metrotram.example.com/annual-report-2024"),
    ]
    assert "City Council" not in article.text


def test_in_page_links_that_are_not_notes_are_not_markers() -> None:
    html = (
        '<html><body><article><p>See <a href="#fig1">Fig 1</a> and the <a href="#methods">1</a> methods.</p>'
        '<figure id="fig1"><figcaption>Tram ridership by month, 2022 to 2024.</figcaption></figure>'
        '<h2 id="methods">Methods</h2><p>Counts are from ticket machines [2020].</p></article></body></html>'
    )
    with pytest.raises(NoCitations):
        parse_article(html.encode(), content_type="text/html")


def test_a_marker_whose_note_is_missing_falls_back_to_the_heading_list() -> None:
    html = (
        '<html><body><main><p>Fares fell by a tenth.<sup><a href="#cite_note-9">[1]</a></sup></p>'
        '<h2>References</h2><ol><li>Transit Weekly. <a href="https://transit.example.com/fares">Fares fall</a>.</li>'
        "</ol></main></body></html>"
    )
    article = parse_article(html.encode(), content_type="text/html")
    assert [claim.citations for claim in article.claims] == [(1,)]
    assert fields(article) == [(1, "Transit Weekly", "Fares fall", "https://transit.example.com/fares")]
