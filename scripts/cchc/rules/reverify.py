"""`reverify`: an item under a request to verify it again."""

from . import catalogue

REVERIFY = catalogue.rule("reverify")
RULES = (REVERIFY,)


def check_item(item, context):
    if item.meta.get("verification") == "reverify-requested":
        yield REVERIFY.at(item.path, item.source.position("verification"),
                          "nội dung đang được yêu cầu xác thực lại (verification: reverify-requested); chỉ đăng khi đã xác thực (verified)")
