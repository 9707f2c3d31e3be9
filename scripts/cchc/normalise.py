"""The text the rules read: what a reader sees, whatever tricks the source plays.

A stamp or a phone number can hide from a pattern behind characters a reader never
notices: zero-width characters and soft hyphens, Cyrillic or Greek letters that look
Latin, full-width digits, letters spaced out ("T U Y Ệ T  M Ậ T"), emphasis or HTML
around it (`**MẬT**`, `<b>MẬT</b>`), a table cell, an image's alt text, quotes, or an
e-mail written `a [at] b.vn` / `a&#64;b.vn` / `a%40b.vn`. `rendering(body)` turns a
Markdown body into plain text with those removed or folded, each line of the result
a line a reader would see (a table cell, an alt text and a title are lines of their
own), and keeps for every character the offset in the body it came from, so a
finding still points at the line and column of the file.

Worked on the source rather than on cmark-gfm's HTML (scripts/cchc/markdown_gfm.py)
so that the map back to the file is exact; the markup read is what contributors use:
emphasis, code spans, links and images (inline and reference style), tables, HTML
tags with their alt/title attributes, entities.

`link_targets(body)` gives every link and image target (inline, reference
definitions, HTML href/src) decoded as a browser would read it (entities, invisible
characters and whitespace inside the scheme removed), with its offset.
"""

import functools
import html
import re
import unicodedata
from dataclasses import dataclass

# Characters that render as nothing (or only at a line break: the soft hyphen).
INVISIBLE = {"\u00ad", "\u034f", "\u061c", "\u115f", "\u1160", "\u17b4", "\u17b5", "\u180e", "\u200b", "\u200c", "\u200d",
             "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2060", "\u2061", "\u2062", "\u2063",
             "\u2064", "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff", "\u3164", "\uffa0"}
