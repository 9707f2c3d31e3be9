"""`quality`: below the portal's quality bar (length, summary, alt text, files, links, NFC)."""

import re

from .. import media
from . import catalogue
from .base import body_matches

QUALITY = catalogue.rule("quality")
RULES = (QUALITY,)

_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)")
_MD_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]+)")
_HTML_IMG = re.compile(r"<img\b[^>]*>", re.I)
_HTML_ALT = re.compile(r"\balt\s*=\s*(\"[^\"]*\S[^\"]*\"|'[^']*\S[^']*'|[^\s\"'>]+)", re.I)
_HTML_REF = re.compile(r"\b(?:href|src)\s*=\s*[\"']([^\"']+)[\"']", re.I)
_WORD = re.compile(r"\w+")


def media_kind(file_name: str, limits: dict) -> tuple[str, dict] | None:
    return media.kind_of(file_name, limits)


def media_problem(relative: str, context) -> str | None:
    """What is wrong with a file of content/media/ (relative to content/) that an item
    names, if anything (cchc.media: type, size and bytes)."""
    found = media.file_problem(relative, context.content_dir, context.quality)
    return found[1] if found else None


def _target(reference: str) -> tuple[str, str] | None:
    """What a link in the body points at inside the portal: ("media", path under content/),
    ("content", a {filename} path), ("url", a site address), ("relative", the link) for a
    relative media link that would break on the page; None for the outside world."""
    reference = reference.split("#", 1)[0].split("?", 1)[0]
    if not reference or re.match(r"^[a-z][a-z0-9+.-]*:", reference) or reference.startswith("//"):
        return None
    for prefix in ("{static}/", "{attach}/", "{filename}/", "/"):
        if reference.startswith(prefix):
            rest = reference[len(prefix):]
            if rest.startswith("media/"):
                return ("media", rest)
            if prefix == "{filename}/":
                return ("content", rest)
            return ("url", reference) if prefix == "/" else None
    return ("relative", reference) if reference.startswith("media/") else None


def check_item(item, context):
    meta, path, position = item.meta, item.path, item.source.position
    type_name = item.location.type.name
    words = len(_WORD.findall(item.source.body))
    minimum = context.quality["min_body_words"][type_name]
    if words < minimum:
        yield QUALITY.at(path, (item.source.body_line, 1), f"nội dung quá ngắn: {words} từ, cần ít nhất {minimum} từ cho loại {item.location.type.label}")
    if type_name != "page" and not str(meta.get("summary") or "").strip():
        yield QUALITY.at(path, position("summary"), "thiếu tóm tắt (summary): một đến ba câu nêu nội dung chính")
    title = meta.get("title", "")
    if len(title) > context.quality["max_title_chars"]:
        yield QUALITY.at(path, position("title"), f"tiêu đề dài {len(title)} ký tự, quá {context.quality['max_title_chars']} ký tự")
    letters = [ch for ch in title if ch.isalpha()]
    if len(letters) >= 4 and title == title.upper():
        yield QUALITY.at(path, position("title"), "tiêu đề viết hoa toàn bộ; chỉ viết hoa chữ đầu và tên riêng")
    if not item.source.is_nfc:
        yield QUALITY.at(path, (item.source.non_nfc_line, 1), "văn bản không ở dạng Unicode dựng sẵn (NFC), thường do gõ bằng bảng mã tổ hợp; hãy chuyển sang Unicode dựng sẵn")

    files = [(("images", i, "src"), image.get("src", "")) for i, image in enumerate(meta.get("images", []))]
    files += [(("attachments", i, "file"), a.get("file", "")) for i, a in enumerate(meta.get("attachments", []))]
    if meta.get("results"):
        files.append((("results",), meta["results"]))
    for keys, relative in files:
        problem = media_problem(relative, context)
        if problem:
            yield QUALITY.at(path, position(*keys), problem)

    for match, place in body_matches(item, _MD_IMAGE):
        if not match.group(1).strip():
            yield QUALITY.at(path, place, "ảnh không có mô tả (alt): viết mô tả trong ![...] cho người khiếm thị")
    for match, place in body_matches(item, _HTML_IMG):
        if not _HTML_ALT.search(match.group(0)):
            yield QUALITY.at(path, place, "ảnh không có mô tả (alt): thêm alt=\"…\" cho người khiếm thị")
    for pattern in (_MD_IMAGE, _MD_LINK, _HTML_REF):
        group = 2 if pattern is _MD_IMAGE else 1
        for match, place in body_matches(item, pattern):
            target = _target(match.group(group))
            if target is None:
                continue
            kind, relative = target
            if kind == "media":
                problem = media_problem(relative, context)
                if problem:
                    yield QUALITY.at(path, place, problem)
            elif kind == "relative":
                yield QUALITY.at(path, place, f"đường dẫn tương đối “{relative}” sẽ hỏng trên trang; viết “/{relative}”")
            elif kind == "content" and not (context.content_dir / relative).is_file():
                yield QUALITY.at(path, place, f"liên kết tới “{relative}” nhưng trang này không có trong content/")
            elif kind == "url" and not context.url_exists(relative):
                yield QUALITY.at(path, place, f"liên kết tới “{relative}” nhưng Cổng không có trang này")
