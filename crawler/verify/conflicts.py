"""Where the best evidence says otherwise than the claim: negation, opposite direction, another number, quantifier.

Both sides are words with original offsets. A conflict is only taken when it is about the same thing: its words
sit near words the claim and the passage share (``ANCHOR_RADIUS``), so a negation or a number elsewhere in the
passage does not count.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from crawler.extract.normalize import normalize
from crawler.verify import lexicon
from crawler.verify.index import STOPWORDS, stem, token_spans
from crawler.verify.results import Conflict, TextSpan
from crawler.verify.source import PreparedSource

# Conflicts are looked for only in a best passage covering this share of the claim (IDF-weighted content words);
# the verdict's own threshold (``Thresholds.contradicted``) may ask for more.
ABOUT_SAME = 0.1
ANCHOR_RADIUS = 6  # words either side of a cue in which claim and passage must share a content word
SCOPE = 6  # words after a negation that it governs, up to a clause break
_CLAUSE_BREAK = frozenset(",;:.!?()")
_APOSTROPHES = frozenset("'’ʼ")  # gaps are original text, not normalised
_CONTRAST_FIRSTS = frozenset(first for first, _ in lexicon.CONTRASTS)
_CUE_WORDS = lexicon.NEGATIONS | {"t", "against"} | _CONTRAST_FIRSTS


class Word(NamedTuple):
    """A token: matching form, stem, original ``[start, end)``, the original text up to the next token, and
    whether it can say what a sentence is about (not a stopword, number or negation)."""

    text: str
    stem: str
    start: int
    end: int
    gap: str
    is_content: bool


def claim_words(claim_text: str) -> list[Word]:
    """Return the words of a claim with offsets into the claim text."""
    if claim_text.isascii():  # lower-casing keeps every offset; normalising would give the same tokens
        spans = list(token_spans(claim_text.lower()))
    else:
        normalized = normalize(claim_text)
        spans = [(word, *normalized.span(start, end)) for word, start, end in token_spans(normalized.text)]
    return _words(claim_text, spans, len(claim_text))


def passage_words(source: PreparedSource, number: int) -> list[Word]:
    """Return the words of passage ``number`` with offsets into the source text."""
    first, stop = source.passage_token_range(number)
    spans = [(source.tokens.words[i], *source.token_span(i)) for i in range(first, stop)]
    return _words(source.text, spans, source.passages[number].end)


def _words(text: str, spans: Sequence[tuple[str, int, int]], end: int) -> list[Word]:
    stops = [start for _, start, _ in spans[1:]] + [max(end, spans[-1][2]) if spans else end]
    return [
        Word(word, stem(word), start, stop_, text[stop_:next_start][:12], _is_content(word))
        for (word, start, stop_), next_start in zip(spans, stops)
    ]


@lru_cache(maxsize=1 << 16)
def _is_content(word: str) -> bool:
    return not (word in STOPWORDS or word[0].isdigit() or word in lexicon.NEGATIONS)


def find_conflicts(
    claim_text: str,
    claim: Sequence[Word],
    source_text: str,
    passage: Sequence[Word],
    source_values: frozenset[float] = frozenset(),
) -> list[Conflict]:
    """Return the conflicts between a claim and its best evidence passage, each with both spans.

    ``source_values`` are the numbers anywhere in the source: a claimed number found there is no conflict.
    """
    shared = {w.stem for w in claim if w.is_content} & {w.stem for w in passage if w.is_content}
    if not shared:
        return []
    sides = _Side(claim_text, claim, shared), _Side(source_text, passage, shared)
    found = [*_negations(*sides), *_directions(*sides), *_numbers(*sides, source_values), *_quantifiers(*sides)]
    unique, seen = [], set()
    for conflict in found:
        key = (conflict.claim.start, conflict.source.start)
        if key not in seen:
            seen.add(key)
            unique.append(conflict)
    return unique


class _Side:
    """One side of the comparison: its words, which are negated, and which shared words sit near each word."""

    def __init__(self, text: str, words: Sequence[Word], shared: set[str]) -> None:
        self.text, self.words, self.shared = text, words, shared
        self.negated: dict[int, int] = {}  # word index -> index of the cue that negates it
        self.cues: list[int] = []
        for first, last in _negation_cues(words):
            self.cues.append(first)
            for index in _scope(words, last):
                self.negated.setdefault(index, first)
        self.stems = {w.stem for w in words}

    def anchors_near(self, index: int) -> set[str]:
        """Return the shared content stems within ``ANCHOR_RADIUS`` words of word ``index``."""
        low, high = max(0, index - ANCHOR_RADIUS), index + ANCHOR_RADIUS + 1
        return {w.stem for w in self.words[low:high] if w.stem in self.shared and w.is_content}

    def span(self, first: int, last: int) -> TextSpan:
        """Return the original text from word ``first`` to word ``last`` inclusive (with a "%" right after it)."""
        start, end = self.words[first].start, self.words[last].end
        if self.words[last].gap.startswith("%"):
            end += 1
        return TextSpan(self.text[start:end], start, end)

    def plain_occurrence(self, stem_: str, context: set[str], needed: int = 1) -> int | None:
        """Return the first word with this stem near ``needed`` of the ``context`` stems, far from any negation cue."""
        for index, word in enumerate(self.words):
            if (
                word.stem == stem_
                and not any(abs(cue - index) <= ANCHOR_RADIUS for cue in self.cues)
                and not _is_hypothetical(self.words, index)
                and len(self.anchors_near(index) & context) >= needed
            ):
                return index
        return None

    def is_name(self, index: int) -> bool:
        """True for a capitalised word that does not open the text (a name is not what a negation denies)."""
        word = self.words[index]
        return index > 0 and self.text[word.start : word.start + 1].isupper()


def is_negated(words: Sequence[Word]) -> bool:
    """True when the words hold a negation cue ("not", "no", "n't", "without", "rather than", …)."""
    return next(_negation_cues(words), None) is not None


def is_overstated(claim: Sequence[Word], passage: Sequence[Word]) -> bool:
    """True when the claim uses an absolute word ("only", "completely", "always", …) that the passage does not."""
    absolutes = {w.text for w in claim if w.text in lexicon.ABSOLUTES}
    return bool(absolutes - {w.text for w in passage})


def _negation_cues(words: Sequence[Word]) -> Iterator[tuple[int, int]]:
    """Yield ``(first, last)`` word indexes of each negation cue."""
    for index in [i for i, word in enumerate(words) if word.text in _CUE_WORDS or word.stem in lexicon.REFUSALS]:
        text, following = words[index].text, words[index + 1].text if index + 1 < len(words) else ""
        previous = words[index - 1] if index else None
        if text in lexicon.NEGATIONS:
            after_need = previous is not None and previous.text == "need"
            if (text == "no" and following in {"more", "less", "fewer", "longer"}) or (
                text == "not" and (following in lexicon.NOT_MERELY or after_need)
            ):
                continue  # "no more than", "not only", "need not be": bounds and permissions, not denials
            yield index, index
        elif text == "t" and previous is not None and previous.text in lexicon.NOT_CONTRACTIONS and (
            _APOSTROPHES & set(previous.gap)
        ):
            if following not in lexicon.NOT_MERELY:
                yield index - 1, index
        elif (text, following) in lexicon.CONTRASTS:
            yield index, index + 1
        elif words[index].stem in lexicon.REFUSALS:
            if following == "to" and index + 2 < len(words) and words[index + 2].is_content:
                yield index, index + 1
        elif text == "against" and any(w.stem in lexicon.STANCE_VERBS for w in words[max(0, index - 2) : index]):
            yield index, index


def _is_hypothetical(words: Sequence[Word], index: int) -> bool:
    """True when a modal or a conditional opener in the same clause makes word ``index`` hypothetical."""
    low, high = index, index
    while low > max(0, index - 3) and not _CLAUSE_BREAK & set(words[low - 1].gap):
        low -= 1
    while high < min(len(words) - 1, index + 3) and not _CLAUSE_BREAK & set(words[high].gap):
        high += 1
    before, after = {w.text for w in words[low:index]}, {w.text for w in words[index + 1 : high + 1]}
    return bool((before | after) & lexicon.MODALS or before & lexicon.HYPOTHETICAL_OPENERS)


def _scope(words: Sequence[Word], cue_last: int) -> Iterator[int]:
    """Yield the indexes of the words a cue governs: up to ``SCOPE`` words, stopping at a clause break."""
    for index in range(cue_last + 1, min(cue_last + 1 + SCOPE, len(words))):
        if _CLAUSE_BREAK & set(words[index - 1].gap):
            return
        yield index


def _negations(claim: _Side, passage: _Side) -> Iterator[Conflict]:
    """A shared word negated on one side only, or a word against its negating-prefix form ("related"/"unrelated").

    A contrast in the claim ("X rather than Y") only sets Y aside: a passage that mentions Y does not say otherwise.
    """
    for this, other, claim_side in ((claim, passage, True), (passage, claim, False)):
        taken: set[int] = set()  # cues seen: only the first content word after a cue is what it denies
        for index, cue in this.negated.items():
            word = this.words[index]
            if cue in taken or not word.is_content or (claim_side and this.words[cue].text in _CONTRAST_FIRSTS):
                continue
            taken.add(cue)
            if word.stem not in this.shared or this.is_name(index):
                continue
            # a passage denies a claim's word in another setting more often than the claim's own (no signs of X,
            # without X): the passage's negation needs two words of the claim around it, the claim's one
            needed = 1 if claim_side else 2
            plain = other.plain_occurrence(word.stem, this.anchors_near(index) - {word.stem}, needed)
            if plain is not None:
                yield _conflict("negation", this.span(cue, index), other.span(plain, plain), claim_side)
        for index, word in enumerate(this.words):
            base = _negated_base(word.text)
            if base is not None and base in other.stems and word.stem not in other.stems:
                plain = other.plain_occurrence(base, this.anchors_near(index))
                # the same ending keeps the sense: "unaffected"/"affected", not "unaffected"/"affective"
                if plain is not None and other.words[plain].text[-2:] == word.text[-2:]:
                    yield _conflict("negation", this.span(index, index), other.span(plain, plain), claim_side)


@lru_cache(maxsize=1 << 14)
def _negated_base(text: str) -> str | None:
    """Return the stem of the word a negating prefix is glued to ("unrelated" -> "relat"), if it is a word."""
    if not text.startswith(lexicon.NEGATING_PREFIXES):
        return None
    for prefix in lexicon.NEGATING_PREFIXES:
        rest = text[len(prefix) :]
        if text.startswith(prefix) and len(rest) >= (4 if prefix in {"un", "non"} else 5) and rest.isalpha():
            return stem(rest)
    return None


def _conflict(kind: str, this: TextSpan, other: TextSpan, this_is_claim: bool) -> Conflict:
    return Conflict(kind, this, other) if this_is_claim else Conflict(kind, other, this)


def _directions(claim: _Side, passage: _Side) -> Iterator[Conflict]:
    """A claim word on one pole of an opposite pair against a passage word on only the other pole, near shared words."""
    claim_poles, passage_poles = _poles(claim), _poles(passage)
    for (group, pole), claim_indexes in claim_poles.items():
        if (group, 1 - pole) in claim_poles or (group, pole) in passage_poles:
            continue
        for claim_index in claim_indexes:
            near = claim.anchors_near(claim_index)
            for passage_index in passage_poles.get((group, 1 - pole), []):
                if near & passage.anchors_near(passage_index):
                    yield Conflict(
                        "direction", claim.span(claim_index, claim_index), passage.span(passage_index, passage_index)
                    )
                    break


def _poles(side: _Side) -> dict[tuple[int, int], list[int]]:
    """Return the word indexes on each (group, pole) of the opposite pairs, leaving out negated words."""
    poles: dict[tuple[int, int], list[int]] = {}
    for index, word in enumerate(side.words):
        direction = lexicon.DIRECTIONS.get(word.stem)
        # a cue is no pole: "declined to publish" is a refusal, not a fall
        if direction is not None and index not in side.negated and index not in side.cues:
            poles.setdefault(direction, []).append(index)
    return poles


@dataclass(frozen=True)
class _Number:
    """A number in a side: its value, what it measures (``unit``), kind, bound, and the words it spans."""

    value: float
    unit: str
    kind: str
    bound: int  # +1 at least / more than, -1 at most / less than, 0 exact
    first: int  # the first bound word, or the number itself
    last: int


def _numbers_of(side: _Side) -> list[_Number]:
    """Return the numbers of a side with what each measures: the unit after it, a month, or nothing."""
    found = []
    words = side.words
    for index, word in enumerate(words):
        value = _value(words, index)
        if value is None or _in_range_or_name(words, index):
            continue
        last, unit = index, ""
        following = [w.text for w in words[index + 1 : index + 4]]
        if "%" in word.gap:
            unit = "percent"
        elif following[:1] and following[0] in lexicon.PERCENT_WORDS or following[:2] == ["per", "cent"]:
            last, unit = index + (2 if following[0] == "per" else 1), "percent"
        elif following[:1] and following[0] in lexicon.MONTHS or (index and words[index - 1].text in lexicon.MONTHS):
            unit = "month:" + (following[0] if following[:1] and following[0] in lexicon.MONTHS else words[index - 1].text)
        else:
            if following[:1] and following[0] in lexicon.SCALES:
                value *= lexicon.SCALES[following[0]]
                last, following = index + 1, following[1:]
            if following[:1] and following[0] not in STOPWORDS and not following[0][0].isdigit():
                last, unit = last + 1, stem(following[0])
        bound, bound_words = _bound(words, index)
        found.append(_Number(value, unit, _kind(word.text, unit), bound, index - bound_words, last))
    return found


def _in_range_or_name(words: Sequence[Word], index: int) -> bool:
    """True for a number in a range ("50-70", "65 to 90") or part of a name ("COVID-19", "G-7")."""
    previous = words[index - 1] if index else None
    following = words[index + 1] if index + 1 < len(words) else None
    dash = {"-", "–"}
    if previous is not None and previous.gap.strip() in dash and not previous.gap.startswith(" "):
        return True  # glued to the word before: a name, or the end of a range
    if following is not None and following.text[0].isdigit():
        return words[index].gap.strip() in dash
    if following is not None and following.text in {"to", "and"} and index + 2 < len(words):
        return words[index + 2].text[0].isdigit()
    return previous is not None and previous.text in {"to", "and", "between"} and index >= 2 and (
        words[index - 2].text[0].isdigit()
    )


def _same_value(claimed: float, given: float) -> bool:
    """True when ``claimed`` is ``given`` or a rounding of it ("6 percent" for 5.9%)."""
    decimals = 0 if claimed == int(claimed) else len(repr(claimed).split(".")[1])
    return claimed == given or round(given, decimals) == claimed


def _within(number: _Number, given: float, words: Sequence[Word]) -> bool:
    """True when ``given`` satisfies the claimed number's bound ("more than 50" and 62) or its "about" (10%)."""
    if number.bound:
        return (given - number.value) * number.bound >= 0
    approximate = number.first and words[number.first - 1].text in lexicon.APPROXIMATORS
    return bool(approximate) and abs(given - number.value) <= 0.1 * abs(number.value)


