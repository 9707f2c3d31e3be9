"""The search index: Pagefind over the bodies of the built pages.

Only the regions marked `data-pagefind-body` (item and page bodies) are indexed, never
menus or footers. Pagefind folds tone and vowel marks, but `đ` has no decomposition,
so "dang" would not find "Đảng": the HTML handed to Pagefind (never the published
page) carries, after a separator, a copy of the body with đ/Đ written d/D, and the
search page folds the query the same way.
"""

import hashlib
import html
import json
import os
import re
import subprocess
import tempfile
import threading
from collections import defaultdict
from importlib import metadata
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


SHARDS_FILE = "pagefind/shards.json"
MIN_SHARD_PAGES = 1000
_YEAR = re.compile(r"\d{4}")


def year_of(relative: str) -> str:
    """An item's year from its address (`tin-bai/2024/…`); "0000" for standing pages."""
    parts = relative.split("/")
    return parts[1] if len(parts) > 2 and _YEAR.fullmatch(parts[1]) else "0000"


def shards_of(pages: list[str], min_pages: int = MIN_SHARD_PAGES) -> dict[str, list[str]]:
    """Consecutive years grouped, oldest first, until a group holds `min_pages`; a year
    is never split. Each shard is named after its first year ("chung" when it starts with
    the standing pages). New items land in the newest shard, so a rebuild indexes again
    about one year of pages, however large the archive grows."""
    by_year = defaultdict(list)
    for relative in pages:
        by_year[year_of(relative)].append(relative)
    shards, current, first = {}, [], None
    for year in sorted(by_year):
        first = first or year
        current += by_year[year]
        if len(current) >= min_pages:
            shards[first], current, first = current, [], None
    if current:
        shards[first] = current
    return {("chung" if start == "0000" else start): group for start, group in shards.items()}  # oldest first


def _code_version() -> str:
    """What indexing depends on besides the pages: this module and Pagefind's version."""
    return hashlib.sha1(Path(__file__).read_bytes() + metadata.version("pagefind").encode()).hexdigest()


def _executable() -> str:
    """Pagefind's binary, from the pagefind_bin wheel (no Python process in between)."""
    from pagefind_bin import get_executable

    return str(get_executable())


def _scratch_root() -> str | None:
    """The mirror is read once and thrown away: keep it in memory (tmpfs) when there is one."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


class IndexRun:
    """The search index, one Pagefind bundle per shard of years (`pagefind/<shard>/`), which the
    search page merges (`mergeIndex`). Pagefind has no incremental mode: sharding lets a
    rebuild index again only the shards whose pages changed (the others are hard links
    to the previous release's bundles), and keeps each Pagefind process small.

    The work runs in a thread (Pagefind itself in its own processes), so the build can
    verify links meanwhile; `wait()` returns the number of pages indexed anew. The binary
    reads a scratch mirror in one run: Pagefind's Python API costs about 60 ms a page in
    round trips, the binary indexes a thousand pages in about a second.
    """

    def __init__(self, site: Path, scanned, previous=None, shard_pages: int = MIN_SHARD_PAGES):
        self.site = site
        self.count = 0
        self.reused: list[str] = []
        self.errors: list[str] = []
        version = _code_version()
        members = shards_of([relative for relative, facts in scanned.pages.items() if facts.indexed], shard_pages)
        self.signatures = {shard: hashlib.sha1("\0".join([version, *sorted(pages)]).encode()).hexdigest() for shard, pages in members.items()}
        old_folder, old = previous if previous else (None, None)
        pending = []
        for shard, pages in sorted(members.items()):
            bundle = old_folder / "pagefind" / shard if old_folder else None
            if (bundle is not None and bundle.is_dir() and old.shards.get(shard) == self.signatures[shard]
                    and all(p in scanned.unchanged for p in pages)):
                _link_tree(bundle, site / "pagefind" / shard)
                self.reused.append(shard)
            else:
                pending.append((shard, pages))
        newest_first = list(reversed(members))
        (site / "pagefind").mkdir(exist_ok=True)
        (site / SHARDS_FILE).write_text(json.dumps({"shards": newest_first}), "utf-8")
        self._thread = threading.Thread(target=self._index_all, args=(pending,), daemon=True)
        self._thread.start()

    def _index_all(self, pending):
        """One Pagefind process at a time (it uses every core itself: two at once each
        take twice as long, and memory doubles); the next shard's mirror is written while
        the previous shard is indexed."""
        running = None
        try:
            for shard, pages in pending:
                scratch = self._mirror(pages)
                if running:
                    self._finish(running)
                running = self._launch(shard, scratch)
        except Exception as exc:  # noqa: BLE001 - reported by wait()
            self.errors.append(f"lỗi [build] Pagefind không lập được chỉ mục tìm kiếm: {exc}")
        finally:
            if running:  # never leave a Pagefind process writing into a folder about to go
                self._finish(running)

    def _mirror(self, pages: list[str]) -> tempfile.TemporaryDirectory:
        scratch = tempfile.TemporaryDirectory(prefix="cchc-search-", dir=_scratch_root())
        mirror = Path(scratch.name)
        for relative in pages:
            target = mirror / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(indexable((self.site / relative).read_text("utf-8")), "utf-8")
        self.count += len(pages)
        return scratch

    def _launch(self, shard: str, scratch: tempfile.TemporaryDirectory):
        process = subprocess.Popen([_executable(), "--site", scratch.name, "--output-path", str(self.site / "pagefind" / shard), "--silent"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        return shard, process, scratch

    def _finish(self, running):
        shard, process, scratch = running
        out, err = process.communicate()
        scratch.cleanup()
        if process.returncode != 0:
            self.errors.append(f"lỗi [build] Pagefind không lập được chỉ mục tìm kiếm ({shard}): {err.strip() or out.strip()}")

    def wait(self) -> int:
        self._thread.join()
        if self.errors:
            raise SearchIndexError("\n".join(self.errors))
        return self.count


def _link_tree(source: Path, target: Path) -> None:
    """A copy of a folder made of hard links: no byte copied, nothing shared is written."""
    for folder, _, names in os.walk(source):
        destination = target / os.path.relpath(folder, source)
        destination.mkdir(parents=True, exist_ok=True)
        for name in names:
            os.link(os.path.join(folder, name), destination / name)
