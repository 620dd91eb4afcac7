"""``citetrack db upgrade``: bring the store's schema to this citetrack's newest revision (Alembic migrations)."""

from __future__ import annotations

import argparse

from crawler import config
from crawler.cli.options import add_db_option, add_format_option, print_json


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``db`` command and its ``upgrade`` subcommand."""
    parser = subparsers.add_parser(
        "db",
        help="manage the store's schema",
        description="Manage the store's schema. Other commands refuse a store whose schema is behind.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    upgrade_parser = actions.add_parser(
        "upgrade",
        help="apply the migrations the store lacks",
        description="Apply every schema migration the store lacks, in one transaction, keeping every row. "
        "A store made before migrations existed is recognised as the baseline revision first.",
    )
    add_db_option(upgrade_parser)
    add_format_option(upgrade_parser)
    upgrade_parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Upgrade the store and say from which revision to which."""
    from store.engine import create_store_engine
    from store.schema import upgrade

    engine = create_store_engine(config.db_url(args.db))
    try:
        before, after = upgrade(engine)
    finally:
        engine.dispose()
    if args.format == "json":
        print_json({"before": before, "after": after, "upgraded": before != after})
    elif before == after:
        print(f"the database is already at revision {after}")
    else:
        print(f"upgraded the database from revision {before} to {after}")
    return 0
