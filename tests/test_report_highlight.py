"""Highlighting: the passage words the matching engine counts as the claim's (its stems and its stopwords)."""

from __future__ import annotations

from crawler.report.highlight import matched_spans
from crawler.report.markup import highlighted
from crawler.verify import prepare_source
from crawler.verify.score import prepare_claim


def words(passage: str, claim: str) -> list[str]:
    return [passage[start:end] for start, end in matched_spans(claim, passage)]


def test_shared_content_words_match_in_any_case_and_the_engines_stopwords_do_not() -> None:
    passage = "The Agency did NOT restrict the weights of 2024 models."
    assert words(passage, "the agency should not restrict open weights in 2024") == [
        "Agency",
        "restrict",
        "weights",
        "2024",
    ]


def test_words_match_by_the_engines_stems_and_numbers_without_separators() -> None:
    passage = "She was elected in 1,204 districts, and the election was secure."
    assert words(passage, "Her election across 1204 districts made voting more secure") == [
        "elected",
        "1,204",
        "districts",
        "election",
        "secure",
    ]


def test_highlighted_words_are_exactly_the_claim_terms_the_engine_found_in_the_passage() -> None:
    claim = "Restricting open model weights would reduce researchers' access, the agency concluded."
    passage = "The agency concluded that restrictions on open weights would limit access for researchers."
    source = prepare_source(passage)
    covered = set(prepare_claim(claim, source).terms) & source.passage_terms(0)  # what coverage counted
    marked = " ".join(words(passage, claim))
    assert set(prepare_claim(marked, source).terms) == covered


def test_compatibility_forms_match_after_nfkc() -> None:
    assert words("ﬁnancial barriers fell", "financial barriers") == ["ﬁnancial", "barriers"]


def test_highlighted_passage_escapes_markup_inside_and_outside_marks() -> None:
    html = highlighted("<b>open</b> & weights", "open weights")
    assert html == "&lt;b&gt;<mark>open</mark>&lt;/b&gt; &amp; <mark>weights</mark>"


def test_conflict_spans_are_marked_apart_and_win_over_the_shared_words_inside_them() -> None:
    passage = "The agency recommended against <restricting> open weights."
    start = passage.index("against")
    html = highlighted(passage, "The agency recommended restricting open weights.", [(start, start + 21)])
    assert '<mark class="conflict">against &lt;restricting&gt;</mark>' in html
    assert html.count("<mark>") == 4  # agency, recommended, open, weights; not "restricting" twice
