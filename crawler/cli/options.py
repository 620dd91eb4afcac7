"""Options and output helpers shared by the commands (the text helpers themselves are in ``crawler.report.text``)."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn, TextIO

from crawler.report.text import format_table, json_default

# Ids are INTEGER columns: 32-bit on PostgreSQL, so a larger number cannot name a row on any backend.
MAX_ID = 2**31 - 1


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on stderr (exit 2), pointing at ``--help``."""

    def error(self, message: str) -> NoReturn:
        """Print ``PROG: error: MESSAGE (see PROG --help)`` and exit 2."""
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def record_id(text: str) -> int:
    """Parse a row id (``--article ID``): a whole number from 1 to ``MAX_ID``."""
    return _bounded_int(text, 1, MAX_ID)


def count(text: str) -> int:
    """Parse a count of workers or items: a whole number >= 0."""
    return _bounded_int(text, 0, None)


def _bounded_int(text: str, low: int, high: int | None) -> int:
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or value < low or (high is not None and value > high):
        bounds = f"from {low} to {high}" if high is not None else f">= {low}"
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number {bounds}")
    return value


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--db URL`` (default: ``CITETRACK_DB`` or ``sqlite:///citetrack.db``)."""
    parser.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help="SQLAlchemy database URL (default: $CITETRACK_DB, else sqlite:///citetrack.db in the working directory)",
    )


def add_set_option(parser: argparse.ArgumentParser, example: str) -> None:
    """Add ``-s``/``--set NAME=VALUE`` (repeatable): a Scrapy setting for this run, ``example`` shown in the help."""
    parser.add_argument(
        "-s", "--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
        help=f"override a Scrapy setting, as scrapy crawl -s does (e.g. -s {example}); repeatable",
    )  # fmt: skip


def add_address_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--allow-private`` and ``--allow-host HOST[:PORT]`` (the commands that fetch: ingest, crawl, check)."""
    parser.add_argument(
        "--allow-private", action="store_true",
        help="allow private, loopback and link-local addresses (also CITETRACK_ALLOW_PRIVATE=1)",
    )  # fmt: skip
    parser.add_argument(
        "--allow-host", action="append", default=[], metavar="HOST[:PORT]",
        help="allow this host (or host:port, [IPv6]:port) even if it resolves to a private address; repeatable",
    )  # fmt: skip


def address_settings(args: argparse.Namespace) -> list[str]:
    """Return ``--allow-private`` and ``--allow-host`` as a crawl's ``NAME=VALUE`` settings."""
    settings = ["CITETRACK_ALLOW_PRIVATE=1"] if args.allow_private else []
    return settings + (["CITETRACK_ALLOW_HOSTS=" + ",".join(args.allow_host)] if args.allow_host else [])


def add_format_option(parser: argparse.ArgumentParser, choices: Sequence[str] = ("table", "json")) -> None:
    """Add ``--format`` with the given choices; the first is the default."""
    parser.add_argument(
        "--format",
        choices=list(choices),
        default=choices[0],
        help=f"output format (default: {choices[0]})",
    )


def print_json(document: Any, out: TextIO | None = None) -> None:
    """Print a JSON document (UTF-8, not ASCII-escaped)."""
    out = out or sys.stdout
    out.write(json.dumps(document, ensure_ascii=False, indent=2, default=json_default))
    out.write("\n")


def stream_json(items: Iterable[Any], out: TextIO | None = None) -> None:
    """Print a JSON array one element at a time, as each arrives (the text ``print_json`` prints for a list).

    Memory holds one element, not the array: a list command streams its rows from the store straight out.
    """
    out = out or sys.stdout
    out.write("[")
    empty = True
    for item in items:
        out.write("\n" if empty else ",\n")
        out.write(textwrap.indent(json.dumps(item, ensure_ascii=False, indent=2, default=json_default), "  "))
        empty = False
    out.write("]\n" if empty else "\n]\n")


def print_table(rows: Iterable[Sequence[Any]], headers: Sequence[str]) -> None:
    """Print rows as an aligned plain-text table."""
    sys.stdout.write(format_table(rows, headers))
