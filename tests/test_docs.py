"""The README documents every command and option, and every command answers ``--help``."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from crawler import settings
from crawler.cli import build_parser, main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, subparser in action.choices.items():
                path = (*prefix, name)
                found.append((path, subparser))
                found.extend(_commands(subparser, path))
    return found


COMMANDS = _commands(build_parser())


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS], ids=" ".join)
def test_every_command_is_documented_in_readme(path):
    assert f"citetrack {' '.join(path)}" in README


@pytest.mark.parametrize(
    ("path", "option"),
    [
        (path, option)
        for path, parser in COMMANDS
        for action in parser._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    ],
    ids=lambda value: value if isinstance(value, str) else " ".join(value),
)
def test_every_option_is_documented_in_readme(path, option):
    assert re.search(rf"{re.escape(option)}\b", README), f"{option} of `citetrack {' '.join(path)}` is not in README"


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS], ids=" ".join)
def test_every_command_has_help(path, capsys):
    assert main([*path, "--help"]) == 0
    assert "usage: citetrack" in capsys.readouterr().out


def test_every_citetrack_setting_is_documented_in_readme():
    names = [name for name in dir(settings) if name.startswith("CITETRACK_")]
    assert names
    for name in names:
        assert name in README, f"setting {name} is not in README"
