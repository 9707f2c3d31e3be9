"""The manuals of /huong-dan/ (content/trang/huong-dan/): on the built site at their
addresses and linked, their images published with alt text, every command, option and
rule id they name real, their rule table the catalogue's; and the page model that puts
them one folder down (content/trang/<nhóm>/<tên-tệp>.md is /<nhóm>/<tên-tệp>/)."""

import functools
import html.parser
import re
from pathlib import Path

import pytest
from cchc import rules_table
from cchc.findings import ContentError
from cchc.model import locate
from cchc.rules import RULES
from conftest import REPO, cchc, copy_portal, write

MANUALS = {  # source file -> address
    "content/trang/huong-dan.md": "huong-dan/",
    "content/trang/huong-dan/nguoi-gui-tin.md": "huong-dan/nguoi-gui-tin/",
    "content/trang/huong-dan/ban-bien-tap.md": "huong-dan/ban-bien-tap/",
    "content/trang/huong-dan/quan-tri.md": "huong-dan/quan-tri/",
}
MAX_IMAGE_BYTES = 300 * 1024


def _text(source: str) -> str:
    return (REPO / source).read_text("utf-8")


class _Page(html.parser.HTMLParser):
    """The links and images of a built page, and its footer's links."""

    def __init__(self):
        super().__init__()
        self.links, self.images, self.footer_links, self._in_footer = [], [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "footer":
            self._in_footer += 1
        elif tag == "a" and attrs.get("href"):
            (self.footer_links if self._in_footer else self.links).append(attrs["href"])
        elif tag == "img":
            self.images.append(attrs)

    def handle_endtag(self, tag):
        if tag == "footer":
            self._in_footer -= 1


def _parsed(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text("utf-8"))
    return page


# --- the page model: one folder down ------------------------------------------------------

def test_a_page_one_folder_down_has_the_folder_in_its_address():
    assert locate("trang/huong-dan/quan-tri.md", set()).slug == "huong-dan/quan-tri"
    assert locate("trang/huong-dan.md", set()).slug == "huong-dan"


@pytest.mark.parametrize("path", [
    "trang/tin-bai/x.md",  # a section's address
    "trang/media/x.md",
    "trang/tim-kiem/x.md",  # a generated page's address
    "trang/Huong-Dan/x.md",  # not a slug
    "trang/huong dan/x.md",
    "trang/huong-dan/con/x.md",  # two folders down
])
def test_a_page_folder_that_is_taken_or_not_a_slug_is_refused(path):
    with pytest.raises(ContentError) as refused:
        locate(path, set())
    assert [f.rule for f in refused.value.findings] == ["scope"]


def test_links_to_a_page_one_folder_down_are_checked(tmp_path):
    repo = copy_portal(tmp_path / "portal")
    page = "---\ntitle: Trang thử\nclassification: public\nunit: so-noi-vu\n---\n\n{}\n"
    body = "Xem [hướng dẫn quản trị](/huong-dan/quan-tri/) và [mục lục](/huong-dan/) của hướng dẫn sử dụng Cổng Thông tin điện tử."
    write(repo / "content/trang/thu.md", page.format(body))
    result = cchc("check", "content/trang/thu.md", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    write(repo / "content/trang/thu.md", page.format(body.replace("/huong-dan/quan-tri/", "/huong-dan/khong-co/")))
    result = cchc("check", "content/trang/thu.md", cwd=repo)
    assert result.returncode == 1 and "[quality]" in result.stdout and "/huong-dan/khong-co/" in result.stdout


# --- the manuals on the built site ---------------------------------------------------------

def test_each_manual_is_at_its_address_and_linked_from_the_guide(sample_site):
    guide = _parsed(sample_site / "huong-dan/index.html")
    for source, address in MANUALS.items():
        built = sample_site / address / "index.html"
        assert built.is_file(), f"{source} is not at /{address}"
        title = re.search(r"^title: (.+)$", _text(source), re.M).group(1)
        assert f"<h1>{title}</h1>" in built.read_text("utf-8") or title in built.read_text("utf-8")
        if address != "huong-dan/":
            assert f"/{address}" in guide.links, f"/huong-dan/ does not link /{address}"


@pytest.mark.parametrize("address", ["index.html", "van-ban/tra-cuu/index.html", "huong-dan/quan-tri/index.html"])
def test_the_footer_links_the_guide(sample_site, address):
    assert "/huong-dan/" in _parsed(sample_site / address).footer_links


def test_every_image_of_the_manuals_is_published_with_alt_text(sample_site):
    shown = set()
    for address in MANUALS.values():
        for image in _parsed(sample_site / address / "index.html").images:
            assert (image.get("alt") or "").strip(), f"/{address}: image {image.get('src')} without alt text"
            assert image["src"].startswith("/media/huong-dan/"), image["src"]
            published = sample_site / image["src"].lstrip("/")
            assert published.is_file(), f"/{address}: {image['src']} is not in the output"
            assert published.stat().st_size <= MAX_IMAGE_BYTES, f"{image['src']}: {published.stat().st_size} bytes"
            assert published.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            shown.add(published.name)
    assert len(shown) >= 8  # the site (phone, document, register, search) and the editor (form, preview, workflow, gate)
    assert shown == {p.name for p in (REPO / "content/media/huong-dan").glob("*.png")}, "a screenshot no manual shows"


def test_the_manuals_pass_the_gate():
    result = cchc("check", *MANUALS, *(f"content/media/huong-dan/{p.name}" for p in (REPO / "content/media/huong-dan").glob("*.png")),
                  cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 lỗi, 0 cảnh báo" in result.stdout


# --- what the manuals name exists ----------------------------------------------------------

def _code(text: str) -> list[str]:
    """Inline code spans and the lines of code blocks: where the manuals write commands."""
    blocks = re.findall(r"^ *```[a-z]*\n(.*?)^ *```", text, re.M | re.S)
    outside = re.sub(r"^ *```[a-z]*\n.*?^ *```", "", text, flags=re.M | re.S)
    return [line for block in blocks for line in block.splitlines()] + re.findall(r"`([^`\n]+)`", outside)


@functools.cache
def _help(command: tuple[str, ...]) -> str:
    result = cchc(*command, "--help")
    assert result.returncode == 0, f"cchc {' '.join(command)} --help: {result.stdout}{result.stderr}"
    return result.stdout


def _is_group(command: tuple[str, ...]) -> bool:
    return "\nLệnh:\n" in _help(command)


def _commands() -> dict[tuple[str, ...], set[str]]:
    """Every `cchc …` command the manuals name, with the options written after it."""
    named = {}
    for source in MANUALS:
        for code in _code(_text(source)):
            # `cchc` the command (`.venv/bin/cchc` too), not the user of `sudo -u cchc` or a folder.
            for match in re.finditer(r"(?:(?<![\w/.-])|(?<=bin/))(?<!-u )cchc ((?:[a-z][a-z-]*)(?: [a-z][a-z-]*)?)([^|;&`]*)", code):
                words = match.group(1).split()
                command = (words[0],) if not _is_group((words[0],)) or len(words) == 1 else tuple(words)
                rest = (" ".join(words[1:]) if len(command) == 1 else "") + match.group(2)
                named.setdefault(command, set()).update(re.findall(r"(?<![\w-])--[a-z][a-z-]*", rest))
    return named


def test_the_manuals_name_the_main_commands():
    named = _commands()
    for command in [("new",), ("check",), ("approve",), ("reviewers",), ("merge",), ("withdraw",), ("report", "quota"),
                    ("report", "timeliness"), ("report", "royalties"), ("report", "annual"), ("backup",), ("restore",),
                    ("install-hook",), ("hook", "pre-receive"), ("revoke",), ("rollback",), ("build",), ("audit",)]:
        assert command in named, f"cchc {' '.join(command)} is not in the manuals"


def test_every_command_and_option_the_manuals_name_exists():
    named = _commands()
    assert len(named) > 15
    for command, options in named.items():
        shown = _help(command)  # exit 0, or the command does not exist
        assert not _is_group(command) or command == ("hook",), f"cchc {' '.join(command)} is a group: name its command"
        for option in options:
            assert re.search(rf"(?<![\w-]){re.escape(option)}\b", shown), f"cchc {' '.join(command)} has no option {option}"
    # An option written on its own (`--push-log TỆP`) belongs to a command the manuals name.
    every_help = "".join(_help(command) for command in named)
    for source in MANUALS:
        for code in _code(_text(source)):
            if re.match(r"--[a-z]", code):
                option = code.split()[0]
                assert re.search(rf"(?<![\w-]){re.escape(option)}\b", every_help), f"{source}: no command has {option}"


def test_a_command_or_option_that_does_not_exist_fails_these_checks():
    assert cchc("khong-co-lenh", "--help").returncode != 0
    assert not re.search(r"(?<![\w-])--khong-co\b", _help(("check",)))


def test_every_rule_id_the_manuals_name_is_real():
    code = "".join(p.read_text("utf-8") for p in (REPO / "scripts/cchc").rglob("*.py"))
    for source in MANUALS:
        for rule in set(re.findall(r"\[([a-z][a-z-]*)\]", _text(source))):
            # Besides the catalogue's rules, the machinery's own refusals (the build, signatures).
            assert rule in RULES or f"[{rule}]" in code or f'"{rule}"' in code, f"{source}: [{rule}] is no rule"
    named = set(re.findall(r"`\[([a-z][a-z-]*)\]`", _text("content/trang/huong-dan/nguoi-gui-tin.md")))
    assert set(RULES) <= named, f"rules without advice for contributors: {set(RULES) - named}"


# --- the rule table is the catalogue's ----------------------------------------------------

def test_the_rule_table_of_the_manual_is_generated_from_the_catalogue():
    text = _text("content/trang/huong-dan/nguoi-gui-tin.md")
    table = text.split(rules_table.MANUAL_BEGIN, 1)[1].split(rules_table.MANUAL_END, 1)[0].strip("\n")
    assert table == rules_table.manual_markdown(), "stale: run `make manuals` (scripts/manuals.py rules)"
    for rule in RULES.values():
        assert f"| `[{rule.id}]` |" in table and rule.ground in table


def test_a_stale_table_is_made_anew_and_missing_markers_are_refused():
    stale = f"Trước\n{rules_table.MANUAL_BEGIN}\n| cũ |\n{rules_table.MANUAL_END}\nSau\n"
    fresh = rules_table.replace_manual_section(stale)
    assert fresh == f"Trước\n{rules_table.MANUAL_BEGIN}\n{rules_table.manual_markdown()}\n{rules_table.MANUAL_END}\nSau\n"
    with pytest.raises(ValueError):
        rules_table.replace_manual_section("Không có bảng")
