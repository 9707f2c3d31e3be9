"""`personal-data`: data that identifies, or helps identify, a private person.

Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15 and Nghị định 356/2025/NĐ-CP (in force
01/01/2026; the sources are in catalogue.yml): basic personal data (a name with a date
of birth, a home address, phone, e-mail, identity numbers) and sensitive personal data
(health, religion, political views, ethnicity, criminal record, biometrics) must not be
published. Question pages matter most: the asker's details, and those of the family.

Identity numbers, private phones and private e-mail addresses are refused on their own;
official contacts of the registries (agency numbers, .gov.vn addresses) pass. They are
read through normalise.contact_text: full-width digits, invisible characters and
`[at]`/`(at)`/`＠`/`&#64;`/`%40` e-mails do not hide them; grouped or dotted digits,
`+84`, `(+84)` and `84…` are the same number.

A name is hard to tell from other capitalised words, so a name counts only together
with a second signal in its sentence: a birth date, a home address, an identity number
or a sensitive attribute. A name given with an office and a title (an official acting
in office), the office's own address, statistics and amounts of money pass. Names are
read through normalise.rendering (what a reader sees: no emphasis, tags or entities
between the letters). `asker` takes only an anonymised form (ASKER_FORMS). The word
lists are data: catalogue.yml, lists.personal_data.
"""

import re

from ..normalise import contact_text, rendering
from ..text import fold
from . import catalogue
from .base import body_place, text_values

PERSONAL_DATA = catalogue.rule("personal-data")
RULES = (PERSONAL_DATA,)
WORDS = catalogue.lists()["personal_data"]

ASKER_FORMS = "“Ẩn danh”, “Công dân xã X”, “Người dân phường Y” hoặc tên viết tắt kèm nơi ở cấp xã như “Ông N.V.A., xã X”"


