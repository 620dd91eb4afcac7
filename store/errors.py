"""Errors the store raises; the command line and the web app turn them into messages and statuses.

StoreError
 ├── NotFound        a named article, reference or source does not exist
 ├── StoreUnusable   the database is not a citetrack store, needs `citetrack db upgrade`, or has no driver
 └── StoreLocked     another run holds the store's run lock (``crawl --due`` from cron)

Errors of the database itself (unreachable server, locked file) are SQLAlchemy's own ``DBAPIError``s.
"""


class StoreError(Exception):
    """Base class of the store's expected failures."""


class NotFound(StoreError):
    """Raised by queries when a requested article, reference or source does not exist."""


class StoreUnusable(StoreError):
    """Raised when the database is not a citetrack store, its schema is not at head, or its driver is missing."""


class StoreLocked(StoreError):
    """Raised by ``store.lock.run_lock`` when another process holds the same lock on the same store."""
