"""The one sentence splitter: where sentences end, abbreviations, decimals, markers after quotes, offsets."""

from __future__ import annotations

from crawler.ingest.markers import marker_spans
from crawler.sentences import split_sentences
from crawler.verify.segment import split_sentences as split_source


def texts(text: str) -> list[str]:
    return [sentence.text for sentence in split_sentences(text, attached=marker_spans(text))]


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


def test_articles_and_sources_split_the_same_way_at_abbreviations_like_gov() -> None:
    text = "Gov. Newsom vetoed SB 1047 in 2024. The bill was revised. Sen. Wiener said so."
    expected = ["Gov. Newsom vetoed SB 1047 in 2024.", "The bill was revised.", "Sen. Wiener said so."]
    assert texts(text) == expected
    assert [text[span.start : span.end] for span in split_source(text)] == expected


def test_a_line_ending_in_a_colon_is_not_wrapped_into_the_next() -> None:
    text = "The report found:\nmodels were released openly.\nmost were small"
    assert texts(text) == ["The report found:", "models were released openly.", "most were small"]


def test_pieces_without_words_are_not_sentences() -> None:
    assert texts("One claim.[1]\n\n* * *\n\n—\n\nTwo claims.[2]") == ["One claim.[1]", "Two claims.[2]"]


def test_sentences_split_at_end_marks_but_not_at_abbreviations_or_initials() -> None:
    text = 'Dr. Okafor met J. R. Ellis in the U.S. capital on Monday. "It worked!" she said. Costs rose 3.5 per cent.'
    assert texts(text) == [
        "Dr. Okafor met J. R. Ellis in the U.S. capital on Monday.",
        '"It worked!" she said.',
        "Costs rose 3.5 per cent.",
    ]


def test_a_lowercase_continuation_does_not_start_a_sentence() -> None:
    assert texts("Prices fell, e.g. in rural areas. Then they rose.") == [
        "Prices fell, e.g. in rural areas.",
        "Then they rose.",
    ]


def test_lines_are_sentences_unless_they_wrap_mid_sentence() -> None:
    text = "Heading Without Stop\nThe committee met\non Tuesday and\nagreed.\n\nNext paragraph"
    assert texts(text) == ["Heading Without Stop", "The committee met\non Tuesday and\nagreed.", "Next paragraph"]
