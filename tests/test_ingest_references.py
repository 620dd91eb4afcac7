"""Source lists in plain text: heading detection, the three numbering styles, fields, URLs, viewpoint labels."""

from __future__ import annotations

import pytest

from crawler.ingest.references import (
    find_reference_heading,
    find_viewpoint_labels,
    parse_text_references,
    strip_label,
)

BODY = "A claim about rivers.[1] Another about trout.[2]\n\n"


@pytest.mark.parametrize("prefix", ["{n}.", "[{n}]", "{n})"])
def test_each_text_numbering_style_is_read(prefix: str) -> None:
    lines = [
        f"{prefix.format(n=1)} Elk River Council. Thirty Years of Stream Records. https://elk.example.org/r.pdf",
        f'{prefix.format(n=2)} Northern Fisheries Review, "Upstream Migration of Trout", 2021.',
    ]
    text = BODY + "References\n\n" + "\n".join(lines) + "\n"
    heading = find_reference_heading(text)
    assert heading == text.index("References")
    references = parse_text_references(text[heading:])
    assert [(ref.number, ref.outlet, ref.title, ref.url) for ref in references] == [
        (1, "Elk River Council", "Thirty Years of Stream Records", "https://elk.example.org/r.pdf"),
        (2, "Northern Fisheries Review", "Upstream Migration of Trout", None),
    ]
    assert references[1].raw_text == 'Northern Fisheries Review, "Upstream Migration of Trout", 2021.'


def test_multi_line_entries_take_outlet_then_title_and_any_url() -> None:
    text = (
        "Notes:\n"
        "  1. Riverbank Trust\n"
        "     Can Shade Cool a River?\n"
        "     <https://riverbank.example.net/shade>.\n"
        "  2. Journal of Hydrology\n"
        "     Stream warming in alpine basins\n"
        "Subscribe to our newsletter\n"
    )
    references = parse_text_references(text[find_reference_heading(text) :])
    assert [(ref.outlet, ref.title, ref.url) for ref in references] == [
        ("Riverbank Trust", "Can Shade Cool a River?", "https://riverbank.example.net/shade"),
        ("Journal of Hydrology", "Stream warming in alpine basins", None),
    ]
    assert "Subscribe" not in references[1].raw_text


def test_heading_without_a_numbered_list_is_not_a_source_list() -> None:
    assert find_reference_heading("Sources\n\nWe spoke to several people.\n") is None
    assert find_reference_heading("Body text.\n\nResources for readers\n1. Something\n") is None


def test_viewpoint_labels_come_from_a_percentage_breakdown_in_the_article() -> None:
    text = "Intro\nGreen Hawks 60%Blue Doves 40%\nMore text with 5% inflation.\nPrices rose 5%\n"
    assert find_viewpoint_labels(text) == frozenset({"Green Hawks", "Blue Doves"})


def test_a_glued_viewpoint_label_is_stripped_from_the_outlet_only_when_present() -> None:
    labels = {"Blue Doves", "Doves"}
    assert strip_label("Daily NewsBlue Doves", labels) == "Daily News"
    assert strip_label("Daily News", labels) == "Daily News"
    assert strip_label("Blue Doves", labels) == "Blue Doves"


def test_read_on_line_names_the_outlet_of_an_entry() -> None:
    text = "Sources\n  1. [1]Harbour LedgerSome Camp\n    Trout move upstream\n    Read on Harbour Ledger\n"
    references = parse_text_references(text)
    assert [(ref.number, ref.outlet, ref.title) for ref in references] == [(1, "Harbour Ledger", "Trout move upstream")]
