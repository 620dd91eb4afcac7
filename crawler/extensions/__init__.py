"""Scrapy extensions of the crawl, one concern each (see ``EXTENSIONS`` in ``crawler/settings.py``)."""
