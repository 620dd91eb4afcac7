"""``citetrack crawl --redis``: put the selected sources on the shared queue that ``citetrack worker`` takes from."""

from __future__ import annotations

from crawler.cli.options import print_json
from crawler.jobs.crawl import Selection
from crawler.jobs.due import due_sources


def enqueue_selection(redis_url: str, db_url: str, selection: Selection, queue: str, output: str) -> int:
    """Queue the selected sources that are not pending already; print how many (a ``--format json`` summary)."""
    from crawler.redisqueue.worker import enqueue

    due = due_sources(db_url, **vars(selection))
    queued = enqueue(redis_url, queue, due)
    summary = {"due": len(due), "queued": queued, "already_queued": len(due) - queued, "queue": queue}
    if output == "json":
        print_json(summary)
    else:
        print(f"queued {queued} of {len(due)} due sources on queue {queue} ({len(due) - queued} already queued)")
    return 0
