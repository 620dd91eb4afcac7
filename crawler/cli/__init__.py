"""The ``citetrack`` command line: one module per command, ``main(argv) -> int`` for tests."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from sqlalchemy.exc import ArgumentError, InterfaceError, NoSuchModuleError, OperationalError

from crawler.cli.options import OneLineParser
from crawler.exceptions import CitetrackError, error_line

# Each module defines ``register(subparsers)``, which adds its parser and sets ``handler``.
COMMANDS = (
    "ingest",
    "sources",
    "claims",
    "crawl",
    "extract",
    "verify",
    "report",
    "serve",
    "check",
    "broken",
    "demo",
    "db",
)

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


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
    """Run one command and return its exit code: 0 success, 1 failure of the work, 2 bad usage."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        return int(args.handler(args) or 0)
    except CitetrackError as error:
        print(f"citetrack {args.command}: error: {error}", file=sys.stderr)
        return error.exit_code
    except (ArgumentError, NoSuchModuleError, OperationalError, InterfaceError) as error:
        print(f"citetrack {args.command}: error: cannot use the database: {error_line(error)}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print(f"citetrack {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


def console_main() -> None:
    """Entry point of the ``citetrack`` console script."""
    sys.exit(main())


def _version() -> str:
    from crawler import __version__

    return __version__
