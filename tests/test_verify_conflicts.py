"""Conflicts between a claim and its best evidence: each kind, both spans' offsets, and what is not a conflict."""

from __future__ import annotations

import pytest

from crawler.verify import prepare_source
from crawler.verify.conflicts import claim_words, find_conflicts, is_negated, is_overstated
from crawler.verify.engine import analyse
from crawler.verify.results import CONFLICT_KINDS


def conflicts_of(claim: str, source_text: str) -> list[tuple[str, str, str]]:
    """Return ``(kind, claim text, source text)`` of each conflict, checking that both spans round-trip."""
    found = analyse(claim, prepare_source(source_text)).conflicts
    for conflict in found:
        assert conflict.kind in CONFLICT_KINDS
        assert conflict.claim.text == claim[conflict.claim.start : conflict.claim.end]
        assert conflict.source.text == source_text[conflict.source.start : conflict.source.end]
    return [(c.kind, c.claim.text, c.source.text) for c in found]


@pytest.mark.parametrize(
    ("claim", "source", "conflict"),
    [
        (
            "A research team found that no drugs target the proteins the coronavirus uses.",
            "A research team found 69 drugs that target the proteins the coronavirus uses in human cells.",
            ("negation", "no drugs", "drugs"),
        ),
        (
            "The study found that the vaccine was effective in older adults.",
            "The study found that the vaccine was not effective in older adults, unlike in younger ones.",
            ("negation", "effective", "not effective"),
        ),
        (
            "The inspectors said the dam wasn't damaged by the flood.",
            "The inspectors said the dam was damaged by the flood in two places.",
            ("negation", "wasn't damaged", "damaged"),
        ),
        (
            "Autoimmune conditions are related to the risk of severe illness.",
            "Autoimmune conditions are unrelated to the risk of severe illness, the authors concluded.",
            ("negation", "related", "unrelated"),
        ),
        (
            "The agency recommended restricting open model weights.",
            "The agency recommended that the government monitor, rather than restrict, open model weights.",
            ("negation", "restricting", "rather than restrict"),
        ),
        (
            "The board recommended closing the library.",
            "The board recommended against closing the library on weekends.",
            ("negation", "closing", "against closing"),
        ),
        (
            "Ultraviolet light is associated with higher COVID-19 growth rates.",
            "Ultraviolet light is associated with lower COVID-19 growth rates in the spring.",
            ("direction", "higher", "lower"),
        ),
        (
            "Ticket prices rose sharply after the merger.",
            "Ticket prices fell sharply after the merger, the regulator said.",
            ("direction", "rose", "fell"),
        ),
        (
            "The council banned cars from the old town centre.",
            "The council allowed cars in the old town centre again from May.",
            ("direction", "banned", "allowed"),
        ),
        (
            "The treaty was signed before the election.",
            "The treaty was signed after the election in March.",
            ("direction", "before", "after"),
        ),
        (
            "The face shield reduced aerosol inhalation by 100 percent.",
            "After the cough, the face shield reduced aerosol inhalation by only 23%.",
            ("percentage", "100 percent", "23%"),
        ),
        (
            "The bridge opened to traffic in 1998.",
            "The bridge opened to traffic in 2001 after years of delays.",
            ("date", "1998", "2001"),
        ),
        (
            "The consultation opens on 3 November.",
            "The consultation on the winter timetable opens on 5 November.",
            ("date", "3", "5"),
        ),
        (
            "The plant supplies drinking water to 87,000 households.",
            "The plant supplies drinking water to roughly 64,000 households in the county.",
            ("quantity", "87,000 households", "64,000 households"),
        ),
        (
            "The final score was 31.",
            "The final score was 29, the referee said.",
            ("number", "31", "29"),
        ),
        (
            "All patients recovered within two weeks.",
            "Some patients recovered within two weeks, while others needed longer care.",
            ("quantifier", "All", "Some"),
        ),
        (
            "Analysts argued that collective oversight makes open models safer in every deployment.",
            "We argue that collective oversight makes open models safer in many deployments. We do not claim that "
            "openness removes every risk.",
            ("quantifier", "every", "many"),
        ),
        (
            "At least 40 people were injured in the blast.",
            "At most 40 people were injured in the blast, police said.",
            ("quantifier", "At least 40 people", "At most 40 people"),
        ),
    ],
)
def test_conflict_is_named_with_both_spans(claim: str, source: str, conflict: tuple[str, str, str]) -> None:
    assert conflicts_of(claim, source) == [conflict]


def test_every_kind_of_conflict_has_a_case_above() -> None:
    cases = test_conflict_is_named_with_both_spans.pytestmark[0].args[1]
    assert {kind for _, _, (kind, _, _) in cases} == set(CONFLICT_KINDS)


def test_source_offsets_point_into_the_whole_source_text() -> None:
    source = "Unrelated opening line about harbours.\nTicket prices fell sharply after the merger."
    [(kind, _, said)] = conflicts_of("Ticket prices rose sharply after the merger.", source)
    assert (kind, said) == ("direction", "fell")


def test_claim_offsets_survive_typographic_normalisation() -> None:
    claim = "The inspectors said the dam wasn’t damaged by the “flood”."
    assert conflicts_of(claim, "The inspectors said the dam was damaged by the flood.") == [
        ("negation", "wasn’t damaged", "damaged")
    ]


