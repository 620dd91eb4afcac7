"""Fuzz the web API (and pages) with schemathesis against the app's own OpenAPI document: no 5xx, ever."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests.reportdata import populate
from tests.webserver import running_app


@pytest.fixture
def web_schema(db_url: str) -> Iterator[schemathesis.BaseSchema]:
    """The OpenAPI schema of a running app over the report test data."""
    populate(db_url)
    with running_app(db_url) as base_url:
        loaded = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
        # Valid and invalid inputs alike; a fixed seed keeps the run deterministic and bounded.
        loaded.config.generation.update(modes=list(schemathesis.GenerationMode), deterministic=True, database="none")
        yield loaded


schema = schemathesis.pytest.from_fixture("web_schema")


@schema.parametrize()
@settings(max_examples=6, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document_and_never_fails_with_5xx(case: schemathesis.Case) -> None:
    case.call_and_validate(timeout=10)
