"""``citetrack demo``: the whole pipeline on a bundled local site, no network needed."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import tempfile
import time
from pathlib import Path

from crawler.cli.options import add_db_option
from crawler.exceptions import CitetrackError, UsageError

# Politeness is for other people's servers: the bundled site is ours and local.
FAST_CRAWL = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "CITETRACK_RETRY_BACKOFF_BASE=0",
              "-s", "DOWNLOAD_TIMEOUT=5"]  # fmt: skip


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``demo`` command."""
    parser = subparsers.add_parser(
        "demo",
        help="run the whole pipeline on a bundled local site (no network needed)",
        description=(
            "Start a bundled web site on 127.0.0.1, ingest an article citing it, crawl its sources, verify the "
            "claims, crawl again (one source changes), then print the report and the broken sources and write "
            "the HTML report."
        ),
    )
    parser.add_argument(
        "--output",
        type=Path,
        metavar="DIR",
        help="directory for the site copy, database and "
        "HTML report (default: a new temporary directory, kept after the demo)",
    )
    add_db_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run every stage against the bundled site and tell the user where the results are."""
    from crawler.demo.bundled import prepare_site
    from crawler.demo.server import run_server

    output = _output_dir(args.output)
    db_url = args.db or f"sqlite:///{output / 'demo.db'}"
    started = time.monotonic()
    server, thread = run_server(prepare_site(output / "site"))
    print(f"bundled site serving on {server.base_url}/ (127.0.0.1 only); results go to {output}")
    try:
        html = _pipeline(server.base_url, server.port, output, db_url)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    print(f"\nDemo finished in {time.monotonic() - started:.0f} s.")
    print(f"HTML report: {html}  (open it in a browser: file://{html})")
    print(f"Browse every article and the broken-sources dashboard: citetrack serve --db {db_url}")
    print("then open http://127.0.0.1:8000/")
    return 0


def _pipeline(base_url: str, port: int, output: Path, db_url: str) -> Path:
    """Ingest, crawl, verify, crawl again, verify, list broken sources, report; return the HTML report's path."""
    from crawler.demo.bundled import write_article

    article = write_article(output / "article.txt", base_url)
    ingested = json.loads(
        _step("ingest the article", "ingest", str(article), "--format", "json", db=db_url, show=False)
    )
    article_id = str(ingested["article_id"])
    print(f"article {article_id}: {ingested['claims']} claims, {ingested['references']} references")
    crawl = ["crawl", "--article", article_id, "--allow-host", f"127.0.0.1:{port}", *FAST_CRAWL]
    _step("crawl its sources", *crawl, db=db_url)
    _step("verify each claim against each source", "verify", "--article", article_id, db=db_url)
    _step("crawl again (one source has changed since)", *crawl, db=db_url)
    _step("verify against the new versions", "verify", "--article", article_id, db=db_url)
    broken = ["broken", "--article", article_id, "--find-archives", "--archive-url", base_url]
    _step("broken sources (with archived copies)", *broken, db=db_url)
    _step("report", "report", article_id, db=db_url)
    html = output / "report.html"
    _step("HTML report", "report", article_id, "--format", "html", "--output", str(html), db=db_url, show=False)
    return html


def _output_dir(requested: Path | None) -> Path:
    if requested is None:
        return Path(tempfile.mkdtemp(prefix="citetrack-demo-")).resolve()
    if requested.exists() and any(requested.iterdir()):
        raise UsageError(f"--output {requested} is not empty; give a new or empty directory")
    requested.mkdir(parents=True, exist_ok=True)
    return requested.resolve()


def _step(title: str, *argv: str, db: str, show: bool = True) -> str:
    """Run one citetrack command in-process; print its output under a heading, return it."""
    from crawler.cli import main

    print(f"\n== {title}: citetrack {' '.join(argv)}", flush=True)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main([*argv, "--db", db])
    if show:
        print(out.getvalue(), end="", flush=True)
    if code != 0:
        raise CitetrackError(f"the demo's `{argv[0]}` step failed (exit code {code})")
    return out.getvalue()
