"""Sentence splitting: where sentences end, abbreviations, decimals, markers after quotes, offsets."""

from __future__ import annotations

from crawler.ingest.sentences import split_sentences


def texts(text: str) -> list[str]:
    return [sentence.text for sentence in split_sentences(text)]


def test_offsets_point_at_the_sentence_in_the_original_text() -> None:
    text = "  First one.  Second one!\n\nThird?"
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text
    assert texts(text) == ["First one.", "Second one!", "Third?"]


def test_marker_after_the_closing_quote_belongs_to_the_quoted_sentence() -> None:
    text = 'They are exempt unless models pose severe "systemic risks."[4] The next sentence follows.'
    assert texts(text) == [
        'They are exempt unless models pose severe "systemic risks."[4]',
        "The next sentence follows.",
    ]


def test_marker_after_the_period_belongs_to_the_sentence_before_it() -> None:
    assert texts("Weights stay open.[1][6] Then more.") == ["Weights stay open.[1][6]", "Then more."]
    assert texts("Weights stay open. [2] Then more.") == ["Weights stay open. [2]", "Then more."]


def test_abbreviations_and_initials_do_not_end_a_sentence() -> None:
    text = "Dr. Varga met J. Smith in the U.S. Army lab, e.g. on Monday. Prof. Lee agreed."
    assert texts(text) == ["Dr. Varga met J. Smith in the U.S. Army lab, e.g. on Monday.", "Prof. Lee agreed."]


def test_a_marker_after_an_abbreviation_still_ends_the_sentence() -> None:
    assert texts("It was approved in the U.S.[3] Europe followed.") == [
        "It was approved in the U.S.[3]",
        "Europe followed.",
    ]


def test_decimals_and_domains_do_not_end_a_sentence() -> None:
    assert texts("It rose 1.8 degrees per example.com data. Then fell.") == [
        "It rose 1.8 degrees per example.com data.",
        "Then fell.",
    ]


def test_lowercase_after_punctuation_continues_the_sentence() -> None:
    assert texts('He asked "why?" and left. Done.') == ['He asked "why?" and left.', "Done."]


def test_line_breaks_end_sentences_unless_the_next_line_continues_in_lowercase() -> None:
    text = "A heading\nA caption line.\nA caption line.\nWrapped text that goes\non and on.[2]"
    assert texts(text) == ["A heading", "A caption line.", "A caption line.", "Wrapped text that goes\non and on.[2]"]
