"""A content item: a file read, placed in the model and checked against its schema.

Both the Pelican reader and the gate call `read_item`, so a file the build cannot
publish is exactly a file the gate refuses under the same rule id.
"""

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import boundary, dates
from .findings import ContentError
from .frontmatter import Source, read_source
from .model import Location, locate
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
    content_dir = Path(portal.content)
    if boundary.in_symlink(file_path, content_dir):
        relative = Path(os.path.abspath(file_path)).relative_to(os.path.abspath(content_dir)).as_posix()
        raise ContentError([boundary.symlink_finding(shown_as or f"content/{relative}")])
    relative = Path(file_path).resolve().relative_to(content_dir.resolve()).as_posix()
    shown = shown_as or f"content/{relative}"
    location = locate(relative, set(registries.fields), shown)
    source = read_source(Path(file_path), shown)
    problems = portal.schemas.findings(source.meta, location.type.name, shown, source.position, rule_for_key=RULE_FOR_KEY)
    if problems:
        raise ContentError(problems)
    item = Item(source, location)
    escapes = boundary.item_findings(item, content_dir)
    if escapes:
        raise ContentError(escapes)
    return item
