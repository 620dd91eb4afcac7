"""``citetrack serve``: the read-only JSON API and web pages over the store, with uvicorn."""

from __future__ import annotations

import argparse
import ipaddress
import sys

from crawler import config
from crawler.cli.options import add_db_option


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``serve`` command."""
    parser = subparsers.add_parser(
        "serve",
        help="serve the JSON API and the web pages",
        description=(
            "Serve the read-only JSON API (/api/…, OpenAPI at /openapi.json, docs at /docs) and the pages "
            "for fact-checkers (/) and editors (/broken). Stop with Ctrl-C."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    parser.add_argument("--port", type=_port, default=8000, help="TCP port, 1-65535 (default: 8000)")
    add_db_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted."""
    import uvicorn

    from crawler.web.app import create_app

    if not _is_loopback(args.host):
        print(f"citetrack serve: warning: listening on {args.host}, reachable from other machines", file=sys.stderr)
    app = create_app(config.db_url(args.db))
    print(f"citetrack serve: http://{args.host}:{args.port}/ (API docs at /docs)", file=sys.stderr)
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning", ws="none", lifespan="off")
    except SystemExit as stopped:  # uvicorn exits when it cannot bind; it has already logged why
        return 1 if stopped.code else 0
    return 0


def _port(value: str) -> int:
    number = int(value)
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a TCP port (1-65535)")
    return number


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
