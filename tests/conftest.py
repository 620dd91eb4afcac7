"""Shared fixtures: an isolated database per test, on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.databases import backend_url
from tests.mockserver import MockServer
from tests.mockserver.hostile import HostileServer
from tests.prerequisites import shared_file


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL for an empty store: a tmp_path SQLite file, or a fresh PostgreSQL schema."""
    with backend_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A URL for an empty SQLite store, for tests that need no second backend."""
    return f"sqlite:///{tmp_path / 'citetrack.db'}"


@pytest.fixture
def seed_article() -> Path:
    """Path of the real explainer article the project was born from (``../shared/seed-article.txt``)."""
    return shared_file("seed-article.txt")


@pytest.fixture(scope="session")
def mockserver() -> Iterator[MockServer]:
    """The fixture site (tests/fixtures/site plus parametric endpoints) on 127.0.0.1, one per test session."""
    with MockServer() as server:
        yield server


@pytest.fixture(scope="session")
def mockserver2() -> Iterator[MockServer]:
    """A second copy of the fixture site on another loopback host (127.0.0.2), for cross-host redirects."""
    with MockServer(host="127.0.0.2") as server:
        yield server


@pytest.fixture(scope="session")
def catchall_server() -> Iterator[MockServer]:
    """The fixture site on a host that answers every unknown path with a 200 "page not found" page."""
    with MockServer(catchall=True) as server:
        yield server


@pytest.fixture(scope="session")
def hostile_server() -> Iterator[HostileServer]:
    """Trickling, flipping and raw canned endpoints (NUL bytes, odd JSON, unreadable PDFs) on 127.0.0.1."""
    with HostileServer() as server:
        yield server