def _value(words: Sequence[Word], index: int) -> float | None:
    text = words[index].text
    if text[0].isdigit():
        try:
            return float(text)
        except ValueError:
            return None
    following = words[index + 1] if index + 1 < len(words) else None
    if text in lexicon.NUMBER_WORDS and text not in {"one", "half"} and following is not None and following.is_content:
        return lexicon.NUMBER_WORDS[text]
    return None


def _kind(text: str, unit: str) -> str:
    if unit == "percent":
        return "percentage"
    if unit.startswith("month:") or (not unit and len(text) == 4 and text.isdigit() and 1800 <= int(text) <= 2100):
        return "date"
    return "quantity" if unit else "number"


def _bound(words: Sequence[Word], index: int) -> tuple[int, int]:
    """Return the bound the words before a number put on it (+1 lower, -1 upper, 0 none) and how many words."""
    before = tuple(w.text for w in words[max(0, index - 3) : index])
    for size in (3, 2, 1):
        if len(before) >= size and before[-size:] in lexicon.LOWER_BOUNDS:
            return 1, size
        if len(before) >= size and before[-size:] in lexicon.UPPER_BOUNDS:
            return -1, size
    return 0, 0


def _numbers(claim: _Side, passage: _Side, source_values: frozenset[float]) -> Iterator[Conflict]:
    """A claim value the source does not give, where the passage gives another value for the same measure."""
    passage_numbers = _numbers_of(passage)
    values = source_values | {number.value for number in passage_numbers}
    for number in _numbers_of(claim):
        near = claim.anchors_near(number.last)
        if any(_same_value(number.value, value) for value in values):
            for other in passage_numbers:
                opposite = number.bound * other.bound < 0 and number.value == other.value
                if opposite and (number.unit == other.unit or near & passage.anchors_near(other.last)):
                    yield Conflict("quantifier", claim.span(number.first, number.last), passage.span(other.first, other.last))
            continue
        best, best_shared = None, 0
        for other in passage_numbers:
            if other.kind != number.kind or (number.kind in {"quantity", "date"} and other.unit != number.unit):
                continue
            if _within(number, other.value, claim.words):
                continue
            shared = len(near & passage.anchors_near(other.last))
            needed = 1 if number.unit else 2
            if shared >= needed and shared > best_shared:
                best, best_shared = other, shared
        if best is not None:
            yield Conflict(number.kind, claim.span(number.first, number.last), passage.span(best.first, best.last))


