"""Rows of a generated store, from a plan: each source with its history, each article with its claims.

Two passes, each a stream of ``(table, row)`` with rows in ``COLUMNS`` order: ``source_family`` (sources,
checks, snapshots, bodies, flags) and ``article_family`` (articles, references, claims, citations,
verifications). Ids are given explicitly and follow the plan, so the passes agree without sharing rows.
Simplification: a problem check (even a soft 404 answered with 200) is a failed check without a snapshot.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import random
import time
from collections.abc import Iterator
from typing import Any

from crawler.enums import Verdict
from crawler.report.attribution import RANKED

from .plan import BROKEN, CHANGED, DAY, HEALTHY, PROBLEM, RECOVERED, Plan
from .words import HOST_WORDS, PROBLEM_RULES, SECTIONS, TOP_LEVEL_DOMAINS, WORDS

Row = tuple[Any, ...]
COLUMNS = {
    "sources": (
        "id", "url", "created_at", "status", "status_at", "last_checked_at", "replacement_url", "editor_note",
        "next_check_at",
    ),
    "checks": (
        "id", "source_id", "checked_at", "outcome", "status", "http_status", "final_url", "evidence", "snapshot_id",
    ),
    "snapshots": (
        "id", "source_id", "fetched_at", "http_status", "final_url", "redirect_chain", "fetches", "etag",
        "last_modified", "content_type", "content_hash", "body_id", "text", "title", "author", "published_at",
        "extractor", "extracted_at",
    ),
    "bodies": ("id", "sha256", "size", "data"),
    "flags": (
        "id", "source_id", "status", "first_seen", "last_seen", "checks", "confirmed", "confirmed_at",
        "resolved_at", "resolution", "evidence", "archive_url",
    ),
    "articles": (
        "id", "origin", "version", "content_hash", "url", "title", "byline", "publisher", "published_at",
        "ingested_at", "text",
    ),
    "references": ("id", "article_id", "number", "outlet", "title", "url", "raw_text", "source_id"),
    "claims": ("id", "article_id", "index", "text", "start", "end", "quotes", "verdict"),
    "citations": ("id", "claim_id", "number", "reference_id"),
    "verifications": (
        "id", "claim_id", "reference_id", "snapshot_id", "verified_at", "verdict", "score", "evidence", "quotes",
    ),
}  # fmt: skip
SOURCE_TABLES = ("sources", "checks", "snapshots", "bodies", "flags")
ARTICLE_TABLES = ("articles", "references", "claims", "citations", "verifications")
PROBLEMS = tuple(PROBLEM_RULES.items())
# Share of each stored verdict, and the score range each is drawn from.
VERDICTS = (("supported", 0.45, 50.0, 100.0), ("partial", 0.30, 20.0, 50.0), ("not_found", 0.25, 0.0, 20.0))
PUBLISHERS = 40
HTML = (
    "<!doctype html><html><head><title>{title}</title></head>"
    "<body><article><h1>{title}</h1><p>{text}</p></article></body></html>"
)


class Stamps:
    """Epoch seconds as the text each database stores a UTC datetime as (SQLAlchemy's format on SQLite)."""

    def __init__(self, dialect: str) -> None:
        self.suffix = "+00" if dialect == "postgresql" else ".000000"
        self.days: dict[int, str] = {}

    def __call__(self, seconds: float) -> str:
        day, rest = divmod(int(seconds), 86_400)
        prefix = self.days.get(day)
        if prefix is None:
            prefix = self.days[day] = time.strftime("%Y-%m-%d", time.gmtime(day * 86_400))
        return f"{prefix} {rest // 3600:02d}:{rest // 60 % 60:02d}:{rest % 60:02d}{self.suffix}"


class Prose:
    """Seeded sentences from the word list, common words more often (weight 1 / (rank + 8))."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.weights = list(itertools.accumulate(1 / (rank + 8) for rank in range(len(WORDS))))
        self.paragraphs = [" ".join(self.sentence() for _ in range(3)) for _ in range(2048)]

    def sentence(self, low: int = 12, high: int = 26) -> str:
        """Return one sentence of ``low`` to ``high`` words."""
        words = self.rng.choices(WORDS, cum_weights=self.weights, k=self.rng.randint(low, high))
        return " ".join(words).capitalize() + "."

    def page(self) -> str:
        """Return a source's text: two or three paragraphs (about 0.9 KB)."""
        return "\n\n".join(self.rng.choices(self.paragraphs, k=self.rng.randint(2, 3)))


def host_names(count: int) -> list[str]:
    """Return ``count`` distinct outlet host names (www.dailyledger.org, …)."""
    names = []
    for k in range(count):
        first, second = HOST_WORDS[k % len(HOST_WORDS)], HOST_WORDS[k // len(HOST_WORDS) % len(HOST_WORDS)]
        tld = TOP_LEVEL_DOMAINS[k // len(HOST_WORDS) ** 2 % len(TOP_LEVEL_DOMAINS)]
        suffix = k // (len(HOST_WORDS) ** 2 * len(TOP_LEVEL_DOMAINS)) or ""
        names.append(f"www.{first}{second}{suffix}.{tld}")
    return names


def outlet_name(host: str) -> str:
    """Return the outlet name an article writes for a host (www.dailyledger.org → Dailyledger)."""
    return host.split(".")[1].capitalize()


def source_url(plan: Plan, hosts: list[str], index: int) -> str:
    """Return the canonical URL of source ``index + 1``."""
    slug = "-".join(WORDS[word] for word in plan.slug[index])
    extension = ".pdf" if plan.pdf[index] else ""
    section = SECTIONS[plan.section[index]]
    return f"https://{hosts[plan.host[index]]}/{section}/{plan.year[index]}/{slug}-{index + 1}{extension}"


def source_family(plan: Plan, seed: int, stamp: Stamps) -> Iterator[tuple[str, Row]]:
    """Yield every source with its checks, snapshots (and their bodies) and flags."""
    prose = Prose(seed + 1)
    rng = prose.rng
    hosts = host_names(plan.sizes.hosts)
    flag_id = 0
    for index in range(plan.sizes.sources):
        source_id, url, kind = index + 1, source_url(plan, hosts, index), int(plan.kind[index])
        final_url = url.replace("https://www.", "https://", 1) if plan.redirected[index] else url
        healthy = "redirected" if plan.redirected[index] else "ok"
        problem, (http_status, rule, conclusive) = PROBLEMS[plan.problem[index]]
        history = _history(plan, index, kind)
        times = [plan.check_time(index, check) for check in range(len(history))]
        snapshot_id = int(plan.first_snapshot_id[index]) - 1
        check_id = int(plan.first_check_id[index])
        for check, (step, when) in enumerate(zip(history, times, strict=True)):
            if step == "fetched":
                snapshot_id += 1
                yield from _snapshot(prose, stamp, source_id, snapshot_id, url, final_url, when, bool(plan.pdf[index]))
            evidence = _check_evidence(step, healthy, final_url, http_status, rule, conclusive)
            status = problem if step == "problem" else healthy
            code = {"fetched": 200, "unchanged": 304, "problem": http_status}[step]
            outcome = {"fetched": "fetched", "unchanged": "unchanged", "problem": "failed"}[step]
            kept = None if step == "problem" else snapshot_id
            yield "checks", (check_id + check, source_id, stamp(when), outcome, status, code, final_url, evidence, kept)
        last = history[-1]
        status = problem if last == "problem" else healthy
        # The default due policy (crawler/health/schedule.py): healthy sources a week on, problems 3 days on.
        next_check = stamp(times[-1] + (7 if status == healthy else 3) * DAY)
        last = stamp(times[-1])
        yield "sources", (source_id, url, stamp(times[0] - 3600), status, last, last, None, None, next_check)
        if kind in (PROBLEM, BROKEN, RECOVERED):
            flag_id += 1
            streak = [check for check, step in enumerate(history) if step == "problem"]
            last_problem = check_id + streak[-1]
            evidence = json.loads(_check_evidence("problem", healthy, final_url, http_status, rule, conclusive))
            evidence.update({"check_id": last_problem, "inconclusive_checks": 0 if conclusive else len(streak)})
            confirmed = conclusive and len(streak) >= 3 and kind != RECOVERED
            archived = confirmed and problem in ("dead", "soft_404") and rng.random() < 0.3
            taken = stamp(times[0])[:10].replace("-", "")
            archive_url = f"https://web.archive.org/web/{taken}/{url}" if archived else None
            resolved = stamp(times[-1]) if kind == RECOVERED else None
            resolution = "cleared: the source answered ok (HTTP 200)" if resolved else None
            yield "flags", (
                flag_id, source_id, problem, stamp(times[streak[0]]), stamp(times[streak[-1]]), len(streak),
                confirmed, stamp(times[streak[2]]) if confirmed else None, resolved, resolution,
                json.dumps(evidence), archive_url,
            )  # fmt: skip


def _history(plan: Plan, index: int, kind: int) -> list[str]:
    """Return the steps of a source's checks, oldest first: fetched, unchanged (same snapshot) or problem."""
    count = int(plan.n_checks[index])
    if kind == HEALTHY:
        return ["fetched"] + ["unchanged"] * (count - 1)
    if kind == CHANGED:
        return ["fetched"] + ["unchanged"] * (count - 2) + ["fetched"]
    if kind == RECOVERED:
        return ["fetched", "problem", "problem", "unchanged"]
    if kind == PROBLEM:
        return ["fetched"] + ["problem"] * (count - 1)
    return ["problem"] * count


def _check_evidence(
    step: str, healthy: str, final_url: str, http_status: int | None, rule: str, conclusive: bool
) -> str:
    """Return a check's evidence as the health rules write it: the rule, the HTTP status, the final URL."""
    if step == "problem":
        code = "null" if http_status is None else http_status
        said = json.dumps(conclusive)
        return f'{{"rule": "{rule}", "http_status": {code}, "final_url": "{final_url}", "conclusive": {said}}}'
    if step == "unchanged":
        return f'{{"rule": "not_modified", "http_status": 304, "final_url": "{final_url}", "conclusive": false}}'
    named = "permanent_redirect" if healthy == "redirected" else "content"
    return f'{{"rule": "{named}", "http_status": 200, "final_url": "{final_url}", "conclusive": true}}'


def _snapshot(
    prose: Prose, stamp: Stamps, source_id: int, snapshot_id: int, url: str, final_url: str, when: float, pdf: bool
) -> Iterator[tuple[str, Row]]:
    """Yield one fetched version of a source: its gzip-compressed body, then the snapshot with its text."""
    rng = prose.rng
    title = prose.sentence(5, 11)[:-1]
    text = f"{title}\n\n{prose.page()}"
    # The source and snapshot ids make every body distinct, as distinct pages are.
    page = HTML.format(title=f"{title} ({source_id}.{snapshot_id})", text=text.replace("\n\n", "</p><p>"))
    body = (b"%PDF-1.7\n" if pdf else b"") + page.encode("utf-8")
    digest = hashlib.sha256(body).hexdigest()
    yield "bodies", (snapshot_id, digest, len(body), gzip.compress(body, compresslevel=1, mtime=0))
    content_type = "application/pdf" if pdf else "text/html; charset=utf-8"
    chain = f'[{{"status": 301, "url": "{url}"}}]' if final_url != url else "[]"
    fetches = f'[{{"url": "{final_url}", "status": 200, "content_type": "{content_type}"}}]'
    etag = f'"{digest[:16]}"' if rng.random() < 0.6 else None
    modified = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(when - 86_400)) if rng.random() < 0.4 else None
    author = " ".join(rng.choices(WORDS[100:], k=2)).title() if rng.random() < 0.5 else None
    published = stamp(when - rng.uniform(0, 300) * 86_400) if rng.random() < 0.7 else None
    yield "snapshots", (
        snapshot_id, source_id, stamp(when), 200, final_url, chain, fetches, etag, modified, content_type, digest,
        snapshot_id, text, title, author, published, "pypdfium2" if pdf else "trafilatura", stamp(when),
    )  # fmt: skip


def article_family(plan: Plan, seed: int, stamp: Stamps) -> Iterator[tuple[str, Row]]:
    """Yield every article with its references, claims, citations and the verification of each cited pair."""
    prose = Prose(seed + 2)
    rng = prose.rng
    hosts = host_names(plan.sizes.hosts)
    publishers = host_names(plan.sizes.hosts + PUBLISHERS)[-PUBLISHERS:]
    evidence = [json.dumps(paragraph[:160]) for paragraph in prose.paragraphs]
    usable, usable_at = plan.usable_snapshot.tolist(), plan.usable_at.tolist()
    reference_source = plan.reference_source.tolist()
    reference_id = claim_id = citation_id = verification_id = 0
    for index in range(plan.sizes.articles):
        article_id = index + 1
        ingested = plan.anchor - rng.uniform(45, 720) * 86_400
        first_reference = reference_id + 1
        references = int(plan.n_references[index])
        for number in range(1, references + 1):
            reference_id += 1
            source_id = reference_source[reference_id - 1]
            yield "references", _reference(plan, prose, hosts, article_id, reference_id, number, source_id)
        parts: list[str] = []
        offset = 0
        for claim_index in range(1, int(plan.n_claims[index]) + 1):
            claim_id += 1
            if rng.random() < 0.6:
                filler = prose.sentence() + " "
                parts.append(filler)
                offset += len(filler)
            text, quotes = _claim_text(prose)
            cited = _cited_numbers(rng, references)
            markers = "".join(f"[{number}]" for number in cited) + " "
            start = offset
            parts += [text, markers]
            offset += len(text) + len(markers)
            verdicts = []
            for number in cited:
                citation_id += 1
                cited_reference = first_reference + number - 1 if number <= references else None
                yield "citations", (citation_id, claim_id, number, cited_reference)
                source_id = reference_source[cited_reference - 1] if cited_reference else 0
                if source_id and usable[source_id - 1]:
                    verification_id += 1
                    verification = _verification(
                        rng, evidence, stamp, verification_id, claim_id, cited_reference,
                        usable[source_id - 1], usable_at[source_id - 1],
                    )  # fmt: skip
                    verdicts.append(verification[5])
                    yield "verifications", verification
                else:
                    verdicts.append(Verdict.UNAVAILABLE)
            # The claim's best verdict, as verify stores it (claims.verdict; the ranking of crawler.enums.Verdict).
            best = min(verdicts, key=RANKED.index, default=Verdict.UNAVAILABLE)
            yield "claims", (claim_id, article_id, claim_index, text, start, start + len(text), quotes, best)
        yield "articles", _article(prose, stamp, publishers[index % PUBLISHERS], article_id, "".join(parts), ingested)


def _reference(
    plan: Plan, prose: Prose, hosts: list[str], article_id: int, reference_id: int, number: int, source_id: int
) -> Row:
    """Return one numbered reference: a link to its source as written (5% with tracking), or no link at all."""
    title = prose.sentence(5, 10)[:-1]
    if not source_id:
        outlet = outlet_name(hosts[prose.rng.randrange(len(hosts))])
        return (reference_id, article_id, number, outlet, title, None, f"{outlet}. “{title}.” (print edition)", None)
    url = source_url(plan, hosts, source_id - 1)
    written = url + "?utm_source=newsletter" if prose.rng.random() < 0.05 else url
    outlet = outlet_name(hosts[plan.host[source_id - 1]])
    return (reference_id, article_id, number, outlet, title, written, f"{outlet}. “{title}.” {written}", source_id)


def _claim_text(prose: Prose) -> tuple[str, str]:
    """Return a claim sentence and its quotes (5% of claims quote four words)."""
    text = prose.sentence(10, 28)
    if prose.rng.random() >= 0.05:
        return text, "[]"
    words = text[:-1].split(" ")
    start = prose.rng.randrange(0, len(words) - 4)
    quoted = " ".join(words[start : start + 4])
    head = " ".join(words[:start])
    text = f"{head} “{quoted}” {' '.join(words[start + 4 :])}".strip() + "."
    begin = len(head) + 2 if head else 1
    return text, json.dumps([{"text": quoted, "start": begin, "end": begin + len(quoted)}])


def _cited_numbers(rng: random.Random, references: int) -> list[int]:
    """Return the reference numbers a claim cites: one (72%), two (26%) or three; 0.3% cite a missing number."""
    draw = rng.random()
    count = 1 if draw < 0.72 else 2 if draw < 0.98 else 3
    numbers = sorted(rng.sample(range(1, references + 1), count))
    if rng.random() < 0.003:
        numbers[-1] = references + 1
    return numbers


def _verification(
    rng: random.Random, evidence: list[str], stamp: Stamps, verification_id: int, claim_id: int,
    reference_id: int, snapshot_id: int, snapshot_at: float,
) -> Row:  # fmt: skip
    """Return the verification of a pair against its source's usable snapshot, made ten minutes after it."""
    draw = rng.random()
    for verdict, share, low, high in VERDICTS:
        draw -= share
        if draw < 0:
            break
    score = round(rng.uniform(low, high), 1)
    passage = "[]" if verdict == "not_found" else (
        f'[{{"text": {rng.choice(evidence)}, "start": 0, "end": 160, "score": {score}}}]'
    )  # fmt: skip
    verified_at = stamp(snapshot_at + 600)
    return (verification_id, claim_id, reference_id, snapshot_id, verified_at, verdict, score, passage, "[]")


def _article(prose: Prose, stamp: Stamps, publisher: str, article_id: int, body: str, ingested: float) -> Row:
    """Return one article version whose text holds its claims at their offsets."""
    title = prose.sentence(6, 12)[:-1]
    text = f"{body.rstrip()}\n"
    url = f"https://{publisher}/{time.strftime('%Y/%m', time.gmtime(ingested))}/article-{article_id}"
    byline = "By " + " ".join(prose.rng.choices(WORDS[100:], k=2)).title()
    return (
        article_id, url, 1, hashlib.sha256(text.encode("utf-8")).hexdigest(), url, title, byline,
        outlet_name(publisher), stamp(ingested - prose.rng.uniform(0, 3) * 86_400), stamp(ingested), text,
    )  # fmt: skip
