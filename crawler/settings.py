"""Scrapy settings of the citetrack crawl: polite by default, safe with untrusted links, override with ``-s``."""

from __future__ import annotations

import os

from crawler import __version__

# --- Project ---------------------------------------------------------------------------------------------
BOT_NAME = "citetrack"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
# The child process of ``citetrack crawl`` and ``scrapy crawl`` both run on asyncio (the extraction pool and
# the Retry-After sleep use it).
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False
# No control port per crawl: the child process of ``citetrack crawl`` is stopped with signals.
REMOTE_CONTROL_ENABLED = False
# Every CITETRACK_* setting can also come from the environment variable of the same name (crawler/config.py:
# -s NAME=VALUE > environment > the value here); Scrapy itself no longer maps environment variables onto settings.
ADDONS = {"crawler.config.EnvironmentSettings": 0}
# The store (SQLAlchemy URL); ``--db`` sets it for one command.
CITETRACK_DB = "sqlite:///citetrack.db"

# --- Politeness -----------------------------------------------------------------------------------------
# Where a site owner can read what the bot is and how to reach its operators; put your own page here.
CITETRACK_CONTACT_URL = "https://github.com/citetrack/citetrack"
# ``{contact}`` becomes CITETRACK_CONTACT_URL when a crawl starts (crawler.config.EnvironmentSettings).
USER_AGENT = f"citetrack/{__version__} (+{{contact}}; source checker for fact-checkers)"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 32
# Each response yields one item, and Scrapy starts this many tasks per response to process its output.
CONCURRENT_ITEMS = 1
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5

# --- Retries: 429, 5xx and timeouts, with exponential backoff; a Retry-After header wins -----------------
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# Backoff before retry n is BASE * 2**(n-1) seconds, capped at MAX.
CITETRACK_RETRY_BACKOFF_BASE = 1.0
CITETRACK_RETRY_BACKOFF_MAX = 30.0
# A Retry-After longer than this is not waited for: the check is recorded as failed and retried next run.
CITETRACK_RETRY_AFTER_MAX = 120.0
RETRY_GIVE_UP_LOG_LEVEL = "INFO"

# --- Limits ---------------------------------------------------------------------------------------------
# The one size limit of every body citetrack reads: a crawled page or document (also after decompression, by
# HttpCompressionMiddleware; a larger one is recorded as too_large), an article to ingest, a source for
# ``check``, an archived copy. Reports of 20-25 MB exist; a larger body is rarely text worth verifying.
DOWNLOAD_MAXSIZE = 25 * 1024 * 1024
DOWNLOAD_WARNSIZE = 10 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
REDIRECT_MAX_TIMES = 10
# Each source is requested once per run by construction; redirect targets shared by several sources must
# still reach their own callbacks, so requests carry dont_filter and the dupe filter only logs.
DUPEFILTER_CLASS = "scrapy.dupefilters.RFPDupeFilter"

# --- Safety with untrusted links ------------------------------------------------------------------------
# Private, loopback and link-local addresses are refused unless allowed (``--allow-private``,
# ``CITETRACK_ALLOW_PRIVATE=1``, or per host with ``--allow-host HOST[:PORT]``).
CITETRACK_ALLOW_PRIVATE = False
CITETRACK_ALLOW_HOSTS: list[str] = []

# --- Scheduling: the due policy (crawler/health/schedule.py) -------------------------------------------
# A healthy source is due again this many days after its check (``crawl --due``);
# a source with an open, unconfirmed problem is due CITETRACK_CONFIRM_SPACING_DAYS after its check.
CITETRACK_RECHECK_DAYS = 7.0
# Other intervals per host (and its subdomains), in days, as JSON: {"example.org": 1, "slow.example": 30}.
CITETRACK_RECHECK_DAYS_BY_HOST: dict[str, float] = {}
# Due sources are read this many at a time (one keyset query each), so a crawl never holds them all.
CITETRACK_DUE_BATCH = 1000

# --- Distributed crawling (``citetrack crawl --redis``, ``citetrack worker``) ------------------------------
# The shared queue's name: every Redis key of one queue starts with it (its requests, dupefilter, leases, workers).
CITETRACK_REDIS_QUEUE = "citetrack"
# A worker renews its heartbeat this often; a worker silent for 3 beats is dead, and the others put its leased
# sources back on the queue.
CITETRACK_WORKER_HEARTBEAT_SECONDS = 10.0
# A worker exits once the queue and every other worker's leases have stayed empty this long (0: until stopped).
CITETRACK_WORKER_EXIT_IDLE = 0.0

# --- Extraction and outlets -----------------------------------------------------------------------------
# Extract text during the crawl; off, bodies are stored without text and ``citetrack extract`` adds it later.
CITETRACK_EXTRACT_ENABLED = True
# Worker processes for trafilatura and PDF parsing (0 = extract in the crawl process, between downloads).
CITETRACK_EXTRACT_WORKERS = os.cpu_count() or 1
# Extra URL prefixes per outlet adapter, e.g. {"ntia": ["http://127.0.0.1:8000/ntia/"]}; each adapter also
# knows its real domains (crawler/extract/outlets/).
CITETRACK_OUTLET_URLS: dict[str, list[str]] = {}
# Records are written in one transaction per batch; a batch is flushed when this full or on close.
CITETRACK_STORE_BATCH = 50

# --- Source health --------------------------------------------------------------------------------------
# When a crawl ends, pass over its checks: flags over consecutive checks, site-wide redirects, drift.
CITETRACK_HEALTH_PASS_ENABLED = True
# A problem becomes a confirmed flag after this many consecutive checks spaced at least this many days apart
# (the Internet Archive's link-rescue bot uses 3 and 3); tests use 2 and 0.
CITETRACK_CONFIRM_CHECKS = 3
CITETRACK_CONFIRM_SPACING_DAYS = 3.0
# Base URL of a Wayback-style availability API (``{base}/wayback/available?url=…&timestamp=…``).
CITETRACK_ARCHIVE_URL = "https://archive.org"

# --- Components -----------------------------------------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.netguard.PrivateAddressMiddleware": 60,
    # Scrapy's robots.txt middleware at its usual place, logging an unreachable robots.txt in one line.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.robots.OneLineRobotsTxtMiddleware": 100,
    "crawler.middlewares.conditional.ConditionalRequestMiddleware": 450,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.retry.RetryAfterMiddleware": 550,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "crawler.middlewares.sizecap.SizeCapMiddleware": 590,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.redirect.RedirectChainMiddleware": 600,
}
# Each check is extracted, then judged, then stored, in this order.
ITEM_PIPELINES = {
    "crawler.pipelines.extraction.ExtractionPipeline": 300,
    "crawler.pipelines.health.HealthPipeline": 400,
    "crawler.pipelines.store.StorePipeline": 500,
}
EXTENSIONS = {
    "crawler.extensions.healthpass.HealthPassExtension": 500,
}