def _quantifiers(claim: _Side, passage: _Side) -> Iterator[Conflict]:
    """"All" against "many", "some" or "few", "few" against "many", "most" or "all", about the same words.

    Each claim quantifier is compared with the passage quantifier that shares the most words around it, so "every
    deployment" against "many deployments ... every risk" conflicts, and "all" against "all ... some" does not.
    """
    passage_quantifiers = [(kind, i) for kind, indexes in _quantifier_classes(passage).items() for i in indexes]
    for kind, claim_indexes in _quantifier_classes(claim).items():
        for claim_index in claim_indexes:
            near = claim.anchors_near(claim_index)
            overlaps = [(len(near & passage.anchors_near(i)), other_kind, i) for other_kind, i in passage_quantifiers]
            shared, other_kind, passage_index = max(overlaps, default=(0, "", 0), key=lambda item: item[0])
            if shared and other_kind in lexicon.QUANTIFIER_CONFLICTS.get(kind, ()):
                yield Conflict(
                    "quantifier", claim.span(claim_index, claim_index), passage.span(passage_index, passage_index)
                )


def _quantifier_classes(side: _Side) -> dict[str, list[int]]:
    classes: dict[str, list[int]] = {}
    for index, word in enumerate(side.words):
        kind = lexicon.QUANTIFIERS.get(word.text)
        if kind == "few" and index and side.words[index - 1].text == "a":
            kind = "some"  # "a few" is "some", not "hardly any"
        if kind is not None and index not in side.negated:
            classes.setdefault(kind, []).append(index)
    return classes
