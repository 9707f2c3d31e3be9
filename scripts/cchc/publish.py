"""Publishing a built site without ever breaking the live one.

The live folder is a symbolic link to a release folder beside it. A new build is
verified first, then the link is switched with one atomic rename; the previous release
stays for `cchc rollback`. A build or a verification that fails leaves the live site
exactly as it was.
"""

import os
import pickle
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

KEEP_RELEASES = 3  # the live one, the one before (for rollback), and one more
_TITLE = re.compile(r"<title>\s*([^<]*\S)\s*</title>", re.S)
_ID = re.compile(r"\sid=\"([^\"]+)\"")
_LINK = re.compile(r"\s(?:href|src)=\"([^\"]*)\"")


def releases_dir(live: Path) -> Path:
    return live.parent / f".{live.name}-releases"


@dataclass(frozen=True)
class PageFacts:
    """What verification and the search index need to know of one built page."""

    titled: bool
    ids: frozenset
    links: tuple
    indexed: bool  # has a body for the search index


MANIFEST_LAYOUT = 2  # raise when Manifest, PageFacts or search.Bundle change: an older manifest is then ignored


@dataclass
class Manifest:
    """Kept beside each release, so the next build can reuse what did not change."""

    digests: dict = field(default_factory=dict)  # output name -> digest of its inputs (cchc.page_keys)
    pages: dict = field(default_factory=dict)  # html file -> PageFacts
    shards: dict = field(default_factory=dict)  # search shard -> search.Bundle: what it indexed


@dataclass
class Scan:
    files: set  # every file of the site, relative, with "/"
    pages: dict  # html file -> PageFacts


def _facts(html: str) -> PageFacts:
    return PageFacts(bool(_TITLE.search(html)), frozenset(_ID.findall(html)), tuple(set(_LINK.findall(html))),
                     "data-pagefind-body" in html)


def scan(site: Path, previous: tuple[Path, Manifest] | None = None) -> Scan:
    """Every file of the built site, and the facts of every page. A page that is a hard
    link into the previous release is not read again: its facts are the previous ones."""
    files = set()
    for folder, _, names in os.walk(site):
        prefix = os.path.relpath(folder, site).replace(os.sep, "/")
        files.update(names if prefix == "." else (f"{prefix}/{n}" for n in names))
    old_folder, old = previous if previous else (None, Manifest())
    pages = {}
    for relative in files:
        if not relative.endswith(".html"):
            continue
        path = site / relative
        if old_folder is not None and relative in old.pages and _same_file(path, old_folder / relative):
            pages[relative] = old.pages[relative]
            continue
        pages[relative] = _facts(path.read_text("utf-8"))
    return Scan(files, pages)


def _same_file(path: Path, other: Path) -> bool:
    try:
        return os.path.samestat(path.stat(), other.stat())
    except FileNotFoundError:
        return False


def verify(site: Path, site_url: str = "", scanned: Scan | None = None) -> list[str]:
    """Problems of a built site: broken internal links and anchors, pages without a title,
    sitemap and feeds that do not parse. Each problem is one Vietnamese line."""
    scanned = scanned or scan(site)
    files, pages = scanned.files, scanned.pages
    folders = {f.rsplit("/", 1)[0] for f in files if "/" in f}
    problems, resolved = [], {}
    for relative in sorted(pages):
        facts = pages[relative]
        if not facts.titled:
            problems.append(f"lỗi [quality] {relative}: trang không có tiêu đề (<title>)")
        page_dir = os.path.dirname(relative)
        for href in facts.links:
            # Most links are absolute and the same on thousands of pages: resolved once.
            key = href if href.startswith(("/", "#")) or ":" in href.split("/", 1)[0] else (page_dir, href)
            if key not in resolved:
                resolved[key] = _resolve(page_dir, href, site_url, folders)
            target = resolved[key]
            if target is None:
                continue
            page, anchor = target
            page = page or relative  # a link to an anchor of the page itself
            if page not in files:
                problems.append(f"lỗi [quality] {relative}: liên kết “{href}” không tới trang nào")
            elif anchor and page.endswith(".html") and anchor not in (pages[page].ids if page in pages else ()):
                problems.append(f"lỗi [quality] {relative}: liên kết “{href}” tới mục #{anchor} không có trên trang")
    for xml_file in [site / "sitemap.xml", *sorted((site / "feeds").glob("*.xml"))]:
        if xml_file.name == "sitemap.xml" and not xml_file.exists():
            problems.append("lỗi [build] thiếu sitemap.xml")
            continue
        try:
            ElementTree.parse(xml_file)
        except ElementTree.ParseError as exc:
            problems.append(f"lỗi [build] {xml_file.relative_to(site)}: tệp XML hỏng ({exc})")
    return problems


