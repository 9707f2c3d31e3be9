"""`timeliness` (warning): news within 24 hours of the event, documents within 48 hours of issue.

With `--base`, a `date` typed earlier than the branch's first commit is an error under this
same rule: the deadlines are measured from the date of publication, so a back-dated `date`
would forge exactly what this rule measures (the build and the reports date items from
Git anyway; the gate says so to the contributor instead of letting the file lie). A
`date` up to GRACE before the first commit passes: the time it takes to write an item
before committing it (the editor and the fixtures of the tests type the hour they began).
"""

from datetime import timedelta

from . import catalogue

TIMELINESS = catalogue.rule("timeliness")
RULES = (TIMELINESS,)
LIMITS = {"article": ("event_date", 24, "sự kiện"), "document": ("issued_date", 48, "ban hành")}


GRACE = timedelta(hours=3)


def _received(context):
    """The branch's first commit: when the portal received the submission."""
    commits = context.change.commits if context.change is not None else []
    return min((c.date for c in commits), default=None)


def check_item(item, context):
    limit = LIMITS.get(item.location.type.name)
    # Only where a deadline is measured (an event or issue date): there a back-dated `date`
    # forges the result; elsewhere the build and reports take the date from Git anyway.
    typed = item.when("date") if limit and item.when(limit[0]) else None
    received = _received(context) if typed is not None and context.change is not None and item.path in context.change.paths("A", "M", "R") else None
    if received is not None and typed < received - GRACE:
        base = context.base_version_of(item.path)
        if base is None or base.meta.get("date") != item.meta.get("date"):
            yield TIMELINESS.at(item.path, item.source.position("date"),
                                f"ngày đăng “{item.meta['date']}” sớm hơn lúc nhận tin (commit đầu tiên của nhánh, {received:%d/%m/%Y %H:%M}); "
                                "ngày đăng do Git ghi khi tin vào nhánh main: hãy xoá trường date", severity="error")
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
