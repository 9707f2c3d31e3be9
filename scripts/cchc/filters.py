"""What the public pages compute at build time: windows open or closed, active notices,
Vietnamese numbers, survey results from CSV. Template filters call these."""

import csv
import io
from datetime import datetime
from pathlib import Path

from . import dates

WINDOW_LABELS = {"upcoming": "Chưa mở", "open": "Đang lấy ý kiến", "closed": "Đã kết thúc"}


def window_state(item, now: datetime) -> str:
    """A consultation's or survey's window at build time. `closes` given as a date
    counts to the end of that day."""
    opens = dates.parse(item.opens if hasattr(item, "opens") else item["opens"])
    closes_text = item.closes if hasattr(item, "closes") else item["closes"]
    closes = dates.parse(closes_text)
    if len(closes_text.strip()) == 10:
        closes = closes.replace(hour=23, minute=59, second=59)
    if now < opens:
        return "upcoming"
    return "open" if now <= closes else "closed"


def window_is(item, state: str, now: datetime) -> bool:
    return window_state(item, now) == state


def active_notices(notices: list[dict], now: datetime) -> list[dict]:
    return [n for n in notices if (not n.get("from") or dates.parse(n["from"]) <= now) and (not n.get("until") or now < dates.parse(n["until"]))]


def vietnamese_number(value) -> str:
    """1234567 -> "1.234.567"; 12.5 -> "12,5"."""
    if isinstance(value, float) and not value.is_integer():
        whole, _, decimals = f"{value:.2f}".rstrip("0").partition(".")
        return f"{int(whole):,}".replace(",", ".") + "," + decimals
    return f"{int(value):,}".replace(",", ".")


def short_date_text(value: str) -> str:
    return dates.short(dates.parse(value))


class ResultsError(ValueError):
    pass


def read_results(csv_path: Path) -> dict:
    """A survey's results: first column the label, second the number; a header row."""
    text = csv_path.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) < 2 or any(len(r) < 2 for r in rows if r):
        raise ResultsError(f"{csv_path.name}: cần một dòng tiêu đề và ít nhất một dòng “nội dung,số liệu”")
    parsed = []
    for number, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        try:
            value = float(row[1].replace(".", "").replace(",", ".")) if "," in row[1] else float(row[1])
        except ValueError:
            raise ResultsError(f"{csv_path.name}:{number}: “{row[1]}” không phải số") from None
        parsed.append((row[0].strip(), int(value) if value.is_integer() else value))
    return {"header": [rows[0][0].strip(), rows[0][1].strip()], "rows": parsed}


TITLE_LIMIT = 70  # html-validate's long-title, and about what a search engine shows


def page_title(title: str, suffix: str, limit: int = TITLE_LIMIT) -> str:
    """`<title>`: "Tên – Cải cách hành chính tỉnh Lào Cai" when it fits in `limit`
    characters; else the name alone, and a long name cut between words with "…"."""
    title = " ".join(str(title).split())
    full = f"{title} – {suffix}"
    if len(full) <= limit:
        return full
    if len(title) <= limit:
        return title
    return title[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:–-") + "…"
