"""Extraction benchmark: trafilatura settings on aeb-dev (shingle P/R/F1) and pypdfium2 vs pypdf on generated PDFs.

Run: python benchmarks/eval_extract.py [--aeb PATH] [--skip-html]
Every HTML setting runs citetrack's pruning and split-body recall pass except ``recall-raw`` (trafilatura's
favor_recall alone), the same-run baseline for those rules; they were written for aeb-dev pages, so their gain
here is measured on the pages they were tuned on.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import random
import re
import time
import unicodedata
from collections import Counter
from pathlib import Path

import pypdf
import pypdfium2 as pdfium

from crawler.charset import decode_html
from crawler.demo.pdf import write_pdf
from crawler.extract import Document
from crawler.extract.html import html_document
from crawler.extract.pdf import extract_pdf

AEB_DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "aeb-dev"
# (focus, prune): the three trafilatura modes with our PRUNE_XPATH, and recall without it ("-raw").
SETTINGS = (("balanced", True), ("precision", True), ("recall", True), ("recall", False))
_TOKEN = re.compile(r"\w+")
VOCABULARY = (  # words with fi/fl, which the generator draws as ligature glyphs
    "the report finds that emissions fell sharply across member states while renewable capacity grew "
    "official figures show affordable housing shortfall deficit offshore wind turbines final flow "
    "infrastructure financing efficiency benefit profile field workflow conflict inflation significant"
).split()


def shingles(text: str, size: int = 4) -> Counter:
    """Return the multiset of ``size``-word shingles of ``text`` (AEB's tokenisation: ``\\w+``)."""
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + size]) for i in range(max(1, len(tokens) - size + 1)))


