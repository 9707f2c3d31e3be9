"""`reverify`: an item under a request to verify it again."""

from .base import Rule

REVERIFY = Rule("reverify", "error", "đang được yêu cầu xác thực lại", "Điều 4.6 (ý 8)")
RULES = (REVERIFY,)


def check_item(item, context):
    if item.meta.get("verification") == "reverify-requested":
        yield REVERIFY.at(item.path, item.source.position("verification"),
                          "nội dung đang được yêu cầu xác thực lại (verification: reverify-requested); chỉ đăng khi đã xác thực (verified)")
