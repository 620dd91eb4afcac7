"""Static files of a demo site: safe path lookup, Content-Type with charset, sidecar headers, redirect map."""

from __future__ import annotations

import json
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path

SIDECAR_SUFFIX = ".headers"  # "page.html.headers": "Name: value" lines; "Status: 401" sets the status
REDIRECTS_NAME = "_redirects.json"  # {"/old": {"to": "/new", "status": 301}}
_TYPES = {".html": "text/html", ".htm": "text/html", ".txt": "text/plain", ".pdf": "application/pdf"}


@dataclass
class StaticFile:
    """A file found under the site root, with the status and headers it is served with."""

    path: Path
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


def find_file(root: Path, url_path: str) -> StaticFile | None:
    """Return the file ``url_path`` names under ``root`` (``index.html`` for a folder), or None."""
    relative = url_path.lstrip("/")
    candidate = (root / relative).resolve()
    if candidate != root and root not in candidate.parents:
        return None
    if candidate.is_dir():
        candidate = candidate / "index.html"
    if not candidate.is_file() or candidate.name.endswith(SIDECAR_SUFFIX):
        return None
    found = StaticFile(candidate, headers={"Content-Type": content_type(candidate)})
    sidecar = candidate.with_name(candidate.name + SIDECAR_SUFFIX)
    if sidecar.is_file():
        _apply_sidecar(found, sidecar.read_text(encoding="utf-8"))
    return found


def content_type(path: Path) -> str:
    """Return the Content-Type of ``path``; text types say ``charset=utf-8`` (sidecars override)."""
    mime = _TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{mime}; charset=utf-8" if mime.startswith("text/") or mime == "application/json" else mime


def load_redirects(root: Path) -> dict[str, tuple[str, int]]:
    """Return the site's fixed redirects, path → (target, status), from ``_redirects.json`` if present."""
    path = root / REDIRECTS_NAME
    if not path.is_file():
        return {}
    entries = json.loads(path.read_text(encoding="utf-8"))
    return {source: (entry["to"], int(entry.get("status", 301))) for source, entry in entries.items()}


def _apply_sidecar(found: StaticFile, text: str) -> None:
    """Set the status and headers that a sidecar file lists."""
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if not value.strip():
            continue
        if name.strip().lower() == "status":
            found.status = int(value)
        else:
            found.headers[name.strip().title()] = value.strip()
