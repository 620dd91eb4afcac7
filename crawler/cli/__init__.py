"""The ``citetrack`` command line: one module per command, ``main(argv) -> int`` for tests."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from crawler.cli.options import OneLineParser
from crawler.exceptions import CitetrackError, UsageError, error_line
from store.errors import StoreError, StoreLocked

# Each module defines ``register(subparsers)``, which adds its parser and sets ``handler``. A module imports at its
# top only what its options need (the standard library and light citetrack modules: config, enums, text helpers);
# its handler imports the jobs, the store, Scrapy or the web app when it runs, so that building the parser (and
# ``--help``, ``--version``, a usage error) costs a fraction of a second (tests/test_cli_startup.py).
COMMANDS = (
    "ingest",
    "sources",
    "claims",
    "crawl",
    "feeds",
    "discover",
    "due",
    "worker",
    "extract",
    "verify",
    "report",
    "serve",
    "check",
    "broken",
    "stats",
    "export",
    "demo",
    "db",
)

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
# Another run holds the store's run lock (``crawl --due``): nothing was done; EX_TEMPFAIL, try again later.
EXIT_LOCKED = 75
EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    """Return the top-level parser with every command registered."""
    parser = OneLineParser(
        prog="citetrack",
        description="Ingest articles, crawl the sources they cite, and verify each claim against its source.",
    )
    parser.add_argument("--version", action="version", version=f"citetrack {_version()}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(f"crawler.cli.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code: 0 success, 1 failure of the work, 2 bad usage, 75 locked."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

    try:
        return int(args.handler(args) or 0)
    except (CitetrackError, StoreError) as error:
        print(f"citetrack {args.command}: error: {error}", file=sys.stderr)
        return exit_code(error)
    except (ArgumentError, NoSuchModuleError, DBAPIError) as error:
        print(f"citetrack {args.command}: error: cannot use the database: {error_line(error)}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print(f"citetrack {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK


def exit_code(error: CitetrackError | StoreError) -> int:
    """Return the exit code of an expected failure: 2 for bad usage, 75 for a held run lock, 1 when the work failed."""
    if isinstance(error, StoreLocked):
        return EXIT_LOCKED
    return EXIT_USAGE if isinstance(error, UsageError) else EXIT_FAILURE


def console_main() -> None:
    """Entry point of the ``citetrack`` console script."""
    sys.exit(main())


def _version() -> str:
    from crawler import __version__

    return __version__
