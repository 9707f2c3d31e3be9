"""Dates in the portal's time zone, and written the Vietnamese way."""

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def parse(value: str) -> datetime:
    """`2024-03-04`, `2024-03-04 08:30` or ISO 8601 with an offset -> aware datetime."""
    parsed = datetime.fromisoformat(value.strip())
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=TIMEZONE)
    return parsed.astimezone(TIMEZONE)


def is_valid(value: object) -> bool:
    """For the schemas' `vn-datetime` format."""
    if not isinstance(value, str):
        return True  # the type keyword reports non-strings
    try:
        parse(value)
    except ValueError:
        return False
    return len(value.strip()) >= 10


def vietnamese(moment: date | datetime) -> str:
    """"ngày 04 tháng 3 năm 2024", as official documents write it."""
    return f"ngày {moment.day:02d} tháng {moment.month} năm {moment.year}"


def short(moment: date | datetime) -> str:
    """"04/3/2024", the short form used in lists."""
    return f"{moment.day:02d}/{moment.month}/{moment.year}"


def now() -> datetime:
    """The current time in Asia/Ho_Chi_Minh; CCHC_NOW (ISO 8601) fixes it, for the tests
    and for rebuilding the site as it was on a given day."""
    fixed = os.environ.get("CCHC_NOW")
    return parse(fixed) if fixed else datetime.now(TIMEZONE)