def _any(words) -> str:
    """An alternation of words, longest first, each matched as whole words."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


# --- numbers and addresses (on contact_text) -------------------------------------------
CITIZEN_ID = re.compile(r"(?<!\d)(?<!\d[.,/-])\d{12}(?!\d)(?![.,/-]\d)")
# Twelve digits written in groups with spaces or hyphens ("0012 0300 4567", "001-203-004-567");
# dotted groups are how amounts of money are written ("123.456.789.012 đồng") and stay apart.
GROUPED_ID = re.compile(r"(?<![\d.,])(?:\d{3}(?:[ -]\d{3}){3}|\d{4}(?:[ -]\d{4}){2}|\d{3}[ -]\d{3}[ -]\d{6}|\d{6}[ -]\d{6})(?![\d]|[.,]\d)")
# After the name of an identity paper, a number in any grouping (dots too) is one (on folded text).
NAMED_ID = re.compile(r"\b" + _any(WORDS["id_words"]) + r"\b[^0-9\n]{0,25}?((?:\d[ .\-]?){8,11}\d)(?!\d)")
PASSPORT = re.compile(r"ho chieu[^A-Za-z0-9\n]{0,20}([A-Z]\d{7,8})(?!\d)", re.I)
OLD_ID = re.compile(r"(?:CMND|CMT|chứng minh nhân dân|chứng minh thư)\D{0,25}?(?<!\d)(\d{9})(?!\d)", re.I)
MOBILE = re.compile(r"(?<![\d.+(])(?:\(\s*(?:\+84|0084|84)\s*\)|\+\s?84|0084|84|0)[ .-]?\(?0?\)?[ .-]?[35789](?:[ .-]?\d){8}(?![\d])")
_DIGIT = re.compile(r"\d")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")

# --- names (on rendering, folded where the spelling may lack tone marks) ---------------
_UPPER = "".join(c for c in map(chr, range(0x41, 0x1F00)) if c.isupper() and fold(c).isascii() and c.isalpha())
_LOWER = "".join(c for c in map(chr, range(0x61, 0x1F00)) if c.islower() and fold(c).isascii() and c.isalpha())
_SYLLABLE = rf"[{_UPPER}][{_LOWER}]*"
_HONORIFICS = {w for h in WORDS["honorifics"] for w in (h, h.capitalize(), fold(h), fold(h).capitalize())}
HONORIFIC = _any(_HONORIFICS)
NAME = re.compile(rf"(?<![\w.])(?:({HONORIFIC})\s+)?({_SYLLABLE}(?:[ \t]+{_SYLLABLE}){{1,3}})(?![\w])")
SURNAMES = set(WORDS["surnames"])
OFFICIAL = re.compile(r"\b" + _any(WORDS["official_titles"]) + r"(?![\w])")
NOT_NAMES = tuple(f"{w} " for w in WORDS["not_names"])
# A street, a school or a place named after a person ("đường Hoàng Liên", "trường Lê Quý Đôn").
NAMED_PLACE = re.compile(r"\b" + _any(WORDS["named_places"]) + r"\s+$")

# --- second signals ----------------------------------------------------------------
BIRTH = re.compile(r"(?<!hoc )(?<!khai )\b(?:sinh|ngay sinh|nam sinh|sn)\b[^0-9\n]{0,15}(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d\d|(?:19|20)\d\d)\b"
                   r"|\(\s*(?:sinh\s+)?(?:19|20)\d\d\s*\)")
COMMUNE = r"(?:" + _any(WORDS["communes"])[3:-1] + r"|p\.|x\.)"
COMMUNE_TONED = _any({"phường", "xã", "thị trấn", "thị xã", "đặc khu"} | set(WORDS["communes"]))
HOME = re.compile(r"\b(?:so nha\s+\d+|(?:so\s+)?\d+\s*(?:/\d+)?\s*,?\s*ngo\s+\d+|to(?: dan pho)?\s+(?:so\s+)?\d+|"
                  + _any(WORDS["home_places"]) + r"\s+[\w ]{1,25}?)"
                  rf"[\s,.-]{{1,4}}(?:[^\n]{{0,60}}?)\b{COMMUNE}\s+\w")
HOME_TONED = re.compile(r"\b" + _any(WORDS["home_places_toned"]) + r"\s+[\w ]{1,25}?[\s,.-]{1,4}(?:[^\n]{0,60}?)\b" + COMMUNE_TONED + r"\s+\w")
SENSITIVE_RE = [(label, re.compile(r"\b" + _any(words) + r"\b")) for label, words in WORDS["sensitive"].items()]
FIRST_PERSON_HOME = re.compile(r"\b(?:toi|nha toi|gia dinh toi|chung toi|em)\s+(?:o|song o|tru tai|cu tru tai|dia chi|thuong tru)\b")
WINDOW = 160  # characters either side of a name in which a second signal counts


def _folded(text: str) -> str:
    """Fold to lower case without marks, one character for one (so offsets stay)."""
    folded = fold(text).lower()
    return folded if len(folded) == len(text) else "".join(fold(ch).lower()[:1] or " " for ch in text)


def _digits(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    if digits.startswith("0084"):
        digits = digits[2:]
    if digits.startswith("840"):
        digits = "84" + digits[3:]
    return "0" + digits[2:] if digits.startswith("84") and len(digits) == 11 else digits


def _official_numbers(registries) -> set[str]:
    return {_digits(e["phone"]) for e in registries.units.values() if e.get("phone")}


def _official_email(address: str, registries) -> bool:
    address = address.lower()
    return address.endswith(".gov.vn") or address in {e.get("email", "").lower() for e in registries.units.values()}


def _number_findings(text: str, registries):
    """(offset, message) for each identity number, private phone and e-mail. The patterns
    run only where they could match (a digit, an "@"): most texts have none, and the
    e-mail pattern is slow on long text."""
    if "@" not in text and not _DIGIT.search(text):
        return
    ids = set()
    for match in CITIZEN_ID.finditer(text):
        ids.add(match.group(0))
        yield match.start(), f"có dãy 12 chữ số giống số định danh cá nhân (căn cước) “{match.group(0)[:4]}…”; hãy xoá"
    for match in GROUPED_ID.finditer(text):
        ids.add(_digits(match.group(0)))
        yield match.start(), f"có dãy 12 chữ số viết tách nhóm giống số định danh cá nhân (căn cước) “{match.group(0)[:4]}…”; hãy xoá"
    folded = _folded(text)
    for match in NAMED_ID.finditer(folded):
        digits = _digits(match.group(1))
        if len(digits) in (9, 12) and digits not in ids:
            ids.add(digits)
            yield match.start(1), f"có số định danh, căn cước hoặc chứng minh nhân dân “{digits[:3]}…”; hãy xoá"
    for match in PASSPORT.finditer(folded):
        yield match.start(1), f"có số hộ chiếu “{match.group(1)[:2]}…”; hãy xoá"
    lowered = text.lower()
    if "cm" in lowered or "chứng minh" in lowered:
        for match in OLD_ID.finditer(text):
            if match.group(1) not in ids:
                yield match.start(1), f"có số chứng minh nhân dân “{match.group(1)[:3]}…”; hãy xoá"
    for match in MOBILE.finditer(text):
        if _digits(match.group(0)) not in _official_numbers(registries):
            yield match.start(), f"có số điện thoại di động “{match.group(0)[:4]}…” của cá nhân; chỉ đăng số máy cơ quan"
    for match in EMAIL.finditer(text) if "@" in text else ():
        if not _official_email(match.group(0), registries):
            yield match.start(), f"có thư điện tử cá nhân “{match.group(0)}”; chỉ đăng thư công vụ (.gov.vn)"


_SENTENCE_END = re.compile(r"[.!?;](?=\s)|\n\s*\n")


def _sentence(folded: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence around [start, end), at most WINDOW characters either
    side: a sentence ends at . ! ? ; before a space or a line break, or at a blank line."""
    left = max(0, start - WINDOW)
    for match in _SENTENCE_END.finditer(folded, left, start):
        left = match.end()
    ending = _SENTENCE_END.search(folded, end, end + WINDOW)
    right = ending.start() if ending else min(len(folded), end + WINDOW)
    return left, right


