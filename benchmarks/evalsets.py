"""The public verification sets in ../shared/eval as (claim, source text, label) items, read the same way everywhere.

WiCE dev (Wikipedia claims against the cited web page), Check-COVID train/dev (news claims and annotators' edits of
them against the abstract of the paper the article cites) and ExpertQA validation (expert-judged claims of cited
answers against the cited passages). Labels are mapped to the engine's verdict names; ``refuted`` (Check-COVID) is
the one a ``contradicted`` verdict should catch.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval"
WICE_LABELS = {"supported": "supported", "partially_supported": "partial", "not_supported": "not_found"}
COVID_LABELS = {"SUPPORT": "supported", "REFUTE": "refuted"}
EXPERTQA_LABELS = {"Complete": "supported", "Partial": "partial", "Incomplete": "partial"}
_CITATION_MARK = re.compile(r"\s*\[\d+\]")
_EVIDENCE_HEADER = re.compile(r"\A\[\d+\][^\n]*\n+")


@dataclass(frozen=True)
class Item:
    """One claim against one source text; ``gold`` holds the source spans annotated as evidence, if any."""

    dataset: str
    group: str  # items of one group (same page, abstract or question) always fall in the same fold
    claim: str
    source: str
    label: str
    gold: tuple[tuple[int, int], ...]


def _joined(parts: list[str], separator: str) -> tuple[str, list[tuple[int, int]]]:
    """Return the parts joined and each part's span in the result."""
    spans, offset = [], 0
    for part in parts:
        spans.append((offset, offset + len(part)))
        offset += len(part) + len(separator)
    return separator.join(parts), spans


def wice(data: Path = DEFAULT_DATA) -> list[Item]:
    """WiCE dev: the claim against the cited page (its sentences one per line), gold supporting sentences."""
    items = []
    for line in (data / "wice-dev.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text, spans = _joined(row["evidence"], "\n")
        gold = sorted({spans[index] for group in row["supporting_sentences"] for index in group})
        page = row["meta"].get("title") or row["meta"]["id"]
        items.append(Item("wice", page, row["claim"], text, WICE_LABELS[row["label"]], tuple(gold)))
    return items


def check_covid(split: str, data: Path = DEFAULT_DATA) -> list[Item]:
    """Check-COVID ``train`` or ``dev``: supported and refuted claims against the title and abstract they cite."""
    folder = data / "check-covid"
    papers = {}
    for line in (folder / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        paper = json.loads(line)
        papers[paper["cord_id"]] = paper
    items = []
    for line in (folder / f"{split}.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["label"] == "NOTENOUGHINFO":
            continue  # labelled against one sentence; the whole abstract often settles the claim
        paper = papers[row["cord_id"]]
        text, spans = _joined([paper["title"], *paper["abstract"]], "\n")
        gold = tuple(sorted({spans[1 + evidence["sent_index"]] for evidence in row["evidence_set"]}))
        label = COVID_LABELS[row["label"]]
        items.append(Item(f"check-covid-{split}", row["cord_id"], row["claim"].strip(), text, label, gold))
    return items


def expertqa(data: Path = DEFAULT_DATA) -> list[Item]:
    """ExpertQA validation: claims with evidence judged Complete / Partial / Incomplete, against their passages."""
    items = []
    for number, line in enumerate((data / "expertqa" / "rand_val.jsonl").read_text(encoding="utf-8").splitlines()):
        row = json.loads(line)
        for answer in row["answers"].values():
            for claim in answer["claims"]:
                label = EXPERTQA_LABELS.get(claim.get("support") or "")
                passages = [_EVIDENCE_HEADER.sub("", passage).strip() for passage in claim.get("evidence") or []]
                passages = [passage for passage in passages if passage]
                claim_text = _CITATION_MARK.sub("", claim["claim_string"]).strip()
                if label is None or not passages or not claim_text:
                    continue
                text, _ = _joined(passages, "\n\n")
                items.append(Item("expertqa", f"question-{number}", claim_text, text, label, ()))
    return items


def calibration_sets(data: Path = DEFAULT_DATA) -> list[Item]:
    """The splits weights and thresholds are fitted on: WiCE dev, Check-COVID train, ExpertQA validation."""
    return [*wice(data), *check_covid("train", data), *expertqa(data)]


def encoder(semantic: bool) -> object | None:
    """Return the semantic extra's encoder (on one thread: other work shares the machine) when asked for."""
    if not semantic:
        return None
    import torch

    from crawler.verify.semantic import Encoder

    torch.set_num_threads(1)
    return Encoder()
