"""URL canonicalisation and the http(s) check."""

from __future__ import annotations

import pytest

from crawler.urls import canonicalize_url, is_http_url


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://Example.COM/Path/Page.html", "https://example.com/Path/Page.html"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/a#section-2", "https://example.com/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/a?b=2&utm_source=x&a=1&UTM_Medium=y&fbclid=z&gclid=w", "https://example.com/a?b=2&a=1"),
        ("https://example.com/a?utm_campaign=only", "https://example.com/a"),
        ("https://example.com/s?q=a%20b&tag=x+y", "https://example.com/s?q=a%20b&tag=x+y"),
        ("https://bücher.example/Straße", "https://xn--bcher-kva.example/Straße"),
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
        ("https://Example.com./a", "https://example.com/a"),
    ],
)
def test_canonicalize_url(url: str, canonical: str) -> None:
    assert canonicalize_url(url) == canonical


def test_canonicalize_is_idempotent() -> None:
    once = canonicalize_url("HTTP://WWW.Example.com:80/A?x=1&utm_id=2#f")
    assert canonicalize_url(once) == once == "http://www.example.com/A?x=1"


@pytest.mark.parametrize("url", ["example.com/page", "/relative/path", "mailto:"])
def test_canonicalize_refuses_urls_without_scheme_or_host(url: str) -> None:
    with pytest.raises(ValueError):
        canonicalize_url(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/a", True),
        ("http://127.0.0.1:8000/", True),
        ("ftp://example.com/file", False),
        ("javascript:alert(1)", False),
        ("https:///nohost", False),
        ("http://example.com:99999/", False),
        ("not a url", False),
    ],
)
def test_is_http_url(url: str, expected: bool) -> None:
    assert is_http_url(url) is expected