def _resolve(page_dir: str, href: str, site_url: str, folders: set[str]) -> tuple[str, str] | None:
    """(file relative to the site, anchor) for an internal link, None for anything else;
    ("", anchor) for an anchor on the same page. Pure string work against the site's
    file list: no file system call per link."""
    if site_url and href.startswith(site_url):
        href = href[len(site_url):] or "/"
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("//"):
        return None
    path = unquote(parts.path)
    if not path:
        return ("", parts.fragment)
    base = "" if path.startswith("/") else page_dir
    resolved = os.path.normpath(os.path.join(base, path.lstrip("/"))).lstrip("./") if path != "/" else ""
    if resolved == ".":
        resolved = ""
    if path.endswith("/") or resolved in folders or resolved == "":
        resolved = f"{resolved}/index.html".lstrip("/")
    return (resolved, parts.fragment)


def previous_release(live: Path) -> tuple[Path, Manifest] | None:
    """The live release and its manifest, when both are there to reuse and the file
    system can hard-link into it (some network and USB file systems cannot)."""
    if not live.is_symlink() or not _hard_links_work(live.parent):
        return None
    folder = live.resolve()
    try:
        with open(_manifest_file(folder), "rb") as handle:
            layout, manifest = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
        return None
    return (folder, manifest) if folder.is_dir() and layout == MANIFEST_LAYOUT else None


def _hard_links_work(folder: Path) -> bool:
    probe = folder / f".{os.getpid()}.link-probe"
    try:
        probe.write_bytes(b"")
        os.link(probe, f"{probe}-2")
        os.unlink(f"{probe}-2")
        return True
    except OSError:
        return False
    finally:
        probe.unlink(missing_ok=True)


def _manifest_file(release_folder: Path) -> Path:
    return release_folder.parent / f"{release_folder.name}.manifest"


_RELEASE_NAME = re.compile(r"\d{8}T\d{12}(?:-[a-z-]+)?")
HISTORY_FILE = ".live-history"  # beside the releases: the release names made live, oldest first


class OutputTaken(Exception):
    """The output folder exists and is not a live site this tool made."""


def check_output(live: Path) -> None:
    """Refuse to publish at `live` unless it is absent or a symbolic link into its own
    releases folder (`.NAME-releases/<release>`), as `release` makes it: an existing
    folder named by mistake would otherwise be taken over, and pruned three builds later."""
    if not live.is_symlink():
        if live.exists() or os.path.lexists(live):
            raise OutputTaken(f"lỗi [build] thư mục kết quả “{live}” đã có sẵn và không do cchc tạo ra (không phải liên kết tới "
                              f"{releases_dir(live).name}/): cchc không ghi đè hay chuyển đi thư mục không phải của mình; "
                              "chọn thư mục khác cho --output, hoặc chuyển thư mục này đi rồi dựng lại")
        return
    target = Path(os.path.normpath(live.parent / os.readlink(live)))
    if target.parent != Path(os.path.normpath(releases_dir(live).absolute())) or not _RELEASE_NAME.fullmatch(target.name):
        raise OutputTaken(f"lỗi [build] “{live}” là liên kết tới “{target}”, không phải tới một bản phát hành trong "
                          f"{releases_dir(live).name}/ do cchc tạo ra; chọn thư mục khác cho --output")


