"""Reports for the board (Điều 5.6.d, 6.2.d, 8.1.c, 9, 10.3, 11.6, 12.1.b), computed from
the ledger of published items. Each report is data (`Report`); `report_render` turns it
into a table, CSV, JSON, Markdown or HTML."""

import json
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from . import dates, law
from .ledger import Entry
from .registries import Registries


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[list]
    chart: str | None = None  # "bars": the last numeric column drawn as bars


@dataclass
class Report:
    title: str
    sections: list[Section]
    notes: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)  # the same figures, for JSON


def _in(entry_time: datetime, start: date, end: date) -> bool:
    return start <= entry_time.astimezone(dates.TIMEZONE).date() <= end


# Điều 6.2.d: each member provides "một tháng ít nhất 01 tin, bài hoặc các thông tin khác
# theo Khoản 1, Điều 6". Khoản 1 lists policy, law and guidance on administrative reform
# (a: the documents posted) and news of the reform's work, models and trends (b, c, d: the
# news and articles). Consultations and surveys (Điều 7) and answers to questions
# (Điều 6.2.c, a duty of its own) are other duties: they do not count towards the quota.
QUOTA_TYPES = ("article", "document")
QUOTA_NOTE = ("Tính vào chỉ tiêu (Điều 6.2.d: “ít nhất 01 tin, bài hoặc các thông tin khác theo Khoản 1, Điều 6”): "
              "tin, bài (Khoản 1, điểm b, c, d) và văn bản về chủ trương, chính sách, pháp luật, hướng dẫn về cải cách hành chính "
              "(Khoản 1, điểm a). Dự thảo lấy ý kiến, khảo sát (Điều 7) và trả lời hỏi đáp (Điều 6.2.c) không tính.")


def quota(entries: list[Entry], regs: Registries, year: int, month: int | None = None, now: datetime | None = None) -> Report:
    now = now or dates.now()
    months = [month] if month else list(range(1, 13))
    counts: dict[str, Counter] = defaultdict(Counter)
    for entry in entries:
        local = entry.published.astimezone(dates.TIMEZONE)
        if entry.type in QUOTA_TYPES and local.year == year and local.month in months:
            counts[entry.unit][local.month] += 1
    due = [m for m in months if (year, m) <= (now.year, now.month)]  # months that have begun; future ones owe nothing yet
    rows = []
    for unit_id, unit in regs.units.items():
        # A unit owes its quota only for the months it existed (valid_from … valid_until);
        # one that existed in none of them is not listed, unless items were published under it.
        active = [m for m in months if law.unit_active_in_month(unit, year, m)]
        if not active and not counts[unit_id]:
            continue
        wanted = unit.get("monthly_quota", 1)
        per_month = [counts[unit_id][m] for m in months]
        below = sum(1 for m in due if m in active and counts[unit_id][m] < wanted)
        rows.append([unit_id, unit["name"], *per_month, sum(per_month), wanted, below])
    rows.sort(key=lambda r: (-r[-1], r[1]))
    columns = ["Mã", "Đơn vị", *[f"T{m}" for m in months], "Tổng", "Chỉ tiêu", "Thiếu"]
    title = f"Tin, bài của các đơn vị {'tháng ' + str(month) + '/' if month else 'năm '}{year} (Điều 6.2.d, 12.1.b)"
    return Report(title, [Section("Số tin, bài đã đăng theo đơn vị và tháng", columns, rows)],
                  ["Chỉ tiêu: số tin, bài tối thiểu mỗi tháng; Thiếu: số tháng chưa đủ chỉ tiêu. Đơn vị thiếu nhiều đứng đầu; "
                   f"tháng đang diễn ra cũng được tính (đến {dates.short(now)}). Đơn vị chỉ có chỉ tiêu trong thời gian còn hoạt động "
                   "(content/data/units.yml: valid_from, valid_until); tin, bài đã đăng giữ đơn vị lúc đăng.", QUOTA_NOTE],
                  {"year": year, "months": months, "units": [dict(zip(["unit", "name", *[str(m) for m in months], "total", "quota", "months_below"], r)) for r in rows]})


