"""An index of published items to find duplicates quickly (Điều 4.6 ý 7).

Same document number, same title once accents and case are folded, or a body that is
at least 90% the same by 5-word shingles (Jaccard). Numbers and titles are dictionary
look-ups. Bodies are compared through "anchors", the k shingles with the smallest
hashes (as in MinHash): two bodies that similar share most anchors, so only items that
contain one are compared in full. Finding the items that contain an anchor is a
substring search over the normalised bodies (C speed, nothing to build) when a few
items are checked, or an anchor → items dictionary when many are (`index_anchors`).
"""

import heapq
import re
from collections import defaultdict
from dataclasses import dataclass

from .normalise import characters
from .text import fold, fold_key

SHINGLE_WORDS = 5
ANCHORS = 16
MIN_SHINGLES = 20  # shorter bodies say too little to call them copies
SIMILARITY = 0.9


_HYPHENS = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d_]")
_NUMBER_PREFIX = re.compile(r"^(?:so|no)\b\.?:?", re.I)


def number_key(number: str) -> str:
    """'399/QĐ-BCĐ', '399 / qđ - bcđ', '399/QD-BCD', 'Số 399/QĐ–BCĐ' (an en dash),
    '３９９/QĐ-BCĐ' (full-width digits) and '399/QĐ.BCĐ' are one number."""
    key = fold(characters(number).text).strip()
    key = _NUMBER_PREFIX.sub("", key)
    key = _HYPHENS.sub("-", key)
    key = re.sub(r"(?<=[A-Za-z])\s*\.\s*(?=[A-Za-z])", "-", key)  # QĐ.BCĐ is QĐ-BCĐ
    return re.sub(r"[\s.]+", "", key).upper()


def title_key(title: str) -> str:
    """Titles that differ only by case, accents, punctuation or invisible characters are one title."""
    return " ".join(re.sub(r"[^\w]+", " ", fold_key(characters(title).text)).split())


def normalise(body: str) -> str:
    return " ".join(body.lower().split())


def _shingles(normalised: str) -> set[str]:
    words = normalised.split(" ")
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def _anchors(shingles: set[str]) -> list[str]:
    return heapq.nsmallest(ANCHORS, shingles, key=hash)


@dataclass(frozen=True)
class Match:
    kind: str  # "number", "title" or "body"
    path: str
    similarity: float = 1.0


class DuplicateIndex:
    def __init__(self):
        self.bodies: dict[str, str] = {}  # path -> normalised body
        self.by_number: dict[str, set[str]] = defaultdict(set)
        self.by_title: dict[str, set[str]] = defaultdict(set)
        self.by_anchor: dict[str, set[str]] | None = None
        self.anchors_of: dict[str, list[str]] = {}  # path -> its body's anchors, when index_anchors made them

    def add(self, path: str, meta: dict, body: str) -> None:
        if isinstance(meta.get("number"), str):
            self.by_number[number_key(meta["number"])].add(path)
        if isinstance(meta.get("title"), str):
            self.by_title[title_key(meta["title"])].add(path)
        self.bodies[path] = normalise(body)

    def index_anchors(self) -> None:
        """Worth it when many items are checked at once (the whole tree)."""
        self.by_anchor = defaultdict(set)
        for path, body in self.bodies.items():
            shingles = _shingles(body)
            if len(shingles) >= MIN_SHINGLES:
                self.anchors_of[path] = _anchors(shingles)
                for anchor in self.anchors_of[path]:
                    self.by_anchor[anchor].add(path)

    def _holding(self, anchors: list[str]) -> set[str]:
        if self.by_anchor is not None:
            return set().union(*(self.by_anchor.get(a, set()) for a in anchors))
        return {path for path, body in self.bodies.items() if any(a in body for a in anchors)}

    def matches(self, path: str, meta: dict, body: str, exclude: set[str] = frozenset()) -> list[Match]:
        skip = set(exclude) | {path}
        found = []
        if isinstance(meta.get("number"), str):
            found += [Match("number", other) for other in sorted(self.by_number.get(number_key(meta["number"]), set()) - skip)]
        if isinstance(meta.get("title"), str):
            found += [Match("title", other) for other in sorted(self.by_title.get(title_key(meta["title"]), set()) - skip)]
        normalised = normalise(body)
        if path in self.anchors_of and self.bodies.get(path) == normalised:  # the body indexed: its anchors are known
            anchors, shingles = self.anchors_of[path], None
        else:
            shingles = _shingles(normalised)
            anchors = _anchors(shingles) if len(shingles) >= MIN_SHINGLES else []
        candidates = sorted(self._holding(anchors) - skip) if anchors else []
        if candidates and shingles is None:
            shingles = _shingles(normalised)
        for other in candidates:
            theirs = _shingles(self.bodies[other])
            similarity = len(shingles & theirs) / len(shingles | theirs)
            if similarity >= SIMILARITY:
                found.append(Match("body", other, similarity))
        return found
