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


CI_RUN = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _quick_start_commands() -> list[str]:
    """Return the quick start's commands (install and demo, then the tests), comments dropped."""
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = [part.split("```", 1)[0] for part in section.split("```sh")[1:]]
    return [line.split("#", 1)[0].strip() for block in blocks for line in block.strip().splitlines()]


def _ci_commands() -> set[str]:
    return {line.strip() for line in CI_RUN.splitlines() if line.strip() and not line.lstrip().startswith("#")}


def test_readme_quick_start_installs_and_runs_the_demo_in_two_commands():
    install, demo, *_ = _quick_start_commands()
    assert install.startswith("python3 -m venv .venv && . .venv/bin/activate && ")
    assert demo == "citetrack demo"


def test_readme_install_command_is_the_one_ci_runs():
    install = [command for command in _quick_start_commands() if "pip install" in command]
    ci_install = "python3 -m pip install --no-deps -r requirements.lock -e . && python3 -m pip check"
    assert len(install) == 1 and install[0].endswith(" && " + ci_install)
    assert ci_install in _ci_commands()


def test_readme_test_command_is_the_one_ci_runs_with_shared_data_and_browser_required():
    assert _quick_start_commands()[-1] == "python3 -m pytest -q"
    assert "python3 -m pytest -q" in _ci_commands()
    assert "export CITETRACK_REQUIRE_SHARED=1 CITETRACK_REQUIRE_BROWSER=1" in _ci_commands()


@pytest.mark.parametrize(
    "command",
    sorted(set(re.findall(r"`(python benchmarks/[^`]+)`", README))),
)
def test_every_benchmark_command_in_readme_names_a_script_and_options_it_takes(command):
    script, *arguments = command.split()[1:]
    path = BENCHMARKS.parent / script
    assert path.is_file(), f"{script} does not exist"
    source = path.read_text(encoding="utf-8")
    for option in (argument for argument in arguments if argument.startswith("--")):
        assert f'"{option}"' in source, f"{script} has no option {option}"


def test_readme_names_a_command_for_each_benchmark_script():
    scripts = [path for path in BENCHMARKS.glob("*.py") if '__name__ == "__main__"' in path.read_text()]
    assert scripts
    for script in scripts:
        assert f"python benchmarks/{script.name}" in README, f"README gives no command for {script.name}"
