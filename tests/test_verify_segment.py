"""Sentence splitting and passage windows over source text."""

from __future__ import annotations

from crawler.verify.segment import MAX_SENTENCE_CHARS, passages, split_sentences


def test_offsets_point_into_the_text_and_exclude_surrounding_space() -> None:
    text = "  First one.   Second one.\n\n  "
    spans = split_sentences(text)
    assert [(s.start, s.end) for s in spans] == [(2, 12), (15, 26)]
    assert [s.first for s in spans] == [0, 1]


def test_overlong_sentences_are_cut_at_whitespace() -> None:
    text = " ".join(["word"] * 400)
    spans = split_sentences(text)
    assert len(spans) > 1
    assert all(s.end - s.start <= MAX_SENTENCE_CHARS for s in spans)
    assert " ".join(text[s.start : s.end] for s in spans) == text


def test_text_without_words_has_no_sentences() -> None:
    assert split_sentences("  ... \n — \n") == []
    assert split_sentences("") == []


def test_passages_are_every_window_of_one_to_three_sentences() -> None:
    text = "One. Two. Three. Four."
    windows = passages(split_sentences(text))
    assert [(w.first, w.last) for w in windows] == [
        (0, 0), (0, 1), (0, 2), (1, 1), (1, 2), (1, 3), (2, 2), (2, 3), (3, 3),
    ]  # fmt: skip
    assert text[windows[1].start : windows[1].end] == "One. Two."
