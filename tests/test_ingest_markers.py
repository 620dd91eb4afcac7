"""Citation markers: each bracket form, ranges, adjacency and the limits that reject non-citations."""

from __future__ import annotations

import pytest

from crawler.ingest.markers import MAX_RANGE, expand_numbers, find_markers, strip_markers


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("a claim.[2]", (2,)),
        ("a claim.[1][6]", (1, 6)),
        ("a claim.[1] [6]", (1, 6)),
        ("a claim [1, 6].", (1, 6)),
        ("a claim.[1-3]", (1, 2, 3)),
        ("a claim.[1–3]", (1, 2, 3)),
        ("a claim.[6][1, 3-4][6]", (1, 3, 4, 6)),
    ],
)
def test_each_marker_form_yields_one_marker_with_sorted_unique_numbers(text: str, numbers: tuple[int, ...]) -> None:
    markers = find_markers(text)
    assert [marker.numbers for marker in markers] == [numbers]
    assert text[markers[0].start : markers[0].end].startswith("[")


def test_markers_separated_by_words_stay_separate() -> None:
    markers = find_markers("first[1] and second[2].")
    assert [marker.numbers for marker in markers] == [(1,), (2,)]


@pytest.mark.parametrize(
    "text",
    [
        "in the year [2020]",
        "a range [5-2]",
        f"a huge range [1-{MAX_RANGE + 2}]",
        "zero [0]",
        "a word [sic]",
        "empty []",
    ],
)
def test_brackets_that_are_not_citations_are_ignored(text: str) -> None:
    assert find_markers(text) == []


def test_an_invalid_bracket_does_not_swallow_a_valid_neighbour() -> None:
    assert [marker.numbers for marker in find_markers("x.[2020][3]")] == [(3,)]


def test_expand_numbers_rejects_backwards_range_and_accepts_list_of_ranges() -> None:
    assert expand_numbers("3-1") is None
    assert expand_numbers("1-2, 5–6") == (1, 2, 5, 6)


def test_strip_markers_removes_markers_and_tidies_spacing() -> None:
    assert strip_markers('pose severe "systemic risks."[4]') == 'pose severe "systemic risks."'
    assert strip_markers("the plants [2–4].  Next   one[1][6]") == "the plants. Next one"
