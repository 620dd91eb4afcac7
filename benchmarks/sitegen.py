"""Generate a large, realistic static site (news-style HTML of 20–100 KB, some report PDFs) for benchmarks."""

from __future__ import annotations

import html
import json
import random
from pathlib import Path

from crawler.demo.pdf import write_pdf

SUBJECTS = (
    "open-weight models", "the AI Act", "the agency", "independent auditors", "university laboratories",
    "national regulators", "model developers", "civil society groups", "security researchers", "the committee",
    "small companies", "public research funders", "the standards body", "foundation models", "the report",
)  # fmt: skip
VERBS = (
    "recommends", "examines", "questions", "supports", "documents", "estimates", "warns against",
    "welcomes", "analyses", "proposes", "evaluates", "describes", "challenges", "measures",
)  # fmt: skip
OBJECTS = (
    "a marginal risk analysis", "exemptions for non-commercial research", "the cost of API access",
    "transparency obligations", "the release of model weights", "compute thresholds", "incident reporting",
    "red-teaming requirements", "licensing regimes", "evaluation benchmarks", "energy use in training",
    "access for researchers in the Global South", "documentation duties", "systemic risk classifications",
)  # fmt: skip
TAILS = (
    "in its latest guidance", "before the next review", "across all risk tiers", "for the coming decade",
    "with some caveats", "according to public comments", "in a consultation response", "at this time",
    "despite industry objections", "after months of debate", "for the first time", "in member states",
)  # fmt: skip
PARAGRAPH_POOL = 600
PDF_MARKER = "pdf"


def generate_site(root: Path, pages: int, *, pdf_share: float = 0.05, seed: int = 2026) -> list[str]:
    """Write ``pages`` documents under ``root/bench/`` and return their URL paths (deterministic for a seed)."""
    rng = random.Random(seed)
    pool = [_paragraph(rng) for _ in range(PARAGRAPH_POOL)]
    folder = root / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    pdf_every = round(1 / pdf_share) if pdf_share > 0 else 0
    paths = []
    for number in range(1, pages + 1):
        is_pdf = bool(pdf_every) and number % pdf_every == 0
        name = f"p{number:05d}.{'pdf' if is_pdf else 'html'}"
        target_size = rng.randint(20_000, 100_000)
        body = _pdf(number, target_size, pool, rng) if is_pdf else _html(number, target_size, pool, rng)
        (folder / name).write_bytes(body)
        paths.append(f"/bench/{name}")
    return paths


def _sentence(rng: random.Random) -> str:
    """Return one generated policy sentence."""
    text = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}"
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random) -> str:
    """Return a paragraph of three to seven generated sentences."""
    return " ".join(_sentence(rng) for _ in range(rng.randint(3, 7)))


def _body_paragraphs(number: int, target_chars: int, pool: list[str], rng: random.Random) -> list[str]:
    """Return paragraphs totalling about ``target_chars``; the first names the page so every page differs."""
    paragraphs = [f"Document {number} of the benchmark corpus. {_sentence(rng)} {_sentence(rng)}"]
    size = len(paragraphs[0])
    while size < target_chars:
        paragraphs.append(rng.choice(pool))
        size += len(paragraphs[-1])
    return paragraphs


def _html(number: int, target_size: int, pool: list[str], rng: random.Random) -> bytes:
    """Return a news-style page: head with CSS and JSON-LD, long nav, article, related links, footer, scripts."""
    title = f"{_sentence(rng)[:-1]} (no. {number})"
    nav = "".join(f'<li><a href="/section/{index}">Section {index}</a></li>' for index in range(40))
    related = "".join(
        f'<li><a href="/bench/p{rng.randint(1, 99999):05d}.html">{html.escape(_sentence(rng))}</a></li>'
        for _ in range(12)
    )
    metadata = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "datePublished": "2026-05-01",
    }
    chrome = (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{'.c{margin:0 auto;max-width:72rem;padding:1rem}' * 40}</style>"
        f'<script type="application/ld+json">{json.dumps(metadata)}</script></head>\n'
        f'<body><header><nav><ul class="menu">{nav}</ul></nav></header>\n<main><article>'
        f'<h1>{html.escape(title)}</h1><p class="byline">By Benchmark Desk · 1 May 2026</p>\n'
    )
    tail = (
        f'</article><aside class="related"><h2>Related</h2><ul>{related}</ul></aside></main>\n'
        f"<footer><ul>{nav}</ul><p>© 2026 Benchmark Review</p></footer>"
        f"<script>{'window.dataLayer=window.dataLayer||[];' * 60}</script></body></html>\n"
    )
    paragraphs = _body_paragraphs(number, max(1000, target_size - len(chrome) - len(tail)), pool, rng)
    article = "\n".join(f"<p>{html.escape(text)}</p>" for text in paragraphs)
    return (chrome + article + tail).encode("utf-8")


def _pdf(number: int, target_size: int, pool: list[str], rng: random.Random) -> bytes:
    """Return a report PDF whose text is about half of ``target_size`` (PDF overhead makes up the rest)."""
    paragraphs = _body_paragraphs(number, target_size // 2, pool, rng)
    return write_pdf("\n\n".join(paragraphs), f"Benchmark report {number}", author="Benchmark Desk")
