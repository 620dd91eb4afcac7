"""The shape of a generated store, drawn up front from the seed: each source's history, each article's size.

Both generation passes (sources with their checks, and articles with their claims) read the same plan, so a
claim's verification points at the snapshot its source's history made usable, without either pass keeping
the other's rows. Every array is indexed by ``id - 1``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .words import SECTIONS, WORDS

DAY = 86_400.0
# Kinds of source history (see ``rows.source_family`` for the checks each one gets).
HEALTHY, CHANGED, RECOVERED, PROBLEM, BROKEN = range(5)
# At scale 1: 3,000 open problems (2,000 after an earlier good check, 1,000 never readable), 1% of sources
# recovered from a problem, 15% changed once, the rest healthy since their first check.
OPEN_AFTER_GOOD, OPEN_NEVER_GOOD = 2_000, 1_000
RECOVERED_SHARE, CHANGED_SHARE = 0.01, 0.15
# Sources were last checked between an hour and this many days before the generation time.
LAST_CHECK_SPREAD_DAYS = 14.0


@dataclass(frozen=True)
class Sizes:
    """How many sources, articles and hosts a store of a given scale has (scale 1: 1 M, 300 K, 20 K)."""

    sources: int
    articles: int
    hosts: int

    @classmethod
    def at(cls, scale: float) -> Sizes:
        """Return the sizes at ``scale`` (1.0 = one million sources)."""
        return cls(round(1_000_000 * scale), round(300_000 * scale), max(5, round(20_000 * scale)))


@dataclass(frozen=True)
class Plan:
    """Per-source histories and per-article sizes; ``anchor`` is the generation time (epoch seconds)."""

    sizes: Sizes
    anchor: float
    kind: np.ndarray
    problem: np.ndarray  # index into words.PROBLEM_RULES for RECOVERED, PROBLEM and BROKEN sources
    problem_checks: np.ndarray
    redirected: np.ndarray
    pdf: np.ndarray
    host: np.ndarray
    section: np.ndarray  # URL parts: index into words.SECTIONS, year, three indexes into words.WORDS
    year: np.ndarray
    slug: np.ndarray
    n_checks: np.ndarray
    first_check_id: np.ndarray
    n_snapshots: np.ndarray
    first_snapshot_id: np.ndarray
    last_checked: np.ndarray
    spacing: np.ndarray
    usable_snapshot: np.ndarray  # id of the snapshot verify would use (0: none)
    usable_at: np.ndarray  # when the check that fetched it ran
    n_references: np.ndarray
    n_claims: np.ndarray
    reference_source: np.ndarray  # source id of each reference (0: no URL)

    def check_time(self, source_index: int, check: int) -> float:
        """Return when check number ``check`` (from 0) of a source ran; checks are ``spacing`` apart."""
        last = int(self.n_checks[source_index]) - 1
        return float(self.last_checked[source_index] - (last - check) * self.spacing[source_index])


def draw_plan(sizes: Sizes, seed: int, anchor: float) -> Plan:
    """Return the plan of a store of ``sizes``: the same ``seed`` and ``anchor`` give the same plan."""
    rng = np.random.Generator(np.random.PCG64(seed))
    n = sizes.sources
    kind = _kinds(rng, n)
    problem = rng.integers(0, 6, n).astype(np.uint8)
    problem_checks = rng.integers(1, 5, n).astype(np.uint8)
    redirected = rng.random(n) < 0.05
    pdf = rng.random(n) < 0.05
    # Cubed uniform draws: a few hosts hold many sources, most hosts a handful.
    host = np.minimum((sizes.hosts * rng.random(n) ** 3).astype(np.int64), sizes.hosts - 1)
    n_checks = np.select(
        [kind == HEALTHY, kind == CHANGED, kind == RECOVERED, kind == PROBLEM],
        [rng.integers(1, 4, n), rng.integers(2, 5, n), np.full(n, 4), 1 + problem_checks],
        default=problem_checks,
    ).astype(np.int64)
    n_snapshots = np.select([kind == CHANGED, kind == BROKEN], [2, 0], default=1).astype(np.int64)
    last_checked = anchor - rng.uniform(1 / 24, LAST_CHECK_SPREAD_DAYS, n) * DAY
    spacing = rng.uniform(3.0, 7.0, n) * DAY
    first_snapshot_id = np.cumsum(n_snapshots) - n_snapshots + 1
    usable_check = np.where(kind == CHANGED, n_checks - 1, 0)
    n_references = rng.integers(5, 16, sizes.articles).astype(np.int64)
    return Plan(
        sizes=sizes,
        anchor=anchor,
        kind=kind,
        problem=problem,
        problem_checks=problem_checks,
        redirected=redirected,
        pdf=pdf,
        host=host,
        section=rng.integers(0, len(SECTIONS), n),
        year=rng.integers(2012, 2026, n),
        slug=rng.integers(0, len(WORDS), (n, 3)),
        n_checks=n_checks,
        first_check_id=np.cumsum(n_checks) - n_checks + 1,
        n_snapshots=n_snapshots,
        first_snapshot_id=first_snapshot_id,
        last_checked=last_checked,
        spacing=spacing,
        usable_snapshot=np.where(n_snapshots > 0, first_snapshot_id + n_snapshots - 1, 0),
        usable_at=last_checked - (n_checks - 1 - usable_check) * spacing,
        n_references=n_references,
        n_claims=rng.integers(4, 17, sizes.articles).astype(np.int64),
        reference_source=_reference_sources(rng, n, int(n_references.sum())),
    )


def _kinds(rng: np.random.Generator, n: int) -> np.ndarray:
    """Return each source's history kind, with exact counts of each kind, in a seeded order."""
    scale = n / 1_000_000
    counts = {
        PROBLEM: max(6, round(OPEN_AFTER_GOOD * scale)),
        BROKEN: max(3, round(OPEN_NEVER_GOOD * scale)),
        RECOVERED: round(RECOVERED_SHARE * n),
        CHANGED: round(CHANGED_SHARE * n),
    }
    kind = np.full(n, HEALTHY, dtype=np.uint8)
    start = 0
    for value, count in counts.items():
        kind[start : start + count] = value
        start += count
    return rng.permutation(kind)


def _reference_sources(rng: np.random.Generator, sources: int, references: int) -> np.ndarray:
    """Return the source id of each reference: every source cited at least once, a few cited very often.

    One reference in ten of the rest cites one of the 0.1% most popular sources (a big report many articles
    cite), and 1% of them carry no URL at all (unresolved, source id 0).
    """
    extra = max(0, references - sources)
    popular = rng.choice(sources, size=max(1, sources // 1000), replace=False) + 1
    rest = np.where(
        rng.random(extra) < 0.1, rng.choice(popular, size=extra), rng.integers(1, sources + 1, extra)
    )
    rest[rng.random(extra) < 0.01] = 0
    every = rng.permutation(sources) + 1
    return rng.permutation(np.concatenate([every[:references], rest]))
