"""Dates as Nghị định 30/2020/NĐ-CP (Phụ lục I) writes them: a day below 10 and the
months 1 and 2 with a leading zero, the other months without."""

from datetime import date

import pytest
from cchc import dates


@pytest.mark.parametrize(("day", "short", "long"), [
    (date(2025, 2, 5), "05/02/2025", "ngày 05 tháng 02 năm 2025"),
    (date(2025, 1, 15), "15/01/2025", "ngày 15 tháng 01 năm 2025"),
    (date(2024, 3, 4), "04/3/2024", "ngày 04 tháng 3 năm 2024"),
    (date(2025, 12, 15), "15/12/2025", "ngày 15 tháng 12 năm 2025"),
    (date(2025, 10, 1), "01/10/2025", "ngày 01 tháng 10 năm 2025"),
])
def test_day_and_month_as_decree_30_writes_them(day, short, long):
    assert dates.short(day) == short
    assert dates.vietnamese(day) == long
    assert dates.short(dates.parse(day.isoformat() + " 08:00")) == short
