"""The last guard on rendered HTML: whatever a rule missed, nh3 (Ammonia) removes."""

import nh3

ALLOWED_TAGS = nh3.ALLOWED_TAGS | {"figure", "figcaption", "caption", "section", "mark", "details", "summary"}
ALLOWED_ATTRIBUTES = {
    **nh3.ALLOWED_ATTRIBUTES,
    "*": {"id", "lang", "title", "class"},
    "a": {"href", "hreflang", "title", "aria-label"},  # aria-label: the footnotes' back-links
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "th": {"scope", "colspan", "rowspan", "align"},  # align: GFM table columns (never `style`)
    "td": {"colspan", "rowspan", "align"},
    "abbr": {"title"},
    "ol": {"start", "type"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def clean(html: str) -> str:
    """Remove script, frames, forms, event handlers and dangerous URL schemes."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=None)
