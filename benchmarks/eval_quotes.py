"""Quote lookup on real pages (aeb-dev): gold sentences must be found in their page, not in another page.

Usage: python benchmarks/eval_quotes.py [--data ../shared/eval/aeb-dev] [--per-page 10] [--seed 0]
Each page's HTML goes through the same reading code as ``citetrack check`` (``crawler.jobs.check.read_source``);
each sampled sentence (60–300 characters of the gold article text) is checked as a quote against its own page (should be
found), against the next page (should not), and as near misses against its own page (should not): one number
changed, a negation inserted, a name swapped for another name from the same page, one middle word changed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
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


_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)*\b")
_AUXILIARY = re.compile(r"\b(is|are|was|were|has|have|had|will|would|can|could|should|does|do|did|must|may)\b")
_NAME = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]{2,}\b")


def change_number(sentence: str, rng: random.Random) -> str | None:
    """Return the sentence with one of its numbers changed (another value, same format), or None if it has none."""
    numbers = list(_NUMBER.finditer(sentence))
    if not numbers:
        return None
    found = rng.choice(numbers)
    digits = [i for i, char in enumerate(found.group()) if char.isdigit()]
    at = rng.choice(digits)
    changed = found.group()[:at] + str((int(found.group()[at]) + rng.randint(1, 8)) % 10) + found.group()[at + 1 :]
    return sentence[: found.start()] + changed + sentence[found.end() :]


def insert_negation(sentence: str) -> str | None:
    """Return the sentence with "not" after its first auxiliary verb, or None if it has none."""
    auxiliary = _AUXILIARY.search(sentence)
    if auxiliary is None:
        return None
    return sentence[: auxiliary.end()] + " not" + sentence[auxiliary.end() :]


def swap_name(sentence: str, page_names: list[str], rng: random.Random) -> str | None:
    """Return the sentence with one name replaced by another name from the same page, or None if it has none."""
    names = list(_NAME.finditer(sentence))
    if not names:
        return None
    found = rng.choice(names)
    others = [name for name in page_names if name != found.group()]
    if not others:
        return None
    return sentence[: found.start()] + rng.choice(others) + sentence[found.end() :]


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
    own, other, lost = [], [], 0
    near_misses: dict[str, list] = {"number changed": [], "negation inserted": [], "name swapped": [], "word changed": []}
    for number, (page_id, gold, _) in enumerate(pages):
        page_names = sorted({match.group() for match in _NAME.finditer(gold)})
        for sentence in sample_sentences(gold, args.per_page, rng):
            check = check_quote(sentence, prepared[number])
            own.append(check)
            if not check.found:
                lost += extraction_lost(sentence, normalize_text(prepared[number].text))
                if args.show_misses:
                    print(f"MISS {page_id} score {check.score:.1f}: {sentence}")
            other.append(check_quote(sentence, prepared[(number + 1) % len(pages)]))
            variants = {
                "number changed": change_number(sentence, rng),
                "negation inserted": insert_negation(sentence),
                "name swapped": swap_name(sentence, page_names, rng),
                "word changed": change_middle_word(sentence, rng),
            }
            for kind, misquote in variants.items():
                if misquote is not None and misquote != sentence:
                    near_misses[kind].append(check_quote(misquote, prepared[number]))
                    if args.show_misses and near_misses[kind][-1].found:
                        print(f"FALSE-FOUND {kind} {page_id}: {misquote}")
    kept = len(own) - lost
    every_near_miss = [check for checks in near_misses.values() for check in checks]
    print(f"aeb-dev: {len(pages)} pages, {len(own)} gold sentences (60-300 chars), FOUND_AT = {FOUND_AT}")
    print(f"  found in own page:              {_rate(own)}")
    print(f"  misses whose sentence the extractor dropped: {lost}; found among the {kept} it kept: {_rate(own, kept)}")
    print(f"  false-found in another page:    {_rate(other)}")
    print(f"  false-found, near misses from the same page: {_rate(every_near_miss)}")
    for kind, checks in near_misses.items():
        print(f"    {kind + ':':<19} {_rate(checks)}")
    for name, checks in (("own page", own), ("other page", other), ("near misses", every_near_miss)):
        scores = sorted(c.score for c in checks)
        print(
            f"  score quantiles {name:>12s}: "
            + " ".join(f"{scores[int(q * (len(scores) - 1))]:.1f}" for q in (0.01, 0.05, 0.5, 0.95, 0.99))
        )


if __name__ == "__main__":
    main()
