"""Make re-fetches conditional: send If-None-Match / If-Modified-Since from the source's last snapshot."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy import Request

# Request meta key the spider fills from the latest snapshot: {"etag": str | None, "last_modified": str | None}.
VALIDATORS_META = "citetrack_validators"


class ConditionalRequestMiddleware:
    """Add validator headers to requests whose meta carries ``citetrack_validators``; reads no settings."""

    def process_request(self, request: Request) -> None:
        """Set If-None-Match and If-Modified-Since unless the request already has them."""
        validators = request.meta.get(VALIDATORS_META) or {}
        if validators.get("etag"):
            request.headers.setdefault("If-None-Match", validators["etag"])
        if validators.get("last_modified"):
            request.headers.setdefault("If-Modified-Since", validators["last_modified"])
        return None