def release(built: Path, live: Path, manifest: Manifest | None = None) -> Path:
    """Make `built` the live site in one atomic switch; return the release folder."""
    check_output(live)
    releases = releases_dir(live)
    releases.mkdir(parents=True, exist_ok=True)
    target = releases / datetime.now().strftime("%Y%m%dT%H%M%S%f")
    if manifest is not None:
        with open(_manifest_file(target), "wb") as handle:
            pickle.dump((MANIFEST_LAYOUT, manifest), handle, protocol=pickle.HIGHEST_PROTOCOL)
    built.rename(target)
    _point(live, target)
    _write_history(releases, _read_history(releases) + [target.name])
    _prune(releases, keep=KEEP_RELEASES, live=target)
    return target


def _read_history(releases: Path) -> list[str]:
    try:
        return [line for line in (releases / HISTORY_FILE).read_text("utf-8").split() if _RELEASE_NAME.fullmatch(line)]
    except (OSError, UnicodeDecodeError):
        return []


def _write_history(releases: Path, names: list[str]) -> None:
    kept = [n for n in names if (releases / n).is_dir()]
    temporary = releases / f"{HISTORY_FILE}.{os.getpid()}"
    temporary.write_text("".join(f"{n}\n" for n in kept), "utf-8")
    os.replace(temporary, releases / HISTORY_FILE)


def _releases(folder: Path) -> list[Path]:
    """The kept releases, oldest first (named by time; pruned ones wait as `.trash-…`)."""
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def rollback(live: Path) -> Path:
    """Point the live site back at the release that was live before the current one.

    The releases made live are a stack (HISTORY_FILE): a build pushes its release, a
    rollback pops the current one. After "build A, build B, roll back to A, build C", a
    rollback goes to A, never to B, which was rolled back from. Releases from before the
    history was kept are taken in the order of their names."""
    folder = releases_dir(live)
    if not live.is_symlink() or not folder.is_dir():
        raise FileNotFoundError(f"“{live}” không phải trang do cchc phát hành: không có bản phát hành trước để quay lại")
    current = live.resolve()
    stack = [n for n in _read_history(folder) if (folder / n).is_dir()]
    if current.name in stack:
        below = stack[: len(stack) - 1 - stack[::-1].index(current.name)]
        below = [n for n in below if n != current.name]
        if not below:
            raise FileNotFoundError("không có bản phát hành trước để quay lại")
        target = folder / below[-1]
        _point(live, target)
        _write_history(folder, below)
        return target
    earlier = [p for p in _releases(folder) if p.name < current.name]
    if not earlier:
        raise FileNotFoundError("không có bản phát hành trước để quay lại")
    _point(live, earlier[-1])
    return earlier[-1]


def _point(live: Path, target: Path) -> None:
    link = live.parent / f".{live.name}.link-{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(os.path.relpath(target, live.parent))
    os.replace(link, live)  # rename(2): readers see the old site or the new, never a mix


def _prune(releases: Path, keep: int, live: Path) -> None:
    """Old releases leave the list at once (a rename), then their files are deleted by a
    process of their own that outlives the build (`_delete_in_background`)."""
    for old in _releases(releases)[:-keep]:
        if old != live:
            old.rename(releases / f".trash-{old.name}")
    for manifest in releases.glob("*.manifest"):
        if not (releases / manifest.stem).is_dir():
            manifest.unlink()
    _write_history(releases, _read_history(releases))  # the pruned ones leave the history
    _delete_in_background(sorted(releases.glob(".trash-*")))


# Deleting a release (thousands of files) takes 0.5-2 s of system time: nobody should
# wait for it, and it must not overlap a build's writing. It takes CPU the renderer
# needs, and on ext4 without a journal every new inode is first checked against the
# recently deleted ones (the kernel's `recently_deleted`, for 60 s to 6 min): measured
# here, 3,000 pages took 0.6 s to create on a quiet disk and 3.8-5.3 s just after a tree
# of that size was deleted. A trash folder left behind (the machine stopped) goes with
# the next release's.
_DELETE = "import shutil, sys\nfor folder in sys.argv[1:]:\n    shutil.rmtree(folder, ignore_errors=True)"


def _delete_in_background(folders: list[Path]) -> None:
    if folders:
        subprocess.Popen([sys.executable, "-c", _DELETE, *map(str, folders)], start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
