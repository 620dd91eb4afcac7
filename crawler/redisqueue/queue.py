"""``LeaseQueue``: a scrapy-redis FIFO queue whose pop leases a request to this worker until it is acknowledged.

Keys, for a queue key ``K`` (``CITETRACK_REDIS_QUEUE:requests``): ``K`` the shared list (pushed on the left,
popped on the right); ``K:processing:W`` worker ``W``'s leased requests; ``K:alive:W`` its heartbeat, which
expires unless renewed; ``K:workers`` the set of workers that may hold leases.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections import deque
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from scrapy_redis.queue import FifoQueue

from crawler.items import LEASE_META

if TYPE_CHECKING:
    from redis import Redis
    from scrapy import Request, Spider



class LeaseQueue(FifoQueue):
    """A scrapy-redis ``FifoQueue`` where ``pop`` atomically moves the request into this worker's processing list.

    A request stays leased there until ``ack`` (its check is stored); ``beat`` renews the worker's heartbeat and
    ``reap`` puts back the leases of workers whose heartbeat expired; ``release`` puts back this worker's own
    leases when it stops. Requests that follow from a leased one stay in this worker (``push``), so one worker
    owns a source from its first request to its stored check, and a source that comes back is done from scratch.
    Requeued requests go straight back on the list: the dupefilter, which still holds their fingerprints, never
    sees them.
    """

    def __init__(self, server: Redis, spider: Spider, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.processing = processing_key(self.key, self.worker)
        self.workers = f"{self.key}:workers"
        self.held: dict[str, bytes] = {}
        self.announced = False
        self.followups: deque[Request] = deque()

    def __len__(self) -> int:
        """Return how many requests wait: on the shared list and this worker's follow-ups."""
        return super().__len__() + len(self.followups)

    def push(self, request: Request) -> None:
        """Keep a follow-up of a lease this worker holds; put any other request on the shared list."""
        if request.meta.get(LEASE_META) in self.held:
            self.followups.append(request)
        else:
            super().push(request)

    def pop(self, timeout: int = 0) -> Request | None:
        """Return a follow-up, else lease the oldest shared request (never blocking: the reactor must run)."""
        if self.followups:
            return self.followups.popleft()
        data = self.server.lmove(self.key, self.processing, "RIGHT", "LEFT")
        if data is None:
            return None
        request = self._decode_request(data)
        self.held[request.meta.get(LEASE_META, "")] = data
        return request

    def ack(self, leases: Iterable[str]) -> list[str]:
        """Drop these leases from the processing list (their work is stored); return those this worker held."""
        done = [(lease, self.held.pop(lease)) for lease in leases if lease in self.held]
        if done:
            with self.server.pipeline(transaction=False) as pipe:
                for _, data in done:
                    pipe.lrem(self.processing, 1, data)
                pipe.execute()
        return [lease for lease, _ in done]

    def beat(self, ttl: float) -> bool:
        """Announce this worker and renew its heartbeat for ``ttl`` seconds; say whether it had lapsed meanwhile."""
        with self.server.pipeline(transaction=False) as pipe:
            pipe.sadd(self.workers, self.worker)
            pipe.set(alive_key(self.key, self.worker), 1, px=max(1, int(ttl * 1000)), get=True)
            _, previous = pipe.execute()
        lapsed = previous is None and self.announced
        self.announced = True
        return lapsed

    def reap(self) -> int:
        """Put the leases of every worker whose heartbeat expired back on the queue; return how many."""
        requeued = 0
        for member in self.server.smembers(self.workers):
            worker = member.decode()
            if worker == self.worker or self.server.exists(alive_key(self.key, worker)):
                continue
            requeued += move_back(self.server, processing_key(self.key, worker), self.key)
            self.server.srem(self.workers, worker)
        return requeued

    def release(self) -> int:
        """Put this worker's unacknowledged leases back on the queue and leave; return how many."""
        requeued = move_back(self.server, self.processing, self.key)
        self.held.clear()
        self.server.srem(self.workers, self.worker)
        self.server.delete(alive_key(self.key, self.worker))
        return requeued

    def others_busy(self) -> bool:
        """Say whether another worker, alive or not yet reaped, holds leases."""
        others = [member.decode() for member in self.server.smembers(self.workers)]
        return any(self.server.llen(processing_key(self.key, worker)) for worker in others if worker != self.worker)

    def offer(self, requests: Sequence[Request], fingerprints: Sequence[str], dupefilter_key: str) -> int:
        """Put each request whose fingerprint is not pending in the dupefilter on the queue; return how many."""
        with self.server.pipeline(transaction=False) as pipe:
            for fingerprint in fingerprints:
                pipe.sadd(dupefilter_key, fingerprint)
            added = pipe.execute()
        fresh = [self._encode_request(request) for request, new in zip(requests, added, strict=True) if new]
        if fresh:
            self.server.lpush(self.key, *fresh)
        return len(fresh)


def processing_key(key: str, worker: str) -> str:
    """Return the key of ``worker``'s leased requests."""
    return f"{key}:processing:{worker}"


def alive_key(key: str, worker: str) -> str:
    """Return the key of ``worker``'s heartbeat."""
    return f"{key}:alive:{worker}"


def move_back(server: Redis, processing: str, key: str) -> int:
    """Move every request of a processing list to the head of the queue, one atomic LMOVE each."""
    moved = 0
    while server.lmove(processing, key, "RIGHT", "RIGHT") is not None:
        moved += 1
    return moved
