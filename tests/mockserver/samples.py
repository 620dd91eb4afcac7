"""Generated bodies of the test server: charset samples, a soft-404 page, a bot wall, filler, a PNG, a gzip bomb."""

from __future__ import annotations

import gzip
import html
import struct
import zlib
from functools import lru_cache

from crawler.demo.samples import DRIFT_SUPPORTED, page

# One sentence per script, so a test can look for it verbatim in the decoded text.
CHARSET_SAMPLES = {
    "latin": "La réglementation européenne prévoit une exemption « open source » pour la recherche : "
    "les modèles à poids ouverts restent accessibles aux équipes de Göttingen, Zürich et Århus.",
    "cyrillic": "Открытые веса моделей искусственного интеллекта позволяют исследователям проверять "
    "системы без разрешения корпораций: это важно для университетов в Новосибирске и Казани.",
    "japanese": "オープンウェイトのAIモデルは、大学や研究機関が高額な利用料を払わずに"
    "最先端の技術を検証し、改良することを可能にします。",
    "chinese": "开放权重的人工智能模型使全球南方的研究人员能够在本地开发农业和医疗工具。",
    "universal": "Open weights — «offene Gewichte», «открытые веса», 「オープンウェイト」 — for everyone ✓.",
}
# Codec (Python name, as served in declarations) → sample that the codec can encode.
CHARSETS = {
    "utf-8": "universal",
    "utf-16": "universal",
    "iso-8859-1": "latin",
    "iso-8859-15": "latin",
    "windows-1252": "latin",
    "windows-1251": "cyrillic",
    "koi8-r": "cyrillic",
    "shift_jis": "japanese",
    "euc-jp": "japanese",
    "gbk": "chinese",
}


def charset_page(codec: str, meta: str | None) -> str:
    """Return the sample page for ``codec`` as text, with a ``<meta charset>`` of ``meta`` when given."""
    sample = CHARSET_SAMPLES[CHARSETS[codec]]
    head = f'<meta charset="{meta}">' if meta else ""
    return (
        f"<!DOCTYPE html>\n<html><head>{head}<title>Charset sample ({codec})</title></head>\n"
        f"<body><main><article><h1>Open weights ({codec})</h1>\n<p>{sample}</p>\n"
        f"<p>{sample}</p>\n</article></main></body></html>\n"
    )


def soft_404_page() -> str:
    """Return the site-wide "page not found" page that a catch-all site serves with status 200."""
    return page(
        "Page not found | Open Policy Review",
        [
            "Sorry, we couldn't find the page you were looking for. It may have been moved or deleted.",
            "Try searching our archive, or start again from the home page.",
        ],
        chrome='<nav><a href="/">Home</a> <a href="/research/">Research</a> <a href="/search">Search</a></nav>',
    )


def bot_wall_page() -> str:
    """Return the interstitial of a bot-protection service."""
    return page(
        "Access denied",
        [
            (
                "Please verify you are human. This website is using a bot protection service to protect itself "
                "from automated traffic."
            ),
            "Your request was blocked. Reference ID: 7f3a-demo.",
        ],
    )


@lru_cache(maxsize=1)
def filler_block() -> bytes:
    """Return about 1 KB of HTML paragraphs used to pad huge pages."""
    return f"<p>{html.escape(DRIFT_SUPPORTED)}</p>\n".encode() * 7


@lru_cache(maxsize=4)
def gzip_bomb(megabytes: int) -> bytes:
    """Return a small gzip body that inflates to ``megabytes`` MiB of HTML."""
    head = b"<!DOCTYPE html><html><head><title>Bomb</title></head><body><p>"
    return gzip.compress(head + b" " * (megabytes * 1024 * 1024), compresslevel=9, mtime=0)


@lru_cache(maxsize=1)
def png_image() -> bytes:
    """Return a valid 16×16 RGB PNG (a blue square)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x20\x60\xc0" * 16 for _ in range(16))
    header = struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
