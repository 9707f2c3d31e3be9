"""`source`: information of unclear origin."""

from ..text import fold_key
from .base import Rule

SOURCE = Rule("source", "error", "không rõ nguồn gốc", "Điều 4.6 (ý 6)")
RULES = (SOURCE,)

# Placeholders contributors type when they do not know, compared folded and lower case.
PLACEHOLDERS = {"khong ro", "chua ro", "khong", "st", "s.t", "s/t", "suu tam", "internet", "tren mang", "mang internet",
                "nguon internet", "nguon: internet", "google", "facebook", "zalo", "mang xa hoi", "n/a", "na", "...", "-", "?", "nguon"}


def check_item(item, context):
    source = item.meta.get("source")
    if isinstance(source, str) and fold_key(source).strip(" .:") in PLACEHOLDERS:
        yield SOURCE.at(item.path, item.source.position("source"),
                        f"nguồn tin “{source}” không cho biết thông tin từ đâu; ghi rõ cơ quan, văn bản hoặc sự kiện làm căn cứ")
