"""The law in time: whether a legal source (content/data/legal-sources.yml) is in force
on a day, which rules and registry entries cite one that is not, which registry facts
await the board's confirmation, and whether a unit exists on a day.

A source is in force from `in_force_from` to `in_force_until` (its last day, inclusive);
a source whose `partly_until` has passed is partly in force. Nothing here knows any law
by name: a change of law is a change of the registry.
"""

from datetime import date, timedelta

from . import dates
from .findings import Finding
from .frontmatter import lookup_position, read_yaml_file
from .portal import Portal

STATE_WORDS = {"in-force": "còn hiệu lực", "not-yet": "chưa có hiệu lực", "partly": "hết hiệu lực một phần",
               "repealed": "hết hiệu lực", "expired": "hết thời hạn"}
OUT_OF_FORCE = {"repealed", "expired"}
REFERENCE_KEYS = ("replaced_by", "amended_by", "guided_by")


def day(value) -> date | None:
    return date.fromisoformat(value) if value else None


def state(source: dict, on: date) -> str:
    """One of STATE_WORDS for a source on a day."""
    until = day(source.get("in_force_until"))
    if until and on > until:
        return "expired" if source.get("term_ended") else "repealed"
    start = day(source.get("in_force_from"))
    if start and on < start:
        return "not-yet"
    partly = day(source.get("partly_until"))
    return "partly" if partly and on > partly else "in-force"


def ended_on(source: dict) -> date | None:
    """The first day a source is no longer in force (the day after `in_force_until`)."""
    until = day(source.get("in_force_until"))
    return until + timedelta(days=1) if until else None


def name(source: dict) -> str:
    """How a source is called in a sentence: "Luật An ninh mạng 116/2025/QH15", "Nghị định 42/2022/NĐ-CP"."""
    number = source.get("number")
    if not number:
        return source["title"]
    return f"{source['title']} {number}" if source.get("doc_type") == "Luật" else f"{source.get('doc_type', source['title'])} {number}"


def awaiting(source_or_entry: dict) -> list[str]:
    """The fields of an entry awaiting confirmation."""
    return [key for key, c in (source_or_entry.get("confirm") or {}).items() if c.get("status") == "awaiting"]


def describe(source: dict, on: date, sources: dict[str, dict]) -> str:
    """"hết hiệu lực từ 01/7/2026; được thay thế bởi Nghị định 224/2026/NĐ-CP" and the like."""
    current = state(source, on)
    words = STATE_WORDS[current]
    if current in OUT_OF_FORCE:
        words += f" từ {dates.short(ended_on(source))}"
    elif current == "not-yet":
        words += f" (có hiệu lực từ {dates.short(day(source['in_force_from']))})"
    replaced = [name(sources[r]) for r in source.get("replaced_by", []) if r in sources]
    if replaced and current != "in-force":
        words += "; được thay thế bởi " + ", ".join(replaced)
    if awaiting(source):
        words += ", thông tin đang chờ xác nhận"
    return words


def _registry_positions(portal: Portal, name_: str):
    try:
        _, positions = read_yaml_file(portal.data / f"{name_}.yml", f"content/data/{name_}.yml")
    except Exception:  # noqa: BLE001 - the registry loaded already; positions are a courtesy
        positions = {}
    return lambda *keys: lookup_position(positions, keys)


def citation_findings(portal: Portal, regs, on: date, rules=None) -> list[Finding]:
    """`law` warnings: every rule of the catalogue and every registry entry citing a legal
    source that is unknown or no longer in force on `on`."""
    from .rules import catalogue

    sources = regs.legal_sources
    rules = catalogue.rules() if rules is None else rules
    law = catalogue.rule("law")
    found = []

    def problem(source_id: str) -> str | None:
        source = sources.get(source_id)
        if source is None:
            return f"nguồn “{source_id}” không có trong content/data/legal-sources.yml"
        if state(source, on) in OUT_OF_FORCE:
            return f"{name(source)} ({source_id}) {describe(source, on, sources)}"
        return None

    for index, rule in enumerate(rules.values()):
        for source_id in rule.sources:
            why = problem(source_id)
            if why:
                found.append(Finding(catalogue.SHOWN, *catalogue.position("rules", index, "sources"), law.id, "warning",
                                     f"quy tắc “{rule.id}” viện dẫn {why}; cập nhật sources của quy tắc này"))
    position = _registry_positions(portal, "units")
    for index, (unit_id, unit) in enumerate(regs.units.items()):
        for source_id in unit.get("sources", []):
            why = problem(source_id)
            if why:
                found.append(Finding("content/data/units.yml", *position("units", index, "sources"), law.id, "warning",
                                     f"đơn vị “{unit_id}” viện dẫn {why}"))
        if unit.get("successor") and unit["successor"] not in regs.units:
            found.append(Finding("content/data/units.yml", *position("units", index, "successor"), law.id, "warning",
                                 f"đơn vị kế thừa “{unit['successor']}” của “{unit_id}” không có trong content/data/units.yml"))
    position = _registry_positions(portal, "legal-sources")
    for index, (source_id, source) in enumerate(sources.items()):
        for key in REFERENCE_KEYS + ("basis_of",):
            values = source.get(key, [])
            for value in [values] if isinstance(values, str) else values:
                if value not in sources:
                    found.append(Finding("content/data/legal-sources.yml", *position("sources", index, key), law.id, "warning",
                                         f"nguồn “{source_id}”: “{key}” nêu “{value}”, không có trong content/data/legal-sources.yml"))
    return found


def confirmation_notices(regs, portal: Portal | None = None) -> list[Finding]:
    """`confirm` notices: each registry fact marked as awaiting the board's confirmation."""
    found = []
    for registry, key_name, entries in (("units", "units", regs.units), ("legal-sources", "sources", regs.legal_sources)):
        shown = f"content/data/{registry}.yml"
        position = _registry_positions(portal, registry) if portal else (lambda *keys: (1, 1))
        for index, (entry_id, entry) in enumerate(entries.items()):
            for key in awaiting(entry):
                confirmation = entry["confirm"][key]
                since = f" (từ {dates.short(day(confirmation['since']))})" if confirmation.get("since") else ""
                what = "cả mục" if key == "entry" else f"“{key}”"
                found.append(Finding(shown, *position(key_name, index, "confirm", key), "confirm", "notice", f"“{entry_id}”: {what} đang chờ Ban Biên tập xác nhận{since}: {confirmation['note']}"))
    return found


def unit_exists(unit: dict, on: date) -> bool:
    start, until = day(unit.get("valid_from")), day(unit.get("valid_until"))
    return (start is None or start <= on) and (until is None or on <= until)


def unit_active_in_month(unit: dict, year: int, month: int) -> bool:
    """Whether a unit existed on any day of a month (so owed its quota for it)."""
    first = date(year, month, 1)
    last = (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)
    start, until = day(unit.get("valid_from")), day(unit.get("valid_until"))
    return (start is None or start <= last) and (until is None or first <= until)


def unit_active_between(unit: dict, start: date, end: date) -> bool:
    begun, until = day(unit.get("valid_from")), day(unit.get("valid_until"))
    return (begun is None or begun <= end) and (until is None or start <= until)