def _names(text: str, folded: str):
    """(start, end, name) of each private person's name: capitalised syllables after an
    honorific, or starting with a family name; not one given with an office and title."""
    for match in NAME.finditer(text):
        honorific, name = match.group(1), match.group(2)
        syllables = _folded(name).split()
        if (" ".join(syllables) + " ").startswith(NOT_NAMES):
            continue
        if not honorific and (syllables[0] not in SURNAMES or len(syllables) < 2):
            continue
        if honorific and honorific[0].islower() and len(syllables) < 2:
            continue
        start, end = match.start(2), match.end(2)
        if not honorific and NAMED_PLACE.search(folded[max(0, start - 30):start]):
            continue
        before = folded[max(0, start - 70):start]
        before = before[max(before.rfind(". "), before.rfind(";"), before.rfind("\n")) + 1:]
        after = folded[end:end + 45].split(".")[0].split(";")[0]
        if OFFICIAL.search(before) or OFFICIAL.search(after.lstrip(" ,(-–")[:40] if after.lstrip().startswith((",", "(", "-", "–")) else ""):
            continue
        yield start, end, name


def _home(folded: str, lowered: str, start: int = 0, end: int | None = None):
    end = len(folded) if end is None else end
    return HOME.search(folded, start, end) or HOME_TONED.search(lowered, start, end)


def _signals(folded: str, lowered: str, start: int, end: int) -> list[str]:
    """What identifies the person named at [start, end) within their sentence."""
    left, right = _sentence(folded, start, end)
    window = folded[left:right]
    found = []
    if BIRTH.search(window):
        found.append("ngày, năm sinh")
    if _home(folded, lowered, left, right):
        found.append("địa chỉ nơi ở")
    if NAMED_ID.search(window) or CITIZEN_ID.search(window):
        found.append("số định danh")
    for label, pattern in SENSITIVE_RE:
        if pattern.search(window):
            found.append(f"thông tin nhạy cảm về {label}")
    return found


