"""The extraction pool: ``extract_body`` in worker processes, so downloads go on while bodies are parsed."""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from crawler.extract.body import Extracted, extract_body, stored_body


def _ignore_interrupts() -> None:
    """Leave Ctrl-C to the crawl process, which shuts down gracefully and then stops the workers."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class ExtractionPool:
    """Runs ``extract_body`` in ``workers`` processes (0: in the calling thread, for small crawls and tests).

    A worker that dies (a native PDF parser crashing on a hostile file) breaks the whole executor: the pool is
    then restarted and the body tried once more, and a body that breaks it twice is recorded as unreadable.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = self._start() if workers > 0 else None

    def _start(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["crawler.extract.body"])
        executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=context, initializer=_ignore_interrupts)
        # Workers start on demand; starting them now overlaps their imports with the first downloads.
        for _ in range(self.workers):
            executor.submit(int)
        return executor

    async def extract(self, body: bytes, content_type: str | None, url: str, outlet: str | None) -> Extracted:
        """Extract one body without blocking the event loop (unless the pool has no workers)."""
        if self._executor is None:
            return extract_body(body, content_type, url, outlet)
        for _ in range(2):
            executor = self._executor
            try:
                return await asyncio.get_running_loop().run_in_executor(
                    executor, extract_body, body, content_type, url, outlet
                )
            except BrokenProcessPool:
                if self._executor is executor:
                    executor.shutdown(wait=False, cancel_futures=True)
                    self._executor = self._start()
        return Extracted(None, "the extractor crashed on this body twice", *stored_body(body))

    def close(self) -> None:
        """Stop the worker processes."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
