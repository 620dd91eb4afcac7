"""Quote lookup on real pages (aeb-dev): gold sentences must be found in their page, not in another page.

Usage: python benchmarks/eval_quotes.py [--data ../shared/eval/aeb-dev] [--per-page 10] [--seed 0]
Each page's HTML goes through the same reading code as ``citetrack check`` (``crawler.jobs.check.read_source``);
each sampled sentence (60–300 characters of the gold article text) is checked as a quote against its own page (should be
found), against the next page (should not), and with one word changed in the middle (should not).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import tempfile
from pathlib import Path

from rapidfuzz import fuzz

from crawler.extract.normalize import normalize_text
from crawler.jobs.check import read_source
from crawler.netguard import AddressPolicy
from crawler.verify import prepare_source
from crawler.verify.quotes import FOUND_AT, check_quote
from crawler.verify.segment import split_sentences

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "aeb-dev"


def sample_sentences(gold: str, count: int, rng: random.Random) -> list[str]:
    """Return up to ``count`` sentences of 60–300 characters from the gold text."""
    sentences = [gold[s.start : s.end] for s in split_sentences(gold)]
    usable = [sentence for sentence in sentences if 60 <= len(sentence) <= 300]
    return rng.sample(usable, min(count, len(usable)))


def change_middle_word(sentence: str, rng: random.Random) -> str | None:
    """Return the sentence with one word near its middle replaced by another word, or None if none fits."""
    words = sentence.split()
    middle = [i for i in range(len(words) // 4, 3 * len(words) // 4 + 1) if i < len(words) and words[i].isalpha()]
    if not middle:
        return None
    index = rng.choice(middle)
    replacement = rng.choice(["council", "market", "yesterday", "several", "strongly", "private", "engine"])
    if replacement == words[index].lower():
        replacement = "window"
    return " ".join(words[:index] + [replacement] + words[index + 1 :])


def _rate(checks: list, total: int | None = None) -> str:
    found = sum(check.found for check in checks)
    total = total or len(checks)
    return f"{found / total:.3%} ({found}/{total})"


def extraction_lost(sentence: str, extracted_normalized: str) -> bool:
    """True when no region of the extracted text is even 90% similar to the sentence (the extractor dropped it)."""
    return fuzz.partial_ratio(normalize_text(sentence), extracted_normalized) < FOUND_AT


def load_pages(data: Path, workdir: Path) -> list[tuple[str, str, str]]:
    """Return ``(id, gold text, extracted text)`` for every page, read as ``check`` reads an .html file."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth):
        html = workdir / f"{page_id}.html"
        html.write_bytes(gzip.decompress((data / "html" / f"{page_id}.html.gz").read_bytes()))
        pages.append((page_id, truth[page_id]["articleBody"], read_source(str(html), AddressPolicy())))
    return pages


def main() -> None:
    """Print found / false-found rates and the score distribution used to calibrate ``FOUND_AT``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the aeb-dev directory")
    parser.add_argument("--per-page", type=int, default=10, help="sentences sampled per page")
    parser.add_argument("--seed", type=int, default=0, help="sampling seed")
    parser.add_argument("--show-misses", action="store_true", help="print the sentences that were not found")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as workdir:
        pages = load_pages(args.data, Path(workdir))
    prepared = [prepare_source(text) for _, _, text in pages]
    own, other, changed, lost = [], [], [], 0
    for number, (page_id, gold, _) in enumerate(pages):
        for sentence in sample_sentences(gold, args.per_page, rng):
            check = check_quote(sentence, prepared[number])
            own.append(check)
            if not check.found:
                lost += extraction_lost(sentence, prepared[number].normalized.text)
                if args.show_misses:
                    print(f"MISS {page_id} score {check.score:.1f}: {sentence}")
            other.append(check_quote(sentence, prepared[(number + 1) % len(pages)]))
            misquote = change_middle_word(sentence, rng)
            if misquote is not None:
                changed.append(check_quote(misquote, prepared[number]))
    kept = len(own) - lost
    print(f"aeb-dev: {len(pages)} pages, {len(own)} gold sentences (60-300 chars), FOUND_AT = {FOUND_AT}")
    print(f"  found in own page:              {_rate(own)}")
    print(f"  misses whose sentence the extractor dropped: {lost}; found among the {kept} it kept: {_rate(own, kept)}")
    print(f"  false-found in another page:    {_rate(other)}")
    print(f"  one middle word changed, found: {_rate(changed)}")
    for name, checks in (("own page", own), ("other page", other), ("word changed", changed)):
        scores = sorted(c.score for c in checks)
        print(
            f"  score quantiles {name:>12s}: "
            + " ".join(f"{scores[int(q * (len(scores) - 1))]:.1f}" for q in (0.01, 0.05, 0.5, 0.95, 0.99))
        )


if __name__ == "__main__":
    main()
