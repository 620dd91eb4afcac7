"""citetrack: ingest articles, crawl the sources they cite, verify each claim against its source."""

__version__ = "0.1.0"
