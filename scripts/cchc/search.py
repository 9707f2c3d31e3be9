"""The search index: Pagefind over the bodies of the built pages.

Only the regions marked `data-pagefind-body` (item and page bodies) are indexed, never
menus or footers. Pagefind folds tone and vowel marks, but `đ` has no decomposition,
so "dang" would not find "Đảng": the HTML handed to Pagefind (never the published
page) carries, after a separator, a copy of the body with đ/Đ written d/D, and the
search page folds the query the same way.
"""

import asyncio
import html
import re
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

ALIAS_SLOT = "<!--cchc:search-alias-->"
ALIAS_MARK = "\u2042"  # the search page cuts excerpts here
_BODY = re.compile(r"data-pagefind-body[^>]*>(.*?)" + re.escape(ALIAS_SLOT), re.S)
_TAG = re.compile(r"<[^>]+>")
_D = str.maketrans({"đ": "d", "Đ": "D"})


def indexable(page_html: str) -> str:
    """The page as Pagefind should read it: the body's đ-folded copy in the alias slot."""
    found = _BODY.search(page_html)
    if not found:
        return page_html
    text = html.unescape(_TAG.sub(" ", found.group(1)))
    alias = f"<p>{ALIAS_MARK} {html.escape(' '.join(text.translate(_D).split()))}</p>" if "đ" in text.lower() else ""
    return page_html.replace(ALIAS_SLOT, alias, 1)


async def _build(site: Path) -> int:
    count = 0
    async with PagefindIndex(IndexConfig(output_path=str(site / "pagefind"))) as index:
        for page in sorted(site.rglob("*.html")):
            page_html = page.read_text("utf-8")
            if "data-pagefind-body" not in page_html:
                continue
            relative = page.relative_to(site).as_posix()
            url = "/" + relative.removesuffix("index.html")
            await index.add_html_file(content=indexable(page_html), url=url)
            count += 1
    return count


def build_index(site: Path) -> int:
    """Write the index into <site>/pagefind/; return the number of pages indexed."""
    return asyncio.run(_build(site))
