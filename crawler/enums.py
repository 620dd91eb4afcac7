"""Vocabularies every layer shares: the health statuses editors see (stored as their string values)."""

from __future__ import annotations

from enum import StrEnum


class HealthStatus(StrEnum):
    """A source's health after a check (``Check.status``, ``Source.status``, ``Flag.status``)."""

    OK = "ok"
    REDIRECTED = "redirected"
    DEAD = "dead"
    SOFT_404 = "soft_404"
    PAYWALLED = "paywalled"
    BLOCKED = "blocked"
    SERVER_ERROR = "server_error"
    TIMEOUT = "timeout"
    TOO_LARGE = "too_large"
    UNSUPPORTED = "unsupported"
    UNREADABLE = "unreadable"
    UNRESOLVED = "unresolved"
    PENDING = "pending"
    DRIFTED = "drifted"


# Statuses that mean the source still gives usable text.
HEALTHY = frozenset({HealthStatus.OK, HealthStatus.REDIRECTED})
