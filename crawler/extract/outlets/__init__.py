"""Outlet adapters: small classes that fix what the generic path gets wrong for named outlets, chosen by URL.

An adapter matches its outlet's real domains (and their subdomains) and any URL prefix listed for its name in
the ``CITETRACK_OUTLET_URLS`` setting, which is how tests map pages served from 127.0.0.1 onto an adapter:
``-s 'CITETRACK_OUTLET_URLS={"ntia": ["http://127.0.0.1:8000/outlets/agency/"]}'``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

from crawler.extract.outlets.base import Outlet
from crawler.extract.outlets.nature import NatureArticles
from crawler.extract.outlets.ntia import NtiaReports

ADAPTERS: dict[str, Outlet] = {adapter.name: adapter for adapter in (NtiaReports(), NatureArticles())}

__all__ = ["ADAPTERS", "Outlet", "OutletRouter", "get_outlet"]


def get_outlet(name: str | None) -> Outlet | None:
    """Return the adapter called ``name`` (None for no name or an unknown one)."""
    return ADAPTERS.get(name) if name else None


class OutletRouter:
    """Choose the adapter for a URL: configured URL prefixes first, then each adapter's own domains."""

    def __init__(self, extra_urls: Mapping[str, Sequence[str]] | None = None) -> None:
        unknown = sorted(set(extra_urls or {}) - set(ADAPTERS))
        if unknown:
            raise ValueError(f"CITETRACK_OUTLET_URLS names unknown outlets {unknown}; known: {sorted(ADAPTERS)}")
        self.prefixes = sorted(
            ((prefix, name) for name, prefixes in (extra_urls or {}).items() for prefix in prefixes),
            key=lambda pair: len(pair[0]),
            reverse=True,
        )

    def for_url(self, url: str) -> Outlet | None:
        """Return the adapter for ``url``, or None when the generic path applies."""
        for prefix, name in self.prefixes:
            if url.startswith(prefix):
                return ADAPTERS[name]
        host = (urlsplit(url).hostname or "").lower()
        for adapter in ADAPTERS.values():
            if any(host == domain or host.endswith("." + domain) for domain in adapter.domains):
                return adapter
        return None
