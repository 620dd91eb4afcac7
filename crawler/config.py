"""Configuration at the edge: the one module that reads ``CITETRACK_*`` environment variables.

Every ``CITETRACK_*`` name in ``crawler/settings.py`` is a setting. Its value is, from strongest to weakest:
``-s NAME=VALUE`` (or a command's own option, such as ``--db``), the environment variable of the same name, the
default in ``crawler/settings.py``. Crawls get the environment through the ``EnvironmentSettings`` add-on, so
``scrapy crawl`` and Scrapyd jobs read it as ``citetrack crawl`` does; commands that do not crawl read values
through ``Config``. Both hand plain values down: nothing below the edge reads the environment.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from crawler import settings as defaults
from crawler.exceptions import UsageError
from crawler.netguard import AddressPolicy

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings, Settings

PREFIX = "CITETRACK_"
# Scrapy's Settings.getbool accepts exactly these spellings.
_BOOLEANS = {"1": True, "0": False, "True": True, "False": False, "true": True, "false": False}
_EXPECTED = {bool: "0, 1, true or false", int: "a whole number", float: "a number", dict: "a JSON object"}


def names() -> list[str]:
    """Return every ``CITETRACK_*`` setting of ``crawler/settings.py``."""
    return sorted(name for name in vars(defaults) if name.startswith(PREFIX))


def parse(name: str, value: str, default: Any) -> Any:
    """Return ``value`` typed like the setting's ``default``; raise ``UsageError`` naming the setting if it is not."""
    try:
        if isinstance(default, bool):
            return _BOOLEANS[value.strip()]
        if isinstance(default, int | float):
            return type(default)(value)
        if isinstance(default, list):
            return [item.strip() for item in value.split(",") if item.strip()]
        if isinstance(default, dict):
            parsed = json.loads(value)
            if not isinstance(parsed, dict):
                raise ValueError(value)
            return parsed
    except (KeyError, ValueError):
        raise UsageError(f"{name}={value}: expected {_EXPECTED[type(default)]}") from None
    return value


def environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return the typed value of every ``CITETRACK_*`` setting set in the environment."""
    environ = os.environ if environ is None else environ
    return {name: parse(name, environ[name], getattr(defaults, name)) for name in names() if name in environ}


class Config:
    """Setting values for a command that does not crawl: ``overrides`` (``NAME=VALUE``) > environment > defaults.

    Holds every setting of ``crawler/settings.py`` (``DOWNLOAD_MAXSIZE`` too); only ``CITETRACK_*`` ones come
    from the environment.
    """

    def __init__(self, overrides: Iterable[str] = ()) -> None:
        defined = {name: getattr(defaults, name) for name in vars(defaults) if name.isupper()}
        self.values = {**defined, **environment()}
        for override in overrides:
            name, value = split_override(override)
            if name in self.values:
                try:
                    self.values[name] = parse(name, value, getattr(defaults, name))
                except UsageError as error:
                    raise UsageError(f"-s {error}") from None

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


def db_url(option: str | None = None) -> str:
    """Return the store's URL: ``--db``, else ``CITETRACK_DB``, else the default (SQLite in the working directory)."""
    return option or Config()["CITETRACK_DB"]


def address_policy(allow_private: bool = False, allow_hosts: Iterable[str] = ()) -> AddressPolicy:
    """Return the address policy of ``--allow-private``/``--allow-host``, ``CITETRACK_ALLOW_PRIVATE`` also allowing."""
    config = Config()
    hosts = [*allow_hosts, *config["CITETRACK_ALLOW_HOSTS"]]
    return AddressPolicy.of(allow_private or config["CITETRACK_ALLOW_PRIVATE"], hosts)


def user_agent(contact_url: str | None = None) -> str:
    """Return the User-Agent of every citetrack request, naming ``CITETRACK_CONTACT_URL``."""
    return defaults.USER_AGENT.replace("{contact}", contact_url or Config()["CITETRACK_CONTACT_URL"])


def split_override(override: str) -> tuple[str, str]:
    """Return ``(NAME, VALUE)`` of one ``-s NAME=VALUE``; raise ``UsageError`` for another shape."""
    name, equals, value = override.partition("=")
    if not equals or not name.strip():
        raise UsageError(f"-s {override!r}: expected NAME=VALUE")
    return name.strip(), value


def crawl_settings(overrides: Sequence[str], db_url: str) -> Settings:
    """Return the crawl's Scrapy settings with ``-s`` overrides at command-line priority and the store's URL.

    Raises ``UsageError`` for an override that names no setting or whose value does not fit the setting's type.
    """
    # Scrapy is imported here only: ``citetrack crawl`` imports it just to check ``-s`` overrides.
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule(defaults, priority="project")
    for override in overrides:
        name, value = split_override(override)
        if name not in settings:
            raise UsageError(f"-s {name}: no such setting (Scrapy's settings and those in crawler/settings.py)")
        _check_type(name, value, settings[name])
        settings.set(name, value, priority="cmdline")
    settings.set("CITETRACK_DB", db_url, priority="cmdline")
    return settings


def _check_type(name: str, value: str, current: Any) -> None:
    """Raise ``UsageError`` (as ``-s NAME=VALUE``) when ``value`` cannot be read like the setting's value."""
    if type(current) in _EXPECTED:
        try:
            parse(name, value, current)
        except UsageError:
            raise UsageError(f"-s {name}={value}: expected {_EXPECTED[type(current)]}") from None


class EnvironmentSettings:
    """Scrapy add-on: ``CITETRACK_*`` environment variables override ``crawler/settings.py``, ``-s`` wins over both.

    Also fills ``{contact}`` in ``USER_AGENT`` with ``CITETRACK_CONTACT_URL`` (an explicit ``-s USER_AGENT``, without
    the placeholder, is left as it is). Reads the environment and ``CITETRACK_CONTACT_URL``.
    """

    def update_settings(self, settings: BaseSettings) -> None:
        """Set each environment value at project priority, above the settings module and below ``-s``."""
        for name, value in environment().items():
            settings.set(name, value, priority="project")
        agent = str(settings["USER_AGENT"]).replace("{contact}", str(settings["CITETRACK_CONTACT_URL"]))
        settings.set("USER_AGENT", agent, priority=settings.getpriority("USER_AGENT") or "project")
