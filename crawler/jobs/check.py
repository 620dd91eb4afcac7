"""``citetrack check``'s work: read each distinct source (file, URL or inline text) once and verify claims on it."""

from __future__ import annotations

from pathlib import Path

from crawler.exceptions import (
    ExtractionError,
    FetchError,
    ForbiddenAddress,
    InputTooLarge,
    UndecodableInput,
    UsageError,
)
from crawler.extract import extract_document
from crawler.fetch import USER_AGENT, fetch_url
from crawler.netguard import AddressPolicy
from crawler.settings import DOWNLOAD_MAXSIZE
from crawler.urls import is_http_url
from crawler.verify import ClaimVerdict, Encoder, PreparedSource, prepare_source, unavailable_verdict, verify_claim


class Sources:
    """Reads, extracts and prepares each distinct source once; remembers sources that have no usable text."""

    def __init__(self, policy: AddressPolicy, user_agent: str, max_bytes: int, encoder: Encoder | None = None) -> None:
        self.policy = policy
        self.user_agent = user_agent
        self.max_bytes = max_bytes
        self.encoder = encoder
        self.prepared: dict[tuple[str, str], PreparedSource | str] = {}

    def verdict(self, claim: str, key: tuple[str, str]) -> ClaimVerdict:
        """Verify ``claim`` against the source named by ``("source", PATH_OR_URL)`` or ``("text", TEXT)``."""
        if key not in self.prepared:
            self.prepared[key] = self._prepare(*key)
        source = self.prepared[key]
        if isinstance(source, str):
            return unavailable_verdict(source)
        return verify_claim(claim, source, encoder=self.encoder, contradicted=True)

    def _read(self, reference: str) -> str:
        return read_source(reference, self.policy, user_agent=self.user_agent, max_bytes=self.max_bytes)

    def _prepare(self, kind: str, value: str) -> PreparedSource | str:
        """Return the prepared source, or the reason it has no usable text."""
        try:
            text = value if kind == "text" else self._read(value)
        except ForbiddenAddress:
            raise
        except (FetchError, ExtractionError) as error:
            return str(error)
        return prepare_source(text) if text.strip() else "the source has no text"


def read_source(
    reference: str, policy: AddressPolicy, *, user_agent: str = USER_AGENT, max_bytes: int = DOWNLOAD_MAXSIZE
) -> str:
    """Return the text of a file or URL: a .txt file exactly as given, anything else as extracted."""
    if is_http_url(reference):
        page = fetch_url(reference, policy=policy, max_bytes=max_bytes, user_agent=user_agent)
        return _extract(page.body, page.headers.get("content-type"), page.final_url, reference)
    path = Path(reference)
    if not path.is_file():
        raise UsageError(f"{reference}: no such file (give an .html, .pdf or .txt file or an http(s) URL)")
    if path.stat().st_size > max_bytes:
        raise InputTooLarge(f"{reference}: over the {max_bytes:,}-byte limit for a source")
    body = path.read_bytes()
    if path.suffix.lower() == ".txt":
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise UndecodableInput(f"{reference}: not UTF-8 ({error.reason} at byte {error.start})") from None
    return _extract(body, None, None, reference)


def _extract(body: bytes, content_type: str | None, url: str | None, reference: str) -> str:
    document = extract_document(body, content_type, url)
    if document.outcome != "ok":
        raise ExtractionError(f"{reference}: no usable text ({document.detail or document.outcome})")
    return document.text
