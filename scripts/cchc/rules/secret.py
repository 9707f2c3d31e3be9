"""`secret` and `not-public`: state secrets and material not cleared for the public.

Stamps count when they stand as a line or heading of their own (as stamped on a paper
document), in any tone-mark spelling and case; running text that merely talks about
secrets ("Luật Bảo vệ bí mật nhà nước", "mật khẩu") passes, and so does a heading
"Độ mật" (the label of the field, not a level).

Lines are read as a reader sees them (scripts/cchc/normalise.py): invisible
characters, look-alike letters, spaced letters, emphasis, HTML, quotes, table cells
and alt texts do not hide a stamp; a stamp followed by a document number ("MẬT - Số
12") is still one; so is a link to a file named after one.
"""

import re

from ..dates import parse
from ..normalise import link_targets, rendering
from ..text import fold, untone
from . import catalogue
from .base import Rule, body_place

SECRET = catalogue.rule("secret")
NOT_PUBLIC = catalogue.rule("not-public")
RULES = (SECRET, NOT_PUBLIC)

# Stamp text without tone marks, lower case (catalogue.yml, lists). Single words keep their
# vowel shape so that "MẬT" is caught and "MẶT" is not; phrases are compared fully folded.
SECRET_STAMPS = set(catalogue.lists()["secret_stamps"])
NOT_PUBLIC_STAMPS = set(catalogue.lists()["not_public_stamps"])
_LINE = re.compile(r"^[ \t>#*_\-\[\](){}.:;!|\"'“”‘’«»+]*(.*?)[ \t*_\-\[\](){}.:;!|\"'“”‘’«»]*$", re.M)
# A stamp followed by the document's number or date: "MẬT - Số 12/BC", "TỐI MẬT, số 3".
_NUMBERED = re.compile(r"^(.*?)\s*[-–—,:/]\s*(?:số|so|no\.?|ký hiệu|ngày|\d).*$", re.I)
_CLASSIFICATION = {"secret": SECRET, "top-secret": SECRET, "internal": NOT_PUBLIC, "restricted": NOT_PUBLIC}
_SECRET_NAME = re.compile(r"(^|[-_.])(toi|tuyet|do|tai-lieu)[-_]mat([-_.]|$)|[-_]mat\.[a-z0-9]+$")
_NOT_PUBLIC_NAME = re.compile(r"(^|[-_.])(luu[-_]hanh[-_])?noi[-_]bo([-_.]|$)|xem[-_]xong[-_]tra[-_]lai")


_STAMP_RULES = [(stamps, {fold(s) for s in stamps if " " in s}, rule) for stamps, rule in ((SECRET_STAMPS, SECRET), (NOT_PUBLIC_STAMPS, NOT_PUBLIC))]


def _stamp(line: str) -> Rule | None:
    """The rule a line breaks when it is a stamp: exact without tones, or a phrase fully folded."""
    if len(line) > 60:
        return None
    numbered = _NUMBERED.match(line)
    candidates = [line] + ([numbered.group(1)] if numbered and numbered.group(1).strip() else [])
    for candidate in candidates:
        words = " ".join(untone(candidate).lower().split())
        folded = " ".join(fold(candidate).lower().split())
        for stamps, folded_phrases, rule in _STAMP_RULES:
            if words in stamps or folded in folded_phrases:
                return rule
    return None


_LOOSE = [({"".join(s.split()) for s in stamps}, rule) for stamps, rule in ((SECRET_STAMPS, SECRET), (NOT_PUBLIC_STAMPS, NOT_PUBLIC))]


def _stamp_loose(line: str) -> Rule | None:
    """`_stamp` for text extracted from a file, whose spaces are not to be trusted: a PDF
    may give "TUY Ệ T M Ậ T". Letters only are compared, without tone marks."""
    if len(line) > 80:
        return None
    letters = "".join(ch for ch in untone(line).lower() if ch.isalpha())
    for stamps, rule in _LOOSE:
        if letters in stamps:
            return rule
    return _stamp(line)


