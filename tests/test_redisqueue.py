"""The lease queue on the real Redis: queue once, lease on pop, acknowledge, reap dead workers, release on stop."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from contextlib import redirect_stdout

import pytest
from redis import Redis
from scrapy import Request
from scrapy.http import HtmlResponse

from crawler.cli import main
from crawler.items import LEASE_META, ProbeFetch
from crawler.redisqueue.queue import LeaseQueue, processing_key
from crawler.redisqueue.worker import enqueue
from spiders.worker import WorkerSourcesSpider
from store.crawl import DueSource
from tests.crawling import add_sources
from tests.workers import REDIS_URL, queue_keys, redis_queue

SOURCES = [DueSource(number, f"http://127.0.0.1:9/page/{number}") for number in range(1, 6)]


@pytest.fixture
def queue() -> Iterator[str]:
    """A queue name of its own, deleted afterwards."""
    with redis_queue() as name:
        yield name


@pytest.fixture
def server() -> Iterator[Redis]:
    """A client of the test Redis."""
    client = Redis.from_url(REDIS_URL)
    yield client
    client.close()


def _worker(server: Redis, queue: str) -> LeaseQueue:
    return LeaseQueue(server, WorkerSourcesSpider(), f"{queue}:requests")


def test_enqueueing_twice_queues_each_source_once(queue: str) -> None:
    assert enqueue(REDIS_URL, queue, SOURCES) == 5
    assert enqueue(REDIS_URL, queue, SOURCES) == 0
    assert queue_keys(queue) == {f"{queue}:requests": 5, f"{queue}:dupefilter": 5}


def test_pop_leases_the_oldest_request_until_it_is_acknowledged(queue: str, server: Redis) -> None:
    enqueue(REDIS_URL, queue, SOURCES)
    worker = _worker(server, queue)
    request = worker.pop()
    assert request is not None and request.url == SOURCES[0].url and request.cb_kwargs["due"] == SOURCES[0]
    assert server.llen(worker.processing) == 1 and server.llen(f"{queue}:requests") == 4
    assert worker.ack([request.meta[LEASE_META], "not-a-lease"]) == [request.meta[LEASE_META]]
    assert server.llen(worker.processing) == 0


def test_follow_ups_of_a_lease_stay_in_its_worker(queue: str, server: Redis) -> None:
    enqueue(REDIS_URL, queue, SOURCES[:1])
    worker = _worker(server, queue)
    request = worker.pop()
    assert request is not None
    worker.push(request.replace(url="http://127.0.0.1:9/redirected"))
    assert server.llen(f"{queue}:requests") == 0 and len(worker) == 1
    follow_up = worker.pop()
    assert follow_up is not None and follow_up.url == "http://127.0.0.1:9/redirected"


def test_leases_of_a_worker_whose_heartbeat_expired_go_back_on_the_queue(queue: str, server: Redis) -> None:
    enqueue(REDIS_URL, queue, SOURCES)
    dead, alive = _worker(server, queue), _worker(server, queue)
    dead.beat(0.2)
    alive.beat(10)
    assert dead.pop() is not None and dead.pop() is not None
    assert alive.reap() == 0  # still beating
    assert alive.others_busy()
    time.sleep(0.3)
    assert alive.reap() == 2
    assert server.llen(f"{queue}:requests") == 5 and not server.exists(processing_key(f"{queue}:requests", dead.worker))
    assert server.smembers(alive.workers) == {alive.worker.encode()}
    assert not alive.others_busy()


def test_a_stopping_worker_puts_its_unacknowledged_leases_back(queue: str, server: Redis) -> None:
    enqueue(REDIS_URL, queue, SOURCES)
    worker = _worker(server, queue)
    worker.beat(10)
    leased = [worker.pop() for _ in range(3)]
    worker.ack([leased[0].meta[LEASE_META]])  # type: ignore[union-attr]
    assert worker.release() == 2
    assert queue_keys(queue) == {f"{queue}:requests": 4, f"{queue}:dupefilter": 5}


def test_crawl_with_redis_queues_the_due_sources_and_reports_them(queue: str, sqlite_url: str) -> None:
    add_sources(sqlite_url, [source.url for source in SOURCES])
    runs = []
    for _ in range(2):
        out = io.StringIO()
        with redirect_stdout(out):
            code = main(["crawl", "--due", "0", "--redis", REDIS_URL, "--db", sqlite_url, "--format", "json",
                         "-s", f"CITETRACK_REDIS_QUEUE={queue}"])  # fmt: skip
        runs.append((code, json.loads(out.getvalue())))
    assert runs[0] == (0, {"due": 5, "queued": 5, "already_queued": 0, "queue": queue})
    assert runs[1] == (0, {"due": 5, "queued": 0, "already_queued": 5, "queue": queue})


@pytest.mark.parametrize(
    ("command", "code", "message"),
    [
        (["crawl", "--due", "0", "--redis", "redis://127.0.0.1:1/0"], 1, "cannot reach Redis at redis://127.0.0.1:1/0"),
        (["crawl", "--due", "0", "--redis", "not-a-url"], 2, "--redis not-a-url"),
        (["worker", "--redis", "redis://127.0.0.1:1/0"], 1, "cannot reach Redis at redis://127.0.0.1:1/0"),
        (["worker", "--redis", REDIS_URL, "--exit-when-idle", "-1"], 2, "--exit-when-idle takes a number"),
        (["worker", "--redis", REDIS_URL, "-s", "CITETRACK_REDIS_QUEUE=a%b"], 2, "CITETRACK_REDIS_QUEUE='a%b'"),
    ],
)
def test_bad_redis_options_are_one_line_errors(command: list[str], code: int, message: str, sqlite_url: str, capsys) -> None:
    assert main([*command, "--db", sqlite_url]) == code
    error = capsys.readouterr().err
    assert message in error and len(error.strip().splitlines()) == 1


def test_a_landing_pages_document_request_and_its_check_keep_the_sources_lease() -> None:
    spider = WorkerSourcesSpider()
    due = SOURCES[0]
    request = spider.source_request(due)
    request.meta[LEASE_META] = "lease-1"
    page = b'<html><body><main><p>Short summary.</p><a href="/doc.pdf">Full text</a></main></body></html>'
    response = HtmlResponse(due.url, body=page, request=request, headers={"Content-Type": "text/html"})
    [follow_up] = spider.parse_source(response, due, ProbeFetch("http://127.0.0.1:9", "http://127.0.0.1:9/probe"))
    assert isinstance(follow_up, Request) and follow_up.url == "http://127.0.0.1:9/doc.pdf"
    assert follow_up.meta[LEASE_META] == "lease-1" and follow_up.cb_kwargs["landing"].lease == "lease-1"
