"""URL canonicalisation: one spelling per source, so every article citing it shares one row."""

from __future__ import annotations

from urllib.parse import unquote_plus, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid"})


def is_http_url(url: str) -> bool:
    """Tell whether ``url`` is an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(url.strip())
        return parts.scheme.lower() in DEFAULT_PORTS and bool(parts.hostname) and parts.port != 0
    except ValueError:
        return False


def canonicalize_url(url: str) -> str:
    """Return the canonical form of an absolute URL; raise ValueError if it has no scheme or host.

    Lowercases scheme and host, encodes an IDN host as punycode, drops the default port, the
    fragment and tracking parameters (``utm_*``, ``fbclid``, ``gclid``…); keeps the path's case and
    the order and spelling of the other query parameters. An empty path becomes ``/``.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if not scheme or not parts.hostname:
        raise ValueError(f"not an absolute URL: {url!r}")
    netloc = _host(parts.hostname)
    if parts.port is not None and parts.port != DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{parts.port}"
    if parts.username is not None:
        userinfo = parts.netloc.rpartition("@")[0]
        netloc = f"{userinfo}@{netloc}"
    path = parts.path or ("/" if scheme in DEFAULT_PORTS else "")
    return urlunsplit((scheme, netloc, path, _query(parts.query), ""))


def _host(hostname: str) -> str:
    """Return the lowercase ASCII form of a host; IPv6 literals keep their brackets."""
    if ":" in hostname:
        return f"[{hostname.lower()}]"
    host = hostname.rstrip(".").lower()
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError(f"invalid host name: {hostname!r}") from None


def _query(query: str) -> str:
    """Remove tracking parameters, keeping the others exactly as written and in order."""
    kept = []
    for pair in query.split("&"):
        if not pair:
            continue
        name = unquote_plus(pair.split("=", 1)[0]).lower()
        if name.startswith("utm_") or name in TRACKING_PARAMS:
            continue
        kept.append(pair)
    return "&".join(kept)
