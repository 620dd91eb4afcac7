"""The main queries the measured commands run or should run, as SQL text, and their plans on a generated store.

Each query names the command it stands for and whether it is the shape of today's code ("today") or the shape
issue 16 asks for ("target": pages in SQL, keyset pagination, filters as conditions, one query instead of
one per row). They mirror the commands; they are not imported from them, so the benchmark keeps measuring
whatever the code becomes. PostgreSQL shows ``EXPLAIN (ANALYZE, BUFFERS)``, SQLite ``EXPLAIN QUERY PLAN``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError

HEALTHY = "('ok', 'redirected')"
SUPPORTING = "('supported', 'partial')"
VERIFY_BATCH = (
    "SELECT * FROM (SELECT ci.id, ci.claim_id, ci.reference_id,\n"
    "  (SELECT c.snapshot_id FROM checks c JOIN snapshots s ON s.id = c.snapshot_id WHERE c.source_id = r.source_id\n"
    f"   AND c.status IN {HEALTHY} AND s.text <> '' ORDER BY c.checked_at DESC, c.id DESC LIMIT 1) AS usable,\n"
    "  (SELECT v.snapshot_id FROM verifications v WHERE v.claim_id = ci.claim_id AND v.reference_id = ci.reference_id\n"
    "   ORDER BY v.verified_at DESC, v.id DESC LIMIT 1) AS verified\n"
    "  FROM citations ci JOIN \"references\" r ON r.id = ci.reference_id WHERE r.source_id IS NOT NULL AND ci.id > 0) p\n"
    "WHERE p.usable IS NULL OR p.verified {distinct} p.usable ORDER BY p.id LIMIT 1000"
)


@dataclass(frozen=True)
class Query:
    """One labelled query; ``sqlite`` replaces ``sql`` where SQLite spells it differently."""

    label: str
    sql: str
    sqlite: str | None = None

    def text_for(self, dialect: str) -> str:
        """Return the SQL for ``dialect``."""
        return self.sqlite if dialect == "sqlite" and self.sqlite else self.sql


QUERIES = (
    Query(
        "verify, today: the latest usable snapshot of one source (run once per cited source)",
        "SELECT s.id FROM snapshots s JOIN checks c ON c.snapshot_id = s.id\n"
        f"WHERE s.source_id = :source_id AND c.status IN {HEALTHY} AND s.text <> ''\n"
        "ORDER BY c.checked_at DESC, c.id DESC LIMIT 1",
    ),
    Query(
        "verify, target: pairs whose source has a usable check newer than their verification",
        "SELECT ci.claim_id, r.id AS reference_id, c.snapshot_id FROM checks c\n"
        "JOIN \"references\" r ON r.source_id = c.source_id JOIN citations ci ON ci.reference_id = r.id\n"
        f"WHERE c.checked_at > :recent AND c.status IN {HEALTHY} AND c.snapshot_id IS NOT NULL\n"
        "AND NOT EXISTS (SELECT 1 FROM verifications v WHERE v.claim_id = ci.claim_id\n"
        "                AND v.reference_id = r.id AND v.snapshot_id = c.snapshot_id)",
    ),
    Query(
        "verify, today and target: the newest verification of one pair",
        "SELECT id, snapshot_id, verdict FROM verifications\n"
        "WHERE claim_id = :claim_id AND reference_id = :reference_id ORDER BY verified_at DESC, id DESC LIMIT 1",
    ),
    Query(
        "crawl --due with nothing due, target: is any source due?",
        "SELECT id FROM sources WHERE last_checked_at IS NULL OR last_checked_at < :nothing_due_before LIMIT 1",
    ),
    Query(
        "crawl --due, target: one batch of due sources (keyset on id)",
        "SELECT id, url FROM sources WHERE (last_checked_at IS NULL OR last_checked_at < :due_before) AND id > :after\n"
        "ORDER BY id LIMIT 1000",
    ),
    Query(
        "crawl, today: the latest snapshot of a batch of due sources (validators for conditional requests)",
        "SELECT s.id, s.source_id, s.content_hash, s.etag, s.last_modified FROM snapshots s\n"
        "JOIN checks c ON c.snapshot_id = s.id WHERE c.id IN (\n"
        "  SELECT max(id) FROM checks WHERE source_id BETWEEN :low AND :high AND snapshot_id IS NOT NULL\n"
        "  GROUP BY source_id)",
    ),
    Query(
        "/api/claims?page=1, target: one page of claims in article order",
        "SELECT id, article_id, \"index\", text FROM claims ORDER BY article_id, \"index\" LIMIT 20",
    ),
    Query(
        "/api/claims deep page, OFFSET in SQL",
        "SELECT id, article_id, \"index\", text FROM claims ORDER BY article_id, \"index\" LIMIT 20 OFFSET :offset",
    ),
    Query(
        "/api/claims deep page, target: keyset after the previous page's last claim",
        "SELECT id, article_id, \"index\", text FROM claims\n"
        "WHERE (article_id, \"index\") > (:article_id, :claim_index) ORDER BY article_id, \"index\" LIMIT 20",
    ),
    Query(
        "/api/claims page, target: the latest verdict of each citation of the page's claims",
        "SELECT ci.claim_id, ci.number, v.verdict, v.score FROM citations ci\n"
        "LEFT JOIN verifications v ON v.id = (SELECT v2.id FROM verifications v2 WHERE v2.claim_id = ci.claim_id\n"
        "  AND v2.reference_id = ci.reference_id ORDER BY v2.verified_at DESC, v2.id DESC LIMIT 1)\n"
        "WHERE ci.claim_id BETWEEN :first_claim AND :last_claim",
    ),
    Query(
        "/api/claims?verdict=supported, target: best verdict filtered in SQL (a latest verification says so)",
        "SELECT cl.id, cl.article_id, cl.\"index\" FROM claims cl WHERE EXISTS (\n"
        "  SELECT 1 FROM verifications v WHERE v.claim_id = cl.id AND v.verdict = 'supported'\n"
        "  AND NOT EXISTS (SELECT 1 FROM verifications newer WHERE newer.claim_id = v.claim_id\n"
        "    AND newer.reference_id = v.reference_id AND (newer.verified_at, newer.id) > (v.verified_at, v.id)))\n"
        "ORDER BY cl.article_id, cl.\"index\" LIMIT 20",
    ),
    Query(
        "/api/claims?q=WORD, today: case-insensitive substring (the target is a full-text or trigram index)",
        "SELECT id FROM claims WHERE text ILIKE :pattern ORDER BY article_id, \"index\" LIMIT 20",
        "SELECT id FROM claims WHERE lower(text) LIKE lower(:pattern) ORDER BY article_id, \"index\" LIMIT 20",
    ),
    Query(
        "/api/claims?q=WORD, now: the full-text index (GIN on to_tsvector; SQLite FTS5), the typed text rechecked",
        "SELECT id FROM claims WHERE to_tsvector('simple'::regconfig, text) @@ to_tsquery('simple'::regconfig, :word)\n"
        "AND text ILIKE :pattern ORDER BY article_id, \"index\" LIMIT 20",
        "SELECT id FROM claims WHERE id IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH :fts_word)\n"
        "AND lower(text) LIKE lower(:pattern) ORDER BY article_id, \"index\" LIMIT 20",
    ),
    Query(
        "/api/claims?verdict=supported, before 0007: page of ids by the best verdict's rank, computed per claim",
        "SELECT cl.id FROM claims cl WHERE coalesce((SELECT min(CASE coalesce((SELECT v.verdict FROM verifications v\n"
        "  WHERE v.claim_id = ci.claim_id AND v.reference_id = ci.reference_id ORDER BY v.verified_at DESC, v.id DESC\n"
        "  LIMIT 1), 'unavailable') WHEN 'supported' THEN 0 WHEN 'partial' THEN 1 WHEN 'not_found' THEN 2\n"
        "  WHEN 'contradicted' THEN 3 WHEN 'unavailable' THEN 4 END) FROM citations ci WHERE ci.claim_id = cl.id), 4) = 0\n"
        "ORDER BY cl.article_id, cl.\"index\" LIMIT 20",
    ),
    Query(
        "verify, before 0007 (and --all): one batch of pairs needing work (keyset on the citation)",
        VERIFY_BATCH.format(distinct="IS DISTINCT FROM"),
        VERIFY_BATCH.format(distinct="IS NOT"),
    ),
    Query(
        "verify, now: the next marked sources (nothing new = an empty range of the partial index)",
        "SELECT id, verify_marked_at FROM sources WHERE verify_marked_at IS NOT NULL AND id > 0 ORDER BY id LIMIT 250",
    ),
    Query(
        "/api/claims?verdict=unavailable, now: the stored best verdict, in article order (index on verdict)",
        "SELECT id FROM claims WHERE verdict = 'unavailable' ORDER BY article_id, \"index\" LIMIT 20",
    ),
    Query(
        "broken, target: every open flag with the claims citing its source, in one query",
        "SELECT f.id, s.url, cl.article_id, cl.\"index\", r.number, EXISTS (SELECT 1 FROM verifications v\n"
        f"  WHERE v.claim_id = cl.id AND v.reference_id = r.id AND v.verdict IN {SUPPORTING}) AS was_supported\n"
        "FROM flags f JOIN sources s ON s.id = f.source_id JOIN \"references\" r ON r.source_id = s.id\n"
        "JOIN citations ci ON ci.reference_id = r.id JOIN claims cl ON cl.id = ci.claim_id\n"
        "WHERE f.resolved_at IS NULL ORDER BY f.id",
    ),
    Query(
        "/api/broken and /broken pages, now: every flagged source's citing claims as ids (the order), then the page's",
        "SELECT r.source_id, ci.claim_id, EXISTS (SELECT 1 FROM verifications v WHERE v.claim_id = ci.claim_id\n"
        f"  AND v.reference_id = r.id AND v.verdict IN {SUPPORTING}) AS was_supported\n"
        "FROM \"references\" r JOIN citations ci ON ci.reference_id = r.id\n"
        "WHERE r.source_id IN (SELECT f.source_id FROM flags f JOIN sources s ON s.id = f.source_id\n"
        "  WHERE f.resolved_at IS NULL)",
    ),
    Query(
        "/api/sources deep page, OFFSET in SQL",
        "SELECT id, url, status FROM sources ORDER BY id LIMIT 20 OFFSET :source_offset",
    ),
    Query(
        "/api/sources deep page, target: keyset on id",
        "SELECT id, url, status FROM sources WHERE id > :source_after ORDER BY id LIMIT 20",
    ),
    Query(
        "/api/sources?status=dead: a rare status, page 1",
        "SELECT id, url, status FROM sources WHERE status = 'dead' ORDER BY id LIMIT 20",
    ),
    Query(
        "sources list --format json, target: every source with its citing references, streamed in id order",
        "SELECT s.id, s.url, s.status, r.article_id, r.number FROM sources s\n"
        "LEFT JOIN \"references\" r ON r.source_id = s.id ORDER BY s.id, r.article_id, r.number",
    ),
)


def explain_all(
    connection: Connection, dialect: str, params: dict[str, Any], timeout: float
) -> list[tuple[Query, str, str]]:
    """Return each query with its SQL and plan; a PostgreSQL ANALYZE over ``timeout`` falls back to the bare plan."""
    return [(query, query.text_for(dialect), _plan(connection, dialect, query, params, timeout)) for query in QUERIES]


def _plan(connection: Connection, dialect: str, query: Query, params: dict[str, Any], timeout: float) -> str:
    sql = query.text_for(dialect)
    if dialect == "sqlite":
        rows = connection.execute(text(f"EXPLAIN QUERY PLAN {sql}"), params).all()
        depth = {0: 0}
        lines = []
        for node, parent, _, detail in rows:
            depth[node] = depth.get(parent, 0) + 1
            lines.append("  " * depth[node] + detail)
        return "\n".join(lines)
    connection.execute(text(f"SET statement_timeout = {int(timeout * 1000)}"))
    try:
        with connection.begin_nested():
            rows = connection.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {sql}"), params).scalars().all()
        return "\n".join(rows)
    except OperationalError:
        rows = connection.execute(text(f"EXPLAIN {sql}"), params).scalars().all()
        return f"(EXPLAIN ANALYZE cancelled after {timeout:.0f} s; the plan without it:)\n" + "\n".join(rows)
    finally:
        connection.execute(text("SET statement_timeout = 0"))
