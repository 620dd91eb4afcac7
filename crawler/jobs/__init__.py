"""The work of each command: runs the pure stages and the store together and owns the session and transaction.

Commands (``crawler/cli``), the web app and the crawl's Scrapy components call jobs; jobs call the pure stages
(ingest, extract, verify, health, report) and the store, and are handed configuration values, never reading them.
"""
