"""What a stored reference's citation says besides its link, in the JSON shape every listing shows it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from crawler.report.text import IDENTIFIERS
from store.models import Reference


def citation_details(reference: Reference | Row[Any]) -> dict[str, Any]:
    """Return ``label``, ``group``, the archived copy and its capture time, the dates and the identifiers.

    ``reference`` is a stored reference or a row of the references table's columns (``store.queries.iter_sources``).

    The names are those of ``ingest --format json``'s ``parsed_references`` (``group`` is stored as ``list_group``).
    """
    return {
        "label": reference.label,
        "group": reference.list_group,
        "archive_url": reference.archive_url,
        "archive_captured_at": reference.archive_captured_at,
        "accessed_at": reference.accessed_at,
        "published_at": reference.published_at,
        **{name: getattr(reference, name) for name in IDENTIFIERS},
    }
