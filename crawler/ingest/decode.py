"""Check raw article bytes and decode them to text, refusing empty, binary, oversized or undecodable input."""

from __future__ import annotations

import re
from dataclasses import dataclass

from w3lib.encoding import read_bom

from crawler.charset import decode
from crawler.exceptions import BinaryInput, EmptyInput, InputTooLarge, UndecodableInput
from crawler.settings import DOWNLOAD_MAXSIZE

# The one body size limit (crawler/settings.py), so an article is refused exactly when a source would be.
DEFAULT_MAX_BYTES = DOWNLOAD_MAXSIZE
_MAGIC = {
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive",
    b"\x1f\x8b": "gzip archive",
}
# Share of control characters above which decoded "text" is really binary noise.
_MAX_CONTROL_RATIO = 0.05
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class DecodedInput:
    """Text decoded from an input and the warnings the decoding raised."""

    text: str
    encoding: str
    warnings: tuple[str, ...]


def decode_input(body: bytes, *, content_type: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> DecodedInput:
    """Return ``body`` as text with ``\\n`` line ends, or raise the ``InputError`` that says why it cannot be."""
    if len(body) > max_bytes:
        raise InputTooLarge(f"input is {len(body):,} bytes, over the {max_bytes:,}-byte limit")
    if not body.strip():
        raise EmptyInput("input is empty")
    for magic, kind in _MAGIC.items():
        if body.startswith(magic):
            raise BinaryInput(f"input is a {kind}, not text or HTML")
    if b"\x00" in body and read_bom(body)[0] is None:
        raise BinaryInput("input contains NUL bytes: it is binary, not text or HTML")
    try:
        decoded = decode(body, content_type, errors="strict")
    except UnicodeDecodeError as error:
        raise UndecodableInput(f"input is not valid {error.encoding}: byte {error.start}") from None
    if decoded.declared_by == "fallback":
        return _checked(decoded.text, decoded.encoding, (f"input is not valid UTF-8; decoded as {decoded.encoding}",))
    return _checked(decoded.text, decoded.encoding, ())


def _checked(text: str, encoding: str, warnings: tuple[str, ...]) -> DecodedInput:
    """Normalise line ends and refuse text that is mostly control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = len(_CONTROL.findall(text))
    if controls > _MAX_CONTROL_RATIO * len(text):
        raise UndecodableInput(f"input decoded as {encoding} is mostly control characters")
    if not text.strip():
        raise EmptyInput("input has no text")
    return DecodedInput(text, encoding, warnings)
