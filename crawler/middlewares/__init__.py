"""Downloader middlewares of the crawl, one concern each (see ``crawler/settings.py`` for their order)."""
