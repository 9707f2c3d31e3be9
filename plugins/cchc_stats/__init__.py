"""The public "Thống kê" page: items each unit published per month this year that count
towards its quota (Điều 6.2.d), as a chart and a table, from the same report the board
uses (`cchc report quota`); news and articles, documents and the other types (which do
not count) are shown apart, so a quota met by re-posting documents is seen as such."""

from collections import Counter, defaultdict

from cchc.ledger import Entry
from cchc.reports import QUOTA_NOTE, quota
from pelican import signals
from pelican.generators import Generator


class StatsGenerator(Generator):
    def generate_output(self, writer):
        now = self.settings["BUILD_TIME"]
        items = self.context.get("articles", []) + self.context.get("hidden_articles", [])
        entries = [Entry(a.source_path, a.type, a.title, getattr(a, "unit", ""), a.field, getattr(a, "chuyen_muc", None), (), a.date, None, {}) for a in items]
        report = quota(entries, self.build.registries, now.year, now=now)
        section = report.sections[0]
        months = list(range(1, now.month + 1))
        units = [{"name": row[1], "months": row[2 : 2 + 12][: now.month], "total": sum(row[2 : 2 + now.month])} for row in section.rows]
        kinds: dict[str, Counter] = defaultdict(Counter)  # unit -> "article" / "document" / "other" this year
        for entry in entries:
            if entry.published.astimezone(now.tzinfo).year == now.year:
                kinds[entry.unit][entry.type if entry.type in ("article", "document") else "other"] += 1
        for unit_id, unit in zip((row[0] for row in section.rows), units):
            unit.update(news=kinds[unit_id]["article"], documents=kinds[unit_id]["document"], other=kinds[unit_id]["other"])
        per_month = [(f"Tháng {m}", sum(u["months"][m - 1] for u in units)) for m in months]
        writer.write_file("thong-ke/index.html", self.get_template("stats"), self.context, year=now.year, months=months, units=units,
                          per_month={"header": ["Tháng", "Số tin, bài và văn bản"], "rows": per_month},
                          per_unit={"header": ["Đơn vị", "Số tin, bài"], "rows": [(u["name"], u["news"]) for u in units]},
                          quota_note=QUOTA_NOTE,
                          page_name="thong-ke/index")


def connect(build):
    generator = build.bind(StatsGenerator)
    build.on(signals.get_generators, lambda pelican: generator)
