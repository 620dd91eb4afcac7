"""One date parser: article metadata, page metadata and PDF dates all become aware UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.dates import as_utc


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-06-18T09:10:00+02:00", datetime(2026, 6, 18, 7, 10, tzinfo=UTC)),
        ("2026-06-18", datetime(2026, 6, 18, tzinfo=UTC)),
        ("Jun 18, 2026, 9:10 AM", datetime(2026, 6, 18, 9, 10, tzinfo=UTC)),
        ("Thu, 18 Jun 2026 09:10:00 GMT", datetime(2026, 6, 18, 9, 10, tzinfo=UTC)),
        ("  2026-06-18T09:10:00Z  ", datetime(2026, 6, 18, 9, 10, tzinfo=UTC)),
    ],
)
def test_dates_in_any_common_spelling_become_aware_utc(value: str, expected: datetime) -> None:
    assert as_utc(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("D:20240301120000+02'00'", datetime(2024, 3, 1, 10, 0, tzinfo=UTC)),
        ("D:20240301120000-05'30'", datetime(2024, 3, 1, 17, 30, tzinfo=UTC)),
        ("D:20240301120000Z", datetime(2024, 3, 1, 12, 0, tzinfo=UTC)),
        ("D:2024", datetime(2024, 1, 1, tzinfo=UTC)),
        ("D:20241399000000", None),
    ],
)
def test_pdf_dates_become_aware_utc(value: str, expected: datetime | None) -> None:
    assert as_utc(value) == expected


@pytest.mark.parametrize("value", [None, "", "   ", "yesterday", "99999-99-99"])
def test_no_date_gives_none(value: str | None) -> None:
    assert as_utc(value) is None