# Cyrillic and Greek letters that look like Latin ones, folded to them.
LOOK_ALIKES = str.maketrans({
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X", "У": "Y",
    "І": "I", "Ј": "J", "Ѕ": "S", "Ԁ": "D", "Ү": "Y",
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "һ": "h", "ԁ": "d", "ү": "y",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T",
    "Υ": "Y", "Χ": "X", "ο": "o", "α": "a", "ι": "i", "κ": "k", "ν": "v", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
})
_EMAIL_AT = re.compile(r"\s*(?:\[\s*at\s*\]|\(\s*at\s*\)|\{\s*at\s*\})\s*|&#0*64;|&#x0*40;|%40", re.I)
_EMAIL_DOT = re.compile(r"\s*(?:\[\s*(?:dot|chấm)\s*\]|\(\s*(?:dot|chấm)\s*\))\s*", re.I)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
_ATTR_TEXT = re.compile(r"""\b(?:alt|title)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_ENTITY = re.compile(r"&(?:#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")
_IMAGE_OR_LINK = re.compile(r"(!?)\[([^\]\n]*)\](\([^)\n]*\)|\[[^\]\n]*\])")
_REFERENCE = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)>?.*$", re.M)
_HTML_URL = re.compile(r"""\b(?:href|src|action|formaction|xlink:href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_INLINE_URL = re.compile(r"\]\(\s*<?([^)\s>]*(?:\s+[^)\s>\"']+)*)")
_SPACED = re.compile(r"(?<![^\s])\w(?: \w){2,}(?![^\s])")
_SPACED_TAB = re.compile(r"(?<!\S)\w\t\w")
_BLOCK_TAGS = {"p", "div", "br", "td", "th", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "section"}


@dataclass
class Mapped:
    """Text with, for each character, the offset in the original it stands for."""

    text: str
    origin: list[int]

    def where(self, offset: int) -> int:
        """The original offset of a character of the text (the end maps to the last one)."""
        if not self.origin:
            return 0
        return self.origin[min(max(offset, 0), len(self.origin) - 1)]


class _Builder:
    """Pieces of text and their origins, joined once at the end (a run copied from a
    Mapped is one slice, not a Python step per character)."""

    def __init__(self):
        self.pieces: list[str] = []
        self.origin: list[int] = []

    def add(self, text: str, at: int) -> None:
        self.pieces.append(text)
        self.origin.extend([at] * len(text))

    def copy(self, mapped: Mapped, start: int, end: int) -> None:
        """Characters start..end of `mapped`, each with its own origin."""
        if start < end:
            self.pieces.append(mapped.text[start:end])
            self.origin.extend(mapped.origin[start:end])

    def done(self) -> Mapped:
        return Mapped("".join(self.pieces), self.origin)


def _substitute(mapped: Mapped, pattern: re.Pattern, replace) -> Mapped:
    """Replace each match of `pattern` by `replace(match)`, mapped to the match's start."""
    out, last = _Builder(), 0
    for match in pattern.finditer(mapped.text):
        out.copy(mapped, last, match.start())
        out.add(replace(match), mapped.origin[match.start()] if match.start() < len(mapped.origin) else 0)
        last = match.end()
    out.copy(mapped, last, len(mapped.text))
    return out.done()


@functools.lru_cache(maxsize=65536)
def _plain(char: str) -> bool:
    """Does characters() leave this character as it is, alone in its place (not invisible,
    no look-alike, no compatibility form, not a combining mark, stable under NFC)?"""
    return (char not in INVISIBLE and unicodedata.category(char) != "Cf" and char.translate(LOOK_ALIKES) == char
            and not unicodedata.combining(char) and unicodedata.normalize("NFKC", char) == char
            and unicodedata.normalize("NFC", unicodedata.normalize("NFD", char)) == char)


def characters(text: str) -> Mapped:
    """Invisible characters removed, look-alike letters folded, compatibility forms
    (full-width digits and letters, ＠) replaced by NFKC, then composed (NFC) with each
    composed letter mapped to where its base letter was. A text made only of characters
    that stay as they are (most texts: NFC Vietnamese) is returned as it is, mapped to
    itself, which is what the step per character below would give."""
    if all(_plain(char) for char in set(text)):
        return Mapped(text, list(range(len(text))))
    out = _Builder()
    for offset, char in enumerate(text):
        if char in INVISIBLE or unicodedata.category(char) == "Cf":
            continue
        char = char.translate(LOOK_ALIKES)
        if not unicodedata.combining(char):
            char = unicodedata.normalize("NFKC", char)
        out.add(char, offset)
    decomposed = out.done()
    # compose base + combining marks (a look-alike base with a Vietnamese tone composes too)
    composed, i, text2 = _Builder(), 0, decomposed.text
    while i < len(text2):
        j = i + 1
        while j < len(text2) and unicodedata.combining(text2[j]):
            j += 1
        composed.add(unicodedata.normalize("NFC", unicodedata.normalize("NFD", text2[i:j])), decomposed.origin[i])
        i = j
    return composed.done()


def _markup(mapped: Mapped) -> Mapped:
    """Markdown and HTML markup removed, what a reader sees kept, one visible line per line."""
    def tag(match: re.Match) -> str:
        texts = [a or b for a, b in _ATTR_TEXT.findall(match.group(3))]
        line = "\n" if match.group(2).lower() in _BLOCK_TAGS else ""
        return line + "".join(f"\n{t}\n" for t in texts) + line

    def link(match: re.Match) -> str:
        inner = match.group(2)
        return f"\n{inner}\n" if match.group(1) else inner  # an image's alt text is a line of its own

    mapped = _substitute(mapped, _IMAGE_OR_LINK, link)
    mapped = _substitute(mapped, _TAG, tag)
    mapped = _substitute(mapped, _ENTITY, lambda m: html.unescape(m.group(0)))
    mapped = _substitute(mapped, re.compile(r"(?<!\\)[*_~`]+"), lambda m: "")
    mapped = _substitute(mapped, re.compile(r"\|"), lambda m: "\n")  # each table cell is a line
    return mapped


def _spaced_letters(mapped: Mapped) -> Mapped:
    """Runs of three or more single letters separated by single spaces become a word;
    two spaces between runs stay a word break: "T U Y Ệ T  M Ậ T" -> "TUYỆT  MẬT"."""
    return _substitute_keep(mapped, _SPACED)


def _substitute_keep(mapped: Mapped, pattern: re.Pattern) -> Mapped:
    out, last = _Builder(), 0
    for match in pattern.finditer(mapped.text):
        out.copy(mapped, last, match.start())
        for i in range(match.start(), match.end()):
            if mapped.text[i] != " ":
                out.copy(mapped, i, i + 1)
        last = match.end()
    out.copy(mapped, last, len(mapped.text))
    return out.done()


def rendering(body: str) -> Mapped:
    """The body as a reader sees it, for the text rules (stamps), mapped back to `body`."""
    return _spaced_letters(_markup(characters(body)))


def extracted(text: str) -> str:
    """Text extracted from an attachment (cchc.extract), as the rules read it: characters()
    and spaced-out letters joined, line by line. A PDF may give "T U Y Ệ T  M Ậ T" or
    put tabs between the letters; tabs count as the single spaces they stand for."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [re.sub(r"[ \t]{2,}", "  ", line.replace("\t", " ")) if _SPACED_TAB.search(line) else line for line in text.split("\n")]
    return _spaced_letters(characters("\n".join(lines))).text


def contact_text(text: str) -> Mapped:
    """For the personal-data rule: characters() plus e-mail addresses written to dodge
    a pattern (`[at]`, `(at)`, `&#64;`, `%40`, `[dot]`) put back together."""
    mapped = characters(text)
    mapped = _substitute(mapped, _EMAIL_AT, lambda m: "@")
    return _substitute(mapped, _EMAIL_DOT, lambda m: ".")


def _decoded_url(raw: str) -> str:
    value = html.unescape(html.unescape(raw))
    return "".join(c for c in value if not c.isspace() and c not in INVISIBLE and unicodedata.category(c) not in ("Cc", "Cf"))


def link_targets(body: str) -> list[tuple[int, str]]:
    """(offset, target as a browser reads it) of every link and image in the body."""
    found = []
    for match in _INLINE_URL.finditer(body):
        found.append((match.start(1), _decoded_url(match.group(1))))
    for match in _REFERENCE.finditer(body):
        found.append((match.start(1), _decoded_url(match.group(1))))
    for match in _HTML_URL.finditer(body):
        group = next(g for g in (1, 2, 3) if match.group(g) is not None)
        found.append((match.start(group), _decoded_url(match.group(group))))
    return sorted(set(found))
