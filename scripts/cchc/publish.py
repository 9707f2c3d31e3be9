"""Publishing a built site without ever breaking the live one.

The live folder is a symbolic link to a release folder beside it. A new build is
verified first, then the link is switched with one atomic rename; the previous release
stays for `cchc rollback`. A build or a verification that fails leaves the live site
exactly as it was.
"""

import os
import re
import shutil
import xml.etree.ElementTree as ElementTree
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

KEEP_RELEASES = 3  # the live one, the one before (for rollback), and one more
_TITLE = re.compile(r"<title>\s*([^<]*\S)\s*</title>", re.S)
_ID = re.compile(r"\sid=\"([^\"]+)\"")
_LINK = re.compile(r"\s(?:href|src)=\"([^\"]*)\"")


def releases_dir(live: Path) -> Path:
    return live.parent / f".{live.name}-releases"


def verify(site: Path, site_url: str = "") -> list[str]:
    """Problems of a built site: broken internal links and anchors, pages without a title,
    sitemap and feeds that do not parse. Each problem is one Vietnamese line."""
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    folders = {f.rsplit("/", 1)[0] for f in files if "/" in f}
    problems, ids, links = [], {}, []
    for relative in sorted(f for f in files if f.endswith(".html")):
        html = (site / relative).read_text("utf-8")
        if not _TITLE.search(html):
            problems.append(f"lỗi [quality] {relative}: trang không có tiêu đề (<title>)")
        ids[relative] = set(_ID.findall(html))
        links += [(relative, href) for href in set(_LINK.findall(html))]
    for relative, href in links:
        target = _resolve(relative, href, site_url, folders)
        if target is None:
            continue
        page, anchor = target
        if page not in files:
            problems.append(f"lỗi [quality] {relative}: liên kết “{href}” không tới trang nào")
        elif anchor and page.endswith(".html") and anchor not in ids.get(page, set()):
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


def _resolve(page: str, href: str, site_url: str, folders: set[str]) -> tuple[str, str] | None:
    """(file relative to the site, anchor) for an internal link, None for anything else.
    Pure string work against the site's file list: no file system call per link."""
    if site_url and href.startswith(site_url):
        href = href[len(site_url):] or "/"
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("//"):
        return None
    path = unquote(parts.path)
    if not path:
        return (page, parts.fragment)
    base = "" if path.startswith("/") else os.path.dirname(page)
    resolved = os.path.normpath(os.path.join(base, path.lstrip("/"))).lstrip("./") if path != "/" else ""
    if resolved == ".":
        resolved = ""
    if path.endswith("/") or resolved in folders or resolved == "":
        resolved = f"{resolved}/index.html".lstrip("/")
    return (resolved, parts.fragment)


def release(built: Path, live: Path) -> Path:
    """Make `built` the live site in one atomic switch; return the release folder."""
    releases = releases_dir(live)
    releases.mkdir(parents=True, exist_ok=True)
    target = releases / datetime.now().strftime("%Y%m%dT%H%M%S%f")
    built.rename(target)
    if live.exists() and not live.is_symlink():
        live.rename(releases / "00000000T000000000000-truoc-khi-co-ban-phat-hanh")  # a plain folder from before
    _point(live, target)
    _prune(releases, keep=KEEP_RELEASES, live=target)
    return target


def rollback(live: Path) -> Path:
    """Point the live site back at the release before the current one."""
    releases = sorted(p for p in releases_dir(live).iterdir() if p.is_dir())
    current = live.resolve()
    earlier = [p for p in releases if p.name < current.name]
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
    for old in sorted(p for p in releases.iterdir() if p.is_dir())[:-keep]:
        if old != live:
            shutil.rmtree(old)