def attachment_findings(item, context):
    """Stamps in the text of the item's attachments and media documents (cchc.extract)."""
    if context.portal is None:
        return
    from ..extract import item_texts, unread_scans, where

    for keys, relative in unread_scans(item, context.portal):
        place = item.source.position(*keys) if keys else (item.source.body_line, 1)
        yield SECRET.at(item.path, place, f"tệp “{relative}” là bản quét hoặc ảnh nhưng máy này chưa cài tesseract-ocr, tesseract-ocr-vie "
                                          "(make ocr) nên không đọc được chữ để kiểm tra dấu độ mật; cài rồi kiểm tra lại")
    for keys, relative, page in item_texts(item, context.portal):
        for number, line in enumerate(page.text.split("\n"), 1):
            match = _LINE.match(line)
            stamp_rule = _stamp_loose(match.group(1) if match else line)
            if stamp_rule:
                place = item.source.position(*keys) if keys else (item.source.body_line, 1)
                yield stamp_rule.at(item.path, place, f"{where(relative, page, number)}: dòng “{line.strip()}” là dấu chỉ mức độ mật hoặc phạm vi lưu hành; "
                                                       "tài liệu có dấu này không được đăng công khai")


def check_item(item, context):
    meta, path = item.meta, item.path
    rule = _CLASSIFICATION.get(meta.get("classification"))
    if rule:
        yield rule.at(path, item.source.position("classification"),
                      f"độ mật “{meta['classification']}”: chỉ nội dung “public” (công khai) mới được đăng")
    seen = _reader_lines(item)
    for offset, line, stamp_rule in seen:
        yield stamp_rule.at(path, body_place(item, offset),
                            f"dòng “{line}” là dấu chỉ mức độ mật hoặc phạm vi lưu hành; tài liệu có dấu này không được đăng công khai")
    for offset, target in link_targets(item.source.body):
        name = fold(target.split("?")[0].split("#")[0].rstrip("/").rsplit("/", 1)[-1]).lower()
        if _SECRET_NAME.search(name):
            yield SECRET.at(path, body_place(item, offset), f"liên kết tới tệp “{name}” mang dấu độ mật")
        elif _NOT_PUBLIC_NAME.search(name):
            yield NOT_PUBLIC.at(path, body_place(item, offset), f"liên kết tới tệp “{name}” mang dấu lưu hành nội bộ")
    files = [("images", i, "src", image.get("src", "")) for i, image in enumerate(meta.get("images", []))]
    files += [("attachments", i, "file", a.get("file", "")) for i, a in enumerate(meta.get("attachments", []))]
    for key, index, subkey, file_name in files:
        name = fold(file_name.rsplit("/", 1)[-1]).lower()
        if _SECRET_NAME.search(name):
            yield SECRET.at(path, item.source.position(key, index, subkey), f"tên tệp “{file_name}” mang dấu độ mật")
        elif _NOT_PUBLIC_NAME.search(name):
            yield NOT_PUBLIC.at(path, item.source.position(key, index, subkey), f"tên tệp “{file_name}” mang dấu lưu hành nội bộ")
    embargo = meta.get("publish_after")
    if isinstance(embargo, str) and parse(embargo) > context.now:
        yield NOT_PUBLIC.at(path, item.source.position("publish_after"),
                            f"nội dung được giữ đến {embargo} (publish_after) mới đăng; bản dựng sẽ tự đăng sau thời điểm này", severity="notice")
    yield from attachment_findings(item, context)


def _reader_lines(item) -> list[tuple[int, str, Rule]]:
    """(offset in the body, line, rule) of each stamp line, as a reader sees the body;
    one finding per line of the file."""
    mapped = rendering(item.source.body)
    found, lines_seen = [], set()
    for match in _LINE.finditer(mapped.text):
        text = match.group(1)
        if not text.strip():
            continue
        stamp_rule = _stamp(text)
        if stamp_rule:
            offset = mapped.where(match.start(1))
            line = item.source.body.count("\n", 0, offset)
            if line not in lines_seen:
                lines_seen.add(line)
                found.append((offset, text.strip(), stamp_rule))
    return found
