"""One charset decoder for articles, sources and archived copies: BOM, header, <meta>, UTF-8, cp1252."""

from __future__ import annotations

import pytest

from crawler.charset import decode, decode_html, decode_text
from crawler.extract import extract_document
from crawler.ingest import parse_article

PAGE = "<html><head>{meta}<title>t</title></head><body><p>{body}</p></body></html>"


def page(body: str, meta: str = "") -> str:
    """Return a small HTML page around ``body``."""
    return PAGE.format(meta=meta, body=body)


def test_utf8_bom_wins_over_header_and_meta() -> None:
    body = b"\xef\xbb\xbf" + page("Zürich “quoted”", '<meta charset="iso-8859-1">').encode("utf-8")
    text = decode_html(body, "text/html; charset=windows-1251")
    assert "Zürich “quoted”" in text
    assert not text.startswith("\ufeff")


def test_header_charset_wins_over_meta_charset() -> None:
    body = page("Ελληνικά", '<meta charset="utf-8">').encode("iso-8859-7")
    assert "Ελληνικά" in decode_html(body, "text/html; charset=ISO-8859-7")


def test_meta_charset_iso_8859_1_is_read_as_windows_1252() -> None:
    # WHATWG maps the iso-8859-1 label to windows-1252, so curly quotes and the euro sign survive.
    body = page("café, naïve, “€5”", '<meta charset="iso-8859-1">').encode("cp1252")
    assert "café, naïve, “€5”" in decode_html(body, "text/html")


def test_http_equiv_windows_1251_page() -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    body = page("Доклад о выбросах", meta).encode("cp1251")
    assert "Доклад о выбросах" in decode_html(body, None)


def test_meta_shift_jis_page() -> None:
    body = page("排出量は減少した", '<meta charset="Shift_JIS">').encode("shift_jis")
    assert "排出量は減少した" in decode_html(body, "text/html")


def test_undeclared_utf8_page_is_read_as_utf8() -> None:
    assert "naïve “quote” — 東京" in decode_html(page("naïve “quote” — 東京").encode("utf-8"), "text/html")


def test_undeclared_invalid_utf8_falls_back_to_cp1252() -> None:
    assert "café “quoted”" in decode_html(page("café “quoted”").encode("cp1252"), None)


def test_unknown_header_charset_falls_through_to_meta() -> None:
    body = page("café", '<meta charset="windows-1252">').encode("cp1252")
    assert "café" in decode_html(body, "text/html; charset=no-such-charset")


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        ("café “x”".encode("cp1252"), "text/plain", "café “x”"),
        ("café “x”".encode(), "text/plain", "café “x”"),
        ("Grüße".encode("latin-1"), "text/plain; charset=ISO-8859-1", "Grüße"),
        (b"\xff\xfe" + "Grüße".encode("utf-16-le"), "text/plain", "Grüße"),
        ("Доклад".encode("koi8-r"), "text/plain; charset=koi8-r", "Доклад"),
    ],
)
def test_decode_text_honours_bom_header_then_utf8_then_cp1252(body: bytes, content_type: str, expected: str) -> None:
    assert decode_text(body, content_type) == expected


def test_extract_document_reads_a_latin1_page_without_mojibake() -> None:
    paragraph = "Le rapport indique que les émissions ont baissé de 12 % en 2022, selon l’agence. " * 4
    body = page(paragraph, '<meta charset="iso-8859-1">').encode("cp1252")
    document = extract_document(body, "text/html", "https://example.org/rapport")
    assert "les émissions ont baissé de 12 % en 2022, selon l’agence." in document.text
    assert "Ã" not in document.text


@pytest.mark.parametrize(
    ("body", "content_type", "declared_by", "encoding"),
    [
        (b"\xef\xbb\xbfcaf\xc3\xa9", "text/html; charset=koi8-r", "bom", "utf-8"),
        (b"caf\xc3\xa9", "text/html; charset=iso-8859-1", "header", "cp1252"),
        (b'<meta charset="koi8-r">\xc4\xcf\xcb\xcc\xc1\xc4', None, "meta", "koi8-r"),
        ("café".encode(), None, "utf-8", "utf-8"),
        ("café".encode("cp1252"), None, "fallback", "cp1252"),
    ],
)
def test_decode_says_what_chose_the_encoding(
    body: bytes, content_type: str | None, declared_by: str, encoding: str
) -> None:
    decoded = decode(body, content_type)
    assert (decoded.declared_by, decoded.encoding) == (declared_by, encoding)


def test_strict_decoding_raises_on_bytes_the_encoding_cannot_read() -> None:
    assert decode(b"caf\xe9 \x81", None).text == "café \ufffd"
    with pytest.raises(UnicodeDecodeError):
        decode(b"caf\xe9 \x81", None, errors="strict")


def test_articles_sources_and_archived_copies_share_the_header_first_order() -> None:
    """A header charset wins over valid UTF-8 bytes, as in a browser, for an article as for a source."""
    body = "Zürich said so.[1]\n\nSources\n\n1. Outlet. Title.\n".encode()
    article = parse_article(body, content_type="text/plain; charset=iso-8859-1")
    assert article.claims[0].text == decode_text(body, "text/plain; charset=iso-8859-1").split("[1]")[0]
    assert article.claims[0].text.startswith("ZÃ¼rich")
