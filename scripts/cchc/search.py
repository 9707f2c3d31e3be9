"""The search index: Pagefind over the bodies of the built pages.

Only the regions marked `data-pagefind-body` (item and page bodies) are indexed, never
menus or footers. Pagefind folds tone and vowel marks, but `đ` has no decomposition,
so "dang" would not find "Đảng": the HTML handed to Pagefind (never the published
page) carries, after a separator, a copy of the body with đ/Đ written d/D, and the
search page folds the query the same way.
"""

import gzip
import hashlib
import html
import json
import os
import re
import subprocess
import tempfile
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from .code import package_digest

ALIAS_SLOT = "<!--cchc:search-alias-->"
ALIAS_MARK = "\u2042"  # the search page cuts excerpts here
_BODY = re.compile(r"data-pagefind-body[^>]*>(.*?)" + re.escape(ALIAS_SLOT), re.S)
_TAG = re.compile(r"<[^>]+>")
_D = str.maketrans({"đ": "d", "Đ": "D"})


_META = re.compile(r'data-pagefind-meta="([a-z_]+):([^"]*)"')
_PUNCT = re.compile(r"[^\w]+")
# How much a match in each field counts (Pagefind: 0 to 10; body text 1, <h1> 7): a
# document's number or title finds it before the bodies that cite it.
KEY_WEIGHTS = (("title", 7), ("number", 10), ("doc_type", 4), ("issuer", 2), ("date", 2))


def _fold(text: str) -> str:
    return " ".join(text.translate(_D).split())


def _keys(meta: dict) -> str:
    """The weighted fields, đ-folded as the search page folds the query; a number
    (`399/QĐ-BCĐ`) also as its parts (`399 QD BCD`), which is what a query of it becomes,
    and as one word (`399QDBCD`), found only by the document that bears that number."""
    blocks = []
    for name, weight in KEY_WEIGHTS:
        value = meta.get(name, "").strip()
        if not value:
            continue
        folded = _fold(value)
        parts = " ".join(_PUNCT.sub(" ", folded).split())
        words = folded if parts == folded else f"{folded} {parts}"
        if name == "number":  # and as one word, "399QDBCD": what the search page looks up first
            words += " " + parts.replace(" ", "")
        blocks.append(f'<p data-pagefind-weight="{weight}">{html.escape(words)}</p>')
    return "".join(blocks)


def indexable(page_html: str) -> str:
    """The page as Pagefind should read it: after a mark in the alias slot, the body's
    đ-folded copy and the weighted fields (title, number, type, issuer, date) read from
    the body's `data-pagefind-meta`; the search page cuts excerpts at the mark."""
    found = _BODY.search(page_html)
    if not found:
        return page_html
    body = found.group(1)
    meta = {name: html.unescape(value) for name, value in _META.findall(body)}
    text = html.unescape(_TAG.sub(" ", body))
    alias = f"<p>{html.escape(_fold(text))}</p>" if "đ" in text.lower() else ""
    keys = _keys(meta)
    added = f"<p>{ALIAS_MARK}</p>{alias}{keys}" if alias or keys else ""
    return page_html.replace(ALIAS_SLOT, added, 1)


class SearchIndexError(Exception):
    pass


SHARDS_FILE = "pagefind/shards.json"
MIN_SHARD_PAGES = 1000
# At most this many pages in one bundle: one Pagefind process over 5,000 pages peaked at
# about 800 MiB; at 1,500 it stays near 300 MiB (docs/performance.md).
MAX_SHARD_PAGES = 1500
DELTA = "moi"  # the bundle of pages changed since their year's bundle was indexed
DELTA_PAGES = 50  # a year's bundle with more changed pages than this is indexed again whole
_YEAR = re.compile(r"\d{4}")


def year_of(relative: str) -> str:
    """An item's year from its address (`tin-bai/2024/…`); "0000" for standing pages."""
    parts = relative.split("/")
    return parts[1] if len(parts) > 2 and _YEAR.fullmatch(parts[1]) else "0000"


