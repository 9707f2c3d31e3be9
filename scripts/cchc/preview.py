"""The pull request's preview: which public pages it adds, changes or removes, and their
addresses, as a Markdown summary in Vietnamese for the gate job's step summary. The
board opens these addresses in the preview site the gate uploads as an artifact.

An address is computed from the content path alone, as the site's URL settings make it
(ARTICLE_URL "{category}/{year}/{slug}/", the category being the type's folder, and
PAGE_URL "{slug}/"): `content/<type>/<field>/<year>/<slug>.md` is
`/<type>/<year>/<slug>/` and `content/trang/<slug>.md` is `/<slug>/` (one folder down,
`content/trang/<group>/<slug>.md`, is `/<group>/<slug>/`).
"""

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from .change import Change
from .model import TYPE_BY_FOLDER

ARTIFACT_NAME = "ban-xem-truoc"
_STATUS = {"A": "thêm mới", "M": "sửa", "R": "đổi địa chỉ", "D": "gỡ bỏ"}


def address(path: str) -> str | None:
    """The public address of a content file (relative to the repository), or None when
    the file is no page (a registry, a media file, a path outside the content model)."""
    parts = PurePosixPath(path).parts
    if len(parts) < 3 or parts[0] != "content" or not parts[-1].endswith(".md"):
        return None
    ctype = TYPE_BY_FOLDER.get(parts[1])
    if ctype is None:
        return None
    slug = parts[-1][: -len(".md")]
    if ctype.has_field:
        return f"/{ctype.folder}/{parts[3]}/{slug}/" if len(parts) == 5 else None
    return f"/{'/'.join(parts[2:-1] + (slug,))}/" if len(parts) in (3, 4) else None


@dataclass(frozen=True)
class PageChange:
    status: str  # "A", "M", "R" or "D"
    path: str
    address: str
    title: str | None = None
    old_address: str | None = None  # for "R"


def _title(repo: Path, path: str) -> str | None:
    """The item's title from its front matter, when it can be read (the gate has already
    said what is wrong with a file that cannot)."""
    try:
        text = (repo / path).read_text("utf-8")
        if not text.startswith("---"):
            return None
        header = yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---"))
        title = header.get("title") if isinstance(header, dict) else None
        return " ".join(str(title).split()) if title else None
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def page_changes(repo: Path, change: Change) -> tuple[list[PageChange], list[str]]:
    """The pages the change touches, and the other content files it changes."""
    pages, others = [], []
    for file in change.files:
        where = address(file.path)
        if where is None:
            others.append(file.path)
            continue
        old = address(file.old_path) if file.old_path else None
        status = "M" if file.status == "R" and old == where else file.status
        title = None if status == "D" else _title(repo, file.path)
        pages.append(PageChange(status, file.path, where, title, old if status == "R" else None))
    order = {"A": 0, "M": 1, "R": 2, "D": 3}
    return sorted(pages, key=lambda p: (order[p.status], p.address)), sorted(others)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def summary(pages: list[PageChange], others: list[str], artifact_url: str | None = None) -> str:
    """The step summary (GitHub-flavoured Markdown, Vietnamese)."""
    lines = ["## Bản xem trước của trang", ""]
    shown = [p for p in pages if p.status != "D"]
    if shown:
        lines += [f"Pull request này thêm hoặc sửa {len(shown)} trang:", "", "| Trang | Địa chỉ | Thay đổi | Tệp |", "| --- | --- | --- | --- |"]
        for page in shown:
            what = _STATUS[page.status] + (f" (trước là `{page.old_address}`)" if page.old_address else "")
            lines.append(f"| {_cell(page.title or page.address)} | `{page.address}` | {what} | `{_cell(page.path)}` |")
        lines.append("")
    else:
        lines += ["Pull request này không thêm và không sửa trang nào.", ""]
    removed = [p for p in pages if p.status == "D"]
    if removed:
        lines += [f"Trang bị gỡ bỏ ({len(removed)}): " + ", ".join(f"`{p.address}`" for p in removed), ""]
    if others:
        lines += ["Tệp khác thay đổi (không phải trang; danh mục trong content/data/ có thể làm đổi nhiều trang): "
                  + ", ".join(f"`{_cell(path)}`" for path in others), ""]
    if shown or removed or others:
        where = f"[{ARTIFACT_NAME}]({artifact_url})" if artifact_url else f"“{ARTIFACT_NAME}” (mục Artifacts của lần chạy này)"
        lines += [f"Xem trang như khi được đăng: tải gói {where}, giải nén, chạy `python3 -m http.server 8000` trong thư mục đó "
                  "rồi mở `http://localhost:8000` kèm địa chỉ trên, ví dụ "
                  f"`http://localhost:8000{shown[0].address if shown else '/'}`.", ""]
    return "\n".join(lines)