def shingle_counts(gold: str, predicted: str) -> tuple[float, float, float]:
    """Return one page's true/false positive and false negative shingles, normalised to sum to 1 (AEB)."""
    gold_counts, predicted_counts = shingles(gold), shingles(predicted)
    tp = sum((gold_counts & predicted_counts).values())
    fp = sum((predicted_counts - gold_counts).values())
    fn = sum((gold_counts - predicted_counts).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision_recall_f1(counts: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Return precision, recall and F1 over pages, each page weighing the same."""
    tp, fp, fn = (sum(column) for column in zip(*counts, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def gold_sentences(gold: str) -> list[str]:
    """Return the gold text's sentences of 60-300 characters, the size of a claim's supporting sentence."""
    sentences = re.split(r"(?<=[.!?])\s+", gold)
    return [_normalise(sentence) for sentence in sentences if 60 <= len(sentence) <= 300]


def _normalise(text: str) -> str:
    """Collapse whitespace and case so that layout differences do not count as misses."""
    return " ".join(text.split()).casefold()


def run_settings(pages: dict[str, str], gold: dict) -> tuple[dict, dict]:
    """Extract every page with every setting, interleaved page by page so that machine load hits them alike."""
    documents: dict[tuple[str, bool], dict[str, Document]] = {setting: {} for setting in SETTINGS}
    seconds = dict.fromkeys(SETTINGS, 0.0)
    for key, html in pages.items():
        for focus, prune in SETTINGS:
            started = time.perf_counter()
            documents[focus, prune][key] = html_document(html, gold[key]["url"], focus, prune)
            seconds[focus, prune] += time.perf_counter() - started
    return documents, seconds


def evaluate_html(aeb: Path) -> None:
    """Print shingle P/R/F1 and speed of each trafilatura focus on the aeb-dev pages."""
    gold = json.loads((aeb / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {key: decode_html(gzip.decompress((aeb / "html" / f"{key}.html.gz").read_bytes()), None) for key in gold}
    print(f"HTML: trafilatura on {len(pages)} aeb-dev pages, 4-word shingles (AEB scoring)")
    print(f"{'focus':<13} {'precision':>9} {'recall':>7} {'F1':>6} {'sentences found':>15} {'empty':>5} {'pages/s':>8}")
    scores, rates = {}, {}
    for key in list(pages)[:5]:  # warm trafilatura's lazy caches so the first setting is not timed cold
        html_document(pages[key])
    documents, seconds = run_settings(pages, gold)
    for (focus, prune), found_documents in documents.items():
        name = focus if prune else f"{focus}-raw"
        counts = [shingle_counts(gold[key]["articleBody"], doc.text) for key, doc in found_documents.items()]
        scores[name] = precision, recall, f1 = precision_recall_f1(counts)
        empty = sum(doc.outcome != "ok" for doc in found_documents.values())
        found = [
            sentence in _normalise(doc.text) for key, doc in found_documents.items()
            for sentence in gold_sentences(gold[key]["articleBody"])
        ]  # fmt: skip
        found_share = sum(found) / len(found)
        rates[name] = rate = len(pages) / seconds[focus, prune]
        print(f"{name:<13} {precision:9.3f} {recall:7.3f} {f1:6.3f} {found_share:15.3f} {empty:5d} {rate:8.1f}")
    for name, (_, _, f1) in scores.items():
        f1_ratio, speed_ratio = f1 / scores["balanced"][2], rates[name] / rates["balanced"]
        print(f"{name}/balanced: F1 ratio {f1_ratio:.3f}, speed ratio {speed_ratio:.2f}")


def make_pdf_corpus(seed: int = 7) -> list[tuple[str, bytes, str]]:
    """Return (name, PDF bytes, expected text) triples, including a 120-page report with ligatures and hyphens."""
    rng = random.Random(seed)

    def page(lines: int) -> tuple[str, str]:
        shown, expected = [], []
        for _ in range(lines):
            words = [rng.choice(VOCABULARY) for _ in range(rng.randint(8, 13))]
            expected.append(" ".join(words))
            words = [w.replace("fi", "\ufb01").replace("fl", "\ufb02") for w in words]
            if len(words[-1]) > 6:  # hyphenate the line's last long word across the break, as typesetters do
                head, tail = words[-1][:4], words[-1][4:]
                words[-1] = head + "-"
                shown.append(" ".join(words))
                shown.append(tail)
                continue
            shown.append(" ".join(words))
        return "\n".join(shown), " ".join(expected)

    corpus = []
    for name, page_count in (("report-120p", 120), ("brief-12p", 12), ("note-2p", 2)):
        pages = [page(24) for _ in range(page_count)]
        pdf = write_pdf([shown for shown, _ in pages], title=name)
        corpus.append((name, pdf, " ".join(expected for _, expected in pages)))
    return corpus


def pdfium_text(pdf: bytes) -> str:
    """Return a PDF's text the way citetrack reads it (pypdfium2 plus our normalisation)."""
    return extract_pdf(pdf).text


def pypdf_text(pdf: bytes) -> str:
    """Return a PDF's text with pypdf, given the same dehyphenation and ligature expansion as ours."""
    text = "\n\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    return unicodedata.normalize("NFKC", re.sub(r"(\w)-\n(\w)", r"\1\2", text))


def native_quirks(pdf: bytes) -> dict[str, tuple[bool, bool]]:
    """Say, per library and before our normalisation, whether ligatures and line-end hyphens survive raw."""
    document = pdfium.PdfDocument(pdf)
    pdfium_raw = "".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    pypdf_raw = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    quirks = {}
    for name, raw in (("pypdfium2", pdfium_raw), ("pypdf", pypdf_raw)):
        quirks[name] = (bool(re.search("[\ufb00-\ufb06]", raw)), bool(re.search(r"\w-\r?\n\w", raw)))
    return quirks


def best_times(readers: dict, pdf: bytes, rounds: int = 5) -> dict[str, float]:
    """Return each reader's fastest time over ``rounds``, alternating readers so that load hits them alike."""
    best = dict.fromkeys(readers, float("inf"))
    for _ in range(rounds):
        for library, read in readers.items():
            started = time.perf_counter()
            read(pdf)
            best[library] = min(best[library], time.perf_counter() - started)
    return best


def evaluate_pdf() -> None:
    """Print pages/s and text correctness of pypdfium2 and pypdf on generated PDFs, with the speed ratio."""
    print("\nPDF: pypdfium2 vs pypdf on PDFs from crawler.demo.pdf (ligature glyphs, hyphenated line ends)")
    print(f"{'pdf':<12} {'pages':>5} {'library':<10} {'pages/s':>8} {'shingle F1':>10} {'tokens exact':>12}")
    totals = {"pypdfium2": [0, 0.0], "pypdf": [0, 0.0]}
    readers = {"pypdfium2": pdfium_text, "pypdf": pypdf_text}
    for name, pdf, expected in make_pdf_corpus():
        pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
        timings = best_times(readers, pdf)
        for library, read in readers.items():
            seconds = timings[library]
            text = read(pdf)
            f1 = precision_recall_f1([shingle_counts(expected, text)])[2]
            exact = _TOKEN.findall(text) == _TOKEN.findall(expected)
            totals[library][0] += pages
            totals[library][1] += seconds
            print(f"{name:<12} {pages:5d} {library:<10} {pages / seconds:8.0f} {f1:10.4f} {exact!s:>12}")
    rates = {library: pages / seconds for library, (pages, seconds) in totals.items()}
    print(f"overall pages/s: pypdfium2 {rates['pypdfium2']:.0f}, pypdf {rates['pypdf']:.0f}; "
          f"ratio pypdfium2/pypdf {rates['pypdfium2'] / rates['pypdf']:.1f}x")  # fmt: skip
    for library, (ligatures, hyphens) in native_quirks(make_pdf_corpus()[2][1]).items():
        print(f"{library} raw output: ligature glyphs kept={ligatures}, line-end hyphens kept={hyphens}")


def main(argv: list[str] | None = None) -> int:
    """Run both comparisons and print their tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aeb", type=Path, default=AEB_DEV, help="aeb-dev folder (html/ and ground-truth.json)")
    parser.add_argument("--skip-html", action="store_true", help="only run the PDF comparison")
    args = parser.parse_args(argv)
    if not args.skip_html:
        evaluate_html(args.aeb)
    evaluate_pdf()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
