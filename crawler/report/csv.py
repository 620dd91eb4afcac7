"""The report as CSV for spreadsheets: one row per check (claim × citation)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from crawler.report.text import IDENTIFIERS, json_default

COLUMNS = [
    "article_id",
    "claim_id",
    "claim_index",
    "claim",
    "reference",
    "outlet",
    "url",
    "source_status",
    "verdict",
    "score",
    "role",
    "reason",
    "evidence",
    "evidence_start",
    "evidence_end",
    "snapshot_id",
    "verified_at",
    "claim_verdict",
    "citation_recall",
    "citation_precision",
    "conflicts",
    "archive_url",
    "archive_captured_at",
    *IDENTIFIERS,
]
# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render_csv(report: dict[str, Any]) -> str:
    """Return the checks as CSV text with a header row."""
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    references = {ref["number"]: ref for ref in report["references"]}
    for claim in report["claims"]:
        for check in claim["checks"]:
            row = _row(report["article"]["id"], claim, check, references.get(check["reference"]))
            writer.writerow({key: _cell(value) for key, value in row.items()})
    return out.getvalue()


def _row(article_id: int, claim: dict[str, Any], check: dict[str, Any], reference: dict[str, Any] | None) -> dict:
    best = check["evidence"][0] if check["evidence"] else {}
    return {
        "article_id": article_id,
        "claim_id": claim["id"],
        "claim_index": claim["index"],
        "claim": claim["text"],
        "reference": check["reference"],
        "outlet": reference["outlet"] if reference else None,
        "url": reference["url"] if reference else None,
        "source_status": reference["status"] if reference else None,
        "verdict": check["verdict"],
        "score": check["score"],
        "role": check.get("role"),
        "reason": check.get("reason"),
        "evidence": best.get("text"),
        "evidence_start": best.get("start"),
        "evidence_end": best.get("end"),
        "snapshot_id": check["snapshot_id"],
        "verified_at": check["verified_at"],
        "claim_verdict": claim.get("verdict"),
        "citation_recall": claim.get("citation_recall"),
        "citation_precision": claim.get("citation_precision"),
        # Each conflict with both spans (kind, claim and source text with offsets), as in the JSON report.
        "conflicts": json.dumps(check["conflicts"], ensure_ascii=False) if check.get("conflicts") else None,
        "archive_url": reference.get("archive_url") if reference else None,
        "archive_captured_at": reference.get("archive_captured_at") if reference else None,
        **{name: reference.get(name) if reference else None for name in IDENTIFIERS},
    }


def _cell(value: Any) -> Any:
    """Return a CSV-safe cell: datetimes as ISO 8601, formula-like text prefixed with an apostrophe."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return json_default(value) if hasattr(value, "isoformat") else value
    return "'" + value if value.startswith(_FORMULA_START) else value
