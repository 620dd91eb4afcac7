"""Bad input to ``parse_article``: each kind raises its own InputError; non-UTF-8 text decodes with a warning."""

from __future__ import annotations

import pytest

from crawler.exceptions import BinaryInput, EmptyInput, InputTooLarge, NoCitations, UndecodableInput
from crawler.ingest import parse_article
from crawler.ingest.decode import DEFAULT_MAX_BYTES

CITED = "Café owners said the “new rules” hurt trade.[1]\n\nSources\n\n1. Le Monde. Les cafés ferment.\n"


@pytest.mark.parametrize("body", [b"", b"   \n\t  \r\n"])
def test_empty_or_whitespace_input_is_refused(body: bytes) -> None:
    with pytest.raises(EmptyInput):
        parse_article(body)


@pytest.mark.parametrize(
    "body",
    [b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, b"\xff\xd8\xff\xe0 JFIF", b"GIF89a....", b"text with a \x00 NUL[1]."],
)
def test_binary_input_is_refused(body: bytes) -> None:
    with pytest.raises(BinaryInput):
        parse_article(body, filename="article.txt")


def test_input_over_the_limit_is_refused_before_parsing() -> None:
    with pytest.raises(InputTooLarge, match="over the 100-byte limit"):
        parse_article(CITED.encode() * 10, max_bytes=100)


def test_default_limit_refuses_a_file_over_twenty_megabytes() -> None:
    with pytest.raises(InputTooLarge):
        parse_article(b"a" * (DEFAULT_MAX_BYTES + 1))


def test_html_without_any_citation_is_refused() -> None:
    body = b"<html><body><article><h1>News</h1><p>Nothing is cited here.</p></article></body></html>"
    with pytest.raises(NoCitations):
        parse_article(body, content_type="text/html")


def test_markers_only_in_the_source_list_are_not_citations() -> None:
    with pytest.raises(NoCitations):
        parse_article(b"Nothing cited.\n\nSources\n\n[1] Le Monde. Title.\n")


def test_cp1252_text_is_decoded_with_a_warning_not_mojibake() -> None:
    article = parse_article(CITED.encode("cp1252"), filename="article.txt")
    assert article.claims[0].text == "Café owners said the “new rules” hurt trade."
    assert [quote.text for quote in article.claims[0].quotes] == ["new rules"]
    assert article.warnings == ("input is not valid UTF-8; decoded as cp1252",)


def test_a_declared_charset_is_used_without_a_warning() -> None:
    body = CITED.replace("“", '"').replace("”", '"').encode("iso-8859-1")
    article = parse_article(body, content_type="text/plain; charset=iso-8859-1")
    assert article.claims[0].text.startswith("Café owners")
    assert article.warnings == ()


def test_utf16_with_bom_is_decoded() -> None:
    article = parse_article(CITED.encode("utf-16"))
    assert article.claims[0].citations == (1,)


def test_bytes_no_charset_can_decode_are_refused() -> None:
    with pytest.raises(UndecodableInput):
        parse_article(b"caf\xe9 \x81\x8d\x8f text[1].")


def test_control_character_noise_is_refused() -> None:
    with pytest.raises(UndecodableInput):
        parse_article(bytes(range(1, 9)) * 50 + b"[1].")