def royalties(entries: list[Entry], regs: Registries, start: date, end: date) -> Report:
    rates = {r["type"]: r["amount"] for r in regs.rates.get("rates", [])}
    split = regs.rates.get("split", "equal")
    lines, totals = [], Counter()
    for entry in sorted((e for e in entries if _in(e.published, start, end)), key=lambda e: e.published):
        amount = rates.get(entry.type)
        authors = list(entry.authors) or ["(không rõ)"]
        if amount is None:
            shares = {a: 0 for a in authors}
        elif split == "first":
            shares = {a: (amount if i == 0 else 0) for i, a in enumerate(authors)}
        else:
            each, remainder = divmod(amount, len(authors))
            shares = {a: each + (remainder if i == 0 else 0) for i, a in enumerate(authors)}
        for author, share in shares.items():
            name = regs.contributors.get(author, {}).get("name", author)
            lines.append([author, name, dates.short(entry.published), entry.type, entry.title, share, "đã gỡ" if entry.withdrawn else ""])
            totals[author] += share
    total_rows = [[a, regs.contributors.get(a, {}).get("name", a), sum(1 for l in lines if l[0] == a), totals[a]] for a in sorted(totals)]
    notes = []
    if not rates:
        notes.append("Chưa có quyết định định mức nhuận bút (content/data/rates.yml): số tiền ghi 0 đồng (Điều 12.2.c).")
    notes.append(f"Chia cho nhiều tác giả: {'chia đều' if split == 'equal' else 'tác giả đầu tiên'}; nội dung đã gỡ vẫn tính cho kỳ đã đăng.")
    period = f"từ {dates.short(start)} đến {dates.short(end)}"
    return Report(f"Nhuận bút {period} (Điều 5.6.d, Điều 9)", [
        Section("Chi tiết theo tin, bài", ["Mã tác giả", "Tác giả", "Ngày đăng", "Loại", "Tiêu đề", "Số tiền (đồng)", "Ghi chú"], lines),
        Section("Tổng theo tác giả", ["Mã tác giả", "Tác giả", "Số tin, bài", "Tổng (đồng)"], total_rows),
    ], notes, {"from": start.isoformat(), "to": end.isoformat(), "split": split, "items": [dict(zip(["author", "name", "date", "type", "title", "amount", "note"], l)) for l in lines],
               "totals": [dict(zip(["author", "name", "items", "amount"], t)) for t in total_rows], "grand_total": sum(totals.values())})


LIMITS = {"article": ("event_date", 24), "document": ("issued_date", 48)}


def lateness(entry: Entry) -> float | None:
    """Hours between the event (or issue) and publication; None when not measured."""
    key, _ = LIMITS.get(entry.type, (None, None))
    start = entry.when(key) if key else None
    return (entry.published - start) / timedelta(hours=1) if start else None


def _hours(later: datetime | None, earlier: datetime | None) -> float | None:
    return round((later - earlier) / timedelta(hours=1), 1) if later and earlier else None


