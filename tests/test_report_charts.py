"""Inline SVG charts: bars in proportion to the counts, every number in the markup, nothing live."""

from __future__ import annotations

import re

from crawler.report.charts import OTHER_COLOUR, VERDICT_COLOURS, legend, stacked_bar, timeline


def _widths(svg: str) -> dict[str, float]:
    return {key: float(width) for width, key in re.findall(r'width="([\d.]+)"[^>]*data-key="([^"]+)"', svg)}


def test_a_stacked_bar_splits_its_width_in_proportion_to_the_counts_and_keeps_zeros() -> None:
    svg = stacked_bar({"supported": 3, "partial": 1, "not_found": 0}, "verdicts", width=200)
    assert _widths(svg) == {"supported": 150.0, "partial": 50.0, "not_found": 0.0}
    assert re.findall(r'data-key="(\w+)" data-count="(\d+)"', svg) == [("supported", "3"), ("partial", "1"),
                                                                       ("not_found", "0")]  # fmt: skip
    assert 'data-chart="verdicts" data-total="4"' in svg and f'fill="{VERDICT_COLOURS["supported"]}"' in svg
    assert 'aria-label="verdicts: 3 supported, 1 partial, 0 not found"' in svg


def test_segments_follow_each_other_without_gaps() -> None:
    svg = stacked_bar({"ok": 1, "dead": 1, "soft_404": 2}, "sources", width=100)
    assert [float(x) for x in re.findall(r'<rect x="([\d.]+)"', svg)] == [0.0, 25.0, 50.0]


def test_an_empty_bar_is_drawn_grey_with_a_zero_total() -> None:
    svg = stacked_bar({"supported": 0}, "verdicts")
    assert 'data-total="0"' in svg and 'fill="#eeeeee"' in svg and 'data-count="0"' in svg


def test_keys_are_escaped_and_unknown_keys_are_grey() -> None:
    svg = stacked_bar({'"><script>': 1}, "sources")
    assert "<script>" not in svg and "&quot;&gt;&lt;script&gt;" in svg and f'fill="{OTHER_COLOUR}"' in svg


def test_a_legend_names_the_nonzero_counts_only() -> None:
    text = re.sub(r"<[^>]+>", "", legend({"supported": 2, "partial": 0, "not_found": 1}))
    assert text.split() == ["2", "supported", "1", "not", "found"]
    assert "none" in legend({"supported": 0})


def test_a_timeline_draws_one_mark_per_event_oldest_first_with_its_time() -> None:
    svg = timeline([("2026-06-01 12:00", "ok"), ("2026-06-02 12:00", "dead")], step=10)
    assert re.findall(r'<rect x="(\d+)"[^>]*data-status="(\w+)" data-when="([^"]+)"', svg) == [
        ("0", "ok", "2026-06-01 12:00"),
        ("10", "dead", "2026-06-02 12:00"),
    ]
    assert "<title>2026-06-02 12:00: dead</title>" in svg and 'data-total="2"' in svg


def test_charts_have_no_script_no_event_handler_and_no_external_reference() -> None:
    svgs = stacked_bar({"ok": 1}, "sources") + timeline([("t", "ok")]) + legend({"ok": 1})
    assert not re.search(r"<script|\son\w+=|href=|src=", svgs)
