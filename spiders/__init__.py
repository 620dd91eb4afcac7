"""Scrapy spiders of citetrack: ``sources`` crawls the sources that articles cite (``outlets/`` adapts it)."""
