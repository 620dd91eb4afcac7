"""Tests that need ``../shared`` or a browser skip without them on a clone alone, and fail in CI instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import prerequisites
from tests.prerequisites import REQUIRE_BROWSER, REQUIRE_SHARED, shared_file, unavailable


@pytest.fixture
def shared_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A stand-in for ``../shared`` holding one file."""
    (tmp_path / "seed-article.txt").write_text("An article.[1]\n", encoding="utf-8")
    monkeypatch.setattr(prerequisites, "SHARED", tmp_path)
    return tmp_path


def test_present_shared_file_is_returned(shared_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REQUIRE_SHARED, "1")
    assert shared_file("seed-article.txt") == shared_dir / "seed-article.txt"


def test_missing_shared_file_skips_with_a_reason_naming_it(shared_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REQUIRE_SHARED, raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"needs \.\./shared/eval/wice-dev\.jsonl beside the checkout"):
        shared_file("eval/wice-dev.jsonl")


def test_missing_shared_file_fails_when_ci_requires_shared_data(shared_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REQUIRE_SHARED, "1")
    with pytest.raises(pytest.fail.Exception, match=f"eval/wice-dev.jsonl.*{REQUIRE_SHARED}=1 requires it"):
        shared_file("eval/wice-dev.jsonl")


@pytest.mark.parametrize("value", ["", "0", "yes"], ids=["empty", "zero", "other"])
def test_only_the_value_1_turns_a_skip_into_a_failure(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REQUIRE_BROWSER, value)
    with pytest.raises(pytest.skip.Exception, match="no browser here"):
        unavailable("no browser here", REQUIRE_BROWSER)
