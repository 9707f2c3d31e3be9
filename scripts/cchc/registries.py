"""The registries of content/data/: fields, units, board, contributors, rates, notices,
legal sources."""

from dataclasses import dataclass
from pathlib import Path

from .findings import ContentError, Finding
from .frontmatter import lookup_position, read_yaml_file
from .portal import Portal

# Data files a portal may have or not, each with its schema: the audit's go-live point (cchc.golive).
OPTIONAL_DATA = ("audit",)
# registry name -> the top-level key holding its list
REGISTRY_KEYS = {
    "fields": "fields",
    "units": "units",
    "board": "members",
    "contributors": "contributors",
    "rates": "rates",
    "notices": "notices",
    "legal-sources": "sources",
}


@dataclass(frozen=True)
class Registries:
    fields: dict[str, dict]
    units: dict[str, dict]
    board: dict[str, dict]
    contributors: dict[str, dict]
    rates: dict  # the whole file: decision, split and the list of rates
    notices: list[dict]
    legal_sources: dict[str, dict]  # id -> entry (content/data/legal-sources.yml)

    def as_context(self) -> dict:
        """What templates see: lists in file order, plus lookups by id."""
        return {
            "fields": list(self.fields.values()),
            "units": list(self.units.values()),
            "board": list(self.board.values()),
            "field_by_id": self.fields,
            "unit_by_id": self.units,
            "contributor_by_id": self.contributors,
            "notices": self.notices,
            "legal_source_by_id": self.legal_sources,
        }


def _load_one(portal: Portal, name: str, shown_prefix: str) -> dict:
    file_path = portal.data / f"{name}.yml"
    shown = f"{shown_prefix}{name}.yml"
    if not file_path.exists():
        raise ContentError([Finding(shown, 1, 1, "schema", "error", f"thiếu tệp danh mục {shown}")])
    data, positions = read_yaml_file(file_path, shown)

    def position(*keys):
        return lookup_position(positions, keys)

    found = portal.schemas.findings(data if data is not None else {}, name, shown, position)
    key = REGISTRY_KEYS[name]
    if not found and isinstance(data.get(key), list):
        seen = set()
        for index, entry in enumerate(data[key]):
            entry_id = entry.get("id")
            if entry_id is not None and entry_id in seen:
                found.append(Finding(shown, *position(key, index, "id"), "schema", "error", f"mã “{entry_id}” bị trùng trong {shown}"))
            seen.add(entry_id)
    if found:
        raise ContentError(found)
    return data


def file_findings(portal: Portal, file_path, shown: str) -> list[Finding]:
    """A file of content/data/ checked as its registry: schema and unique ids, or why it is none."""
    name = Path(file_path).name.removesuffix(".yml")
    if Path(file_path).suffix == ".yml" and name in OPTIONAL_DATA:
        from . import golive

        return golive.findings(portal, file_path, shown)
    if Path(file_path).suffix != ".yml" or name not in REGISTRY_KEYS:
        known = ", ".join(f"{n}.yml" for n in (*REGISTRY_KEYS, *OPTIONAL_DATA))
        return [Finding(shown, 1, 1, "schema", "error", f"“{Path(file_path).name}” không phải danh mục của Cổng; các danh mục trong content/data/ là: {known}")]
    try:
        _load_one(portal, name, shown.removesuffix(f"{name}.yml"))
    except ContentError as exc:
        return exc.findings
    return []


def load(portal: Portal, shown_prefix: str = "content/data/") -> Registries:
    """Load and validate every registry of the portal; all problems are reported together."""
    portal = Portal.of(portal)
    loaded, problems = {}, []
    for name in REGISTRY_KEYS:
        try:
            loaded[name] = _load_one(portal, name, shown_prefix)
        except ContentError as exc:
            problems.extend(exc.findings)
    if problems:
        raise ContentError(problems)

    def by_id(name):
        return {entry["id"]: entry for entry in loaded[name][REGISTRY_KEYS[name]]}

    return Registries(
        fields=by_id("fields"),
        units=by_id("units"),
        board=by_id("board"),
        contributors=by_id("contributors"),
        rates=loaded["rates"],
        notices=loaded["notices"]["notices"],
        legal_sources=by_id("legal-sources"),
    )
