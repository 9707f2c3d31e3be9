"""Files of content/media/: judged by their type and by their bytes.

The portal serves media from its own origin, where the Content Security Policy's
`script-src 'self'` trusts every script: an HTML page, an SVG image with a script or a
JavaScript file placed in content/media/ would run as the portal. So a media file is
accepted only when

- its extension is on the allow-list (`limits.quality.media` of the rules catalogue), and
- its first bytes are those of that format (a `.png` starts with the PNG signature, a
  `.pdf` with `%PDF-`, Office files with their containers …), and
- nothing in it reads as markup or script a browser would run (`<html`, `<script`,
  `<svg`, `<?xml` … at its start, whatever its name; for text formats anywhere).

SVG is refused, not sanitised: it is XML that may carry script, event handlers,
external references and `<foreignObject>` HTML, and a sanitiser for it is a second HTML
sanitiser to keep right. Drawings are published as PNG or PDF.

A few magic numbers are enough here (no `filetype`/`puremagic` dependency): the list
of accepted formats is short and fixed, and what matters is refusing markup, which no
magic-number library judges anyway.
"""

import os
import re
from pathlib import Path, PurePosixPath

# Formats a browser runs or renders as a document of the origin: never media, whatever
# a board member accepted. (Anything else off the allow-list is a quality refusal.)
ACTIVE_EXTENSIONS = {"html", "htm", "xhtml", "xht", "shtml", "mht", "mhtml", "svg", "svgz", "xml", "xsl", "xslt", "rss", "atom",
                     "js", "mjs", "cjs", "jsx", "ts", "json", "jsonld", "wasm", "swf", "css", "php", "phtml", "asp", "aspx", "jsp",
                     "cgi", "pl", "py", "sh", "vbs", "hta", "appcache", "manifest", "webmanifest"}

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # doc, xls, ppt
_ZIP = b"PK\x03\x04"  # docx, xlsx, pptx, odt, ods, odp
SIGNATURES = {
    "png": (b"\x89PNG",),
    "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "pdf": (b"%PDF-",),
    "doc": (_OLE,), "xls": (_OLE,), "ppt": (_OLE,),
    "docx": (_ZIP,), "xlsx": (_ZIP,), "pptx": (_ZIP,), "odt": (_ZIP,), "ods": (_ZIP,), "odp": (_ZIP,),
    "rtf": (b"{\\rtf",),
    "ogg": (b"OggS",),
    "webm": (b"\x1a\x45\xdf\xa3",),
}
_RIFF = {"webp": b"WEBP", "wav": b"WAVE"}
_FTYP = {"mp4", "m4a"}  # ISO base media: bytes 4-8 are "ftyp"
TEXT_FORMATS = {"txt", "csv"}

# What browsers' MIME sniffing (WHATWG "MIME Sniffing" § 7.1) takes for HTML or XML at
# the start of a file, plus SVG and script openers.
_MARKUP_START = re.compile(
    rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<script|<iframe|<h1|<div|<font|<table|<a[\s>]|<style|<title|<b[\s>]|<br|<p[\s>]"
    rb"|<!--|<\?xml|<svg|<object|<embed|<meta|<link|<img|<form|<math|<xsl)", re.I)
# Anywhere in a text format: markup that runs, or script a page could load from it.
_ACTIVE_TEXT = re.compile(
    rb"<\s*(?:script|svg|html|iframe|object|embed|meta|link|base|img|body|style)\b|\bon[a-z]+\s*=|javascript\s*:"
    rb"|\b(?:document|window|globalThis|location|navigator)\s*\.\s*[a-z]|\b(?:eval|alert|fetch|import|Function)\s*\(|=>",
    re.I)
_SNIFF_BYTES = 4096
_TEXT_BYTES = 1 << 20


def extension(name: str) -> str:
    return PurePosixPath(name).suffix.lower().lstrip(".")


