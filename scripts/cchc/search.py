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


class IndexRun:
    """Pagefind running on a scratch mirror of the pages to index, in its own process,
    so the build can verify links meanwhile. `wait()` returns the number of pages.

    The binary reads the mirror in one run: Pagefind's Python API costs about 60 ms a
    page in round trips, the binary indexes a thousand pages in about a second.
    """

    def __init__(self, site: Path):
        self._scratch = tempfile.TemporaryDirectory(prefix="cchc-search-")
        mirror = Path(self._scratch.name)
        self.count = 0
        for page in site.rglob("*.html"):
            page_html = page.read_text("utf-8")
            if "data-pagefind-body" not in page_html:
                continue
            target = mirror / page.relative_to(site)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(indexable(page_html), "utf-8")
            self.count += 1
        self._process = subprocess.Popen([sys.executable, "-m", "pagefind", "--site", str(mirror), "--output-path", str(site / "pagefind"), "--silent"],
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def wait(self) -> int:
        out, err = self._process.communicate()
        self._scratch.cleanup()
        if self._process.returncode != 0:
            raise SearchIndexError(f"lỗi [build] Pagefind không lập được chỉ mục tìm kiếm: {err.strip() or out.strip()}")
        return self.count
