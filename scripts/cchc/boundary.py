"""The content tree is a boundary: no link, path or copy leaves it.

Pelican copies what a `{static}` or `{attach}` link names and resolves `{filename}`
links against the files it read; both take the path as written, `..` included, and
follow symbolic links. Every such path is judged here, once, for the gate and the build:

- `{static}`/`{attach}` links and front-matter media paths (`images[].src`,
  `attachments[].file`, `results`) must name a file under `content/media/`;
- `{filename}` links must name a file under `content/`, never the registries of
  `content/data/` (they hold Git user names and e-mail addresses);
- no path goes through `..` or a hidden name (`.git`), in any spelling Pelican would
  also try (as written, percent-decoded, HTML-unescaped);
- no symbolic link is accepted anywhere under `content/`: it would publish its target.

Every refusal is a `scope` finding (a harm rule: the production build refuses it too)
naming file, line and column.
"""

import html
import os
import posixpath
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from .findings import Finding

RULE = "scope"
# Pelican's INTRASITE_LINK_REGEX is `[{|](?P<what>.*?)[|}]` (both `{static}` and the old
# `|static|`); the value runs to the closing quote, so here to the first space or quote.
_INTRASITE = re.compile(r"[{|](static|attach|filename)[}|]([^\s\"'<>]*)")
# Pelican's own pattern over rendered HTML (contents.py `_get_intrasite_link_regex`).
_INTRASITE_HTML = re.compile(
    r"""<[^>]+(?:href|src|poster|data|cite|formaction|action|content)\s*=\s*(["'])[{|](?P<what>.*?)[|}](?P<value>.*?)\1""")
MEDIA_KEYS = (("images", "src"), ("attachments", "file"))


def _spellings(value: str) -> set[str]:
    """The value as written and as Pelican may also read it (unquoted, unescaped), to a fixed point."""
    seen, todo = set(), [value]
    while todo:
        current = todo.pop()
        if current in seen or len(seen) > 16:
            continue
        seen.add(current)
        todo += [unquote(current), html.unescape(current)]
    return seen


def _path_part(value: str) -> str:
    for stop in "?#)]":
        value = value.split(stop, 1)[0]
    return value


def _has_symlink(content_dir: Path, relative: str) -> bool:
    """Is any component of content/<relative> a symbolic link?"""
    current = Path(content_dir)
    for part in PurePosixPath(relative).parts:
        current = current / part
        if current.is_symlink():
            return True
        if not current.exists():
            return False
    return False


def target_problem(what: str, value: str, item_dir: str, content_dir: Path | None = None) -> str | None:
    """Why a link `{what}value` written in a file of content/<item_dir>/ (or a front-matter
    media path, what="media", relative to content/) would leave its boundary, if it would."""
    shown = f"{{{what}}}{value}" if what != "media" else value
    for spelling in _spellings(value):
        path = _path_part(spelling)
        if "\\" in path or "\x00" in path:
            return f"đường dẫn “{shown}” có ký tự không được phép (\\ hoặc ký tự rỗng)"
        segments = [s for s in path.split("/") if s]
        if ".." in segments:
            return f"đường dẫn “{shown}” đi ra ngoài thư mục bằng “..”; viết đường dẫn đầy đủ từ content/, ví dụ “{{static}}/media/2024/ten-tep.pdf”"
        if any(s.startswith(".") for s in segments):
            return f"đường dẫn “{shown}” trỏ tới tệp hoặc thư mục ẩn (bắt đầu bằng dấu chấm), không phải nội dung của Cổng"
        if path.startswith("//"):
            return f"đường dẫn “{shown}” trỏ ra ngoài thư mục content/"
        if what == "media" or path.startswith("/"):
            relative = posixpath.normpath(path.lstrip("/")) if path.strip("/") else ""
        else:
            relative = posixpath.normpath(posixpath.join(item_dir, path))
        if what in ("static", "attach", "media"):
            if not relative.startswith("media/"):
                if relative.startswith("data/") or relative == "data":
                    return f"đường dẫn “{shown}” trỏ tới danh mục content/data/ (chứa tài khoản Git và thư điện tử): danh mục không được đăng dưới dạng tệp"
                return f"đường dẫn “{shown}” không trỏ tới tệp trong content/media/; tệp đính kèm, ảnh chỉ được lấy từ content/media/, ví dụ “{{static}}/media/2024/ten-tep.pdf”"
        elif relative.startswith("data/") or relative == "data":
            return f"liên kết “{shown}” trỏ tới danh mục content/data/ (chứa tài khoản Git và thư điện tử), không phải một trang"
        if content_dir is not None and _has_symlink(content_dir, relative):
            return f"đường dẫn “{shown}” đi qua một liên kết tượng trưng (symlink) trong content/; thay bằng tệp thật"
    return None


