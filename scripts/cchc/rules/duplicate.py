"""`duplicate`: the same as content already published."""

from . import catalogue

DUPLICATE = catalogue.rule("duplicate")
RULES = (DUPLICATE,)


def check_item(item, context):
    for match in context.duplicates.matches(item.path, item.meta, item.source.body, context.not_duplicates_of(item.path)):
        if match.kind == "number":
            yield DUPLICATE.at(item.path, item.source.position("number"), f"số ký hiệu “{item.meta['number']}” trùng với văn bản đã đăng {match.path}")
        elif match.kind == "title":
            yield DUPLICATE.at(item.path, item.source.position("title"), f"tiêu đề trùng với nội dung đã đăng {match.path}")
        else:
            yield DUPLICATE.at(item.path, (item.source.body_line, 1), f"nội dung giống {match.similarity:.0%} bài đã đăng {match.path}")
