"""The demo's bundled site: copy it out of the package, build its PDF, and write the article for a base URL."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from crawler.demo.pdf import write_pdf

SITE_PACKAGE = "crawler.demo"
REPORT_DIR = Path("reports/open-weights-review")
ARTICLE_TEMPLATE = "article.txt"
BASE_URL_MARK = "{base_url}"


def prepare_site(target: Path) -> Path:
    """Copy the bundled site into ``target`` (which must not exist), add the report PDF; return the site root."""
    source = resources.files(SITE_PACKAGE) / "site"
    with resources.as_file(source) as site_dir:
        shutil.copytree(site_dir, target, ignore=shutil.ignore_patterns(ARTICLE_TEMPLATE, "__pycache__"))
    report_text = (target / REPORT_DIR / "report.txt").read_text(encoding="utf-8")
    title = report_text.splitlines()[0]
    (target / REPORT_DIR / "report.pdf").write_bytes(
        write_pdf(report_text, title, author="Office of Science and Technology Review")
    )
    return target


def write_article(path: Path, base_url: str) -> Path:
    """Write the demo article, its source links pointing at ``base_url``, to ``path``."""
    template = (resources.files(SITE_PACKAGE) / "site" / ARTICLE_TEMPLATE).read_text(encoding="utf-8")
    path.write_text(template.replace(BASE_URL_MARK, base_url.rstrip("/")), encoding="utf-8")
    return path
