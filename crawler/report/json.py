"""The report as a JSON document (the stable shape of ``report --format json`` and the web API)."""

from __future__ import annotations

import json
from typing import Any

from crawler.report.text import json_default


def render_json(report: dict[str, Any]) -> str:
    """Return the report as indented JSON text (UTF-8, datetimes in ISO 8601)."""
    return json.dumps(report, ensure_ascii=False, indent=2, default=json_default) + "\n"


def to_jsonable(report: dict[str, Any]) -> Any:
    """Return the report with datetimes turned into ISO 8601 strings, ready for any JSON encoder."""
    return json.loads(json.dumps(report, default=json_default))
