"""`unsafe-html`: raw HTML that could run code, frame other sites or restyle the page.

The build also passes every page body through nh3 (`cchc.sanitize`), so a miss here
still never reaches a reader; this rule tells the contributor before it comes to that.
"""

import re

from ..normalise import link_targets
from . import catalogue
from .base import body_matches, body_place, text_values

UNSAFE_HTML = catalogue.rule("unsafe-html")
RULES = (UNSAFE_HTML,)

# The tags never allowed, with what a contributor is told they are (catalogue.yml, lists).
WHAT = catalogue.lists()["unsafe_tags"]
_TAG = re.compile(r"<\s*(" + "|".join(map(re.escape, WHAT)) + r")\b", re.I)
_HANDLER = re.compile(r"<[a-z][^>]*?\s(on[a-z]+)\s*=", re.I | re.S)
# javascript:, data:, vbscript: URLs in Markdown links or HTML attributes, also when
# split by whitespace or entities as browsers still accept them (java&#x09;script:).
_URL = re.compile(r"(?:\]\(\s*<?|\b(?:href|src|action|formaction|xlink:href|srcset)\s*=\s*[\"']?)\s*((?:j\s*a\s*v\s*a|v\s*b)\s*s\s*c\s*r\s*i\s*p\s*t\s*:|d\s*a\s*t\s*a\s*:|[^\"'\s)>]*&#)", re.I)
_SCHEMES = ("javascript:", "vbscript:", "data:")
_ENTITY_SCHEME = re.compile(r"^(?:[a-z]|&#x?[0-9a-f]+;?)*?(?:&#x?[0-9a-f]+;?)", re.I)



def check_item(item, context):
    path = item.path
    for match, place in body_matches(item, _TAG):
        tag = match.group(1).lower()
        yield UNSAFE_HTML.at(path, place, f"không được dùng thẻ <{tag}> ({WHAT[tag]}) trong nội dung")
    for match, _ in body_matches(item, _HANDLER):
        yield UNSAFE_HTML.at(path, body_place(item, match.start(1)), f"không được dùng thuộc tính sự kiện “{match.group(1)}” (chạy mã khi người đọc thao tác)")
    reported = set()
    for match, _ in body_matches(item, _URL):
        value = match.group(1)
        if "&#" in value and not _ENTITY_SCHEME.match(value):
            continue  # an entity later in an ordinary URL is harmless
        reported.add(body_place(item, match.start(1))[0])
        yield UNSAFE_HTML.at(path, body_place(item, match.start(1)), f"liên kết “{value.strip()[:30]}…” dùng giao thức nguy hiểm (javascript:, data:, vbscript:)")
    for offset, target in link_targets(item.source.body):
        # as the browser reads it: entities decoded, whitespace and controls inside dropped;
        # reference-style definitions ([1]: javascript:…) included
        if target.lower().startswith(_SCHEMES) and body_place(item, offset)[0] not in reported:
            reported.add(body_place(item, offset)[0])
            yield UNSAFE_HTML.at(path, body_place(item, offset), f"liên kết “{target[:30]}…” dùng giao thức nguy hiểm (javascript:, data:, vbscript:)")
    for keys, value in text_values(item.meta):
        if _TAG.search(value) or _HANDLER.search(value):
            yield UNSAFE_HTML.at(path, item.source.position(*keys), f"trường “{keys[0]}” chứa mã HTML có thể chạy mã độc")
