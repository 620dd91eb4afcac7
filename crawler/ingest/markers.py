"""Citation markers in article text: ``[2]``, ``[1][6]``, ``[1, 6]``, ``[1-3]`` and ``[1–3]``."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_NUMBER = 999
MAX_RANGE = 50

_ITEM = r"\d{1,4}(?:\s*[-–—]\s*\d{1,4})?"
_BRACKET = rf"\[\s*{_ITEM}(?:\s*,\s*{_ITEM})*\s*\]"
_BRACKET_RE = re.compile(_BRACKET)
_RANGE = re.compile(r"(\d+)\s*[-–—]\s*(\d+)")


@dataclass(frozen=True)
class Marker:
    """A run of citation brackets at ``start:end`` of a text and the numbers it cites, sorted."""

    start: int
    end: int
    numbers: tuple[int, ...]


def expand_numbers(body: str) -> tuple[int, ...] | None:
    """Return the sorted numbers cited by one bracket body (``"1, 3-5"``), or None if it is not a citation."""
    numbers: set[int] = set()
    for item in body.split(","):
        item = item.strip()
        bounds = _RANGE.fullmatch(item)
        if bounds:
            low, high = int(bounds.group(1)), int(bounds.group(2))
            # A backwards or huge range is a year span or a typo, not a list of sources.
            if high < low or high - low > MAX_RANGE:
                return None
            numbers.update(range(low, high + 1))
        else:
            numbers.add(int(item))
    if not numbers or min(numbers) < 1 or max(numbers) > MAX_NUMBER:
        return None
    return tuple(sorted(numbers))


def find_markers(text: str) -> list[Marker]:
    """Return every citation marker in ``text`` in order; adjacent brackets merge into one marker."""
    markers: list[Marker] = []
    for bracket in _BRACKET_RE.finditer(text):
        cited = expand_numbers(bracket.group(0)[1:-1])
        if cited is None:
            continue
        previous = markers[-1] if markers else None
        if previous and not text[previous.end : bracket.start()].strip(" \t"):
            merged = tuple(sorted(set(previous.numbers) | set(cited)))
            markers[-1] = Marker(previous.start, bracket.end(), merged)
        else:
            markers.append(Marker(bracket.start(), bracket.end(), cited))
    return markers


def strip_markers(text: str) -> str:
    """Return ``text`` without its citation markers and with whitespace tidied."""
    pieces = []
    position = 0
    for marker in find_markers(text):
        pieces.append(text[position : marker.start])
        position = marker.end
    pieces.append(text[position:])
    joined = " ".join("".join(pieces).split())
    # Removing ``word [2].`` leaves ``word .``: glue the punctuation back.
    return re.sub(r"\s+([.,;:!?])", r"\1", joined)


def marker_spans(text: str) -> dict[int, int]:
    """Map the start of each citation marker in ``text`` to its end: the spans a sentence keeps after its end mark."""
    return {marker.start: marker.end for marker in find_markers(text)}
