"""The extraction pool: bodies extracted in worker processes, and a pool whose worker died is restarted."""

from __future__ import annotations

import asyncio
import os
import signal

from crawler.pipelines.pool import ExtractionPool
from tests.mockserver import SITE

PAGE = (SITE / "blog/eu-ai-act-open-source.html").read_bytes()


def test_worker_processes_extract_and_compress_a_body() -> None:
    pool = ExtractionPool(1)
    try:
        extracted = asyncio.run(pool.extract(PAGE, "text/html; charset=utf-8", "http://a.test/", None))
    finally:
        pool.close()
    assert extracted.document is not None and "AI Act" in extracted.document.text
    assert extracted.error is None
    assert len(extracted.content_hash) == 64 and extracted.body_gzip[:2] == b"\x1f\x8b"


def test_pool_whose_worker_died_is_restarted_and_the_body_extracted() -> None:
    pool = ExtractionPool(1)

    async def crash_then_extract():  # type: ignore[no-untyped-def]
        await pool.extract(PAGE, "text/html; charset=utf-8", "http://a.test/", None)
        crashed = pool._executor
        for pid in list(crashed._processes):  # a worker dies as a crashing native parser would
            os.kill(pid, signal.SIGKILL)
        return crashed, await pool.extract(PAGE, "text/html; charset=utf-8", "http://a.test/", None)

    try:
        crashed, extracted = asyncio.run(crash_then_extract())
        assert pool._executor is not crashed
    finally:
        pool.close()
    assert extracted.document is not None and "AI Act" in extracted.document.text
