"""Highlighting: the words an evidence passage shares with its claim, ignoring case and function words."""

from __future__ import annotations

from crawler.report.highlight import matched_spans
from crawler.report.markup import highlighted


def words(passage: str, claim: str) -> list[str]:
    return [passage[start:end] for start, end in matched_spans(claim, passage)]


def test_shared_content_words_match_in_any_case_and_function_words_do_not() -> None:
    passage = "The Agency did NOT restrict the weights of 2024 models."
    assert words(passage, "the agency should not restrict open weights in 2024") == [
        "Agency",
        "NOT",
        "restrict",
        "weights",
        "2024",
    ]


def test_compatibility_forms_match_after_nfkc() -> None:
    assert words("ﬁnancial barriers fell", "financial barriers") == ["ﬁnancial", "barriers"]


def test_highlighted_passage_escapes_markup_inside_and_outside_marks() -> None:
    html = highlighted("<b>open</b> & weights", "open weights")
    assert html == "&lt;b&gt;<mark>open</mark>&lt;/b&gt; &amp; <mark>weights</mark>"
