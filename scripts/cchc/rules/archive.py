"""`archive`: published content is kept for good (Điều 8.4).

Nothing published is deleted or moved to another address; the only way out is a
withdrawal decision recorded by `cchc withdraw`, which keeps the page. Every edit of a
published item says what changed in a new `change_note`.
"""

from ..model import TYPE_BY_FOLDER
from . import catalogue

ARCHIVE = catalogue.rule("archive")
RULES = (ARCHIVE,)


def _address(path: str) -> tuple:
    """What the public URL is made of: type folder, year and file name; not the field."""
    parts = path.removeprefix("content/").split("/")
    ctype = TYPE_BY_FOLDER.get(parts[0])
    if ctype is not None and ctype.has_field and len(parts) == 4:
        return (parts[0], parts[2], parts[3])
    return tuple(parts)


def check_change(change, context):
    for file_change in change.files:
        if file_change.status == "D" and file_change.path in context.published:
            yield ARCHIVE.at(file_change.path, (1, 1),
                             "không được xoá nội dung đã đăng; để gỡ, dùng “cchc withdraw” với số ký hiệu quyết định của cấp có thẩm quyền")
        elif file_change.status == "R" and file_change.old_path in context.published:
            if _address(file_change.old_path) != _address(file_change.path):
                yield ARCHIVE.at(file_change.path, (1, 1),
                                 f"đổi tên {file_change.old_path} làm thay đổi địa chỉ trang đã đăng; địa chỉ (loại, năm, tên tệp) là vĩnh viễn")


def check_item(item, context):
    before = context.base_version_of(item.path)
    if before is None:
        return
    note = item.meta.get("change_note")
    if not note:
        yield ARCHIVE.at(item.path, (1, 1), "sửa nội dung đã đăng phải ghi “change_note”: nêu ngắn gọn đã sửa gì")
    elif note == before.meta.get("change_note"):
        yield ARCHIVE.at(item.path, item.source.position("change_note"), "“change_note” giống lần sửa trước; hãy ghi nội dung của lần sửa này")