def content_problem(file_path: Path, ext: str) -> str | None:
    """Why the bytes of this file are not what its extension says, or read as markup or script."""
    with open(file_path, "rb") as handle:
        head = handle.read(_TEXT_BYTES if ext in TEXT_FORMATS else _SNIFF_BYTES)
    shown = PurePosixPath(file_path).name
    bare = head.removeprefix(b"\xef\xbb\xbf")
    if _MARKUP_START.match(bare) or (ext in TEXT_FORMATS and _ACTIVE_TEXT.search(bare)):
        return (f"tệp “{shown}” chứa mã HTML, SVG hoặc mã script mà trình duyệt có thể chạy ngay trên tên miền của Cổng; "
                "không được đăng dưới bất kỳ tên nào (hãy đăng bản PDF hoặc ảnh PNG)")
    if ext in SIGNATURES and not head.startswith(SIGNATURES[ext]):
        return f"nội dung tệp “{shown}” không phải định dạng .{ext} như tên tệp (tệp hỏng hoặc bị đổi tên); hãy xuất lại tệp đúng định dạng"
    if ext in _RIFF and not (head.startswith(b"RIFF") and head[8:12] == _RIFF[ext]):
        return f"nội dung tệp “{shown}” không phải định dạng .{ext} như tên tệp (tệp hỏng hoặc bị đổi tên); hãy xuất lại tệp đúng định dạng"
    if ext in _FTYP and head[4:8] != b"ftyp":
        return f"nội dung tệp “{shown}” không phải định dạng .{ext} như tên tệp (tệp hỏng hoặc bị đổi tên); hãy xuất lại tệp đúng định dạng"
    if ext == "mp3" and not (head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)):
        return f"nội dung tệp “{shown}” không phải định dạng .mp3 như tên tệp (tệp hỏng hoặc bị đổi tên); hãy xuất lại tệp đúng định dạng"
    if ext in TEXT_FORMATS:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # not just a character cut at the end of what was read
                return f"tệp “{shown}” không phải văn bản UTF-8; hãy lưu lại bằng mã UTF-8"
    return None


def kind_of(name: str, limits: dict) -> tuple[str, dict] | None:
    ext = extension(name)
    for kind, spec in limits["media"].items():
        if ext in spec["extensions"]:
            return kind, spec
    return None


def file_problem(relative: str, content_dir: Path, limits: dict) -> tuple[str, str] | None:
    """(rule, message) of what is wrong with a file of content/media/ (relative to
    content/), if anything. `unsafe-html` (a harm rule: the production build refuses it)
    for what a browser could run; `quality` for formats and sizes the board judges."""
    from .boundary import in_symlink

    target = Path(content_dir) / relative
    if in_symlink(target, content_dir):
        return "scope", f"“{relative}” là liên kết tượng trưng (symlink): Cổng sẽ đăng tệp nó trỏ tới; thay bằng tệp thật"
    if not target.is_file():
        return "quality", f"tệp “{relative}” không có trong content/"
    ext = extension(relative)
    found = kind_of(relative, limits)
    if found is None:
        allowed = ", ".join(e for spec in limits["media"].values() for e in spec["extensions"])
        if ext in ACTIVE_EXTENSIONS:
            return "unsafe-html", (f"tệp “{relative}” (.{ext}) là loại tệp trình duyệt chạy như trang web hoặc mã script; "
                                   f"không được đăng trong content/media/; chỉ nhận: {allowed}")
        return "quality", f"định dạng tệp “{relative}” không được nhận (Điều 8.1.b); chỉ nhận: {allowed}"
    kind, spec = found
    size_mib = target.stat().st_size / 2**20
    if size_mib > spec["max_mib"]:
        return "quality", f"tệp “{relative}” nặng {size_mib:.1f} MiB, quá giới hạn {spec['max_mib']} MiB cho {kind}"
    try:
        problem = content_problem(target, ext)
    except OSError as exc:
        return "quality", f"không đọc được tệp “{relative}” ({exc.strerror or 'lỗi đọc tệp'})"
    return ("unsafe-html", problem) if problem else None


def active_problem(relative: str, content_dir: Path, limits: dict) -> tuple[str, str] | None:
    """What the production build refuses in a media file whoever reviewed it: a symlink,
    a format off the allow-list, bytes that are not the format or read as markup."""
    found = file_problem(relative, content_dir, limits)
    if found is None:
        return None
    if found[0] in ("scope", "unsafe-html") or kind_of(relative, limits) is None:
        return found
    return None  # size: the board's call when the item merged


def all_files(content_dir: Path) -> list[str]:
    """Every file under content/media/, relative to content/, never through a symlink."""
    media = Path(content_dir) / "media"
    if not media.is_dir() or media.is_symlink():
        return []
    found = []
    for folder, folders, files in os.walk(media):
        folders[:] = [d for d in folders if not os.path.islink(os.path.join(folder, d))]
        for name in files:
            path = Path(folder) / name
            if not path.is_symlink() and not name.startswith("."):
                found.append(path.relative_to(content_dir).as_posix())
    return sorted(found)
