"""The portal's one Markdown dialect: GitHub-flavoured Markdown, as GitHub renders it.

Contributors write in Decap CMS, which saves GFM; the board reviews the pull request on
GitHub, which renders GFM with cmark-gfm. The site renders the same text with the same
C library, through `cmarkgfm` (GitHub's cmark-gfm, binary wheels on PyPI), so what the
board approves is what the public reads.

Why cmarkgfm and not another Python library:

* markdown-it-py is a faithful CommonMark port, but GFM tables, strikethrough, task
  lists, footnotes and autolinks come from separate plugins (mdit-py-plugins) whose
  edge cases are their own, not GitHub's; it is also pure Python, several times slower.
* mistune is fast but not CommonMark-conformant (list nesting, emphasis and HTML
  blocks differ from the spec), which is exactly the drift this module ends.
* commonmark.py is unmaintained (its README points to markdown-it-py) and has no GFM.
* cmarkgfm *is* GitHub's parser (cmark 0.29.0.gfm), compiled, spec-conformant, with
  the five GFM extensions built in and footnotes as GitHub renders them; it is a
  maintained binding (releases every year) with wheels for every platform we run.

What this module adds to cmark-gfm's output, then nh3 (`cchc.sanitize.clean`) cleans:

* raw HTML is passed through (CMARK_OPT_UNSAFE), as Python-Markdown did, and nh3's
  allow-list removes what is dangerous (the gate's `unsafe-html` rule refuses it
  earlier, with its place). The `tagfilter` extension is left out: it would print
  `<script>` as visible text, where nh3 removes the element and its content.
* Pelican's intra-site links (`{filename}/…`, `{static}/…`): cmark percent-encodes the
  braces in a URL; they are restored so that Pelican still resolves them.
* task list items: cmark-gfm emits disabled `<input type="checkbox">`; a form control
  is refused by the gate and removed by nh3 (no forms on the portal, and a disabled
  control is announced as one the reader cannot use), so the box becomes the text ☐/☑
  with a Vietnamese title.
* footnotes: a visible heading "Chú thích", Vietnamese labels on the back-links and
  readable ids for Vietnamese footnote labels.
* heading anchors: an `id` on h2–h6 (h1 is the page title) from `cchc.text.slugify`
  ("Điều 4. Nguyên tắc" -> "dieu-4-nguyen-tac"), unique on the page (-2, -3, …) and
  never one of the ids the theme's templates use around the body.
"""

import html
import re
from urllib.parse import unquote

import cmarkgfm
from cmarkgfm.cmark import Options

from . import sanitize, text

OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES
EXTENSIONS = ("table", "autolink", "strikethrough", "tasklist")  # GFM's, less tagfilter (see above)

# Ids the theme's templates put on a page around the body (tests/test_markdown.py checks
# this list against theme/templates): a heading "Nội dung" must not take the id of <main>.
THEME_IDS = frozenset({
    "danh-muc", "du-thao-mo", "hoi-dap-moi", "ket-qua", "ket-qua-tim", "khao-sat-moi", "lich-su", "loc-chuyen-trang", "loc-tu-khoa", "loc-van-ban",
    "noi-dung", "so-van-ban", "tep-dinh-kem", "theo-don-vi", "theo-thang", "tim-nhanh", "trang-thai-tim", "tu-khoa-404", "tu-khoa-tim", "vb-moi",
})

FOOTNOTES_TITLE = "Chú thích"
BACK_LABEL = "Quay lại nội dung"

# No \b and no re.I in these patterns: a literal start keeps a 20 kB page under 0.1 ms each.
_INTRASITE = re.compile(r' (href|src)="(?:%7B(\w+)%7D|%7C(\w+)%7C)')  # cmark writes upper-case hex
_TASK = re.compile(r'<li><input type="checkbox"( checked="")? disabled="" /> ?')
_FOOTNOTES = re.compile(r'<section class="footnotes" data-footnotes>\n<ol>')
_FOOTNOTE_ID = re.compile(r' (id="|href="#)(fn|fnref)-([^"]*)"')
_BACK_LABEL = re.compile(r'aria-label="Back to reference ([^"]*)"')
_HEADING = re.compile(r"<h([2-6])>(.*?)</h\1>", re.S)
_ID = re.compile(r' id="([^"]*)"')
_TAG = re.compile(r"<[^>]*>")


def render(markdown_text: str) -> str:
    """GFM text -> sanitised HTML, for a page body or any Markdown field."""
    out = cmarkgfm.markdown_to_html_with_extensions(markdown_text, OPTIONS, list(EXTENSIONS))
    if "%7" in out:
        out = _INTRASITE.sub(lambda m: f' {m[1]}="{{{m[2]}}}' if m[2] else f' {m[1]}="|{m[3]}|', out)
    if "<input" in out:
        out = _TASK.sub(_task_box, out)
    if 'class="footnotes"' in out:
        out = _footnotes(out)
    return _anchor_headings(sanitize.clean(out))


def _task_box(match: re.Match) -> str:
    box, state = ("☑", "Đã xong") if match[1] else ("☐", "Chưa xong")
    return f'<li class="task-list-item"><span class="task-box" title="{state}">{box}</span> '


def _footnotes(out: str) -> str:
    out = _FOOTNOTES.sub(f'<section class="footnotes">\n<h2 class="footnotes-title">{FOOTNOTES_TITLE}</h2>\n<ol>', out, count=1)
    # cmark percent-encodes a label's letters in ids ("ghi-chú" -> "ghi-ch%C3%BA"): decode.
    out = _FOOTNOTE_ID.sub(lambda m: f' {m[1]}{m[2]}-{html.escape(unquote(html.unescape(m[3])))}"', out)
    return _BACK_LABEL.sub(lambda m: f'aria-label="{BACK_LABEL} (chú thích {m[1]})" title="{BACK_LABEL}"', out)


def _anchor_headings(out: str) -> str:
    used = set(THEME_IDS) | {html.unescape(value) for value in _ID.findall(out)}

    def anchor(match: re.Match) -> str:
        base = text.slugify(html.unescape(_TAG.sub("", match[2]))) or "muc"
        slug, n = base, 1
        while slug in used:
            n += 1
            slug = f"{base}-{n}"
        used.add(slug)
        return f'<h{match[1]} id="{slug}">{match[2]}</h{match[1]}>'

    return _HEADING.sub(anchor, out)
