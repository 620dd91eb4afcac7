"""``citetrack crawl --redis``: put the selected sources on the shared queue that ``citetrack worker`` takes from."""

from __future__ import annotations

from crawler.cli.options import print_json
from crawler.jobs.due import Selection, count_due_sources, stream_due_sources

# Sources read from the store per page while queueing (keyset pages; memory does not grow with the selection).
DUE_BATCH = 1000


def enqueue_selection(redis_url: str, db_url: str, selection: Selection, queue: str, output: str) -> int:
    """Queue the selected sources that are not pending already; print how many (a ``--format json`` summary)."""
    from crawler.redisqueue.worker import enqueue

    due = count_due_sources(db_url, selection)
    queued = enqueue(redis_url, queue, stream_due_sources(db_url, selection, DUE_BATCH))
    summary = {"due": due, "queued": queued, "already_queued": due - queued, "queue": queue}
    if output == "json":
        print_json(summary)
    else:
        print(f"queued {queued} of {due} due sources on queue {queue} ({due - queued} already queued)")
    return 0
