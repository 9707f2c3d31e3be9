"""`source`: information of unclear origin."""

from ..text import fold_key
from . import catalogue

SOURCE = catalogue.rule("source")
RULES = (SOURCE,)

# Placeholders contributors type when they do not know, compared folded and lower case
# (catalogue.yml, lists).
PLACEHOLDERS = set(catalogue.lists()["source_placeholders"])


def check_item(item, context):
    source = item.meta.get("source")
    if isinstance(source, str) and fold_key(source).strip(" .:") in PLACEHOLDERS:
        yield SOURCE.at(item.path, item.source.position("source"),
                        f"nguồn tin “{source}” không cho biết thông tin từ đâu; ghi rõ cơ quan, văn bản hoặc sự kiện làm căn cứ")
