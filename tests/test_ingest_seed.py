"""The real seed article: exactly 7 references and 15 claims, with the right outlets, titles and numbers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.ingest import ParsedArticle, parse_article

EXPECTED_REFERENCES = [
    (
        1,
        "National Telecommunications and Information Administration",
        "Report on Dual-Use Foundation Models with Widely Available Model Weights",
    ),
    (2, "IEEE Computer", "The Rise of Open Source Models and Implications of Democratizing AI"),
    (3, "Nature Communications", "Open-source AI beyond 2030: Governance actions for sustainable development"),
    (4, "Linux Foundation Europe", "The EU AI Act: What Open Source Developers Need to Know"),
    (5, "Chatham House", "The resilience of open-source AI systems"),
    (6, "Center for Cybersecurity Policy & Law", "NTIA Report Supports Open Models for AI"),
    (7, "Factlen Editorial Team", "Synthesis by Factlen editorial team"),
]
EXPECTED_CLAIMS = [
    ((2,), "According to research published in IEEE Computer"),
    ((2,), "For instance, researchers working in genomics"),
    ((3,), "By enabling localized, evidence-based decision-making"),
    ((1,), "In a landmark report, the US National Telecommunications"),
    ((1, 6), 'Instead, the agency recommended a "marginal risk analysis"'),
    ((1,), "By keeping weights open"),
    ((4,), "As the world's first comprehensive regulatory framework"),
    ((4,), "As long as these models are used purely for research"),
    ((4,), "While developers must publish summaries"),
    ((5,), "However, a growing body of evidence"),
    ((2, 5), "This collective oversight helps identify"),
    ((5, 7), "Collaborative projects involving thousands"),
    ((4,), "This ambiguity leaves some academic researchers"),
    ((3,), "While open models reduce reliance"),
    ((1, 6), "If an open-weight model is definitively linked"),
]


@pytest.fixture
def article(seed_article: Path) -> ParsedArticle:
    return parse_article(seed_article.read_bytes(), filename=seed_article.name)


def test_seed_has_exactly_seven_references_with_outlet_alone_and_title(article: ParsedArticle) -> None:
    found = [(reference.number, reference.outlet, reference.title) for reference in article.references]
    assert found == EXPECTED_REFERENCES
    assert all(reference.url is None for reference in article.references)


def test_seed_has_exactly_fifteen_claims_with_their_numbers(article: ParsedArticle) -> None:
    assert [claim.index for claim in article.claims] == list(range(1, 16))
    pairs = zip(article.claims, EXPECTED_CLAIMS, strict=True)
    found = [(claim.citations, claim.text[: len(start)]) for claim, (_, start) in pairs]
    assert found == EXPECTED_CLAIMS


def test_seed_claim_texts_have_no_markers_and_offsets_point_at_the_sentence(article: ParsedArticle) -> None:
    for claim in article.claims:
        assert "[" not in claim.text
        sentence = article.text[claim.start : claim.end]
        assert sentence.startswith(claim.text[:30])
        assert sentence.endswith("]")


def test_seed_marker_after_closing_quote_ends_the_claim_and_keeps_the_quote(article: ParsedArticle) -> None:
    claim = article.claims[8]
    assert article.text[claim.start : claim.end].endswith('pose severe "systemic risks."[4]')
    assert claim.text.endswith('"systemic risks."')
    assert [quote.text for quote in claim.quotes] == ["systemic risks."]
    assert claim.text[claim.quotes[0].start : claim.quotes[0].end] == "systemic risks."


def test_seed_quoted_spans_are_kept_with_their_claims(article: ParsedArticle) -> None:
    quotes = {claim.index: [quote.text for quote in claim.quotes] for claim in article.claims if claim.quotes}
    assert quotes == {4: ["dual-use"], 5: ["marginal risk analysis"], 9: ["systemic risks."]}


def test_seed_uncited_sentences_and_duplicated_captions_are_not_claims(article: ParsedArticle) -> None:
    claim_texts = [claim.text for claim in article.claims]
    assert not any("monitor, don't restrict" in text for text in claim_texts)
    assert not any(text.startswith("Open-source AI removes financial barriers") for text in claim_texts)


def test_seed_metadata_and_no_warnings(article: ParsedArticle) -> None:
    assert article.title == (
        "The Open-Source AI Exemption: How New Global Policies Are Democratizing Scientific Research"
    )
    assert article.byline == "Factlen Editorial Team"
    assert article.published == datetime(2026, 6, 12, 4, 55, tzinfo=UTC)
    assert article.warnings == ()


def test_seed_with_windows_line_ends_and_cp1252_gives_the_same_claims(
    seed_article: Path, article: ParsedArticle
) -> None:
    body = seed_article.read_text(encoding="utf-8").replace("\n", "\r\n").encode("cp1252")
    converted = parse_article(body, filename="seed-article.txt")
    assert [(claim.citations, claim.text) for claim in converted.claims] == [
        (claim.citations, claim.text) for claim in article.claims
    ]
    assert converted.references == article.references
    assert converted.warnings == ("input is not valid UTF-8; decoded as cp1252",)
