"""Recall pass: paragraphs of an article body split over same-class containers come back, in document order."""

from __future__ import annotations

from pathlib import Path

from lxml.html import document_fromstring

from crawler.extract.html import html_document
from crawler.extract.recall import recover_split_body

SPLIT_ARTICLE = (Path(__file__).parent / "fixtures" / "extract" / "split-article.html").read_text(encoding="utf-8")
FIRST_CHUNK = [f"Paragraph {n} of the first chunk says that substation load fell during the winter peak." for n in "ABC"]
SECOND_CHUNK = [f"Paragraph {n} of the second chunk says that the regulator will consult in spring." for n in "DE"]


def _page(*chunks: str, after: str = "") -> str:
    bodies = "".join(f'<div class="rail"><div class="article__body">{chunk}</div></div>' for chunk in chunks)
    return f"<html><body><article>{bodies}{after}</article></body></html>"


def _paragraphs(lines: list[str]) -> str:
    return "".join(f"<p>{line}</p>" for line in lines)


def test_second_chunk_of_a_split_article_is_dropped_by_trafilatura_alone() -> None:
    assert "The regulator said the arrangement cut" not in html_document(SPLIT_ARTICLE, prune=False).text


def test_second_chunk_of_a_split_article_is_recovered_after_the_first() -> None:
    lines = html_document(SPLIT_ARTICLE).text.split("\n")
    first = lines.index(next(line for line in lines if line.startswith("Instead, most of the new storage")))
    assert lines[first + 1].startswith("The regulator said the arrangement cut the cost")
    assert lines[-1].startswith("The regulator plans to publish a consultation")


def test_recovered_text_leaves_out_ads_teasers_pullquotes_and_footer() -> None:
    text = html_document(SPLIT_ARTICLE).text
    for boilerplate in ("Advertisement", "Installers report record demand", "We bought peak capacity", "rights reserved"):
        assert boilerplate not in text


def test_missing_chunk_is_inserted_before_later_kept_text() -> None:
    closing = "The closing paragraph after the last chunk is kept by the extractor and must stay last."
    tree = document_fromstring(_page(_paragraphs(FIRST_CHUNK), _paragraphs(SECOND_CHUNK), after=f"<p>{closing}</p>"))
    recovered = recover_split_body(tree, "\n".join([*FIRST_CHUNK, closing]))
    assert recovered.split("\n") == [*FIRST_CHUNK, *SECOND_CHUNK, closing]


def test_teaser_cards_sharing_the_chunk_class_are_not_recovered() -> None:
    teasers = '<a href="/next">' + _paragraphs(SECOND_CHUNK) + "</a>"
    tree = document_fromstring(_page(_paragraphs(FIRST_CHUNK), teasers))
    assert recover_split_body(tree, "\n".join(FIRST_CHUNK)) == "\n".join(FIRST_CHUNK)


def test_sibling_with_a_single_paragraph_is_not_recovered() -> None:
    tree = document_fromstring(_page(_paragraphs(FIRST_CHUNK), _paragraphs(SECOND_CHUNK[:1])))
    assert recover_split_body(tree, "\n".join(FIRST_CHUNK)) == "\n".join(FIRST_CHUNK)


def test_nothing_is_added_when_the_text_did_not_come_from_a_repeated_container() -> None:
    other = "A lead paragraph from elsewhere on the page that the extractor chose instead of the chunks."
    tree = document_fromstring(_page(_paragraphs(FIRST_CHUNK), _paragraphs(SECOND_CHUNK)))
    assert recover_split_body(tree, other) == other
