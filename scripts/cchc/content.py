"""A content item: a file read, placed in the model and checked against its schema.

Both the Pelican reader and the gate call `read_item`, so a file the build cannot
publish is exactly a file the gate refuses under the same rule id.
"""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import dates
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
    """Read one content file of the portal; raise ContentError with every finding when it is unusable."""
    relative = Path(file_path).resolve().relative_to(portal.content).as_posix()
    shown = shown_as or f"content/{relative}"
    location = locate(relative, set(registries.fields), shown)
    source = read_source(Path(file_path), shown)
    problems = portal.schemas.findings(source.meta, location.type.name, shown, source.position, rule_for_key=RULE_FOR_KEY)
    if problems:
        raise ContentError(problems)
    return Item(source, location)
