"""The due policy: when each source is next checked, from its latest check.

- a healthy source (``ok``, ``redirected``) is re-checked every ``recheck`` (per-host overrides first);
- a source with an open problem that is not confirmed yet is re-checked ``confirm_spacing`` after its last
  check, so the confirmation rules (``crawler.health.flags``) see their N checks T apart as soon as they can;
- a confirmed problem is re-checked like a healthy source (to notice that it came back);
- a source never checked, or cited by a newly ingested or changed article, is due at once (``ingest`` sets it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from crawler.enums import HEALTHY, HealthStatus

# Reachable sources whose text moved: re-checked like healthy ones (drift is judged on their new snapshots).
_ON_RECHECK = HEALTHY | {HealthStatus.DRIFTED}


@dataclass(frozen=True)
class DuePolicy:
    """How long a source waits before its next check.

    The values come from ``CITETRACK_RECHECK_DAYS`` (7), ``CITETRACK_RECHECK_DAYS_BY_HOST`` (``{}``) and
    ``CITETRACK_CONFIRM_SPACING_DAYS`` (3). A host key matches that host and its subdomains (``example.org``
    covers ``www.example.org``); the longest matching key wins.
    """

    recheck: timedelta
    confirm_spacing: timedelta
    by_host: Mapping[str, timedelta] = field(default_factory=dict)

    @classmethod
    def from_values(cls, recheck_days: float, spacing_days: float, by_host: Mapping[str, float]) -> DuePolicy:
        """Build from setting values; raise ``ValueError`` for an interval that is not a positive number of days."""
        if not recheck_days > 0 or spacing_days < 0:
            raise ValueError(f"the recheck interval must be > 0 days and the spacing >= 0 (got {recheck_days}, {spacing_days})")
        hosts: dict[str, timedelta] = {}
        for host, days in by_host.items():
            if isinstance(days, bool) or not isinstance(days, int | float) or not days > 0:
                raise ValueError(f"recheck days for {host!r} must be a number > 0 (got {days!r})")
            hosts[host.strip().lower().lstrip(".")] = timedelta(days=days)
        return cls(timedelta(days=recheck_days), timedelta(days=spacing_days), hosts)

    def recheck_for(self, url: str) -> timedelta:
        """Return how often a healthy source at ``url`` is re-checked."""
        host = (urlsplit(url).hostname or "").lower()
        matches = [key for key in self.by_host if host == key or host.endswith("." + key)]
        return self.by_host[max(matches, key=len)] if matches else self.recheck

    def next_check(self, url: str, checked_at: datetime, status: str, *, confirmed: bool = False) -> datetime:
        """Return when a source checked at ``checked_at`` with ``status`` is due again.

        ``confirmed``: the source's open problem is a confirmed flag, so its confirmation checks are done.
        """
        if status in _ON_RECHECK or confirmed:
            return checked_at + self.recheck_for(url)
        return checked_at + self.confirm_spacing
