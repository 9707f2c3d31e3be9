"""What every rule is (its data comes from catalogue.yml), and the helpers rules share to
point at a place in a file."""

import re
from dataclasses import dataclass

from ..findings import Finding


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str  # "error" refuses the item; "warning" and "notice" inform
    ground: str  # the ground of refusal, in Vietnamese
    article: str  # where it comes from: the article and clause of Quyết định 399
    sources: tuple[str, ...] = ()  # ids in content/data/legal-sources.yml the rule enforces
    production: bool = False  # the production build refuses on its errors (a harm rule)
    refuses: str = ""  # what it refuses, in English, for the README's table

    def at(self, path: str, place: tuple[int, int], message: str, severity: str | None = None) -> Finding:
        return Finding(path, place[0], place[1], self.id, severity or self.severity, message)


def body_place(item, offset: int) -> tuple[int, int]:
    """Line and column in the file of a character offset into the item's body."""
    body = item.source.body
    line = body.count("\n", 0, offset)
    start = body.rfind("\n", 0, offset) + 1
    return (item.source.body_line + line, offset - start + 1)


def body_matches(item, pattern: re.Pattern):
    """Each match of `pattern` in the body, with its place in the file."""
    for match in pattern.finditer(item.source.body):
        yield match, body_place(item, match.start())


def text_values(meta, keys=()):
    """Every string in the front matter with the key path leading to it."""
    if isinstance(meta, str):
        yield keys, meta
    elif isinstance(meta, dict):
        for key, value in meta.items():
            yield from text_values(value, keys + (key,))
    elif isinstance(meta, list):
        for index, value in enumerate(meta):
            yield from text_values(value, keys + (index,))