@pytest.mark.parametrize(
    ("claim", "source"),
    [
        ("The vaccine was not effective in older adults.", "The vaccine was not effective in older adults."),
        ("Prices rose by about 6 percent last year.", "Prices rose by 5.9% last year."),
        ("More than 50 percent of cases were mild.", "Among the cases, 80.9% were mild."),
        ("The drug did not increase the risk of death.", "The drug decreased the risk of death."),
        ("Prices rose in March and fell in April.", "Prices rose in March and fell in April."),
        ("COVID-19 patients were treated in 12 wards.", "The 12 wards treated SARS-CoV-2 patients."),
        ("Deputy leader Tomasz Brennan opposed the plan.", "Brennan did not vote; Tomasz Brennan opposed the plan."),
    ],
)
def test_agreeing_passages_have_no_conflict(claim: str, source: str) -> None:
    assert conflicts_of(claim, source) == []


@pytest.mark.parametrize(
    ("claim", "source"),
    [
        (  # a refusal is no fall: "declined to publish" says nothing about traffic going down
            "Container traffic through the harbour rose by 12 percent in 2023, according to the port authority.",
            "The port authority declined to publish container traffic figures for the harbour in 2023.",
        ),
        (  # what restricting would cost is no recommendation to restrict
            "The review recommended funding shared computing clusters rather than restrict model releases.",
            "Paying for shared computing clusters would widen the pool of people able to test a model, at a small "
            "fraction of what restricting releases would cost.",
        ),
    ],
)
def test_refusals_and_hypotheticals_are_no_conflict(claim: str, source: str) -> None:
    assert conflicts_of(claim, source) == []


@pytest.mark.parametrize(
    ("claim", "source"),
    [
        (  # "doesn't just affect" bounds the claim; it does not deny that violence affects them
            "Domestic violence doesn't just affect the victims but also the children who witness it.",
            "Domestic violence affects all who are exposed: perpetrators, victims, and the children who witness it.",
        ),
        (  # "need not be" is a permission, not a denial
            "The fundamental group of a space is abelian in simple cases.",
            "For a topological space, the fundamental group need not be abelian in general cases.",
        ),
        (  # the claim's contrast sets stenting aside; a passage naming stenting does not say otherwise
            "For diabetic patients with weak hearts, doctors prefer coronary bypass instead of stenting.",
            "Coronary bypass is preferable to stenting for diabetic patients with weak hearts, the trial found.",
        ),
    ],
)
def test_limits_permissions_and_claim_contrasts_are_no_conflict(claim: str, source: str) -> None:
    assert conflicts_of(claim, source) == []


def test_a_passage_negation_needs_two_of_the_claims_words_around_it() -> None:
    claim = "Nurses covered the wound with a clean bandage."
    # only "nurses" is near "cannot be covered": the passage denies it of another thing (a burn), not the wound
    source = "Nurses changed the bandage daily. Where a burn cannot be covered, nurses keep it moist."
    assert conflicts_of(claim, source) == []
    claim = "Nurses covered the burn with a clean bandage."
    assert conflicts_of(claim, "Nurses said the burn cannot be covered with a bandage.") == [
        ("negation", "covered", "cannot be covered")
    ]


def test_a_negating_prefix_needs_the_same_word_form_on_the_other_side() -> None:
    claim = "Autistic adults show affective empathy as strong as other adults."
    source = "Autistic adults show as much compassion and empathy as unaffected adults, the study found."
    assert conflicts_of(claim, source) == []  # "unaffected" denies "affected", not "affective"


def test_a_contrast_in_the_passage_still_negates() -> None:
    claim = "The study recommended that students study one type of question at a time."
    source = "The study recommended that students mix types of questions rather than study one type at a time."
    assert conflicts_of(claim, source) == [("negation", "study", "rather than study")]


def test_a_negation_far_from_the_shared_words_is_no_conflict() -> None:
    source = (
        "The plant, which critics said would never be finished on time, supplies drinking water to "
        "87,000 households."
    )
    assert conflicts_of("The plant supplies drinking water to 87,000 households.", source) == []


def test_a_refusal_negates_the_verb_it_refuses() -> None:
    claim = "The company published the safety report."
    assert conflicts_of(claim, "The company declined to publish the safety report.") == [
        ("negation", "published", "declined to publish")
    ]


def test_falling_to_a_level_is_still_a_direction() -> None:
    claim = "Sales rose to their highest level in a decade."
    assert conflicts_of(claim, "Sales declined to their lowest level in a decade.") == [("direction", "rose", "declined")]


def test_an_absolute_claim_word_the_passage_lacks_is_an_overstatement() -> None:
    words = claim_words("Transmission occurs only via droplets.")
    assert is_overstated(words, claim_words("Transmission occurs via droplets and aerosols."))
    assert not is_overstated(words, claim_words("Transmission occurs only via droplets, the study found."))


def test_a_conflict_needs_words_the_claim_and_passage_share() -> None:
    words = claim_words("Nothing at all.")
    assert find_conflicts("Nothing at all.", words, "x", claim_words("Something else.")) == []


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("It did not work.", True),
        ("It didn't work.", True),
        ("It worked without help.", True),
        ("It worked.", False),
        ("The authority declined to publish it.", True),
        ("Sales declined to their lowest level.", False),
    ],
)
def test_negation_cues(text: str, negated: bool) -> None:
    assert is_negated(claim_words(text)) is negated
