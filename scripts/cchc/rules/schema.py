"""`schema` and `scope`: a file the content model cannot read or place.

Their findings come from reading the file (`cchc.content.read_item`), the same code the
build runs; the unit check needs the registries and lives here.
"""

from .base import Rule

SCHEMA = Rule("schema", "error", "tệp không đọc được hoặc không đúng mô hình nội dung", "Điều 8.1.b")
SCOPE = Rule("scope", "error", "không thuộc phạm vi vai trò, chức năng của Cổng Thông tin", "Điều 4.6 (ý 1)")
RULES = (SCHEMA, SCOPE)


def check_item(item, context):
    declared = item.meta.get("field")
    if declared is not None and declared != item.location.field:
        yield SCOPE.at(item.path, item.source.position("field"),
                       f"lĩnh vực “{declared}” khác thư mục lĩnh vực “{item.location.field}” của tệp; chuyển tệp hoặc sửa trường “field”")
    unit = item.meta.get("unit")
    if unit is not None and unit not in context.registries.units:
        yield SCOPE.at(item.path, item.source.position("unit"),
                       f"đơn vị “{unit}” không có trong content/data/units.yml; chọn một trong: {', '.join(context.registries.units)}")
