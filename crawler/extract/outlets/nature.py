"""Nature-family journal articles: abstract and body sections only, without references or article furniture."""

from __future__ import annotations

from typing import ClassVar

from parsel import Selector

from crawler.extract.outlets.base import Outlet, reduced_page

# Sections of an article page that are not the article's text; matching them as evidence would mislead.
SKIPPED_SECTIONS = frozenset(
    {
        "references",
        "acknowledgements",
        "author information",
        "ethics declarations",
        "additional information",
        "supplementary information",
        "rights and permissions",
        "about this article",
        "source data",
        "peer review",
    }
)


class NatureArticles(Outlet):
    """Read the title, the abstract and the body sections; drop references, figures and side panels.

    Markup read: ``h1`` (title), ``section[data-title]`` (or ``section[id]``) inside the article body; a
    section whose title is in ``SKIPPED_SECTIONS`` and every ``figure`` are dropped. Trafilatura on the whole
    page keeps the reference list, whose titles then match claims they do not support.
    """

    name: ClassVar[str] = "nature"
    domains: ClassVar[tuple[str, ...]] = ("nature.com",)

    def document_link(self, page: Selector, base_url: str) -> str | None:
        """Return None: the article's HTML is its full text; its PDF link is only a print version."""
        return None

    def main_html(self, page: Selector) -> str | None:
        """Return the page cut down to its title, abstract and body sections, or None if the markup is absent."""
        sections = page.xpath("//article//section[@data-title or @id][not(ancestor::section)]")
        kept = [section for section in sections if _section_title(section) not in SKIPPED_SECTIONS]
        if not kept:
            return None
        for section in kept:
            for figure in section.xpath(".//figure"):
                figure.drop()
        title = page.xpath("//article//h1").get() or ""
        return reduced_page(page, [title, *(section.get() for section in kept)])


def _section_title(section: Selector) -> str:
    """Return the lower-cased title of a section: ``data-title``, else its id, else its first heading."""
    title = (
        section.attrib.get("data-title")
        or section.xpath("normalize-space(.//h2[1])").get()
        or section.attrib.get("id", "")
    )
    return title.strip().lower()
