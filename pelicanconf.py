"""Development settings of the CCHC portal (`cchc build`, `cchc serve`)."""

import os
from pathlib import Path

from cchc import dates, extract, filters, schemas
from cchc.model import TYPES

ROOT = Path(__file__).resolve().parent  # this portal: settings, content, theme and plugins sit together
SCHEMAS = schemas.at(ROOT / "schemas")

SITENAME = "Cổng Thông tin điện tử Ban Chỉ đạo cải cách hành chính tỉnh Lào Cai"
SITENAME_SHORT = "Cải cách hành chính tỉnh Lào Cai"
SITE_OWNER = "Ban Chỉ đạo cải cách hành chính tỉnh Lào Cai"
SITEURL = ""
RELATIVE_URLS = False
DEFAULT_LANG = "vi"
LOCALE = ("C.UTF-8",)  # dates are written by our own filters, not strftime locales
TIMEZONE = "Asia/Ho_Chi_Minh"
BUILD_TIME = dates.now()  # `cchc build` sets it; embargoes and windows compare with it

PATH = str(ROOT / "content")
# Articles are read from the whole content folder so that a file in an unknown folder
# reaches our reader and fails with [scope] instead of being silently left out.
ARTICLE_PATHS = [""]
ARTICLE_EXCLUDES = ["trang", "data", "media"]
PAGE_PATHS = ["trang"]
PAGE_EXCLUDES = ["data", "media"]
STATIC_PATHS = ["media"]
IGNORE_FILES = [".#*", "*~", ".*"]
READERS = {"html": None, "htm": None, "rst": None}  # only our Markdown reader publishes
THEME = str(ROOT / "theme")
SECTIONS = [{"name": t.name, "folder": t.folder, "label": t.label} for t in TYPES if t.has_field]
PLUGIN_PATHS = [str(ROOT / "plugins")]
PLUGINS = ["cchc_registries", "cchc_boundary", "cchc_history", "cchc_reader", "cchc_law", "cchc_lists", "cchc_parallel", "cchc_reuse", "cchc_sections", "cchc_sitemap", "cchc_data", "cchc_stats"]  # explicit: no other installed plugin loads

# Markdown is GitHub-flavoured, rendered by `cchc.markdown_gfm` (cmark-gfm): no MARKDOWN setting.

# URLs: directory style, so they are permanent and never collide with pagination.
# Pagination lives under trang/<n>/ of each list: page 2 of author "Tác giả 1"
# (tac-gia/tac-gia-1/trang/2/) can no longer be page 1 of "Tác giả 12".
ARTICLE_URL = "{category}/{year}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
CATEGORY_URL = "{slug}/"
CATEGORY_SAVE_AS = CATEGORY_URL + "index.html"
TAG_URL = "tu-khoa/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
AUTHOR_URL = "tac-gia/{slug}/"
AUTHOR_SAVE_AS = AUTHOR_URL + "index.html"
TAGS_SAVE_AS = "tu-khoa/index.html"
AUTHORS_SAVE_AS = "tac-gia/index.html"
CATEGORIES_SAVE_AS = ""
ARCHIVES_SAVE_AS = "luu-tru/index.html"
YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""
DRAFT_SAVE_AS = DRAFT_PAGE_SAVE_AS = ""  # held items are never written anywhere
DRAFT_URL = DRAFT_PAGE_URL = ""
ARTICLE_LANG_SAVE_AS = PAGE_LANG_SAVE_AS = ""
INDEX_SAVE_AS = "index.html"
DEFAULT_PAGINATION = 20
PAGINATED_TEMPLATES = {"category": None, "tag": None, "author": None}  # the home page is not a list: one page
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{url}trang/{number}/", "{base_name}/trang/{number}/index.html"),
)
SLUGIFY_SOURCE = "basename"
DIRECT_TEMPLATES = ["index", "archives", "tags", "authors", "search", "404"]
# "404" is written as 404.html (Pelican's default name for it): the web server's page for any unknown address.
SEARCH_SAVE_AS = "tim-kiem/index.html"
# The search index is one Pagefind bundle per run of years holding at least this many
# pages (cchc.search.shards_of). A rebuild indexes the pages changed since their
# bundle was indexed into a small delta bundle, and a bundle again whole only when more
# than SEARCH_DELTA_PAGES of its pages changed (cchc.search.plan).
SEARCH_SHARD_PAGES = 1000
# and a run of years (or a year) over this many pages is cut into parts, so that no one
# Pagefind process holds too many pages in memory (about 300 MiB at 1,500).
SEARCH_MAX_SHARD_PAGES = 1500
SEARCH_DELTA_PAGES = 50

