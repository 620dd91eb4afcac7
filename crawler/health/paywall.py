"""Paywall and bot-wall rules: page markers, known subscription hosts, and which wall a 401/402/403 is."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Hosts (and their subdomains) that answer non-subscribers with 401/402/403; extend through this constant.
KNOWN_PAYWALL_HOSTS = frozenset(
    {
        "bloomberg.com",
        "economist.com",
        "ft.com",
        "nytimes.com",
        "newyorker.com",
        "science.org",
        "theatlantic.com",
        "thetimes.co.uk",
        "washingtonpost.com",
        "wsj.com",
    }
)
# A page that shows at most this many words of main text next to a wall marker is the wall, not the article.
PAYWALL_MAX_WORDS = 300
PAYWALL_MARKERS = re.compile(
    r"(?:subscribe|subscription required|subscribers? only|log ?in|sign ?in|register|become a member|"
    r"purchase access|buy (?:this )?article)\s+(?:now\s+)?to (?:read|continue|access|view|unlock)"
    r"|to (?:continue|keep) reading|for subscribers only|this (?:article|content) is (?:for|available to) subscribers"
    r"|already a subscriber|purchase (?:this article|access)|rent or buy this article",
    re.IGNORECASE,
)
# Markup of a wall: schema.org's paywalled-content flag, or a paywall container.
PAYWALL_MARKUP = re.compile(
    r"[\"']isAccessibleForFree[\"']\s*:\s*[\"']?false|class=[\"'][^\"']*\bpaywall\b|id=[\"']paywall\b|data-paywall",
    re.IGNORECASE,
)
_PASSWORD_INPUT = re.compile(r"<input[^>]+type=[\"']?password", re.IGNORECASE)
BOT_WALL_MARKERS = re.compile(
    r"captcha|cf-chl|attention required!? \| cloudflare|just a moment\.\.\.|verify (?:that )?you are (?:a )?human"
    r"|are you a robot|unusual traffic|bot (?:detection|protection)|ddos protection|automated (?:access|requests)"
    r"|access (?:to this page has been )?denied",
    re.IGNORECASE,
)


def known_paywall_host(url: str | None) -> str | None:
    """Return the known subscription host ``url`` belongs to, or None."""
    host = (urlsplit(url or "").hostname or "").lower()
    for known in KNOWN_PAYWALL_HOSTS:
        if host == known or host.endswith("." + known):
            return known
    return None


def paywall_marker(html: str | None, words: int) -> str | None:
    """Return the wall marker (wording, then markup, then a login form) of a page with only a short extract, or None."""
    if not html or words > PAYWALL_MAX_WORDS:
        return None
    for pattern in (PAYWALL_MARKERS, PAYWALL_MARKUP):
        match = pattern.search(html)
        if match:
            return " ".join(match.group(0).split())
    return "login form" if _PASSWORD_INPUT.search(html) else None


def bot_wall_marker(html: str | None) -> str | None:
    """Return the bot-protection wording of a challenge page, or None."""
    match = BOT_WALL_MARKERS.search(html or "")
    return " ".join(match.group(0).split()) if match else None