def _person_findings(text: str):
    """(offset, message) for each named person with a second signal, and each home address
    the sender gives as theirs."""
    folded = _folded(text)
    lowered = text.lower()
    for start, end, name in _names(text, folded):
        signals = _signals(folded, lowered, start, end)
        if signals:
            yield start, (f"có họ tên người dân “{name}” kèm {', '.join(signals)}: đó là dữ liệu cá nhân (Luật 91/2025/QH15); "
                          "hãy bỏ họ tên (hoặc chỉ ghi chữ cái đầu) và bỏ các thông tin kèm theo")
    for match in FIRST_PERSON_HOME.finditer(folded):
        home = _home(folded, lowered, match.end(), match.end() + 100)
        if home and home.start() - match.end() < 20:
            yield home.start(), "có địa chỉ nơi ở của người gửi (số nhà, tổ, thôn, bản, xóm kèm xã, phường): đó là dữ liệu cá nhân; chỉ ghi cấp xã"


def findings(text: str, registries, markup: bool = True):
    """(offset in `text`, message) for each piece of personal data in a text: numbers on
    contact_text, names on the reader's rendering (`markup`: the text is Markdown)."""
    contact = contact_text(text)
    for offset, message in _number_findings(contact.text, registries):
        yield contact.where(offset), message
    seen = rendering(text) if markup else contact
    for offset, message in _person_findings(seen.text):
        yield seen.where(offset), message


_ASKER = re.compile(r"^(?:an danh|(?:mot |nhom )?" + _any(WORDS["asker_groups"])
                    + r"(?:\s+(?:o\s+|tai\s+|thuoc\s+)?(?:xa|phuong|thi tran|thi xa|dac khu|huyen|tinh|thanh pho|tp\.?)\s+[\w .-]{1,40})?"
                    r"|(?:ong|ba|anh|chi|em|ban)\s+(?:[a-z]\.\s*){1,4}(?:,\s*(?:xa|phuong|thi tran|thi xa|dac khu|huyen|tinh|thanh pho)\s+[\w .-]{1,40})?)$")


def asker_problem(value: str) -> str | None:
    """Why an `asker` value is not an anonymised form, or None."""
    cleaned = rendering(value).text
    folded = " ".join(_folded(cleaned).split())
    if _ASKER.match(folded) and not _DIGIT.search(cleaned):
        return None
    return (f"trường “asker” “{value}” có thể làm lộ danh tính người hỏi; chỉ ghi dạng ẩn danh: {ASKER_FORMS} "
            "(không ghi họ tên đầy đủ, số nhà, tổ, thôn, số điện thoại)")


def check_item(item, context):
    registries = context.registries
    for offset, message in findings(item.source.body, registries):
        yield PERSONAL_DATA.at(item.path, body_place(item, offset), message)
    for keys, value in text_values(item.meta):
        if keys == ("asker",) and item.location.type.name == "question":
            problem = asker_problem(value)
            if problem:
                yield PERSONAL_DATA.at(item.path, item.source.position(*keys), problem)
                continue
        for _offset, message in findings(value, registries, markup=False):
            yield PERSONAL_DATA.at(item.path, item.source.position(*keys), f"trường “{keys[0]}” {message}")
    if getattr(context, "portal", None) is not None:
        from ..extract import item_texts, where

        for keys, relative, page in item_texts(item, context.portal):
            for offset, message in findings(page.text, registries, markup=False):
                line = page.text.count("\n", 0, offset) + 1
                yield PERSONAL_DATA.at(item.path, item.source.position(*keys) if keys else (item.source.body_line, 1),
                                       f"{where(relative, page, line)}: {message}")
