"""What a few tests need from outside the clone (``../shared`` data, a browser): skip without it, fail in CI."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
# .ci/run sets these: there the data and the browser are present, so a test that cannot run is a failure.
REQUIRE_SHARED = "CITETRACK_REQUIRE_SHARED"
REQUIRE_BROWSER = "CITETRACK_REQUIRE_BROWSER"


def shared_file(relative: str) -> Path:
    """Return ``../shared/<relative>``; skip the test when it is absent (fail when CITETRACK_REQUIRE_SHARED=1)."""
    path = SHARED / relative
    if not path.exists():
        unavailable(f"needs ../shared/{relative} beside the checkout ({path} is missing)", REQUIRE_SHARED)
    return path


def unavailable(reason: str, required_by: str) -> NoReturn:
    """Skip with ``reason``, or fail with it when the environment variable ``required_by`` is 1."""
    if os.environ.get(required_by) == "1":
        pytest.fail(f"{reason}; {required_by}=1 requires it", pytrace=False)
    pytest.skip(reason)