FEED_DOMAIN = "http://localhost:8000"
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
FEED_SECTIONS = [t.folder for t in TYPES if t.has_field]
FEED_MAX_ITEMS = 50
RSS_FEED_SUMMARY_ONLY = True
TRANSLATION_FEED_ATOM = None
# One language, no translations: Pelican would otherwise take two items with one file
# name (a news item named after the decision it reports, a yearly conference) for
# translations of each other and refuse the build, though their addresses differ by
# section or year. It also sorted and scanned every item for this (quadratic).
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None


def newest_first(item):
    """Newest first; items of one date by address, then file. Pelican reads the files in
    the order of a set (it changes from run to run), so without the second key two builds
    of the same content would list same-day items in different orders."""
    return (-item.date.timestamp(), item.slug, item.relative_source_path)


ARTICLE_ORDER_BY = newest_first


def by_file_name(page):
    """Pelican's order for standing pages (the file's base name), then the file: two pages
    of one name in different folders (trang/ban-bien-tap.md, trang/huong-dan/ban-bien-tap.md)
    otherwise came in the order of a set, and the site digest with them: no page reused."""
    return (os.path.basename(page.source_path), page.source_path)


PAGE_ORDER_BY = by_file_name
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

JINJA_FILTERS = {
    "ngay": dates.vietnamese,
    "ngay_ngan": dates.short,
    "ngay_chuoi": lambda value: dates.vietnamese(dates.parse(value)),
    "ngay_chuoi_ngan": filters.short_date_text,
    "tieu_de": filters.page_title,
    "ngay_gio": dates.parse,
    "window_state": filters.window_state,
    "active_notices": filters.active_notices,
    "so": filters.vietnamese_number,
    # The text of an attachment (path under content/), indexed for search, hidden on the page.
    "file_text": lambda relative: extract.text_of(ROOT / "content", relative, ROOT / ".cchc-cache"),
}
JINJA_TESTS = {"window_is": filters.window_is}
# `cchc build` adds Jinja's bytecode cache (templates compiled once, kept in the portal's
# .cchc-cache/templates between builds, keyed by each template's source checksum).
# Autoescaping: every value a template inserts is text, escaped for HTML. The few that are
# HTML already say so with `|safe` and a comment: item bodies (sanitised by nh3 in
# cchc.sanitize) and summaries (escaped by the reader, as Pelican and its feeds take a
# summary for HTML).
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "extensions": [], "autoescape": True}
WINDOW_LABELS = filters.WINDOW_LABELS
# The chuyên mục of Điều 6.1 a–d and the survey kinds of Điều 7, as the schemas name them.
CHUYEN_MUC = [{"slug": o["const"], "label": o["title"], "article": o["description"]}
              for o in SCHEMAS.schema("article")["properties"]["category"]["oneOf"]]
SURVEY_KINDS = {o["const"]: o["title"] for o in SCHEMAS.schema("survey")["properties"]["kind"]["oneOf"]}
# No inline script or style anywhere; Pagefind's search runs WebAssembly.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
                           "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'")
DEFAULT_DATE_FORMAT = "%d/%m/%Y"
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = False  # `cchc build` writes a fresh folder and swaps it in

# The gate's quality bar (Điều 4.6 ý 9, Điều 8.1.b) is data of the rules catalogue:
# scripts/cchc/rules/catalogue.yml, `limits.quality`.
