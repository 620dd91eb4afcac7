"""The report as a plain-text table: one row per claim × citation, the conflicts and archived copies, a summary line."""

from __future__ import annotations

from typing import Any

from crawler.report.text import CONFLICT_HEADERS, archive_text, conflict_cells, format_table, identifiers_text, shorten

HEADERS = ["#", "claim", "ref", "outlet", "verdict", "score", "role", "evidence"]
CONFLICTS_HEADERS = ["#", "ref", *CONFLICT_HEADERS]
SOURCES_HEADERS = ["ref", "archived copy", "identifiers"]


def render_table(report: dict[str, Any]) -> str:
    """Return the checks table, the conflicts of contradicted checks, archived copies and identifiers, and a summary."""
    rows = [_row(claim, check) for claim in report["claims"] for check in claim["checks"]]
    conflicts = [
        [claim["index"], f"[{check['reference']}]", *conflict_cells(conflict)]
        for claim in report["claims"]
        for check in claim["checks"]
        for conflict in check.get("conflicts", [])
    ]
    sources = [
        [f"[{ref['number']}]", archive_text(ref, 70), identifiers_text(ref)]
        for ref in report["references"]
        if ref.get("archive_url") or identifiers_text(ref)
    ]
    text = format_table(rows, HEADERS)
    if conflicts:
        text += "\n" + format_table(conflicts, CONFLICTS_HEADERS)
    if sources:
        text += "\n" + format_table(sources, SOURCES_HEADERS)
    return text + ("\n" if conflicts or sources else "") + summary_line(report["summary"]) + "\n"


def _row(claim: dict[str, Any], check: dict[str, Any]) -> list[Any]:
    evidence = check["evidence"][0]["text"] if check["evidence"] else (check.get("reason") or "")
    return [
        claim["index"],
        shorten(claim["text"], 50),
        f"[{check['reference']}]",
        shorten(check.get("outlet") or "-", 24),
        check["verdict"],
        "-" if check["score"] is None else f"{check['score']:.0f}",
        check.get("role", ""),
        shorten(evidence, 60),
    ]


def summary_line(summary: dict[str, Any]) -> str:
    """Return one line counting checks by verdict, with citation recall and precision."""
    counts = ", ".join(f"{count} {verdict}" for verdict, count in summary["verdicts"].items())
    line = f"{summary['claims']} claims, {summary['checks']} checks: {counts}"
    if summary.get("citation_recall") is not None:
        line += f"; citation recall {summary['citation_recall']:.2f}, precision {summary['citation_precision']:.2f}"
    if summary["only"] != "all":
        line += f"; showing {summary['shown_claims']} {summary['only']} claims"
    return line
