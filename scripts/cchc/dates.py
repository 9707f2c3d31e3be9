"""Dates in the portal's time zone, and written the Vietnamese way."""

import os
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def parse(value: str) -> datetime:
    """`2024-03-04`, `2024-03-04 08:30` or ISO 8601 with an offset -> aware datetime."""
    parsed = datetime.fromisoformat(value.strip())
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=TIMEZONE)
    return parsed.astimezone(TIMEZONE)


# Plausible years of the portal's dates. The earliest: 1945, the founding of the
# Democratic Republic of Viet Nam, before which no document the portal publishes was
# issued. The latest: 2100, far enough for an embargo or an effective date planned
# decades ahead; `9999-12-31` or `20224-…` is a typing mistake, never a plan. Both are
# constants, not relative to today: a file accepted once is accepted by every rebuild.
EARLIEST_YEAR = 1945
LATEST_YEAR = 2100


def is_plausible(moment: date | datetime) -> bool:
    return EARLIEST_YEAR <= moment.year <= LATEST_YEAR


def is_valid_date(value: object) -> bool:
    """For the schemas' `date` format (YYYY-MM-DD), replacing jsonschema's: also plausible."""
    if not isinstance(value, str):
        return True
    try:
        return is_plausible(date.fromisoformat(value)) and len(value) == 10
    except ValueError:
        return False


def is_valid(value: object) -> bool:
    """For the schemas' `vn-datetime` format: a date (and time) of the forms `parse`
    reads, within the plausible years."""
    if not isinstance(value, str):
        return True  # the type keyword reports non-strings
    try:
        parsed = parse(value)
    except (ValueError, OverflowError):
        return False
    return len(value.strip()) >= 10 and is_plausible(parsed)


# What a content file's dates must look like, said the same way everywhere: the schemas
# keep NĂM-THÁNG-NGÀY; only `cchc new` also takes the NGÀY/THÁNG/NĂM officials type.
FILE_DATE_FORM = "NĂM-THÁNG-NGÀY, ví dụ 2025-01-15"
FILE_DATETIME_FORM = "NĂM-THÁNG-NGÀY, có thể kèm giờ, ví dụ 2025-01-15 hoặc 2025-01-15 08:30"
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2}))?$")


def from_day_month_year(value: str) -> str | None:
    """`15/01/2025[ 08:30]` written the schemas' way (`2025-01-15[ 08:30]`); None for any other form."""
    found = _DMY.match(value.strip())
    if not found:
        return None
    day, month, year, hour, minute = found.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}" + (f" {int(hour):02d}:{minute}" if hour else "")


def _month(moment: date | datetime) -> str:
    """Nghị định 30/2020/NĐ-CP, Phụ lục I: "ngày dưới 10 và tháng 1, 2 phải ghi thêm số 0
    phía trước" - so January and February take a leading zero, the other months none."""
    return f"{moment.month:02d}" if moment.month <= 2 else str(moment.month)


def vietnamese(moment: date | datetime) -> str:
    """"ngày 04 tháng 3 năm 2024", "ngày 05 tháng 02 năm 2025", as official documents write it."""
    return f"ngày {moment.day:02d} tháng {_month(moment)} năm {moment.year}"


def short(moment: date | datetime) -> str:
    """"04/3/2024", "15/01/2025", the short form used in lists."""
    return f"{moment.day:02d}/{_month(moment)}/{moment.year}"


def now() -> datetime:
    """The current time in Asia/Ho_Chi_Minh; CCHC_NOW (ISO 8601) fixes it, for the tests
    and for rebuilding the site as it was on a given day."""
    fixed = os.environ.get("CCHC_NOW")
    return parse(fixed) if fixed else datetime.now(TIMEZONE)
