"""Vocabularies every layer shares: health statuses, verdicts and feed kinds (stored as their string values)."""

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


class Verdict(StrEnum):
    """A claim's verdict against one cited source (``Verification.verdict``), declared from most support to none.

    The order is the ranking the report and drift use: ``contradicted`` (the source says otherwise) is worse than
    ``not_found`` for a fact-checker; ``unavailable`` (no usable text, so no verdict at all) comes last.
    """

    SUPPORTED = "supported"
    PARTIAL = "partial"
    NOT_FOUND = "not_found"
    CONTRADICTED = "contradicted"
    UNAVAILABLE = "unavailable"


# Verdicts that mean the source backs the claim, at least in part (what drift watches and broken counts).
SUPPORTING = frozenset({Verdict.SUPPORTED, Verdict.PARTIAL})


# What a registered feed serves (``Feed.kind``, ``feeds add --kind``).
FEED_KINDS = ("rss", "atom", "sitemap", "listing")
