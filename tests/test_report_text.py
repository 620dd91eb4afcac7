"""Text helpers shared by the renderers and the command line."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from crawler.report.text import format_table, json_default, shorten


def test_shorten_flattens_whitespace_and_cuts_with_an_ellipsis() -> None:
    assert shorten("  a\n b  c ", 10) == "a b c"
    assert shorten("abcdefghij", 5) == "abcd…"
    assert shorten(None, 5) == ""


def test_json_default_writes_datetimes_as_iso_8601_and_refuses_other_objects() -> None:
    assert json.dumps({"at": datetime(2026, 1, 2, tzinfo=UTC)}, default=json_default) == (
        '{"at": "2026-01-02T00:00:00+00:00"}'
    )
    with pytest.raises(TypeError, match="cannot serialise object"):
        json.dumps(object(), default=json_default)


def test_format_table_aligns_columns_under_a_rule() -> None:
    assert format_table([["1", "long value"], [None, "x"]], ["#", "v"]) == "#  v\n-  ----------\n1  long value\n   x\n"
