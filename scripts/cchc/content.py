"""A content item: a file read, placed in the model and checked against its schema.

Both the Pelican reader and the gate call `read_item`, so a file the build cannot
publish is exactly a file the gate refuses under the same rule id.
"""

import dataclasses
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import boundary, dates
from .findings import ContentError, Finding
from .frontmatter import Source, read_source
from .model import TYPE_BY_FOLDER, Location, locate
from .portal import Portal
from .registries import Registries

# Schema errors on these keys are refusals on another ground of Điều 4.6.
RULE_FOR_KEY = {"source": "source", "number": "source", "issuer": "source", "category": "scope",
                "classification": "secret", "verification": "reverify"}


@dataclass
class Item:
    source: Source
    location: Location

    @property
    def meta(self) -> dict:
        return self.source.meta

    @property
    def path(self) -> str:
        return self.source.path

    def when(self, key: str) -> datetime | None:
        value = self.meta.get(key)
        return dates.parse(value) if isinstance(value, str) else None

    def published(self) -> datetime | None:
        """First publication: `date`, else the type's own date (issue date, opening…)."""
        date_key = self.location.type.date_key
        return self.when("date") or (self.when(date_key) if date_key else None)


def read_item(file_path: Path, portal: Portal, registries: Registries, shown_as: str | None = None) -> Item:
    """Read one content file of the portal; raise ContentError with every finding when it is unusable.

    A file that is (or lies in) a symbolic link, or whose links or media paths would
    leave the content tree (cchc.boundary), is unusable in every mode: the build would
    publish what lies outside."""
    item, problems = inspect_item(file_path, portal, registries, shown_as)
    if problems:
        raise ContentError(problems)
    return item


def inspect_item(file_path: Path, portal: Portal, registries: Registries, shown_as: str | None = None) -> tuple[Item | None, list[Finding]]:
    """Every finding of reading one file, in one pass: a misplaced file is still parsed
    and schema-checked (under the type its folder names). The item comes back when the
    rules can run on it: schema-invalid keys left out, so a rule never reads a value of
    the wrong shape; None when the file cannot be parsed, typed or safely read."""
    content_dir = Path(portal.content)
    if boundary.in_symlink(file_path, content_dir):
        relative = Path(os.path.abspath(file_path)).relative_to(os.path.abspath(content_dir)).as_posix()
        return None, [boundary.symlink_finding(shown_as or f"content/{relative}")]
    relative = Path(file_path).resolve().relative_to(content_dir.resolve()).as_posix()
    shown = shown_as or f"content/{relative}"
    problems: list[Finding] = []
    try:
        location = locate(relative, set(registries.fields), shown)
    except ContentError as exc:
        problems += exc.findings
        location = _provisional_location(relative)
    try:
        source = read_source(Path(file_path), shown)
    except ContentError as exc:
        return None, problems + exc.findings + [_not_checked(shown, "phần đầu (YAML) của tệp chưa đọc được")]
    if location is None:
        return None, problems + [_not_checked(shown, "thư mục của tệp không cho biết loại nội dung")]
    schema_problems = portal.schemas.findings(source.meta, location.type.name, shown, source.position, rule_for_key=RULE_FOR_KEY)
    item = Item(source, location)
    escapes = boundary.item_findings(item, content_dir)
    if escapes:
        return None, problems + schema_problems + escapes
    if schema_problems:
        invalid = portal.schemas.invalid_keys(source.meta, location.type.name)
        item = Item(dataclasses.replace(source, meta={k: v for k, v in source.meta.items() if k not in invalid}), location)
    return item, problems + schema_problems


def _provisional_location(relative: str) -> Location | None:
    """The type a misplaced file's folder names, so its other findings come in the same
    run; None when the first folder is no content type."""
    parts = Path(relative).parts
    ctype = TYPE_BY_FOLDER.get(parts[0]) if parts else None
    if ctype is None:
        return None
    field_id = parts[1] if ctype.has_field and len(parts) == 4 else None
    year = int(parts[2]) if field_id and parts[2].isdigit() else None
    return Location(ctype, field_id, year, Path(parts[-1]).stem)


def _not_checked(shown: str, why: str) -> Finding:
    return Finding(shown, 1, 1, "schema", "notice",
                   f"{why} nên chưa kiểm tra được lược đồ và các quy tắc khác của tệp này; sửa lỗi trên rồi chạy lại cchc check")
