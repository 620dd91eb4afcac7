"""One thread that runs store functions off the event loop, each in its own transaction."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from store.engine import session_factory

T = TypeVar("T")


class StoreThread:
    """Runs ``function(session, *args)`` in a transaction on one thread, so the crawl's downloads keep flowing."""

    def __init__(self, db_url: str) -> None:
        self.factory = session_factory(db_url)
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="citetrack-store")

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """Run ``function`` with a new session and ``args``; commit when it returns, roll back if it raises."""
        return await asyncio.get_running_loop().run_in_executor(self.executor, self._transaction, function, *args)

    def close(self) -> None:
        """Wait for the running function, then stop the thread."""
        self.executor.shutdown(wait=True)

    def _transaction(self, function: Callable[..., T], *args: Any) -> T:
        with self.factory.begin() as session:
            return function(session, *args)
