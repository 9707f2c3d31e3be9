"""The whole-tree gate's cache: what reading a file and its own rules found, per file.

The development build runs the gate over every content file as advice; at 5,000 items
reading them (YAML, schema, Markdown) and running the rules is most of its cost, and
between two builds almost every file is the same. An entry is keyed by the file's path
and the SHA-1 of its bytes, under a fingerprint of everything else the result depends
on (the package's code, rules and catalogue included, the schemas, the registries, the
plugins, the libraries: `content_cache.fingerprint`) and the day (a rule may read the
date) and whether OCR is installed (tesseract: the text rules read scanned
attachments): change any of them and every entry is stale. An entry also records the
SHA-1 of every file the item attaches or shows (`extract.item_files`: the text rules
read their text) and is used only while each is the same.

Only what depends on the file alone is kept: the item read and the findings of reading
it, the title and number it adds to the duplicate index, and the findings
of the rules listed in `OWN_RULES`. The rules that consult other files or the file
system (duplicates, links to other items and media, archive) run again on every build
over the cached item; a new rule module runs every time until it is listed here. An
item held back by `publish_after` is never cached (the secret rule compares it with the
clock).
"""

import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from . import extract
from .content_cache import fingerprint as content_fingerprint

# Rule modules whose check_item reads nothing but the item, the registries and the
# catalogue (and the clock only for a new file, which the whole-tree gate has none of).
OWN_RULES = {"account", "personal_data", "reverify", "schema", "secret", "source", "timeliness", "unsafe_html"}
FILE_NAME = "gate.pickle"


def is_own(check) -> bool:
    return check.__module__.rsplit(".", 1)[-1] in OWN_RULES


@dataclass
class Entry:
    item: object | None  # cchc.content.Item, None when the rules cannot run on it
    reading: list  # the findings of reading the file (cchc.content.inspect_item)
    peeked: tuple | None  # (title, number) for the duplicate index, None when not readable
    own: list  # findings of the OWN_RULES checks
    files: tuple = ()  # (path under content/, SHA-1 or None when missing) of each file the item names


class GateCache:
    def __init__(self, folder: Path, portal, day: str):
        self.path = Path(folder) / FILE_NAME
        self.content = Path(portal.content)
        ocr = extract.tesseract_available()
        self.key = hashlib.sha1(f"{content_fingerprint(portal)}\0{day}\0{ocr}".encode()).hexdigest()
        self.old: dict = {}
        self.new: dict = {}
        self.hits = 0
        try:
            with open(self.path, "rb") as handle:
                stored_key, entries = pickle.load(handle)
            if stored_key == self.key:
                self.old = entries
        except (OSError, pickle.PickleError, EOFError, ValueError, AttributeError, ImportError):
            pass

    @staticmethod
    def file_key(shown: str, data: bytes) -> tuple[str, str]:
        return shown, hashlib.sha1(data).hexdigest()

    def _digest(self, relative: str) -> str | None:
        try:
            return hashlib.sha1((self.content / relative).read_bytes()).hexdigest()
        except OSError:
            return None

    def get(self, key: tuple[str, str]) -> Entry | None:
        entry = self.old.get(key)
        if entry is None or any(self._digest(relative) != digest for relative, digest in entry.files):
            return None
        self.hits += 1
        self.new[key] = entry
        return entry

    def put(self, key: tuple[str, str], entry: Entry) -> None:
        if entry.item is None:
            self.new[key] = entry
            return
        if "publish_after" in entry.item.meta:
            return
        named = sorted({relative for _keys, relative in extract.item_files(entry.item.meta, entry.item.source.body)})
        entry.files = tuple((relative, self._digest(relative)) for relative in named)
        self.new[key] = entry

    def save(self) -> None:
        """Kept only when something changed: the entries of the files seen this time."""
        if self.new.keys() == self.old.keys():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
        with open(temporary, "wb") as handle:
            pickle.dump((self.key, self.new), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.path)
