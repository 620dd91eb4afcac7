"""A publisher's site with feeds, a sitemap index, a listing page and articles, served from a copy tests may edit."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path
from types import TracebackType
from typing import Self

from tests.mockserver import REPO, MockServer

FEED_SITE = REPO / "tests" / "fixtures" / "feedsite"
# Files whose text names the server's own URL as ``{base}``.
_TEMPLATED = (".rss", ".atom", ".xml", ".txt")


class FeedSite:
    """``tests/fixtures/feedsite`` copied to ``root``, ``{base}`` filled in and sitemaps gzipped, and served.

    ``url(path)`` names a page; ``edit(path, old, new)`` changes a served file (its ETag changes with it).
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.server = MockServer(root)

    def __enter__(self) -> Self:
        """Start the server on an empty root, then write the site with the server's URL in it."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.server.__enter__()
        shutil.copytree(FEED_SITE, self.root, dirs_exist_ok=True)
        for path in self.root.rglob("*"):
            if path.suffix in _TEMPLATED:
                path.write_bytes(path.read_bytes().replace(b"{base}", self.server.base_url.encode("ascii")))
        for sitemap in (self.root / "sitemaps").glob("*.xml"):
            packed = sitemap.with_name(sitemap.name + ".gz")
            packed.write_bytes(gzip.compress(sitemap.read_bytes(), mtime=0))
            packed.with_name(packed.name + ".headers").write_text("Content-Type: application/gzip\n")
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        """Stop the server."""
        self.server.__exit__(kind, error, trace)

    def url(self, path: str) -> str:
        """Return the absolute URL of ``path`` (which starts with ``/``)."""
        return self.server.url(path)

    def edit(self, path: str, old: str, new: str) -> None:
        """Replace ``old`` (which must be there) by ``new`` in the served file ``path``."""
        target = self.root / path.lstrip("/")
        text = target.read_bytes().decode("latin-1")
        assert old in text, f"{old!r} is not in {path}"
        target.write_bytes(text.replace(old, new).encode("latin-1"))
        if target.suffix == ".xml" and target.parent.name == "sitemaps":
            target.with_name(target.name + ".gz").write_bytes(gzip.compress(target.read_bytes(), mtime=0))
