"""Configuration at the edge: -s (or an option) > the environment > crawler/settings.py, for every CITETRACK_* name."""

from __future__ import annotations

import pytest

from crawler import config, settings
from crawler.exceptions import UsageError
from crawler.netguard import AddressPolicy


@pytest.fixture(autouse=True)
def no_citetrack_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start each test from the defaults, whatever the machine's environment holds."""
    for name in config.names():
        monkeypatch.delenv(name, raising=False)


def test_every_citetrack_setting_is_a_config_name() -> None:
    assert config.names() == sorted(name for name in dir(settings) if name.startswith("CITETRACK_"))
    assert {"CITETRACK_DB", "CITETRACK_CONFIRM_CHECKS", "CITETRACK_ARCHIVE_URL"} <= set(config.names())


def test_db_url_prefers_the_option_then_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITETRACK_DB", "sqlite:///from-env.db")
    assert config.db_url("sqlite:///flag.db") == "sqlite:///flag.db"
    assert config.db_url(None) == "sqlite:///from-env.db"
    monkeypatch.delenv("CITETRACK_DB")
    assert config.db_url(None) == "sqlite:///citetrack.db"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("CITETRACK_CONFIRM_CHECKS", "2", 2),
        ("CITETRACK_CONFIRM_SPACING_DAYS", "0.5", 0.5),
        ("CITETRACK_ALLOW_PRIVATE", "1", True),
        ("CITETRACK_ALLOW_PRIVATE", "false", False),
        ("CITETRACK_ALLOW_HOSTS", "a.test:8080, b.test", ["a.test:8080", "b.test"]),
        ("CITETRACK_OUTLET_URLS", '{"ntia": ["http://x/"]}', {"ntia": ["http://x/"]}),
        ("CITETRACK_ARCHIVE_URL", "http://127.0.0.1:9", "http://127.0.0.1:9"),
    ],
)
def test_environment_values_are_typed_like_their_defaults(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: object
) -> None:
    monkeypatch.setenv(name, value)
    assert config.environment() == {name: expected}
    assert config.Config()[name] == expected


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CITETRACK_CONFIRM_CHECKS", "three", "CITETRACK_CONFIRM_CHECKS=three: expected a whole number"),
        ("CITETRACK_ALLOW_PRIVATE", "yes", "CITETRACK_ALLOW_PRIVATE=yes: expected 0, 1, true or false"),
        ("CITETRACK_OUTLET_URLS", "[1]", "CITETRACK_OUTLET_URLS=\\[1\\]: expected a JSON object"),
    ],
)
def test_an_environment_value_of_the_wrong_type_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(UsageError, match=f"^{message}$"):
        config.environment()


def test_an_override_beats_the_environment_which_beats_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    assert config.Config()["CITETRACK_RECHECK_DAYS"] == settings.CITETRACK_RECHECK_DAYS
    monkeypatch.setenv("CITETRACK_RECHECK_DAYS", "7")
    assert config.Config()["CITETRACK_RECHECK_DAYS"] == 7.0
    assert config.Config(["CITETRACK_RECHECK_DAYS=1", "DOWNLOAD_DELAY=0"])["CITETRACK_RECHECK_DAYS"] == 1.0


def test_address_policy_adds_the_environment_to_the_options(monkeypatch: pytest.MonkeyPatch) -> None:
    assert config.address_policy(False, [" Example.org:8080 "]) == AddressPolicy(False, frozenset({"example.org:8080"}))
    monkeypatch.setenv("CITETRACK_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("CITETRACK_ALLOW_HOSTS", "archive.test")
    assert config.address_policy(False, ["a.test"]) == AddressPolicy(True, frozenset({"a.test", "archive.test"}))


def test_user_agent_names_the_configured_contact(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings.CITETRACK_CONTACT_URL in config.user_agent()
    monkeypatch.setenv("CITETRACK_CONTACT_URL", "https://newsroom.example/bot")
    assert config.user_agent().startswith("citetrack/") and "(+https://newsroom.example/bot;" in config.user_agent()


def test_the_addon_gives_crawls_the_environment_below_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITETRACK_CONFIRM_CHECKS", "2")
    monkeypatch.setenv("CITETRACK_CONTACT_URL", "https://newsroom.example/bot")
    crawl = config.crawl_settings(["CITETRACK_CONFIRM_SPACING_DAYS=0"], "sqlite:///crawl.db")
    assert "crawler.config.EnvironmentSettings" in crawl.getdict("ADDONS")
    config.EnvironmentSettings().update_settings(crawl)
    assert crawl.getint("CITETRACK_CONFIRM_CHECKS") == 2
    assert crawl.getfloat("CITETRACK_CONFIRM_SPACING_DAYS") == 0.0
    assert "(+https://newsroom.example/bot;" in crawl["USER_AGENT"]


def test_the_command_line_beats_the_environment_in_a_crawl(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITETRACK_CONFIRM_CHECKS", "2")
    crawl = config.crawl_settings(["CITETRACK_CONFIRM_CHECKS=5"], "sqlite:///crawl.db")
    config.EnvironmentSettings().update_settings(crawl)
    assert crawl.getint("CITETRACK_CONFIRM_CHECKS") == 5
    assert crawl["CITETRACK_DB"] == "sqlite:///crawl.db"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("NOPE=1", "-s NOPE: no such setting"),
        ("DOWNLOAD_TIMEOUT=abc", "-s DOWNLOAD_TIMEOUT=abc: expected a whole number"),
        ("CITETRACK_STORE_BATCH=x", "-s CITETRACK_STORE_BATCH=x: expected a whole number"),
        ("novalue", "-s 'novalue': expected NAME=VALUE"),
    ],
)
def test_a_bad_override_is_a_usage_error(override: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        config.crawl_settings([override], "sqlite:///crawl.db")
