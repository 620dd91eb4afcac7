"""Check raw article bytes and decode them to text, refusing empty, binary, oversized or undecodable input."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from crawler.exceptions import BinaryInput, EmptyInput, InputTooLarge, UndecodableInput

DEFAULT_MAX_BYTES = 20_000_000
_MAGIC = {
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive",
    b"\x1f\x8b": "gzip archive",
}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_DECLARED = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_FALLBACK = "cp1252"
# Share of control characters above which decoded "text" is really binary noise.
_MAX_CONTROL_RATIO = 0.05
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class DecodedInput:
    """Text decoded from an input and the warnings the decoding raised."""

    text: str
    encoding: str
    warnings: tuple[str, ...]


def decode_input(body: bytes, *, declared: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> DecodedInput:
    """Return ``body`` as text with ``\\n`` line ends, or raise the ``InputError`` that says why it cannot be."""
    if len(body) > max_bytes:
        raise InputTooLarge(f"input is {len(body):,} bytes, over the {max_bytes:,}-byte limit")
    if not body.strip():
        raise EmptyInput("input is empty")
    for magic, kind in _MAGIC.items():
        if body.startswith(magic):
            raise BinaryInput(f"input is a {kind}, not text or HTML")
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return _checked(body.decode(encoding, errors="replace"), encoding, ())
    if b"\x00" in body:
        raise BinaryInput("input contains NUL bytes: it is binary, not text or HTML")
    return _decode_without_bom(body, declared)


def _decode_without_bom(body: bytes, declared: str | None) -> DecodedInput:
    """Try UTF-8, then the declared charset, then cp1252 (with a warning)."""
    try:
        return _checked(body.decode("utf-8"), "utf-8", ())
    except UnicodeDecodeError:
        pass
    sniffed = _DECLARED.search(body[:4096])
    for name in (declared, sniffed.group(1).decode("ascii") if sniffed else None):
        encoding = _known_encoding(name)
        if encoding and encoding != "utf-8":
            try:
                return _checked(body.decode(encoding), encoding, ())
            except UnicodeDecodeError:
                continue
    try:
        text = body.decode(_FALLBACK)
    except UnicodeDecodeError as error:
        raise UndecodableInput(f"input is neither UTF-8 nor {_FALLBACK}: byte {error.start}") from None
    return _checked(text, _FALLBACK, (f"input is not valid UTF-8; decoded as {_FALLBACK}",))


def _known_encoding(name: str | None) -> str | None:
    """Return Python's name for a charset label, or None if it is unknown."""
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _checked(text: str, encoding: str, warnings: tuple[str, ...]) -> DecodedInput:
    """Normalise line ends and refuse text that is mostly control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = len(_CONTROL.findall(text))
    if controls > _MAX_CONTROL_RATIO * len(text):
        raise UndecodableInput(f"input decoded as {encoding} is mostly control characters")
    if not text.strip():
        raise EmptyInput("input has no text")
    return DecodedInput(text, encoding, warnings)