def timeliness(entries: list[Entry], regs: Registries, start: date, end: date) -> Report:
    per_unit: dict[str, Counter] = defaultdict(Counter)
    late, stages = [], []
    for entry in entries:
        if entry.published is None:
            continue
        hours = lateness(entry)
        if hours is None or not _in(entry.published, start, end):
            continue
        # Measured twice, from Git: event (or issue) -> receipt (the submission's first
        # commit) -> publication (first revision on main).
        key = LIMITS[entry.type][0]
        stages.append([entry.unit, entry.path, entry.title, _hours(entry.submitted, entry.when(key)), _hours(entry.published, entry.submitted), round(hours)])
        limit = LIMITS[entry.type][1]
        per_unit[entry.unit][f"{entry.type}_all"] += 1
        if hours <= limit:
            per_unit[entry.unit][f"{entry.type}_ok"] += 1
        else:
            late.append([entry.unit, entry.path, entry.title, {"article": "tin", "document": "văn bản"}[entry.type], round(hours), limit])

    def share(ok, total):
        return round(100 * ok / total, 1) if total else None

    rows = []
    for unit_id, unit in regs.units.items():
        if not law.unit_active_between(unit, start, end) and unit_id not in per_unit:
            continue  # a unit that did not exist in the period, and sent nothing in it
        c = per_unit[unit_id]
        rows.append([unit_id, unit["name"], c["article_all"], c["article_ok"], share(c["article_ok"], c["article_all"]),
                     c["document_all"], c["document_ok"], share(c["document_ok"], c["document_all"])])
    period = f"từ {dates.short(start)} đến {dates.short(end)}"
    return Report(f"Đúng hạn gửi tin {period} (Điều 8.1.c: tin 24 giờ, văn bản 48 giờ)", [
        Section("Tỷ lệ đúng hạn theo đơn vị", ["Mã đơn vị", "Đơn vị", "Tin", "Tin đúng hạn", "% tin", "Văn bản", "VB đúng hạn", "% văn bản"], rows),
        Section("Tin, văn bản gửi muộn", ["Đơn vị", "Tệp", "Tiêu đề", "Loại", "Số giờ", "Thời hạn (giờ)"], sorted(late)),
        Section("Hai chặng thời gian (theo Git)", ["Đơn vị", "Tệp", "Tiêu đề", "Sự kiện → nhận (giờ)", "Nhận → đăng (giờ)", "Tổng (giờ)"], sorted(stages, key=lambda r: (r[0], r[1]))),
    ], ["Chỉ tính tin có thời điểm sự kiện (event_date) và văn bản có ngày ban hành; văn bản tính từ 0 giờ ngày ban hành.",
        "Thời điểm nhận là commit đầu tiên của nhánh gửi tin; thời điểm đăng là lúc nội dung vào nhánh main (không theo ngày người gửi tự ghi)."],
        {"from": start.isoformat(), "to": end.isoformat(),
         "units": [dict(zip(["unit", "name", "news", "news_on_time", "news_on_time_pct", "documents", "documents_on_time", "documents_on_time_pct"], r)) for r in rows],
         "late": [dict(zip(["unit", "path", "title", "kind", "hours", "limit_hours"], r)) for r in sorted(late)],
         "stages": [dict(zip(["unit", "path", "title", "event_to_receipt_hours", "receipt_to_publication_hours", "total_hours"], r))
                    for r in sorted(stages, key=lambda r: (r[0], r[1]))]})


def questions(entries: list[Entry], regs: Registries, today: date) -> Report:
    """Questions awaiting their answer, and those past their due date (Điều 8.2.b, 8.3.c)."""
    waiting, overdue = [], []
    for entry in entries:
        if entry.type != "question" or entry.meta.get("answered_date") or entry.withdrawn:
            continue
        meta = entry.meta
        due = meta.get("due_date")
        row = [entry.path, entry.title, meta.get("asked_date", ""), meta.get("forwarded_to", ""), due or "", (today - date.fromisoformat(due)).days if due and date.fromisoformat(due) < today else ""]
        waiting.append(row)
        if row[-1] != "":
            overdue.append(row)
    columns = ["Tệp", "Tiêu đề", "Ngày nhận", "Chuyển tới", "Hạn trả lời", "Quá hạn (ngày)"]
    keys = ["path", "title", "received", "forwarded_to", "due", "days_overdue"]
    return Report(f"Câu hỏi chưa được trả lời (đến ngày {dates.short(today)})", [
        Section("Câu hỏi quá hạn trả lời", columns, sorted(overdue, key=lambda r: r[2])),
        Section("Câu hỏi chưa có trả lời", columns, sorted(waiting, key=lambda r: r[2])),
    ], ["Câu hỏi chưa có trả lời thì chưa được đăng; Ban Biên tập đăng ngay khi nhận được trả lời (Điều 8.3.c)."],
        {"date": today.isoformat(), "overdue": [dict(zip(keys, r)) for r in sorted(overdue, key=lambda r: r[2])],
         "unanswered": [dict(zip(keys, r)) for r in sorted(waiting, key=lambda r: r[2])]})


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]  # nearest rank


