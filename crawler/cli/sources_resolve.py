"""``citetrack sources resolve``: an editor records a fix for a problem source (a replacement URL or a note)."""

from __future__ import annotations

import argparse

from crawler import config
from crawler.cli.options import add_db_option, add_format_option, print_json
from crawler.exceptions import UsageError
from crawler.urls import is_http_url


def register_resolve(commands: argparse._SubParsersAction) -> None:
    """Add ``resolve`` to the ``sources`` command group's subparsers."""
    parser = commands.add_parser(
        "resolve",
        help="record an editor's fix for a problem source",
        description="Record a fix for a source: --replacement NEW_URL makes the articles citing it use NEW_URL "
        "(crawled and verified on the next run); --note records why the source stays as it is. Either closes "
        "the source's open flags.",
    )
    parser.add_argument("url", metavar="URL", help="the problem source's URL, as listed by `citetrack broken`")
    parser.add_argument("--replacement", metavar="NEW_URL", help="an http(s) URL to cite instead")
    parser.add_argument("--note", metavar="TEXT", help="an editor's note, e.g. 'retracted; citation kept on purpose'")
    add_db_option(parser)
    add_format_option(parser)
    parser.set_defaults(handler=run_resolve)


def run_resolve(args: argparse.Namespace) -> int:
    """Record the fix and print what was resolved."""
    from crawler.jobs.sources import resolve_source, source_by_url
    from store.engine import session_factory

    if args.replacement is None and not args.note:
        raise UsageError("give --replacement NEW_URL or --note TEXT")
    if args.replacement is not None and not is_http_url(args.replacement):
        raise UsageError(f"{args.replacement!r} is not an http(s) URL")
    if not is_http_url(args.url):
        raise UsageError(f"{args.url!r} is not an http(s) URL")
    factory = session_factory(config.db_url(args.db))
    with factory.begin() as session:
        source = source_by_url(session, args.url)
        flags = resolve_source(session, source, replacement_url=args.replacement, note=args.note)
        row = {
            "url": source.url,
            "replacement_url": source.replacement_url,
            "editor_note": source.editor_note,
            "resolved_flags": [{"status": flag.status, "resolution": flag.resolution} for flag in flags],
        }
    if args.format == "json":
        print_json(row)
    else:
        fix = f"replaced by {row['replacement_url']}" if args.replacement else "note recorded"
        print(f"{row['url']}: {fix}; {len(flags)} open flag(s) resolved")
    return 0
