"""Verification speed: 1,000 claims against sources of 5K–600K characters, versus one partial_ratio per claim.

Usage: python benchmarks/bench_verify.py [--data ../shared/eval] [--claims 1000] [--seed 0] [--repeat 5] [--mix 30]
       [--semantic]
Sources are built from the aeb-dev gold article texts, then WiCE evidence pages (the 600K one laid out like a long
PDF report: wrapped lines, hyphenation, page headers); claims are half sentences of the source with a few words
dropped, half real WiCE claims about other things. Our cost per claim counts each source's preparation once; the
baseline is ``rapidfuzz.fuzz.partial_ratio_alignment(claim, source_text)``, measured in the same run (best of
--repeat runs). The realistic mix then checks 3 claims against each of --mix distinct ~20K-character sources,
preparing each source as ``check --batch`` does, against the same baseline.
"""

from __future__ import annotations

import argparse
import json
import random
import textwrap
import time
from pathlib import Path

from rapidfuzz import fuzz

from crawler.verify import Encoder, prepare_source, verify_claim
from crawler.verify.segment import split_sentences

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval"
LENGTHS = (5_000, 20_000, 50_000, 150_000, 600_000)


def build_sources(articles: list[str]) -> dict[int, str]:
    """Return one source text per length; the longest is laid out like text extracted from a PDF."""
    prose = "\n\n".join(articles)
    sources = {length: _cut(prose, length) for length in LENGTHS[:-1]}
    sources[LENGTHS[-1]] = _pdf_like(prose, LENGTHS[-1])
    return sources


def _cut(text: str, length: int) -> str:
    end = text.find("\n", length)
    return text[: end if end > 0 else length]


def _pdf_like(prose: str, length: int) -> str:
    """Wrap at 90 columns, hyphenate some long words across lines, and add a running header every 50 lines."""
    lines: list[str] = []
    for paragraph in prose.split("\n"):
        for line in textwrap.wrap(paragraph, 90) or [""]:
            if len(line) > 80 and " " in line[60:]:
                head, word = line.rsplit(" ", 1)
                if len(word) > 8 and word.isalpha():
                    line = f"{head} {word[:4]}-\n{word[4:]}"
            lines.append(line)
            if len(lines) % 50 == 0:
                lines.append(f"Annual Report 2024 — page {len(lines) // 50}")
        if sum(map(len, lines)) > length:
            break
    return "\n".join(lines)[:length]


def build_claims(source: str, unrelated: list[str], count: int, rng: random.Random) -> list[str]:
    """Return ``count`` claims: half source sentences with ~15% of words dropped, half unrelated claims."""
    sentences = [source[s.start : s.end] for s in split_sentences(source) if 60 <= s.end - s.start <= 300]
    claims = []
    for number in range(count):
        if number % 2 and sentences:
            words = rng.choice(sentences).split()
            claims.append(" ".join(word for word in words if rng.random() > 0.15))
        else:
            claims.append(rng.choice(unrelated))
    return claims


def timed(source: str, claims: list[str], encoder: Encoder | None = None) -> tuple[float, float, float]:
    """Return (preparation s, our verification s, baseline s) for the claims against one source."""
    started = time.perf_counter()
    prepared = prepare_source(source)
    prepared_at = time.perf_counter()
    for claim in claims:
        verify_claim(claim, prepared, encoder=encoder, contradicted=True)
    verified_at = time.perf_counter()
    for claim in claims:
        fuzz.partial_ratio_alignment(claim, source)
    return prepared_at - started, verified_at - prepared_at, time.perf_counter() - verified_at


def measure(source: str, claims: list[str], repeat: int) -> tuple[float, float, float]:
    """Return the best of ``repeat`` runs: (preparation s, our verification s, baseline s) for the claims."""
    runs = [timed(source, claims) for _ in range(repeat)]
    prep, ours, _ = min(runs, key=lambda run: run[0] + run[1])
    return prep, ours, min(run[2] for run in runs)


