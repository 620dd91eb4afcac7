"""Structured citations: COinS spans, CS1 markup without COinS, schema.org JSON-LD and microdata citations."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import lxml.html

from crawler.ingest import parse_article
from crawler.ingest.coins import parse_coins
from crawler.ingest.cs1 import cs1_fields
from crawler.ingest.identifiers import Identifiers

BOOK_COINS = (
    "ctx_ver=Z39.88-2004&rft_val_fmt=info%3Aofi%2Ffmt%3Akev%3Amtx%3Abook&rft.genre=book&rft.btitle=The+Pragmatic"
    "+Programmer&rft.pub=Addison+Wesley&rft.date=1999&rft.isbn=978-0-201-61622-4&rft.aulast=Hunt"
)
NEWS_COINS = (
    "ctx_ver=Z39.88-2004&rft.genre=article&rft.jtitle=The+Guardian&rft.atitle=Seagrass+returns&rft.date=2021-03-14"
    "&rft_id=https%3A%2F%2Fwww.theguardian.com%2Fx&rft_id=info%3Adoi%2F10.1000%2Fabc"
)


def test_coins_of_a_book_name_its_publisher_as_outlet_and_keep_a_year_only_date_out() -> None:
    fields = parse_coins(BOOK_COINS)
    assert (fields.title, fields.outlet, fields.published_at) == ("The Pragmatic Programmer", "Addison Wesley", None)
    assert fields.identifiers == Identifiers(isbn="9780201616224")


def test_coins_of_a_news_article_name_its_periodical_date_link_and_doi() -> None:
    fields = parse_coins(NEWS_COINS)
    assert (fields.title, fields.outlet, fields.url) == (
        "Seagrass returns",
        "The Guardian",
        "https://www.theguardian.com/x",
    )
    assert fields.published_at == datetime(2021, 3, 14, tzinfo=UTC)
    assert fields.identifiers.doi == "10.1000/abc"


def test_cs1_without_coins_reads_author_date_title_and_italic_work() -> None:
    cite = lxml.html.fragment_fromstring(
        '<cite class="citation web cs1">Hayes, David (25 June 2014). <a class="external text" '
        'href="https://web.archive.org/web/20140709011039/http://pressupinc.com/x/">"The Psychology of Rubber Ducks"'
        '</a>. <i>Press Up via Internet Archive</i>. Archived from <a class="external text" '
        'href="http://pressupinc.com/x/">the original</a> on 9 July 2014.</cite>'
    )
    fields = cs1_fields(cite)
    assert (fields.title, fields.outlet) == ("The Psychology of Rubber Ducks", "Press Up via Internet Archive")
    assert fields.published_at == datetime(2014, 6, 25, tzinfo=UTC)


def test_cs1_quote_parameter_is_not_taken_for_the_title() -> None:
    cite = lxml.html.fragment_fromstring(
        '<cite class="citation journal cs1"><a class="external text" href="https://books.example.com/fj">'
        '"The Film Journal"</a>. <i>The Film Journal</i>. <b>90</b> (1–6). Pubsun Corporation. 1995. '
        "<q>The film's estimated gross is 250 crores.</q></cite>"
    )
    fields = cs1_fields(cite)
    assert (fields.title, fields.outlet) == ("The Film Journal", "The Film Journal")


def test_jsonld_citations_fill_outlet_title_and_date_of_a_matching_reference() -> None:
    graph = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "citation": [
            {
                "@type": "CreativeWork",
                "name": "Global Lithium-ion Battery Recycling Market 2024",
                "url": "https://circular.example.com/report-2024?utm_source=x",
                "publisher": {"@type": "Organization", "name": "Circular Energy Storage"},
                "datePublished": "2024-02-01",
            }
        ],
    }
    html = (
        f"<html><head><script type='application/ld+json'>{json.dumps(graph)}</script></head><body><article>"
        "<p>Recycling volumes doubled.<sup><a href='#ref-1'>1</a></sup></p><ol>"
        "<li id='ref-1'>Market report: <a href='https://circular.example.com/report-2024'>link</a></li>"
        "</ol></article></body></html>"
    )
    reference = parse_article(html.encode(), content_type="text/html").references[0]
    assert (reference.outlet, reference.title) == (
        "Circular Energy Storage",
        "Global Lithium-ion Battery Recycling Market 2024",
    )
    assert reference.published_at == datetime(2024, 2, 1, tzinfo=UTC)


def test_microdata_citation_gives_the_fields_and_ignores_nested_author_names() -> None:
    html = (
        "<html><body><article><p>Cobalt recovery now exceeds 95%.<sup><a href='#c1'>1</a></sup></p><ol>"
        "<li id='c1' itemprop='citation' itemscope itemtype='https://schema.org/ScholarlyArticle'>"
        "<span itemprop='author' itemscope itemtype='https://schema.org/Person'>"
        "<span itemprop='name'>A. Author</span></span>. "
        "<span itemprop='headline'>Hydrometallurgical recovery of cobalt</span>. "
        "<span itemprop='isPartOf' itemscope itemtype='https://schema.org/Periodical'><span itemprop='name'>Journal of "
        "Cleaner Production</span></span>, <time itemprop='datePublished' datetime='2023-09-12'>2023</time>. "
        "<a itemprop='url' href='https://jcp.example.org/article/S0959'>Full text</a></li>"
        "</ol></article></body></html>"
    )
    reference = parse_article(html.encode(), content_type="text/html").references[0]
    assert (reference.outlet, reference.title, reference.url) == (
        "Journal of Cleaner Production",
        "Hydrometallurgical recovery of cobalt",
        "https://jcp.example.org/article/S0959",
    )
    assert reference.published_at == datetime(2023, 9, 12, tzinfo=UTC)


def test_pubmed_central_entries_read_vancouver_and_never_cite_google_scholar() -> None:
    html = (
        "<html><body><main><p>Exercise lowers blood pressure.<sup><a href='#B1'>1</a></sup> Sleep matters too."
        "<sup><a href='#B2'>2</a></sup></p><h2>References</h2><ul class='ref-list'>"
        "<li id='B1'><span class='label'>1.</span><cite>Smith J, Lee K. Aerobic exercise and blood pressure. "
        "Hypertension. 2020;75(3):101-110. doi: 10.1161/HYP.2020.0001</cite> [<a href='https://doi.org/10.1161/"
        "HYP.2020.0001'>DOI</a>] [<a href='https://pubmed.ncbi.nlm.nih.gov/31234567/'>PubMed</a>] "
        "[<a href='https://scholar.google.com/scholar_lookup?title=Aerobic'>Google Scholar</a>]</li>"
        "<li id='B2'><span class='label'>2.</span><cite>Doe A. Sleep and health. Sleep. 2019;42(1):zsy200.</cite> "
        "[<a href='https://scholar.google.com/scholar_lookup?title=Sleep'>Google Scholar</a>]</li></ul></main></body></html>"
    )
    first, second = parse_article(html.encode(), content_type="text/html").references
    assert (first.outlet, first.title, first.url, first.pmid) == (
        "Hypertension",
        "Aerobic exercise and blood pressure",
        "https://doi.org/10.1161/HYP.2020.0001",
        "31234567",
    )
    assert (second.outlet, second.title, second.url) == ("Sleep", "Sleep and health", None)
    assert first.raw_text.startswith("Smith J, Lee K.")
