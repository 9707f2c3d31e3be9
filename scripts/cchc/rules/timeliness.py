"""`timeliness` (warning): news within 24 hours of the event, documents within 48 hours of issue."""

from datetime import timedelta

from . import catalogue

TIMELINESS = catalogue.rule("timeliness")
RULES = (TIMELINESS,)
LIMITS = {"article": ("event_date", 24, "sự kiện"), "document": ("issued_date", 48, "ban hành")}


def check_item(item, context):
    limit = LIMITS.get(item.location.type.name)
    if limit is None:
        return
    key, hours, what = limit
    start = item.when(key)
    published = item.when("date") or (context.now if context.is_new(item.path) else None)
    if start is None or published is None:
        return  # publication time unknown, or the item states no event: nothing to measure
    late = (published - start) / timedelta(hours=1)
    if late > hours:
        yield TIMELINESS.at(item.path, item.source.position(key),
                            f"đăng sau {late:.0f} giờ kể từ khi {what} ({item.meta[key]}), quá thời hạn {hours} giờ")