def realistic_mix(
    prose: str, unrelated: list[str], sources: int, rng: random.Random, encoder: Encoder | None = None
) -> tuple[float, float, float]:
    """Return (preparation s, ours s, baseline s) for 3 claims against each of ``sources`` ~20K-character texts."""
    texts, position = [], 0
    while len(texts) < sources:
        end = prose.find("\n", position + 20_000)
        if end < 0:
            position, end = 0, prose.find("\n", 20_000)
        texts.append(prose[position:end])
        position = end + 1
    runs = [timed(text, build_claims(text, unrelated, 3, rng), encoder) for text in texts]
    return sum(r[0] for r in runs), sum(r[0] + r[1] for r in runs), sum(r[2] for r in runs)


def warm_up(text: str) -> None:
    """Run the engine once on text outside the measured sources, so imports and caches are not timed."""
    prepared = prepare_source(text)
    for span in split_sentences(text)[:50]:
        verify_claim(text[span.start : span.end], prepared)


def main() -> None:
    """Print per-claim cost by source length for citetrack and the baseline, and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared eval directory")
    parser.add_argument("--claims", type=int, default=1000, help="claims in total, split evenly over the lengths")
    parser.add_argument("--seed", type=int, default=0, help="sampling seed")
    parser.add_argument("--repeat", type=int, default=5, help="runs per source; the fastest counts")
    parser.add_argument("--mix", type=int, default=30, help="distinct ~20K-character sources in the realistic mix")
    parser.add_argument("--semantic", action="store_true", help="also time the realistic mix with the semantic extra")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    truth = json.loads((args.data / "aeb-dev" / "ground-truth.json").read_text(encoding="utf-8"))
    wice = [json.loads(line) for line in (args.data / "wice-dev.jsonl").read_text("utf-8").splitlines()]
    articles = [truth[key]["articleBody"] for key in sorted(truth)] + ["\n".join(row["evidence"]) for row in wice]
    unrelated = [row["claim"] for row in wice]
    per_source = args.claims // len(LENGTHS)
    warm_up(articles[-1])
    print(f"{per_source} claims per source; cost per claim in ms (ours includes the source's preparation once)")
    print(f"{'chars':>8} {'prep ms':>9} {'ours':>8} {'baseline':>9} {'ours/baseline':>14}")
    total_ours = total_baseline = 0.0
    for source in build_sources(articles).values():
        prep, ours, baseline = measure(source, build_claims(source, unrelated, per_source, rng), args.repeat)
        total_ours += prep + ours
        total_baseline += baseline
        cost, base = (prep + ours) / per_source * 1000, baseline / per_source * 1000
        print(f"{len(source):>8} {prep * 1000:>9.1f} {cost:>8.3f} {base:>9.3f} {cost / base:>14.2f}")
    claims = per_source * len(LENGTHS)
    print(f"claims/s: ours {claims / total_ours:.0f}, baseline {claims / total_baseline:.0f}")
    prose = "\n\n".join(articles)
    runs = [realistic_mix(prose, unrelated, args.mix, random.Random(args.seed)) for _ in range(args.repeat)]
    prep, ours, _ = min(runs, key=lambda run: run[1])
    baseline = min(run[2] for run in runs)
    print(
        f"realistic mix ({args.mix} sources of ~20K chars, 3 claims each, preparation included): "
        f"preparation {prep / args.mix * 1000:.1f} ms per source, ours {ours / args.mix * 1000:.1f} ms per source, "
        f"baseline {baseline / args.mix * 1000:.1f} ms, ours/baseline {ours / baseline:.2f}"
    )
    if args.semantic:
        import torch

        torch.set_num_threads(1)  # other work shares this machine's two cores
        started = time.perf_counter()
        encoder = Encoder()
        loaded = time.perf_counter() - started
        _, ours, baseline = realistic_mix(prose, unrelated, args.mix, random.Random(args.seed), encoder)
        print(
            f"realistic mix with the semantic extra (model loaded in {loaded:.1f} s, one thread): "
            f"{ours / args.mix * 1000:.0f} ms per source, ours/baseline {ours / baseline:.0f}"
        )


if __name__ == "__main__":
    main()
