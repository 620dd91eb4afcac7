"""The layers read as the pipeline: who may import whom (README, Architecture), and no import cycle anywhere.

Imports are read from the source with ``ast``, those inside functions included and those only for type checkers
(``if TYPE_CHECKING:``) left out; the done-when check of issue 12 also imports each package in a fresh interpreter.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("crawler", "spiders", "store", "tests")
PURE = ("crawler.ingest", "crawler.extract", "crawler.verify", "crawler.health", "crawler.report")
# Leaves everything may import: vocabularies and helpers with no I/O and no configuration reading.
LEAVES = ("crawler", "crawler.charset", "crawler.dates", "crawler.enums", "crawler.exceptions", "crawler.sentences",
          "crawler.settings", "crawler.urls")  # fmt: skip
EDGES = ("crawler.cli", "crawler.web")
# The optional semantic model's loader (issue 9) switches the Hugging Face libraries to offline mode before it
# imports them, so that loading the packaged weights can never reach the network.
ENVIRONMENT_EXCEPTIONS = ("crawler.verify.semantic",)
SCRAPY_ADAPTERS = ("spiders", "crawler.pipelines", "crawler.middlewares", "crawler.extensions", "crawler.items",
                   "crawler.crawlrun", "crawler.redisqueue")  # fmt: skip
# Standard-library modules that do I/O a pure stage must leave to the layers above it.
IO_MODULES = ("socket", "http.client", "urllib.request", "subprocess", "multiprocessing", "concurrent.futures")


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    """Return every module of the tree by dotted name."""
    return {_module_name(path): path for package in PACKAGES for path in (REPO / package).rglob("*.py")}


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return lines


@cache
def imports(name: str) -> frozenset[str]:
    """Return what a module imports at run time (top level or inside functions), submodules resolved."""
    path = modules()[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_lines(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", 0) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], base]).strip(".")
            submodules = {f"{base}.{alias.name}" for alias in node.names} & modules().keys()
            found.update(submodules if len(submodules) == len(node.names) else {base, *submodules})
    return frozenset(found)


def project_imports(name: str) -> set[str]:
    return {target for target in imports(name) if target in modules()}


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def test_the_tree_has_no_import_cycle_even_inside_functions() -> None:
    graph = {name: project_imports(name) for name in modules()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph[node]:
                cycles.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for name in sorted(graph):
        if name not in index:
            visit(name)
    assert cycles == []


@pytest.mark.parametrize("name", sorted(name for name in modules() if _within(name, ("store",))))
def test_the_store_imports_only_the_store(name: str) -> None:
    assert {target for target in project_imports(name) if not _within(target, ("store",))} == set()


@pytest.mark.parametrize("name", sorted(name for name in modules() if _within(name, PURE)))
def test_pure_stages_import_only_leaves_and_pure_stages_and_do_no_io(name: str) -> None:
    assert {target for target in project_imports(name) if target not in LEAVES and not _within(target, PURE)} == set()
    forbidden = ("scrapy", "twisted", "sqlalchemy", *IO_MODULES)
    assert {target for target in imports(name) if _within(target, forbidden)} == set()
    if name not in ENVIRONMENT_EXCEPTIONS:
        source = modules()[name].read_text(encoding="utf-8")
        assert "os.environ" not in source and "getenv" not in source, "pure stages read no environment"


@pytest.mark.parametrize("name", LEAVES)
def test_leaves_import_only_leaves(name: str) -> None:
    assert project_imports(name) - set(LEAVES) == set()


@pytest.mark.parametrize("name", sorted(name for name in modules() if _within(name, ("crawler.jobs",))))
def test_jobs_use_stages_and_the_store_never_the_edges_scrapy_or_configuration(name: str) -> None:
    forbidden = (*EDGES, *SCRAPY_ADAPTERS, "crawler.config", "crawler.demo")
    assert {target for target in project_imports(name) if _within(target, forbidden)} == set()
    assert {target for target in imports(name) if _within(target, ("scrapy", "twisted"))} == set()


@pytest.mark.parametrize("name", sorted(name for name in modules() if _within(name, SCRAPY_ADAPTERS)))
def test_scrapy_adapters_never_use_the_command_line_or_the_web(name: str) -> None:
    assert {target for target in project_imports(name) if _within(target, EDGES)} == set()


def _loaded_by(package: str) -> list[str]:
    """Return the modules a fresh interpreter holds after importing ``package`` and every module in it.

    Migration scripts are left out: Alembic runs them, within a migration context.
    """
    names = sorted(name for name in modules() if _within(name, (package,)) and ".migrations" not in name)
    code = f"import importlib, json, sys\nfor name in {names!r}: importlib.import_module(name)\n"
    code += "print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


@pytest.mark.parametrize("package", [*PURE, "store"])
def test_importing_a_pure_stage_or_the_store_loads_no_edge_no_job_and_no_scrapy(package: str) -> None:
    loaded = _loaded_by(package)
    assert [name for name in loaded if _within(name, (*EDGES, "crawler.jobs"))] == []
    if package == "store":
        assert [name for name in loaded if _within(name, ("crawler", "spiders"))] == []
    else:
        assert [name for name in loaded if _within(name, ("scrapy", "store", "sqlalchemy"))] == []
