"""``citetrack broken``: every problem source, since when, the evidence, an archived copy, and the claims at stake."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import Any

from crawler import config
from crawler.cli.options import add_db_option, add_format_option, print_table, record_id, stream_json
from crawler.enums import HEALTHY, HealthStatus
from crawler.report.text import json_default, shorten

CSV_FIELDS = ("url", "status", "confirmed", "first_seen", "last_seen", "checks", "claims_losing_support",
              "archive_url", "articles", "evidence")  # fmt: skip
# Every status but the healthy ones and those of a source never checked.
PROBLEM_STATUSES = tuple(
    status for status in HealthStatus if status not in (*HEALTHY, HealthStatus.UNRESOLVED, HealthStatus.PENDING)
)
TABLE_HEADERS = ("status", "confirmed", "checks", "since", "claims lost", "url", "evidence", "archived copy")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``broken`` command."""
    parser = subparsers.add_parser(
        "broken",
        help="list problem sources (dead, soft 404, moved, paywalled, blocked, drifted) and the claims they back",
        description="List every source with an open problem: status, whether it is confirmed over several checks, "
        "since when, the evidence, an archived copy if one was found, and the articles and claims citing it. "
        "Sources whose claims lose most support come first.",
    )
    parser.add_argument("--article", type=record_id, metavar="ID", help="only sources cited by this article")
    parser.add_argument("--status", metavar="S", choices=PROBLEM_STATUSES, help=f"only this status: {', '.join(PROBLEM_STATUSES)}")
    parser.add_argument("--confirmed", action="store_true", help="only problems confirmed over several checks")
    parser.add_argument(
        "--find-archives",
        action="store_true",
        help="first find archived copies of dead, soft-404 and drifted sources that have none yet: the copy a "
        "citation names first, else the archive's capture (contacts the archive at --archive-url)",
    )
    parser.add_argument(
        "--archive-url",
        metavar="URL",
        help="base URL of the Wayback-style availability API (default: $CITETRACK_ARCHIVE_URL, else https://archive.org)",
    )
    add_db_option(parser)
    add_format_option(parser, ("table", "json", "csv"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the problem sources; look up archived copies first when asked."""
    from crawler.jobs.archive import archive_fetcher, archive_host, find_archives
    from crawler.jobs.broken import broken_sources
    from store.engine import session_factory
    from store.queries import get_article

    factory = session_factory(config.db_url(args.db))
    if args.find_archives:
        settings = config.Config()
        base_url = (args.archive_url or settings["CITETRACK_ARCHIVE_URL"]).rstrip("/")
        policy = config.address_policy(allow_hosts=[archive_host(base_url)])
        find_archives(factory, base_url, archive_fetcher(policy, config.user_agent()))
    with factory.begin() as session:
        if args.article is not None:
            get_article(session, args.article)
        rows = broken_sources(session, article_id=args.article, status=args.status, confirmed=True if args.confirmed else None)
    if args.format == "json":
        stream_json(rows)
    elif args.format == "csv":
        _print_csv(rows)
    else:
        _print_table(rows)
    return 0


def _print_table(rows: list[dict[str, Any]]) -> None:
    if not rows:
        print("no problem sources")
        return
    print_table((_table_row(row) for row in rows), headers=TABLE_HEADERS)
    for row in rows:
        _print_drifted_claims(row)
    confirmed = sum(r["confirmed"] for r in rows)
    print(f"{len(rows)} problem source(s), {confirmed} confirmed")


def _print_drifted_claims(row: dict[str, Any]) -> None:
    """Print each claim a drift flag names: its verdict before and after, what conflicts, and both passages."""
    for drift in row["evidence"].get("claims", []):
        conflicts = "; ".join(
            f'{c["kind"]}: "{c["claim"]["text"]}" against "{c["source"]["text"]}"' for c in drift.get("conflicts", [])
        )
        print(f"\n{shorten(row['url'], 60)}: claim {drift['claim_id']} [{drift['reference']}] "
              f"{drift['old_verdict']} -> {drift['new_verdict']}" + (f" ({conflicts})" if conflicts else ""))  # fmt: skip
        print(f"  was: {shorten(drift.get('old_passage') or '(no passage)', 200)}")
        print(f"  now: {shorten(drift.get('new_passage') or '(no passage)', 200)}")


def _table_row(row: dict[str, Any]) -> list[Any]:
    return [
        row["status"],
        "yes" if row["confirmed"] else "no",
        row["checks"],
        row["first_seen"].date().isoformat(),
        row["claims_losing_support"],
        shorten(row["url"], 60),
        _why(row["evidence"]),
        _archived_copy(row),
    ]


def _archived_copy(row: dict[str, Any]) -> str:
    """Return the archived copy found for a source, marked ``(cited)`` when it is the one the citation names."""
    if not row["archive_url"]:
        return "-"
    from crawler.health.archive import CITATION
    from crawler.jobs.flags import ARCHIVE_KEY

    cited = (row["evidence"].get(ARCHIVE_KEY) or {}).get("found_by") == CITATION
    return shorten(row["archive_url"], 50) + (" (cited)" if cited else "")


def _why(evidence: dict[str, Any]) -> str:
    """Return the evidence in a few words: the rule, the HTTP status and what matched."""
    parts = [str(evidence.get("rule", "")), f"HTTP {evidence['http_status']}" if evidence.get("http_status") else ""]
    for key in ("matched", "similarity", "shared_by", "detail"):
        if evidence.get(key) is not None:
            parts.append(f"{key}={evidence[key]}")
    return shorten(" ".join(part for part in parts if part), 50)


def _print_csv(rows: list[dict[str, Any]]) -> None:
    writer = csv.DictWriter(sys.stdout, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        flat = dict(row)
        flat["articles"] = "; ".join(
            f"{a['article_id']}:" + ",".join(str(c["index"]) for c in a["claims"]) for a in row["articles"]
        )
        flat["evidence"] = json.dumps(row["evidence"], ensure_ascii=False, default=json_default)
        flat["first_seen"], flat["last_seen"] = row["first_seen"].isoformat(), row["last_seen"].isoformat()
        writer.writerow(flat)
