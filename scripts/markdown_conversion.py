"""The Markdown conversion check: what changes on the public pages when the site moves
from Python-Markdown to GFM (`cchc.markdown_gfm`, cmark-gfm, as GitHub renders it).

Every content file's body is rendered by the old renderer and by the new one, both
sanitised by nh3 as the build does; the outputs are compared with whitespace normalised,
and each file whose page differs is listed with what differs (in Vietnamese, for the
editors: "danh sách lồng nhau", "bảng", …) and a short diff.

The old renderer is what the site effectively ran: `Markdown(output_format="html5")`
with no extension at all, since the reader passed `extension_configs` without
`extensions` (`--old effective`, the default); `--old intended` compares with what
pelicanconf.py meant (extra + sane_lists + toc with Vietnamese slugs).

    .venv/bin/python scripts/markdown_conversion.py [--old effective|intended] [--diff-lines N] [--ignore-anchors] [--repo DIR]
"""

import argparse
import difflib
import re
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from cchc import markdown_gfm, sanitize, text
from cchc.frontmatter import read_source
from cchc.model import NON_CONTENT_FOLDERS
from markdown import Markdown

ROOT = Path(__file__).resolve().parents[1]

# What an editor would call each construct, and how to count it in a page.
FEATURES = {
    "nested_list": "danh sách lồng nhau",
    "list": "danh sách",
    "list_item": "mục danh sách",
    "ordered_start": "danh sách đánh số không bắt đầu từ 1",
    "table": "bảng",
    "strikethrough": "chữ gạch ngang",
    "link": "liên kết",
    "footnote": "chú thích cuối trang",
    "task": "ô việc cần làm",
    "heading_anchor": "neo tiêu đề (id)",
    "line_break": "xuống dòng trong đoạn",
    "paragraph": "đoạn văn",
    "blockquote": "trích dẫn",
    "code": "mã",
    "image": "ảnh",
    "emphasis": "chữ đậm, nghiêng",
}


class _Counter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.counts = Counter()
        self.open = []
        self.words = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        count = self.counts
        if tag in ("ul", "ol"):
            count["list"] += 1
            if "li" in self.open:
                count["nested_list"] += 1
            if tag == "ol" and attrs.get("start") not in (None, "1"):
                count["ordered_start"] += 1
        names = {"li": "list_item", "table": "table", "del": "strikethrough", "s": "strikethrough", "br": "line_break",
                 "p": "paragraph", "blockquote": "blockquote", "pre": "code", "img": "image", "strong": "emphasis", "em": "emphasis"}
        if tag in names:
            count[names[tag]] += 1
        if tag == "a" and attrs.get("href"):
            count["link"] += 1
        if tag == "sup" or (tag == "section" and "footnotes" in (attrs.get("class") or "")):
            count["footnote"] += 1
        if tag == "span" and "task-box" in (attrs.get("class") or ""):
            count["task"] += 1
        if re.fullmatch(r"h[1-6]", tag) and attrs.get("id"):
            count["heading_anchor"] += 1
        if tag not in ("br", "img", "hr", "input"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data):
        self.words += data.split()


def _inspect(html: str) -> tuple[Counter, list[str]]:
    parser = _Counter()
    parser.feed(html)
    parser.close()
    return parser.counts, parser.words


def old_renderer(mode: str):
    if mode == "effective":
        converter = Markdown(output_format="html5")
    else:
        converter = Markdown(output_format="html5", extensions=["extra", "sane_lists", "toc"],
                             extension_configs={"toc": {"slugify": lambda value, separator: text.slugify(value)}})
    return lambda body: sanitize.clean(converter.reset().convert(body))


def normalise(html: str) -> str:
    """One tag or text run per line, whitespace collapsed: a diff shows structure."""
    html = re.sub(r"\s+", " ", html).strip()
    return re.sub(r"\s*(<[^>]+>)\s*", r"\n\1\n", html).replace("\n\n", "\n").strip()


def differences(old: str, new: str) -> list[str]:
    old_counts, old_words = _inspect(old)
    new_counts, new_words = _inspect(new)
    found = [f"{label}: {old_counts[key]} → {new_counts[key]}" for key, label in FEATURES.items() if old_counts[key] != new_counts[key]]
    if old_words != new_words:
        found.append("chữ hiển thị khác (ký tự Markdown còn sót, hoặc bị nuốt)")
    return found or ["khác về mã HTML, không khác về cấu trúc"]


def content_files(content_dir: Path) -> list[Path]:
    return sorted(p for p in content_dir.rglob("*.md") if p.relative_to(content_dir).parts[0] not in NON_CONTENT_FOLDERS)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, default=ROOT)
    parser.add_argument("--old", choices=("effective", "intended"), default="effective")
    parser.add_argument("--diff-lines", type=int, default=12, help="lines of diff shown per file (0: none)")
    parser.add_argument("--ignore-anchors", action="store_true", help="leave out the new heading ids (every page with a heading has them)")
    args = parser.parse_args(argv)
    content_dir = args.repo / "content"
    old_render = old_renderer(args.old)
    files = content_files(content_dir)
    changed = 0
    for path in files:
        body = read_source(path, path.relative_to(args.repo).as_posix()).body
        old, new = normalise(old_render(body)), normalise(markdown_gfm.render(body))
        if args.ignore_anchors:
            old, new = (re.sub(r'<(h[1-6]) id="[^"]*">', r"<\1>", html) for html in (old, new))
        if old == new:
            continue
        changed += 1
        print(f"## {path.relative_to(args.repo).as_posix()}")
        for line in differences(old, new):
            print(f"- {line}")
        if args.diff_lines:
            diff = [line for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
                    if not line.startswith(("---", "+++", "@@"))]
            print("```diff")
            print("\n".join(diff[:args.diff_lines]))
            if len(diff) > args.diff_lines:
                print(f"… (còn {len(diff) - args.diff_lines} dòng)")
            print("```")
        print()
    print(f"{changed}/{len(files)} tệp hiển thị khác (so với Python-Markdown, chế độ “{args.old}”).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
