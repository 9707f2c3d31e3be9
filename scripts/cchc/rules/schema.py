"""`schema` and `scope`: a file the content model cannot read or place.

Their findings come from reading the file (`cchc.content.read_item`), the same code the
build runs; the unit check needs the registries and lives here.
"""

from .. import dates, law
from . import catalogue

SCHEMA = catalogue.rule("schema")
SCOPE = catalogue.rule("scope")
RULES = (SCHEMA, SCOPE)


def check_item(item, context):
    declared = item.meta.get("field")
    # A field folder not in the registry is already a `scope` finding of the file's path.
    if declared is not None and declared != item.location.field and item.location.field in context.registries.fields:
        yield SCOPE.at(item.path, item.source.position("field"),
                       f"lĩnh vực “{declared}” khác thư mục lĩnh vực “{item.location.field}” của tệp; chuyển tệp hoặc sửa trường “field”")
    unit = item.meta.get("unit")
    if unit is not None and unit not in context.registries.units:
        yield SCOPE.at(item.path, item.source.position("unit"),
                       f"đơn vị “{unit}” không có trong content/data/units.yml; chọn một trong: {', '.join(context.registries.units)}")
    elif unit is not None and context.registries.units[unit].get("valid_until"):
        # A unit that ceased keeps the items it published; a later item names its successor.
        entry = context.registries.units[unit]
        published = item.published()
        when = published.astimezone(dates.TIMEZONE).date() if published else (context.now.date() if context.is_new(item.path) else None)
        if when is not None and not law.unit_exists(entry, when):
            successor = entry.get("successor")
            advice = f"; chọn đơn vị kế thừa “{successor}”" if successor else ""
            yield SCOPE.at(item.path, item.source.position("unit"),
                           f"đơn vị “{unit}” đã thôi hoạt động từ sau ngày {dates.short(law.day(entry['valid_until']))}, trước ngày đăng {dates.short(when)}{advice}")
