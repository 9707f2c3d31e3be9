"""The content model: content types, their folders, and what a content path means."""

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .findings import ContentError, Finding
from .text import slugify


@dataclass(frozen=True)
class ContentType:
    name: str  # schema name: article, document, ...
    folder: str  # folder under content/, also the public section's URL
    label: str  # the section's Vietnamese name
    has_field: bool  # does the path carry <field>/<year>/?
    date_key: str | None  # the type's own date, used when `date` is absent


TYPES = (
    ContentType("article", "tin-bai", "Tin, bài", True, "event_date"),
    ContentType("document", "van-ban", "Văn bản", True, "issued_date"),
    ContentType("consultation", "du-thao", "Dự thảo xin ý kiến", True, "opens"),
    ContentType("question", "hoi-dap", "Hỏi đáp", True, "answered_date"),
    ContentType("survey", "khao-sat", "Khảo sát", True, "opens"),
    ContentType("page", "trang", "Trang thông tin", False, None),
)
TYPE_BY_FOLDER = {t.folder: t for t in TYPES}
TYPE_BY_NAME = {t.name: t for t in TYPES}
NON_CONTENT_FOLDERS = ("data", "media")
_YEAR = re.compile(r"^(19|20)\d\d$")


@dataclass(frozen=True)
class Location:
    """Where a content file sits, and what its place says about it."""

    type: ContentType
    field: str | None
    year: int | None
    slug: str


def _scope(path: str, message: str) -> ContentError:
    return ContentError([Finding(path, 1, 1, "scope", "error", message)])


def locate(relative: str, known_fields: set[str], shown_as: str | None = None) -> Location:
    """Parse `<type>/<field>/<year>/<slug>.md` (or `trang/<slug>.md`), relative to content/."""
    shown = shown_as or relative
    parts = PurePosixPath(relative).parts
    folders = ", ".join(t.folder for t in TYPES)
    if len(parts) < 2 or parts[0] not in TYPE_BY_FOLDER:
        raise _scope(shown, f"thư mục “{parts[0] if parts else ''}” không phải chuyên trang của Cổng; nội dung phải nằm trong một trong: {folders}")
    ctype = TYPE_BY_FOLDER[parts[0]]
    expected = ("content/<loại>/<lĩnh vực>/<năm>/<tên-tệp>.md" if ctype.has_field
                else f"content/{ctype.folder}/<tên-tệp>.md hoặc content/{ctype.folder}/<nhóm>/<tên-tệp>.md")
    if len(parts) not in ((4,) if ctype.has_field else (2, 3)) or not parts[-1].endswith(".md"):
        raise _scope(shown, f"đường dẫn phải có dạng {expected}")
    slug = parts[-1][: -len(".md")]
    if slug != slugify(slug):
        raise _scope(shown, f"tên tệp “{slug}” phải là chữ thường không dấu nối bằng gạch ngang, ví dụ “{slugify(slug) or 'tin-moi'}.md”")
    if not ctype.has_field:
        return Location(ctype, None, None, _page_slug(shown, parts[1:-1], slug))
    field_id, year = parts[1], parts[2]
    if field_id not in known_fields:
        raise _scope(shown, f"lĩnh vực “{field_id}” không có trong content/data/fields.yml; chọn một trong: {', '.join(sorted(known_fields))}")
    if not _YEAR.match(year):
        raise _scope(shown, f"thư mục năm “{year}” phải là năm bốn chữ số, ví dụ 2024")
    return Location(ctype, field_id, int(year), slug)


# A standing page may sit one folder down (content/trang/huong-dan/quan-tri.md is
# /huong-dan/quan-tri/): the folder is the first part of its address, so it must not be
# one the site already writes (a section, the media, the generated lists).
RESERVED_PAGE_GROUPS = frozenset({t.folder for t in TYPES} | set(NON_CONTENT_FOLDERS)
                                 | {"tu-khoa", "tac-gia", "luu-tru", "feeds", "theme", "tim-kiem", "thong-ke", "pagefind", "du-lieu"})


def _page_slug(shown: str, groups: tuple, slug: str) -> str:
    """The page's address below the site root: its file name, after its folder if any."""
    if not groups:
        return slug
    group = groups[0]
    if group != slugify(group):
        raise _scope(shown, f"tên thư mục “{group}” phải là chữ thường không dấu nối bằng gạch ngang, ví dụ “{slugify(group) or 'huong-dan'}”")
    if group in RESERVED_PAGE_GROUPS:
        raise _scope(shown, f"thư mục “{group}” trùng địa chỉ /{group}/ mà Cổng đã dùng; đặt trang vào thư mục khác")
    return f"{group}/{slug}"


def is_stray(relative: PurePosixPath) -> bool:
    """A file under content/ that nothing publishes: not Markdown, not in data/ or media/."""
    if any(part.startswith(".") for part in relative.parts):
        return False
    return relative.parts[0] not in NON_CONTENT_FOLDERS and relative.suffix != ".md"


def stray_finding(shown: str) -> Finding:
    return Finding(shown, 1, 1, "scope", "error",
                   "tệp này không phải nội dung (.md) và không nằm trong content/media/ nên sẽ không được đăng; chuyển tệp đính kèm vào content/media/")


def stray_files(content_dir: Path) -> list[Finding]:
    """Files the build would otherwise pass over in silence."""
    return [stray_finding(f"content/{p.relative_to(content_dir).as_posix()}") for p in sorted(Path(content_dir).rglob("*"))
            if p.is_file() and is_stray(PurePosixPath(p.relative_to(content_dir).as_posix()))]
