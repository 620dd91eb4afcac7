"""The due policy applied to the store: each recorded check sets when its source is due again (and marks new text)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy.orm import Session

from crawler.enums import HEALTHY
from crawler.health.schedule import DuePolicy
from store.crawl import CheckRecord, record_checks, schedule_facts
from store.verify import mark_sources, usable_snapshots


def record_checks_on_schedule(session: Session, records: Sequence[CheckRecord], policy: DuePolicy) -> list[int | None]:
    """Store a batch of checks (``store.crawl.record_checks``), each source's next check set by ``policy``.

    A problem counts as confirmed when the source's open availability flag already is (one query per batch).
    A source whose usable text changed (a healthy check with a snapshot other than the one before) is marked
    for ``verify`` in the same transaction; only a healthy check can change it.
    """
    facts = schedule_facts(session, [record.source_id for record in records])
    scheduled = [
        replace(record, next_check_at=policy.next_check(url, record.checked_at, record.status, confirmed=confirmed))
        for record in records
        for url, confirmed in [facts[record.source_id]]
    ]
    healthy = [record.source_id for record in records if record.status in HEALTHY]
    before = usable_snapshots(session, healthy, HEALTHY)
    snapshot_ids = record_checks(session, scheduled)
    after = usable_snapshots(session, healthy, HEALTHY)
    mark_sources(session, (source_id for source_id, usable in after.items() if usable != before.get(source_id)))
    return snapshot_ids
