"""What a structured citation (CS1, COinS, schema.org) states about the work it cites."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime

from crawler.ingest.identifiers import Identifiers


@dataclass(frozen=True)
class CitationFields:
    """The cited work's title, outlet (periodical, website or publisher), date, link and identifiers."""

    title: str | None = None
    outlet: str | None = None
    published_at: datetime | None = None
    url: str | None = None
    identifiers: Identifiers = field(default_factory=Identifiers)

    def filled_from(self, other: CitationFields) -> CitationFields:
        """Return these fields with the gaps filled from ``other``."""
        values = {f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)}
        values["identifiers"] = self.identifiers.merged(other.identifiers)
        return CitationFields(**values)
