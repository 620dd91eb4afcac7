"""Exceptions raised by citetrack's stages.

CitetrackError
 ├── UsageError            bad arguments or settings the user can fix
 │    └── MissingExtra      an option needs an optional extra that is not installed
 ├── InputError            an input cannot be used
 │    ├── EmptyInput
 │    ├── BinaryInput
 │    ├── InputTooLarge
 │    ├── UndecodableInput
 │    ├── NoCitations
 │    └── NotAFeed       a feed's URL answered something else than the feed, sitemap or page expected
 ├── FetchError            a single URL could not be fetched (ingest URL, check URL)
 │    └── ForbiddenAddress  the URL resolves to a private/loopback/link-local address
 ├── ExtractionError       a body could not be turned into text
 ├── ExportError           an export file could not be written
 └── QueueError            the shared Redis queue cannot be reached (crawl --redis, worker)

The store raises its own errors (``store.errors``). The command line turns both into one-line messages and
chooses the exit code from the exception's type (``crawler.cli.exit_code``); no traceback reaches the user.
"""


def error_line(error: BaseException) -> str:
    """Return the first line of an error's message (a database driver's own, when SQLAlchemy wraps it)."""
    message = str(getattr(error, "orig", None) or error).strip()
    return message.splitlines()[0] if message else type(error).__name__


class CitetrackError(Exception):
    """Base class of every expected citetrack failure."""


class UsageError(CitetrackError):
    """Raised for argument combinations argparse cannot check, and for settings with a value of the wrong type."""


class MissingExtra(UsageError):
    """Raised when an option needs an optional extra (``pip install 'citetrack[NAME]'``) that is not installed."""


class InputError(CitetrackError):
    """Raised by ingestion and ``check`` when an input file or page cannot be used."""


class EmptyInput(InputError):
    """Raised when an input has no content (zero bytes or only whitespace)."""


class BinaryInput(InputError):
    """Raised when an input that should be text or HTML is binary (NUL bytes, an image, …)."""


class InputTooLarge(InputError):
    """Raised when an input exceeds the configured size limit."""


class UndecodableInput(InputError):
    """Raised when no charset decodes an input into sensible text."""


class NoCitations(InputError):
    """Raised by ingestion when an article has no citation markers at all."""


class NotAFeed(InputError):
    """Raised by ``crawler.ingest.feeds`` when a registered feed's body is not the kind of document expected."""


class FetchError(CitetrackError):
    """Raised by the single-URL fetcher (``ingest URL``, ``check --source URL``) when a fetch fails."""


class ForbiddenAddress(FetchError):
    """Raised when a URL (or a redirect hop) resolves to an address the safety policy refuses."""


class ExtractionError(CitetrackError):
    """Raised by ``crawler.extract`` when a body cannot be read (encrypted or truncated PDF, …)."""


class ExportError(CitetrackError):
    """Raised by ``citetrack export`` when its output file cannot be written (no partial file is left)."""


class QueueError(CitetrackError):
    """Raised by ``crawl --redis`` and ``worker`` when the shared Redis queue cannot be reached."""
