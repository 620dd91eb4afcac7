"""The due policy applied to the store: each recorded check sets when its source is due again."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy.orm import Session

from crawler.health.schedule import DuePolicy
from store.crawl import CheckRecord, record_checks, schedule_facts


def record_checks_on_schedule(session: Session, records: Sequence[CheckRecord], policy: DuePolicy) -> list[int | None]:
    """Store a batch of checks (``store.crawl.record_checks``), each source's next check set by ``policy``.

    A problem counts as confirmed when the source's open availability flag already is (one query per batch).
    """
    facts = schedule_facts(session, [record.source_id for record in records])
    scheduled = [
        replace(record, next_check_at=policy.next_check(url, record.checked_at, record.status, confirmed=confirmed))
        for record in records
        for url, confirmed in [facts[record.source_id]]
    ]
    return record_checks(session, scheduled)
