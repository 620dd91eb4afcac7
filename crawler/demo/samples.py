"""Generated bodies of the demo site: small HTML pages, and the news article that drifts after its first read."""

from __future__ import annotations

import html

DRIFT_TITLE = "NTIA recommends monitoring, not restricting, open model weights"
DRIFT_SUPPORTED = (
    "Following a period of extensive public comment, the NTIA concluded that the government should not "
    "restrict the wide availability of model weights at this time."
)
DRIFT_REPLACED = (
    "After revisiting the public comments, the agency now proposes licensing requirements before the weights "
    "of the most capable models may be published."
)
_DRIFT_BODY = [
    (
        "The report weighs the benefits of openly released foundation models against the marginal risks that "
        "their wide availability adds to those already posed by closed systems and other technologies."
    ),
    "{passage}",
    (
        "Instead, the agency recommended that the government build the capacity to collect evidence on model "
        "capabilities, evaluate the risks it finds, and act on them if the evidence changes."
    ),
    (
        "Researchers at universities and small laboratories welcomed the approach, noting that open weights "
        "let them audit models, adapt them to local languages and run them without paying per-query fees."
    ),
]
_MENUS = (["Home", "Policy", "Research", "Events"], ["Home", "Research", "Policy", "Events", "Newsletter"])


def page(title: str, paragraphs: list[str], *, head: str = "", chrome: str = "") -> str:
    """Return a small, complete HTML page with escaped paragraphs."""
    body = "\n".join(f"<p>{html.escape(text)}</p>" for text in paragraphs)
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"{head}</head>\n<body>{chrome}<main><article><h1>{html.escape(title)}</h1>\n{body}\n</article></main>"
        "</body></html>\n"
    )


def drift_page(changed: bool, fetch_number: int = 1, *, cosmetic: bool = False) -> str:
    """Return the drifting article: the supporting passage replaced when ``changed``; chrome varies if cosmetic."""
    passage = DRIFT_REPLACED if changed else DRIFT_SUPPORTED
    paragraphs = [text.format(passage=passage) for text in _DRIFT_BODY]
    stamp = fetch_number if cosmetic else 1
    menu = "".join(f'<li><a href="/{item.lower()}/">{item}</a></li>' for item in _MENUS[stamp % 2 if cosmetic else 0])
    chrome = (
        f'<nav><ul>{menu}</ul></nav><p class="meta">Last updated: 2026-06-{10 + stamp % 18:02d} '
        f"09:{stamp % 60:02d} UTC · Viewed {1200 + 37 * stamp} times</p>"
    )
    return page(DRIFT_TITLE, paragraphs, chrome=chrome)
