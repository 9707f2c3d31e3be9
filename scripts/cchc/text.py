"""Vietnamese text helpers: NFC normalisation, accent folding and slugs.

Written here rather than taken from a library because the rules are four lines and
the libraries get one of them wrong: Pelican's and Django's slugify drop `đ` after
NFKD (it has no decomposition), and python-slugify pulls in a transliteration table
for every script when we need one letter.
"""

import re
import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def nfc(text: str) -> str:
    """Return text in Unicode NFC, the form every stored string must have."""
    return unicodedata.normalize("NFC", text)


class _FoldTable(dict):
    """What `str.translate` maps each character of decomposed text to: combining marks to
    nothing, đ/Đ to d/D, the rest to itself; filled the first time a character is met,
    so folding runs in C (the rules fold every paragraph of every revision)."""

    def __missing__(self, code: int):
        character = chr(code)
        value = None if unicodedata.combining(character) else character.translate(_D_MAP)
        self[code] = value
        return value


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Strip Vietnamese tone and vowel marks and map đ/Đ to d/D ("Đảng" -> "Dang")."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).translate(_FOLD_TABLE))


def slugify(text: str) -> str:
    """A URL slug: folded, lower case, runs of other characters become one hyphen."""
    return _NON_ALNUM.sub("-", fold(text).lower()).strip("-")


def fold_key(text: str) -> str:
    """A comparison key: folded, lower case, whitespace collapsed."""
    return " ".join(fold(text).lower().split())


# The five tone marks; vowel shapes (â ă ê ô ơ ư) stay.
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def untone(text: str) -> str:
    """Drop tone marks, keep vowel shapes and case: "HOẢ"/"HỎA" -> "HOA", "mật" -> "mât".

    Tone-mark placement differs between old and new spelling (hoà/hòa, thuỷ/thủy) and
    between keyboards; without the tones both spellings are one string, while "mật"
    (secret) stays apart from "mặt" (face).
    """
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
