"""The extraction result: a body's text and metadata, or why it has none."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from crawler.extract.sniff import Kind

Outcome = Literal["ok", "empty", "unsupported"]


@dataclass(frozen=True)
class Document:
    """Text and metadata extracted from one body; ``detail`` says why it is empty or unsupported."""

    outcome: Outcome
    text: str
    title: str | None
    author: str | None
    published: datetime | None
    kind: Kind
    extractor: str
    detail: str | None = None

    @classmethod
    def empty(cls, kind: Kind, extractor: str, detail: str) -> Document:
        """Return a result with no text, saying why."""
        return cls("empty", "", None, None, None, kind, extractor, detail)