def annual(entries: list[Entry], regs: Registries, year: int, gate_log: Path | None = None) -> Report:
    published = [e for e in entries if e.published.astimezone(dates.TIMEZONE).year == year]
    by_field = Counter(e.field for e in published)
    by_category = Counter(e.category for e in published if e.category)
    by_unit = Counter(e.unit for e in published)
    by_month = Counter(e.published.astimezone(dates.TIMEZONE).month for e in published)
    waits = [(e.published - e.submitted) / timedelta(hours=1) for e in published if e.submitted and e.submitted <= e.published]
    withdrawals = [e for e in entries if e.withdrawn and str(e.withdrawn.get("date", "")).startswith(str(year))]
    answered = [e for e in entries if e.type == "question" and str(e.meta.get("answered_date", "")).startswith(str(year))]
    answer_days = [(date.fromisoformat(e.meta["answered_date"]) - date.fromisoformat(e.meta["asked_date"])).days for e in answered]
    refusals = Counter()
    if gate_log and gate_log.exists():
        for line in gate_log.read_text("utf-8").splitlines():
            record = json.loads(line)
            if record.get("date", "").startswith(str(year)) and not record.get("accepted"):
                refusals.update({f["rule"] for f in record.get("findings", []) if f.get("severity") == "error"})
    category_names = {c: c for c in by_category}
    sections = [
        Section("Theo tháng", ["Tháng", "Số tin, bài"], [[f"Tháng {m}", by_month[m]] for m in range(1, 13)], chart="bars"),
        Section("Theo đơn vị", ["Đơn vị", "Số tin, bài"], [[regs.units.get(u, {}).get("name", u), n] for u, n in sorted(by_unit.items(), key=lambda x: -x[1])]
                + [[u["name"], 0] for i, u in regs.units.items() if i not in by_unit and law.unit_active_between(u, date(year, 1, 1), date(year, 12, 31))],
                chart="bars"),
        Section("Theo lĩnh vực", ["Lĩnh vực", "Số tin, bài"], [[f["name"], by_field[i]] for i, f in regs.fields.items()]),
        Section("Theo chuyên mục (tin, bài)", ["Chuyên mục", "Số tin, bài"], [[category_names[c], n] for c, n in sorted(by_category.items())]),
        Section("Thời gian từ khi gửi đến khi đăng", ["Chỉ số", "Giờ"], [["Số tin, bài đo được", len(waits)], ["Trung vị", round(statistics.median(waits), 1) if waits else None],
                                                                   ["Bách phân vị 90", round(_percentile(waits, 0.9), 1) if waits else None]]),
        Section("Bị từ chối khi kiểm tra (theo quy tắc)", ["Quy tắc", "Số lần"], [[r, n] for r, n in sorted(refusals.items())]),
        Section("Nội dung gỡ bỏ theo quyết định", ["Tiêu đề", "Quyết định", "Ngày", "Lý do"], [[e.title, e.withdrawn["decision"], e.withdrawn["date"], e.withdrawn["reason"]] for e in withdrawals]),
        Section("Hỏi đáp", ["Chỉ số", "Giá trị"], [["Câu hỏi đã trả lời", len(answered)], ["Số ngày trả lời (trung vị)", statistics.median(answer_days) if answer_days else None]]),
    ]
    notes = [] if gate_log and gate_log.exists() else ["Chưa có nhật ký kiểm tra (cchc check --record) nên chưa thống kê được số lần bị từ chối."]
    data = {"year": year, "total": len(published), "by_month": {str(m): by_month[m] for m in range(1, 13)}, "by_unit": dict(by_unit),
            "by_field": {i: by_field[i] for i in regs.fields}, "by_category": dict(by_category),
            "submission_to_publication_hours": {"count": len(waits), "median": statistics.median(waits) if waits else None, "p90": _percentile(waits, 0.9)},
            "refusals_by_rule": dict(refusals), "withdrawals": [{"path": e.path, **e.withdrawn} for e in withdrawals],
            "questions_answered": len(answered), "answer_days_median": statistics.median(answer_days) if answer_days else None}
    return Report(f"Báo cáo năm {year} về hoạt động của Cổng Thông tin (Điều 10.3, 11.6): {len(published)} tin, bài, văn bản đã đăng", sections, notes, data)
