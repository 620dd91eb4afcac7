"""``fetch_url`` (``check --source URL``, ``ingest URL``, ``broken --find-archives``) has a wall-clock deadline."""

from __future__ import annotations

import time

import pytest

from crawler.exceptions import FetchError
from crawler.fetch import fetch_url
from crawler.netguard import AddressPolicy
from tests.mockserver.hostile import HostileServer


@pytest.mark.parametrize("path", ["/trickle-headers", "/trickle-body", "/stall"])
def test_a_server_that_trickles_or_stalls_is_cut_off_at_the_deadline(hostile_server: HostileServer, path: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out after 1\.5s"):
        fetch_url(hostile_server.url(path), policy=AddressPolicy(allow_private=True), timeout=1.5)
    assert time.monotonic() - started < 4


def test_a_prompt_answer_is_not_affected_by_the_deadline(hostile_server: HostileServer) -> None:
    url = hostile_server.add("/prompt", b"plain text answer", [("Content-Type", "text/plain")])
    page = fetch_url(url, policy=AddressPolicy(allow_private=True), timeout=1.5)
    assert page.status == 200 and page.body == b"plain text answer"
