"""An index of published items to find duplicates quickly (Điều 4.6 ý 7).

Same document number, same title once accents and case are folded, or a body that is
at least 90% the same by 5-word shingles (Jaccard). Bodies are compared through a few
"anchor" shingles (the k smallest hashes, as in MinHash): two bodies that similar share
anchors with near certainty, so only items sharing one are compared in full. Building
the index reads each item once; a query costs a handful of dictionary look-ups.
"""

import heapq
import re
from collections import defaultdict
from dataclasses import dataclass

from .text import fold, fold_key

SHINGLE_WORDS = 5
ANCHORS = 16
MIN_SHINGLES = 20  # shorter bodies say too little to call them copies
SIMILARITY = 0.9


def number_key(number: str) -> str:
    """'399/QĐ-BCĐ', '399 / qđ - bcđ' and '399/QD-BCD' are one number."""
    return re.sub(r"\s+", "", fold(number)).upper()


def _shingles(body: str) -> set[str]:
    words = body.lower().split()
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def _anchors(shingles: set[str]) -> list[int]:
    return heapq.nsmallest(ANCHORS, map(hash, shingles))


@dataclass(frozen=True)
class Match:
    kind: str  # "number", "title" or "body"
    path: str
    similarity: float = 1.0


class DuplicateIndex:
    def __init__(self):
        self.bodies: dict[str, str] = {}
        self.by_number: dict[str, set[str]] = defaultdict(set)
        self.by_title: dict[str, set[str]] = defaultdict(set)
        self.by_anchor: dict[int, set[str]] = defaultdict(set)

    def add(self, path: str, meta: dict, body: str) -> None:
        if isinstance(meta.get("number"), str):
            self.by_number[number_key(meta["number"])].add(path)
        if isinstance(meta.get("title"), str):
            self.by_title[fold_key(meta["title"])].add(path)
        shingles = _shingles(body)
        if len(shingles) >= MIN_SHINGLES:
            self.bodies[path] = body
            for anchor in _anchors(shingles):
                self.by_anchor[anchor].add(path)

    def matches(self, path: str, meta: dict, body: str, exclude: set[str] = frozenset()) -> list[Match]:
        skip = set(exclude) | {path}
        found = []
        if isinstance(meta.get("number"), str):
            found += [Match("number", other) for other in sorted(self.by_number.get(number_key(meta["number"]), set()) - skip)]
        if isinstance(meta.get("title"), str):
            found += [Match("title", other) for other in sorted(self.by_title.get(fold_key(meta["title"]), set()) - skip)]
        shingles = _shingles(body)
        if len(shingles) >= MIN_SHINGLES:
            candidates = set().union(*(self.by_anchor.get(a, set()) for a in _anchors(shingles))) - skip
            for other in sorted(candidates):
                theirs = _shingles(self.bodies[other])
                similarity = len(shingles & theirs) / len(shingles | theirs)
                if similarity >= SIMILARITY:
                    found.append(Match("body", other, similarity))
        return found
