"""The search index: Pagefind over the bodies of the built pages.

Only the regions marked `data-pagefind-body` (item and page bodies) are indexed, never
menus or footers. Pagefind folds tone and vowel marks, but `đ` has no decomposition,
so "dang" would not find "Đảng": the HTML handed to Pagefind (never the published
page) carries, after a separator, a copy of the body with đ/Đ written d/D, and the
search page folds the query the same way.
"""

import html
import re
import subprocess
import sys
import tempfile
from pathlib import Path

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


class SearchIndexError(Exception):
    pass


def build_index(site: Path) -> int:
    """Write the index into <site>/pagefind/; return the number of pages indexed.

    The pages to index are written, with their alias, to a scratch mirror that the
    Pagefind binary reads in one run (its Python API costs ~60 ms a page in round
    trips; the binary indexes a thousand pages in about a second).
    """
    with tempfile.TemporaryDirectory(prefix="cchc-search-") as scratch:
        mirror = Path(scratch)
        count = 0
        for page in site.rglob("*.html"):
            page_html = page.read_text("utf-8")
            if "data-pagefind-body" not in page_html:
                continue
            target = mirror / page.relative_to(site)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(indexable(page_html), "utf-8")
            count += 1
        result = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(mirror), "--output-path", str(site / "pagefind"), "--silent"],
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise SearchIndexError(f"lỗi [build] Pagefind không lập được chỉ mục tìm kiếm: {result.stderr.strip() or result.stdout.strip()}")
    return count
