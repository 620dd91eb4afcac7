"""requirements.lock pins, at one exact version each, every dependency pyproject.toml declares (run and test)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)$")
REFRESH = "run `bash .ci/lock` after changing dependencies in pyproject.toml"


def lock_lines() -> list[str]:
    """Return the lock's requirement lines (comments and blank lines dropped)."""
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def pins() -> dict[str, str]:
    """Return ``{canonical name: version}`` from the lock."""
    found = {}
    for line in lock_lines():
        match = PIN.match(line)
        assert match, f"requirements.lock line {line!r} is not an exact NAME==VERSION pin"
        found[canonicalize_name(match["name"])] = match["version"]
    return found


def declared() -> list[Requirement]:
    """Return the run dependencies and the ``test`` extra from pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(spec) for spec in [*project["dependencies"], *project["optional-dependencies"]["test"]]]


def test_every_lock_line_is_an_exact_pin_and_no_package_appears_twice() -> None:
    names = [canonicalize_name(PIN.match(line)["name"]) for line in lock_lines() if PIN.match(line)]
    assert len(names) == len(lock_lines())
    assert len(names) == len(set(names))


@pytest.mark.parametrize("requirement", declared(), ids=str)
def test_declared_dependency_is_locked_at_a_version_its_bounds_allow(requirement: Requirement) -> None:
    locked = pins().get(canonicalize_name(requirement.name))
    assert locked is not None, f"{requirement.name} is not in requirements.lock: {REFRESH}"
    assert requirement.specifier.contains(locked, prereleases=True), (
        f"requirements.lock pins {requirement.name}=={locked}, outside {requirement}: {REFRESH}"
    )
