"""The public "Thống kê" page: items each unit published per month this year, as a chart
and a table, from the same report the board uses (`cchc report quota`)."""

from cchc.ledger import Entry
from cchc.reports import quota
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
        per_month = [(f"Tháng {m}", sum(u["months"][m - 1] for u in units)) for m in months]
        writer.write_file("thong-ke/index.html", self.get_template("stats"), self.context, year=now.year, months=months, units=units,
                          per_month={"header": ["Tháng", "Số tin, bài"], "rows": per_month},
                          per_unit={"header": ["Đơn vị", "Số tin, bài"], "rows": [(u["name"], u["total"]) for u in units]},
                          page_name="thong-ke/index")


def connect(build):
    generator = build.bind(StatsGenerator)
    build.on(signals.get_generators, lambda pelican: generator)
