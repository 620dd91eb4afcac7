"""Normalisation for matching, and its offset map back to the original text."""

from __future__ import annotations

import pytest

from crawler.extract.normalize import normalize, normalize_text

PDF_LIKE = (
    "Annual Report 2024 — page 3\n"
    "The agency’s adminis-\ntration of the ﬁrst  pilot\nprogramme was “broadly suc-\n  cessful”.\n"
    "Oﬃcials noted a 12 % rise.\u00ad\n"
)
HTML_LIKE = "Café\u00a0owners — “We’re   open,” said Zoë.\u200b\r\n\tNext paragraph:  ＦＵＬＬＷＩＤＴＨ ½."


def _region(text: str, needle: str) -> str:
    normalized = normalize(text)
    at = normalized.text.index(needle)
    start, end = normalized.span(at, at + len(needle))
    return text[start:end]


def test_pdf_hyphenation_ligatures_and_line_breaks_are_joined() -> None:
    text = normalize(PDF_LIKE).text
    assert "administration of the first pilot programme" in text
    assert '"broadly successful"' in text
    assert "officials noted a 12 % rise." in text


@pytest.mark.parametrize(
    ("needle", "original"),
    [
        ("administration", "adminis-\ntration"),
        ("first pilot programme", "ﬁrst  pilot\nprogramme"),
        ('"broadly successful"', "“broadly suc-\n  cessful”"),
        ("officials", "Oﬃcials"),
        ("report 2024 - page 3", "Report 2024 — page 3"),
    ],
)
def test_pdf_like_span_round_trips_to_the_original_region(needle: str, original: str) -> None:
    assert _region(PDF_LIKE, needle) == original


@pytest.mark.parametrize(
    ("needle", "original"),
    [
        ('café owners - "we\'re open," said zoë.', "Café\u00a0owners — “We’re   open,” said Zoë."),
        ("next paragraph: fullwidth 1⁄2.", "Next paragraph:  ＦＵＬＬＷＩＤＴＨ ½."),
    ],
)
def test_html_like_span_round_trips_to_the_original_region(needle: str, original: str) -> None:
    assert _region(HTML_LIKE, needle) == original


def test_combining_marks_compose_like_precomposed_letters() -> None:
    assert normalize("Cafe\u0301 Zoe\u0308").text == normalize("Café Zoë").text == "café zoë"
    assert _region("A Cafe\u0301.", "café") == "Cafe\u0301"


def test_case_folding_expands_sharp_s_and_maps_back_to_one_letter() -> None:
    assert normalize("STRASSE Straße").text == "strasse strasse"
    assert _region("die Straße", "strasse") == "Straße"


def test_real_hyphen_before_a_capital_and_spaced_dash_are_kept() -> None:
    assert normalize("pre-\nWar era; a -\nb").text == "pre- war era; a - b"


def test_whitespace_is_collapsed_and_trimmed() -> None:
    normalized = normalize("  \t one \r\n\n two  ")
    assert normalized.text == "one two"
    assert normalized.span(3, 4) == (7, 12)  # the one space stands for " \r\n\n "


def test_empty_span_and_out_of_range_span() -> None:
    normalized = normalize("abc")
    assert normalized.span(1, 1) == (1, 1)
    assert normalized.span(3, 3) == (3, 3)
    with pytest.raises(ValueError):
        normalized.span(2, 5)


@pytest.mark.parametrize("text", [PDF_LIKE, HTML_LIKE, "", "   ", "e\u0301\u0327 ① Ⅻ ﬀ"])
def test_fast_text_only_form_equals_the_mapped_form(text: str) -> None:
    assert normalize_text(text) == normalize(text).text


def test_every_normalised_character_maps_inside_the_original() -> None:
    normalized = normalize(PDF_LIKE + HTML_LIKE)
    spans = [normalized.span(i, i + 1) for i in range(len(normalized.text))]
    assert all(0 <= start < end <= len(normalized.original) for start, end in spans)
    assert [start for start, _ in spans] == sorted(start for start, _ in spans)
