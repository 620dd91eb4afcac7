"""Quoted spans looked up in a source: tolerant of punctuation, case and spacing, strict about words."""

from __future__ import annotations

import pytest

from crawler.verify import prepare_source
from crawler.verify.quotes import check_quote, is_decisive

SOURCE = (
    "Councillor Margaret Oduya said the decision had been overdue. “We cannot keep patching a system that was "
    "built for a town half our size,” she told the chamber. Opposition members called it “a quiet tax rise "
    "dressed up as maintenance”. The organisation will borrow £9.5 million over twenty-five years.\n"
    "The report said the pipes were “in a poor but recover-\nable state” after the 2019 survey."
)


@pytest.fixture(scope="module")
def source():
    return prepare_source(SOURCE)


@pytest.mark.parametrize(
    "quote",
    [
        "We cannot keep patching a system that was built for a town half our size",
        "we cannot keep patching a system, that was built for a town half our size!",
        "“WE CANNOT KEEP PATCHING A SYSTEM” that was built",
        "a quiet tax-rise dressed up as maintenance",
        "in a poor but recoverable state",
    ],
)
def test_quote_is_found_despite_punctuation_case_and_layout(source, quote: str) -> None:
    check = check_quote(quote, source)
    assert check.found
    assert check.score >= 90
    region = SOURCE[check.start : check.end]
    assert region.lower().startswith(quote.strip("“").split()[0].lower()[:4])


def test_found_quote_offsets_cover_exactly_the_quoted_words(source) -> None:
    check = check_quote("patching a system that was built", source)
    assert SOURCE[check.start : check.end] == "patching a system that was built"


@pytest.mark.parametrize(
    "quote",
    [
        "We cannot keep repairing a system that was built for a town half our size",  # word changed
        "We cannot keep patching a system that was built for a city half our size",
        "We cannot patching a system that was built for a town half our size",  # word dropped from the source
        "We cannot keep on patching a system that was built for a town half our size",  # word added
        "The organisation will borrow £9.8 million over twenty-five years",  # number changed
        "The organisation won't borrow £9.5 million",  # short word changed: not a spelling variant
        "The reorganisations will borrow £9.5 million",  # three letters differ
        "Opposition members called it a quiet tax rise dressed up as maintenanse work",  # word added at the end
    ],
)
def test_quote_with_a_changed_word_is_not_found(source, quote: str) -> None:
    check = check_quote(quote, source)
    assert not check.found
    assert (check.start, check.end) == (None, None)


@pytest.mark.parametrize("quote", ["The organization will borrow", "a quiet tax rise dresed up as maintenance"])
def test_spelling_variant_is_tolerated(source, quote: str) -> None:
    assert check_quote(quote, source).found


def test_quote_with_an_ellipsis_matches_its_parts_in_order(source) -> None:
    check = check_quote("We cannot keep patching … half our size", source)
    assert check.found
    assert SOURCE[check.start : check.end] == "We cannot keep patching a system that was built for a town half our size"
    assert not check_quote("half our size ... We cannot keep patching", source).found


def test_unrelated_quote_scores_low(source) -> None:
    check = check_quote("the koalas were relocated to a eucalyptus sanctuary", source)
    assert not check.found
    assert check.score < 70


def test_quote_without_words_is_not_found(source) -> None:
    check = check_quote("— …", source)
    assert (check.found, check.score, check.start) == (False, 0.0, None)


@pytest.mark.parametrize(("quote", "decisive"), [("dual-use", False), ("quiet tax", False), ("a quiet tax", True)])
def test_only_quotes_of_three_or_more_words_are_decisive(quote: str, decisive: bool) -> None:
    assert is_decisive(quote) is decisive
