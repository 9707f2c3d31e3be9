"""`personal-data`: citizens' identity numbers, private phone numbers and e-mail addresses.

Question pages matter most: the asker's details must not be published (the sources this
rule enforces are in catalogue.yml: Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15 and Nghị định
356/2025/NĐ-CP). Official contacts of the registries (agency numbers, .gov.vn addresses)
are allowed.

Numbers and addresses are read through normalise.contact_text: full-width digits,
invisible characters and `[at]`/`(at)`/`＠`/`&#64;`/`%40` e-mails do not hide them;
grouped or dotted digits, `+84`, `(+84)` and `84…` are the same number.
"""

import re

from ..normalise import contact_text
from . import catalogue
from .base import body_place, text_values

PERSONAL_DATA = catalogue.rule("personal-data")
RULES = (PERSONAL_DATA,)

CITIZEN_ID = re.compile(r"(?<!\d)(?<!\d[.,/-])\d{12}(?!\d)(?![.,/-]\d)")
# Twelve digits written in groups with spaces or hyphens ("0012 0300 4567", "001-203-004-567");
# dotted groups are how amounts of money are written ("123.456.789.012 đồng") and stay apart.
GROUPED_ID = re.compile(r"(?<![\d.,])(?:\d{3}(?:[ -]\d{3}){3}|\d{4}(?:[ -]\d{4}){2}|\d{3}[ -]\d{3}[ -]\d{6}|\d{6}[ -]\d{6})(?![\d]|[.,]\d)")
OLD_ID = re.compile(r"(?:CMND|CMT|chứng minh nhân dân|chứng minh thư)\D{0,25}?(?<!\d)(\d{9})(?!\d)", re.I)
MOBILE = re.compile(r"(?<![\d.+(])(?:\(\s*(?:\+84|0084|84)\s*\)|\+\s?84|0084|84|0)[ .-]?\(?0?\)?[ .-]?[35789](?:[ .-]?\d){8}(?![\d])")
_DIGIT = re.compile(r"\d")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


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


def _findings(text: str, registries):
    """(offset, message) for each piece of personal data in a text. The patterns run only
    where they could match (a digit, an "@", a word for the old identity card): most
    texts have none of them, and the e-mail pattern is slow on long text."""
    if "@" not in text and not _DIGIT.search(text):
        return
    for match in CITIZEN_ID.finditer(text):
        yield match.start(), f"có dãy 12 chữ số giống số định danh cá nhân (căn cước) “{match.group(0)[:4]}…”; hãy xoá"
    for match in GROUPED_ID.finditer(text):
        yield match.start(), f"có dãy 12 chữ số viết tách nhóm giống số định danh cá nhân (căn cước) “{match.group(0)[:4]}…”; hãy xoá"
    lowered = text.lower()
    if "cm" in lowered or "chứng minh" in lowered:
        for match in OLD_ID.finditer(text):
            yield match.start(1), f"có số chứng minh nhân dân “{match.group(1)[:3]}…”; hãy xoá"
    for match in MOBILE.finditer(text):
        if _digits(match.group(0)) not in _official_numbers(registries):
            yield match.start(), f"có số điện thoại di động “{match.group(0)[:4]}…” của cá nhân; chỉ đăng số máy cơ quan"
    for match in EMAIL.finditer(text) if "@" in text else ():
        if not _official_email(match.group(0), registries):
            yield match.start(), f"có thư điện tử cá nhân “{match.group(0)}”; chỉ đăng thư công vụ (.gov.vn)"


def check_item(item, context):
    registries = context.registries
    body = contact_text(item.source.body)
    for offset, message in _findings(body.text, registries):
        yield PERSONAL_DATA.at(item.path, body_place(item, body.where(offset)), message)
    for keys, value in text_values(item.meta):
        for _offset, message in _findings(contact_text(value).text, registries):
            yield PERSONAL_DATA.at(item.path, item.source.position(*keys), f"trường “{keys[0]}” {message}")