def shards_of(pages: list[str], min_pages: int = MIN_SHARD_PAGES, max_pages: int = MAX_SHARD_PAGES) -> dict[str, list[str]]:
    """Consecutive years grouped, oldest first, until a group holds `min_pages`; a year
    is split only when its group would hold more than `max_pages`. Each shard is named
    after its first year ("chung" when it starts with the standing pages). New items land
    in the newest shard, so a rebuild indexes again about one year of pages, however
    large the archive grows.

    A group over `max_pages` (a year of many items) is cut into parts of about four
    fifths of it, `<name>-1`, `<name>-2`…, each page placed by a hash of its address: a
    new page leaves the others where they were, so only its part is indexed again."""
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
    named = {}
    for start, group in shards.items():  # oldest first
        name = "chung" if start == "0000" else start
        parts = -(-len(group) * 5 // (max_pages * 4))  # parts of about 4/5 of the most: room for a hash's spread
        if len(group) <= max_pages:
            named[name] = group
            continue
        split = [[] for _ in range(parts)]
        for relative in group:
            split[int(hashlib.sha1(relative.encode()).hexdigest()[:8], 16) % parts].append(relative)
        named.update({f"{name}-{number}": part for number, part in enumerate(split, 1) if part})
    return named


def _code_version() -> str:
    """What indexing depends on besides the pages: the package's code and Pagefind's version."""
    return hashlib.sha1(package_digest().encode() + metadata.version("pagefind").encode()).hexdigest()


@dataclass
class Bundle:
    """What a year's bundle indexed, kept in the release's manifest: for each page its
    stamp and SHA-1 then, and the fragment Pagefind wrote for it."""

    version: str  # _code_version() when it was indexed
    pages: dict = field(default_factory=dict)  # page -> (stamp, sha1, fragment id)


@dataclass
class Plan:
    reuse: dict  # shard -> Bundle: linked from the previous release
    index: dict  # shard -> pages: indexed whole
    delta: list  # pages changed since their reused bundle was indexed: the delta bundle
    shadowed: list  # fragment ids in reused bundles that the search page must drop


def stamp(path: Path) -> tuple:
    """Same inode, size and modification time: the same bytes (what Git's index trusts too)."""
    info = path.stat()
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def plan(members: dict, site: Path, previous: dict, version: str, delta_pages: int = DELTA_PAGES, old_content=None) -> Plan:
    """Which bundles to reuse and which to index again, and what goes in the delta.

    A year's bundle is reused while the pages it indexed that have changed since, plus
    the pages new to it, number at most `delta_pages`: those are indexed into the small
    delta bundle, and their old fragments in the reused bundle are listed as shadowed
    (a page gone from the bundle too), so every page is found once, as it is now.

    A shadowed fragment is hidden by the search page, not removed: its text (and its
    words in the bundle's index) stay downloadable. So with `old_content` (shard,
    fragment id -> the text the fragment holds, None if unreadable), a bundle is
    indexed again whole when one of its pages left it (withdrawn, removed, moved) or
    when a changed page no longer holds a word its fragment holds (text edited out):
    the old text is then gone from every published file. A page that only gained text
    still goes to the delta.
    """
    result = Plan({}, {}, [], [])
    for shard, pages in members.items():
        bundle = previous.get(shard)
        if bundle is None or bundle.version != version:
            result.index[shard] = pages
            continue
        current = set(pages)
        changed = [p for p in pages if not _same_page(site / p, bundle.pages.get(p))]
        gone = [p for p in bundle.pages if p not in current]
        stale = changed + gone
        if len(stale) > delta_pages or any(p in bundle.pages and bundle.pages[p][2] is None for p in stale):
            result.index[shard] = pages  # too many to shadow, or a fragment it cannot name
            continue
        if old_content is not None and (gone or any(_edited_out(old_content(shard, bundle.pages[p][2]), site / p) for p in changed if p in bundle.pages)):
            result.index[shard] = pages  # old text would stay downloadable in the reused fragments
            continue
        result.reuse[shard] = bundle
        result.delta += changed
        result.shadowed += [bundle.pages[p][2] for p in stale if p in bundle.pages]
    return result


_WORD = re.compile(r"\w+")


def _edited_out(old_text: str | None, page: Path) -> bool:
    """Does the page no longer hold some word its old fragment held (or is the fragment unreadable)?"""
    if old_text is None:
        return True
    now = html.unescape(_TAG.sub(" ", indexable(page.read_text("utf-8")))).lower()
    return bool(set(_WORD.findall(old_text.lower())) - set(_WORD.findall(now)))


def fragment_content(bundle: Path, fragment_id: str) -> str | None:
    """The text a Pagefind fragment holds (its content, title and metadata), None if unreadable."""
    try:
        data = gzip.decompress((bundle / "fragment" / f"{fragment_id}.pf_fragment").read_bytes())
        fragment = json.loads(data[data.index(b"{"):])
    except (OSError, ValueError, EOFError):
        return None
    return " ".join([fragment.get("content", ""), str((fragment.get("meta") or {}).get("title", ""))])


def _same_page(path: Path, indexed: tuple | None) -> bool:
    if indexed is None:
        return False
    then_stamp, then_sha1, _ = indexed
    return stamp(path) == then_stamp or hashlib.sha1(path.read_bytes()).hexdigest() == then_sha1


def fragments(bundle: Path) -> dict[str, str]:
    """page -> fragment id, read back from what Pagefind wrote (each fragment is gzip'd
    JSON after a signature, and names its page's URL)."""
    found = {}
    for fragment in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        url = json.loads(data[data.index(b"{"):])["url"]
        found[url.lstrip("/") + ("index.html" if url.endswith("/") else "")] = fragment.stem
    return found


def _executable() -> str:
    """Pagefind's binary, from the pagefind_bin wheel (no Python process in between)."""
    from pagefind_bin import get_executable

    return str(get_executable())


def _scratch_root() -> str | None:
    """The mirror is read once and thrown away: keep it in memory (tmpfs) when there is one."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


class IndexRun:
    """The search index: one Pagefind bundle per shard of years (`pagefind/<shard>/`) and
    a small delta bundle (`pagefind/moi/`), which the search page merges (`mergeIndex`).

    Pagefind has no incremental mode. A year's bundle is indexed whole only when it is
    new, when the indexing code or Pagefind changed, or when more than `delta_pages` of
    its pages changed since it was indexed; otherwise it is a hard link to the previous
    release's bundle, and its changed pages are indexed into the delta bundle, whose
    fragments the search page prefers (`shards.json` lists the reused bundles' fragments
    to drop). A rebuild after one edit so indexes one page, not a year of pages.

    The work (planning and linking too) runs in a thread, Pagefind in its own processes,
    so the build can verify links meanwhile; `wait()` returns the number of pages
    indexed anew. The binary
    reads a scratch mirror in one run: Pagefind's Python API costs about 60 ms a page in
    round trips, the binary indexes a thousand pages in about a second.
    """

    def __init__(self, site: Path, scanned, previous=None, shard_pages: int = MIN_SHARD_PAGES, delta_pages: int = DELTA_PAGES,
                 max_pages: int = MAX_SHARD_PAGES):
        self.site = site
        self.count = 0
        self.errors: list[str] = []
        self.version = _code_version()
        self.reused: list[str] = []
        self.bundles: dict[str, Bundle] = {}  # for the manifest: reused ones, and indexed ones when done
        self.delta = 0
        self._listed: list[str] = []
        self._shadowed: set[str] = set()
        members = shards_of([relative for relative, facts in scanned.pages.items() if facts.indexed], shard_pages, max_pages)
        old_folder, old = previous if previous else (None, None)
        self._thread = threading.Thread(target=self._index_all, args=(members, old_folder, old.shards if old else {}, delta_pages), daemon=True)
        self._thread.start()

    def _plan(self, members: dict, old_folder: Path | None, old_bundles: dict, delta_pages: int) -> list:
        """Link the bundles to reuse; return the (shard, pages) to index."""
        bundles = {shard: bundle for shard, bundle in old_bundles.items()
                   if isinstance(bundle, Bundle) and (old_folder / "pagefind" / shard).is_dir()}
        work = plan(members, self.site, bundles, self.version, delta_pages,
                    old_content=lambda shard, fragment_id: fragment_content(old_folder / "pagefind" / shard, fragment_id))
        self.reused, self.bundles = list(work.reuse), dict(work.reuse)
        for shard in work.reuse:
            _link_tree(old_folder / "pagefind" / shard, self.site / "pagefind" / shard)
        self.delta = len(work.delta)
        self._listed = [DELTA] * bool(work.delta) + list(reversed(members))  # the delta, then newest first
        self._shadowed = set(work.shadowed)
        (self.site / "pagefind").mkdir(exist_ok=True)
        return list(work.index.items()) + ([(DELTA, work.delta)] if work.delta else [])

    def _index_all(self, members, old_folder, old_bundles, delta_pages):
        """One Pagefind process at a time (it uses every core itself: two at once each
        take twice as long, and memory doubles); the next shard's mirror is written while
        the previous shard is indexed, and a finished shard's fragments are read back
        while the next one is indexed."""
        running = None
        try:
            for shard, pages in self._plan(members, old_folder, old_bundles, delta_pages):
                scratch, read = self._mirror(pages)
                done = self._wait(running) if running else None
                running = self._launch(shard, read, scratch)
                if done:
                    self._collect(done)
        except Exception as exc:  # noqa: BLE001 - reported by wait()
            self.errors.append(f"lỗi [build] Pagefind không lập được chỉ mục tìm kiếm: {exc}")
        finally:
            if running:  # never leave a Pagefind process writing into a folder about to go
                self._collect(self._wait(running))

    def _mirror(self, pages: list[str]) -> tuple[tempfile.TemporaryDirectory, dict]:
        """The pages as Pagefind should read them, and each page's stamp and SHA-1 as read."""
        scratch = tempfile.TemporaryDirectory(prefix="cchc-search-", dir=_scratch_root())
        mirror, read = Path(scratch.name), {}
        for relative in pages:
            source = self.site / relative
            data = source.read_bytes()
            read[relative] = (stamp(source), hashlib.sha1(data).hexdigest())
            target = mirror / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(indexable(data.decode("utf-8")), "utf-8")
        self.count += len(pages)
        return scratch, read

    def _launch(self, shard: str, read: dict, scratch: tempfile.TemporaryDirectory):
        process = subprocess.Popen([_executable(), "--site", scratch.name, "--output-path", str(self.site / "pagefind" / shard), "--silent"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        return shard, read, process, scratch

    def _wait(self, running):
        shard, read, process, scratch = running
        out, err = process.communicate()
        scratch.cleanup()
        if process.returncode != 0:
            self.errors.append(f"lỗi [build] Pagefind không lập được chỉ mục tìm kiếm ({shard}): {err.strip() or out.strip()}")
            return None
        return shard, read

    def _collect(self, done):
        """What a finished bundle holds, read back from its fragments."""
        if done is None:
            return
        shard, read = done
        if shard == DELTA:  # a page whose fragment did not change keeps its year's copy
            self._shadowed -= set(fragments(self.site / "pagefind" / DELTA).values())
        else:
            ids = fragments(self.site / "pagefind" / shard)
            self.bundles[shard] = Bundle(self.version, {p: (*read[p], ids.get(p)) for p in read})

    def wait(self) -> int:
        self._thread.join()
        if self.errors:
            raise SearchIndexError("\n".join(self.errors))
        listing = {"shards": self._listed, "shadowed": sorted(self._shadowed)}
        (self.site / SHARDS_FILE).write_text(json.dumps(listing), "utf-8")
        return self.count


def _link_tree(source: Path, target: Path) -> None:
    """A copy of a folder made of hard links: no byte copied, nothing shared is written."""
    for folder, _, names in os.walk(source):
        destination = target / os.path.relpath(folder, source)
        destination.mkdir(parents=True, exist_ok=True)
        for name in names:
            os.link(os.path.join(folder, name), destination / name)