def item_findings(item, content_dir: Path) -> list[Finding]:
    """Every path of one content item that would leave the content tree: links in the
    body and in any front-matter text, and the front-matter media paths."""
    from .rules.base import text_values

    source, path = item.source, item.path
    item_dir = posixpath.dirname(PurePosixPath(path).relative_to("content").as_posix()) if path.startswith("content/") else ""
    found = []
    for keys, text in text_values(item.meta):  # Pelican rewrites links in the summary; any other text is refused alike
        for link in _links(text):
            problem = target_problem(*link, item_dir, content_dir)
            if problem:
                found.append(Finding(path, *source.position(*keys), RULE, "error", problem))
    for list_key, key in MEDIA_KEYS:
        for index, entry in enumerate(item.meta.get(list_key) or []):
            if isinstance(entry, dict) and isinstance(entry.get(key), str):
                problem = target_problem("media", entry[key], item_dir, content_dir)
                if problem:
                    found.append(Finding(path, *source.position(list_key, index, key), RULE, "error", problem))
    if isinstance(item.meta.get("results"), str):
        problem = target_problem("media", item.meta["results"], item_dir, content_dir)
        if problem:
            found.append(Finding(path, *source.position("results"), RULE, "error", problem))
    for number, line in enumerate(source.body.split("\n")):
        for column, link in _links_with_columns(line):
            problem = target_problem(*link, item_dir, content_dir)
            if problem:
                found.append(Finding(path, source.body_line + number, column, RULE, "error", problem))
    return sorted(set(found))


def _links(text: str):
    for _, link in _links_with_columns(text):
        yield link


def _links_with_columns(line: str):
    """(column, (what, value)) of every intrasite link in a line, as written and as it
    reads once HTML entities are decoded (the sanitiser writes `&#123;` back as `{`)."""
    seen = set()
    for text in (line, html.unescape(line), unquote(line)):
        for match in _INTRASITE.finditer(text):
            link = (match.group(1), match.group(2))
            if link not in seen:
                seen.add(link)
                column = match.start() + 1 if text is line else 1
                yield column, link


def html_findings(rendered: str, shown: str, item_dir: str, content_dir: Path, line: int) -> list[Finding]:
    """The same judgement over the HTML Pelican will rewrite, with Pelican's own pattern:
    the build's second look, should the source scan have missed a spelling."""
    found = []
    for match in _INTRASITE_HTML.finditer(rendered):
        what = match.group("what")
        if what in ("static", "attach", "filename"):
            problem = target_problem(what, match.group("value"), item_dir, content_dir)
            if problem:
                found.append(Finding(shown, line, 1, RULE, "error", problem))
    return found


def symlink_findings(content_dir: Path, under: Path | None = None) -> list[Finding]:
    """A finding for every symbolic link under content/ (or one folder of it): files and
    folders alike, never followed."""
    content_dir = Path(content_dir)
    start = Path(under) if under is not None else content_dir
    found = []
    links = [start] if start.is_symlink() else []
    if not links:
        for folder, folders, files in os.walk(start):
            for name in folders + files:
                if os.path.islink(os.path.join(folder, name)):
                    links.append(Path(folder) / name)
    for link in links:
        found.append(symlink_finding(f"content/{link.relative_to(content_dir).as_posix()}"))
    return sorted(found)


def symlink_finding(shown: str) -> Finding:
    return Finding(shown, 1, 1, RULE, "error",
                   "đây là liên kết tượng trưng (symlink): Cổng sẽ đăng tệp nó trỏ tới, có thể nằm ngoài content/; thay bằng tệp thật")


def in_symlink(file_path: Path, content_dir: Path) -> bool:
    """Is this file, or a folder between content/ and it, a symbolic link?"""
    try:
        relative = Path(os.path.abspath(file_path)).relative_to(os.path.abspath(content_dir))
    except ValueError:
        return False
    return _has_symlink(content_dir, relative.as_posix())
