"""Hardening: nothing reaches the public site or the server that the gate did not see.

Each class of escape is tried in several spellings (they must be refused by the gate
and by the build) beside near misses that must still pass. Real builds, real Git, a
real browser where script execution is the question.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cchc import check, dates
from cchc.findings import ContentError
from cchc.frontmatter import decode, parse, read_yaml_file
from conftest import article, cchc, copy_portal, git, git_portal, serve, write

NEWS = "content/tin-bai/cai-cach-the-che/2024/tin-thu.md"


def news(body: str = "", front: str = "") -> str:
    """An article the gate accepts, with extra front matter and body lines."""
    text = article()
    if front:
        text = text.replace("summary: Tóm tắt tin.\n", f"summary: Tóm tắt tin.\n{front}\n")
    return text + "\nHội nghị đánh giá kết quả thực hiện nhiệm vụ cải cách hành chính năm 2024 của các sở, ban, ngành và địa phương. " * 2 + "\n" + body


def body_line(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def gate(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return cchc("check", "--repo", str(repo), *args)


@pytest.fixture
def portal(tmp_path):
    return copy_portal(tmp_path / "portal", with_content=False)


# --- Escapes from the content tree ----------------------------------------------------

ESCAPING_LINKS = [
    "[cấu hình]({static}/../.git/config)",
    "[cấu hình]({static}../../../../.git/config)",
    "[trang chủ]({attach}/../output/index.html)",
    "[mã hoá](|static|/%2e%2e/pelicanconf.py)",
    '<a href="{static}/media/../../publishconf.py">x</a>',
    '<a href="&#123;static&#125;/../pelicanconf.py">x</a>',
    "[danh mục]({static}/data/board.yml)",
    "[danh mục]({filename}/data/contributors.yml)",
    "[ẩn]({static}/media/.an/tep.pdf)",
    "[tuyệt đối]({static}//etc/passwd)",
    "[tham chiếu][1]\n\n[1]: {static}/../.git/config",
]


@pytest.mark.parametrize("link", ESCAPING_LINKS)
def test_links_out_of_the_content_tree_are_refused_by_the_gate_with_their_place(portal, link):
    text = news(link + "\n")
    write(portal / NEWS, text)
    report = check.run(portal, [portal / NEWS])
    found = [f for f in report.findings if f.rule == "scope"]
    assert found, report.findings
    line = link.split("\n")[-1]
    assert found[0].path == NEWS and found[0].line == body_line(text, line)
    assert found[0].column >= 1 and found[0].severity == "error"
    assert not report.accepted


def test_front_matter_media_paths_may_not_leave_content_media(portal):
    write(portal / "content/media/2024/anh.png", b"\x89PNG\r\n\x1a\n")
    for key, value in (("images:\n  - src: media/../../pelicanconf.py\n    alt: Ảnh", "images"),
                       ("attachments:\n  - file: media/2024/../../data/board.yml\n    title: Danh mục", "attachments")):
        text = news(front=key)
        write(portal / NEWS, text)
        found = [f for f in check.run(portal, [portal / NEWS]).findings if f.rule == "scope"]
        assert [(f.line, f.column) for f in found] == [(body_line(text, key.split("\n")[1].strip().split(":")[0] + ":"), 5)], found


def test_links_that_stay_inside_pass(portal):
    write(portal / "content/media/2024/ke-hoach.pdf", b"%PDF-1.7\n")
    write(portal / "content/media/2024/anh.png", b"\x89PNG\r\n\x1a\n")
    body = ("[Kế hoạch]({static}/media/2024/ke-hoach.pdf)\n\n[Đính kèm]({attach}/media/2024/ke-hoach.pdf)\n\n"
            "![Ảnh hội nghị]({static}/media/2024/anh.png)\n\n[Ghi chú về dấu chấm..](https://example.org/a..b)\n")
    text = news(body, front="images:\n  - src: media/2024/anh.png\n    alt: Ảnh hội nghị\nattachments:\n  - file: media/2024/ke-hoach.pdf\n    title: Kế hoạch")
    write(portal / NEWS, text)
    assert check.run(portal, [portal / NEWS]).findings == []


def test_a_build_never_copies_or_writes_outside_the_content_and_output_folders(tmp_path):
    repo = git_portal(tmp_path / "portal", with_content=False)
    output = tmp_path / "public"
    assert cchc("build", "--repo", str(repo), "--output", str(output)).returncode == 0
    live_home = (output / "index.html").read_bytes()
    for link in ("[x]({static}/../.git/config)", "[x]({attach}/../publishconf.py)", "[x]({static}/data/board.yml)",
                 '<a href="&#123;static&#125;/../pelicanconf.py">x</a>'):
        write(repo / NEWS, news(link + "\n"))
        for production in ((), ("--production",)):
            result = cchc("build", *production, "--repo", str(repo), "--output", str(output))
            assert result.returncode == 1, (link, result.stderr)
            assert f"{NEWS}:" in result.stderr and "[scope]" in result.stderr
            assert (output / "index.html").read_bytes() == live_home
            copied = [p for p in tmp_path.rglob("*") if p.name in ("config", "publishconf.py", "pelicanconf.py", "board.yml")
                      and "portal" not in p.relative_to(tmp_path).parts[:1]]
            assert copied == []


def _guard_module():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))
    import cchc_boundary

    return cchc_boundary


def test_the_static_generator_guard_copies_nothing_from_outside_media(tmp_path, caplog):
    """The build's last look: whatever reached Pelican's list of files to copy."""
    from types import SimpleNamespace

    from cchc.portal import Portal

    repo = copy_portal(tmp_path / "portal", with_content=False)
    portal = Portal.at(repo)
    write(repo / "content/media/2024/anh.png", b"\x89PNG\r\n\x1a\n")
    write(repo / "content/media/2024/trang.svg", b"<svg onload=alert(1)>")
    write(repo / "content/media/2024/gia.png", b"<html><script>alert(1)</script>")
    (repo / "content/media/2024/mat-khau.txt").symlink_to("/etc/passwd")
    content = repo / "content"

    def static(relative, save_as=None):
        return SimpleNamespace(source_path=str(content / relative), relative_source_path=relative, save_as=save_as or relative)

    files = [static("media/2024/anh.png"), static("../pelicanconf.py", "../pelicanconf.py"), static("data/board.yml"),
             static("media/2024/mat-khau.txt"), static("media/2024/anh.png", "../../index.html"),
             static("media/2024/trang.svg"), static("media/2024/gia.png")]
    for production, kept in ((False, {"media/2024/anh.png", "media/2024/trang.svg", "media/2024/gia.png"}),
                             (True, {"media/2024/anh.png"})):
        generator = SimpleNamespace(staticfiles=list(files), context={"static_content": {f.relative_source_path: f for f in files}})
        build = SimpleNamespace(portal=portal, production=production)
        _guard_module().guard(build, generator)
        assert {(f.relative_source_path, f.save_as) for f in generator.staticfiles} == {(k, k) for k in kept}
        assert generator.context["staticfiles"] is generator.staticfiles


# --- Symbolic links --------------------------------------------------------------------

def _with_links(repo: Path) -> None:
    (repo / "content/media/2024").mkdir(parents=True, exist_ok=True)
    (repo / "content/media/2024/mat-khau.pdf").symlink_to("/etc/passwd")
    (repo / "content/media/he-thong").symlink_to("/etc")


def test_symlinks_are_refused_by_the_gate_in_every_mode_and_by_the_build(tmp_path):
    repo = git_portal(tmp_path / "portal", with_content=False)
    git(repo, "checkout", "-q", "-b", "them-tep")
    _with_links(repo)
    write(repo / NEWS, news())
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Thêm tệp")
    expected = {"content/media/2024/mat-khau.pdf", "content/media/he-thong"}
    for args in ((), ("--base", "main"), ("content/media",), ("content/media/2024/mat-khau.pdf",), ("content",)):
        result = gate(repo, *args) if not args or args[0] == "--base" else cchc("check", *args, cwd=repo)
        assert result.returncode == 1, (args, result.stdout)
        named = {line.split(":")[0] for line in result.stdout.splitlines() if "[scope]" in line and "symlink" in line}
        assert named == (expected if args != ("content/media/2024/mat-khau.pdf",) else {"content/media/2024/mat-khau.pdf"}), (args, result.stdout)
    for production in ((), ("--production",)):
        output = tmp_path / f"site{len(production)}"
        result = cchc("build", *production, "--repo", str(repo), "--output", str(output))
        assert result.returncode == 1 and "content/media/he-thong:1:1: lỗi [scope]" in result.stderr, result.stderr
        assert not output.exists() or not list(output.rglob("passwd")) and not list(output.rglob("mat-khau.pdf"))


def test_a_content_file_that_is_a_symlink_is_refused(portal, tmp_path):
    outside = write(tmp_path / "ngoai.md", news())
    (portal / NEWS).parent.mkdir(parents=True)
    (portal / NEWS).symlink_to(outside)
    found = check.run(portal).findings
    assert any(f.path == NEWS and f.rule == "scope" and "symlink" in f.message for f in found), found


def test_the_gate_sees_a_symlink_git_stores_even_when_the_working_tree_has_a_file(tmp_path):
    """Mode 120000 in the branch: the server hook checks a checkout, a CI runner may not
    make links; the gate asks Git."""
    repo = git_portal(tmp_path / "portal", with_content=False)
    git(repo, "checkout", "-q", "-b", "lien-ket")
    write(repo / NEWS, news())
    _with_links(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Liên kết")
    (repo / "content/media/2024/mat-khau.pdf").unlink()
    write(repo / "content/media/2024/mat-khau.pdf", b"%PDF-1.4\n")
    result = gate(repo, "--base", "main")
    assert result.returncode == 1 and "content/media/2024/mat-khau.pdf:1:1: lỗi [scope]" in result.stdout, result.stdout


# --- Active content in pages -------------------------------------------------------------

SCRIPT = '"><script>window.__pwned = 1</script>'
REFRESH = '" http-equiv="refresh" content="0;url=https://example.invalid/'
HOSTILE = {
    "title": f"Hội nghị {REFRESH}",
    "summary": f"Tóm tắt {SCRIPT} và {REFRESH}",
    "alt": f"Ảnh {SCRIPT}",
    "caption": '<img src=x onerror="window.__pwned = 2">',
    "source": 'javascript:alert(1) " onmouseover="window.__pwned = 3',
    "attachment": '</a><a href="javascript:alert(1)">bấm vào đây</a>',
    "issuer": '" hidden data-x="',
    "approver": '"><svg onload=window.__pwned=4>',
}


DOCUMENT = "van-ban/2024/quyet-dinh-399-qd-bcd/"


def _yaml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _hostile_portal(tmp_path) -> Path:
    repo = git_portal(tmp_path / "portal")
    board = (repo / "content/data/board.yml").read_text("utf-8")
    board = board.replace("  - id: thu-ky\n", "  - id: thu-ky\n    git:\n      username: thu-ky\n      email: thu-ky@laocai.gov.vn\n", 1)
    write(repo / "content/data/board.yml", board)
    write(repo / "content/media/2024/anh.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    write(repo / "content/media/2024/ke-hoach.pdf", b"%PDF-1.7\n")
    text = news(front=f"images:\n  - src: media/2024/anh.png\n    alt: {_yaml(HOSTILE['alt'])}\n    caption: {_yaml(HOSTILE['caption'])}\n"
                     f"attachments:\n  - file: media/2024/ke-hoach.pdf\n    title: {_yaml(HOSTILE['attachment'])}")
    text = text.replace("title: Hội nghị cải cách hành chính", f"title: {_yaml(HOSTILE['title'])}")
    text = text.replace("summary: Tóm tắt tin.", f"summary: {_yaml(HOSTILE['summary'])}")
    text = text.replace("source: Văn phòng Sở Nội vụ", f"source: {_yaml(HOSTILE['source'])}")
    write(repo / NEWS, text)
    original = Path(__file__).resolve().parents[1] / "content/van-ban/chinh-phu-dien-tu-chinh-phu-so/2024/quyet-dinh-399-qd-bcd.md"
    document = "\n".join(f"issuer: {_yaml(HOSTILE['issuer'])}" if line.startswith("issuer:") else line
                         for line in original.read_text("utf-8").split("\n"))
    write(repo / "content/van-ban" / original.relative_to(original.parents[2]), document)  # where its own links expect it
    git(repo, "checkout", "-q", "-b", "tin")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Gửi tin")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "--no-ff", "-q", "tin", "-m",
        f"Duyệt tin\n\nApproved-by: {HOSTILE['approver']} <la@example.org>\nApproved-by: Tên Riêng Của Thư Ký <thu-ky@laocai.gov.vn>")
    result = cchc("build", "--repo", str(repo))  # development: the harm rules warn, the page is built
    assert result.returncode == 0, result.stderr
    return repo / "output"


def test_hostile_front_matter_is_shown_as_text_and_runs_nothing(tmp_path, browser):
    site = _hostile_portal(tmp_path)
    with serve(site) as address:
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        pages = ["tin-bai/2024/tin-thu/", DOCUMENT, "van-ban/tra-cuu/", "", "tin-bai/", "van-ban/"]
        for path in pages:
            page.goto(f"{address}/{path}")
            page.wait_for_timeout(300)  # a refresh of 0 s would have left by now
            assert page.url == f"{address}/{path}", path
            assert page.evaluate("window.__pwned") is None, path
            assert page.locator("script:not([src])").count() == 0, path
            assert page.locator("meta[http-equiv]").count() == 1, path  # the Content Security Policy only
            assert page.locator("img[src=x], svg[onload], a[href^='javascript:']").count() == 0, path
        page.goto(f"{address}/tin-bai/2024/tin-thu/")
        assert page.locator("h1").inner_text() == HOSTILE["title"]
        assert page.locator("p.lead").inner_text() == HOSTILE["summary"]
        assert page.locator("figure img").get_attribute("alt") == HOSTILE["alt"]
        assert page.locator("figcaption").inner_text() == HOSTILE["caption"]
        assert page.get_by_text(HOSTILE["source"], exact=True).count() == 1
        attachment = page.locator("a[download]")
        assert attachment.inner_text() == HOSTILE["attachment"] and attachment.get_attribute("href").endswith("/media/2024/ke-hoach.pdf")
        assert page.locator("meta[name=description]").get_attribute("content") == HOSTILE["summary"]
        og_title = page.locator("meta[property='og:title']").get_attribute("content")  # the page title, cut between words at 70 characters
        assert HOSTILE["title"].startswith(og_title.removesuffix("…")) and len(og_title) > 10  # literal text, no attribute injected
        history = page.locator("#lich-su + ol").inner_text()
        assert HOSTILE["approver"] in history  # unknown: the trailer's text, shown as text
        assert "Trưởng phòng Cải cách hành chính - Văn thư Lưu trữ, Sở Nội vụ" in history  # known e-mail: the registry's name
        assert "Tên Riêng Của Thư Ký" not in history and "@" not in history
        page.goto(f"{address}/{DOCUMENT}")
        assert page.get_by_text(HOSTILE["issuer"], exact=True).count() == 1
        page.goto(f"{address}/van-ban/tra-cuu/")
        rows = page.locator("table.register tbody tr")
        assert all(rows.nth(n).is_visible() for n in range(rows.count()))
        assert [rows.nth(n).get_attribute("data-issuer") for n in range(rows.count())].count(HOSTILE["issuer"]) == 1
        assert dialogs == []
        page.close()
    feed = (site / "feeds/all.atom.xml").read_text("utf-8")
    assert "<script" not in feed and "&lt;script" not in feed.replace("&amp;lt;script", "")  # the summary is escaped once for HTML


def test_front_matter_links_with_a_scheme_never_reach_the_page(portal):
    write(portal / "content/media/2024/anh.png", b"\x89PNG\r\n\x1a\n")
    for front in ("images:\n  - src: javascript:alert(1)\n    alt: Ảnh", "attachments:\n  - file: 'javascript:alert(1)//media/x.pdf'\n    title: Tệp",
                  "images:\n  - src: //example.org/media/a.png\n    alt: Ảnh"):
        write(portal / NEWS, news(front=front))
        found = check.run(portal, [portal / NEWS]).findings
        assert any(f.severity == "error" and f.rule in ("schema", "scope") for f in found), (front, found)


# --- Media by type and content ---------------------------------------------------------

ACTIVE_MEDIA = {
    "trang.html": b"<!doctype html><script>window.__pwned = 1</script>",
    "ve.svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "ma.js": b"window.__pwned = 1;",
    "anh-gia.png": b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    "bao-cao.pdf": b"  <html><body onload=alert(1)>",
    "ghi-chu.txt": b"Ghi ch\xc3\xba\n<script>alert(1)</script>\n",
    "so-lieu.csv": b"a,b\n1,\"=>fetch('/x')\"\n",
    "anh-doi-ten.jpg": b"GIF89a\x01\x00",
}
GOOD_MEDIA = {
    "anh.png": b"\x89PNG\r\n\x1a\n" + bytes(16),
    "anh.jpg": b"\xff\xd8\xff\xe0" + bytes(16),
    "anh.gif": b"GIF89a" + bytes(16),
    "anh.webp": b"RIFF\x10\x00\x00\x00WEBPVP8 ",
    "van-ban.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
    "bang.xlsx": b"PK\x03\x04" + bytes(16),
    "cu.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16),
    "ghi-am.mp3": b"ID3\x04" + bytes(16),
    "phim.mp4": b"\x00\x00\x00\x18ftypmp42" + bytes(8),
    "ket-qua.csv": "\ufeffMức độ,Số phiếu\nRất hài lòng,1250\n".encode(),
    "ghi-chu.txt": "Lịch tiếp công dân: thứ Hai, 7 giờ 30 – 11 giờ. Địa chỉ: số 1 < số 2 > số 0.\n".encode(),
}


def test_active_media_is_refused_by_the_whole_tree_gate_and_the_production_build(tmp_path):
    repo = git_portal(tmp_path / "portal", with_content=False)
    for name, data in ACTIVE_MEDIA.items():
        write(repo / "content/media/2024" / name, data)
    result = gate(repo)
    assert result.returncode == 1
    refused = {line.split(":")[0].rsplit("/", 1)[-1] for line in result.stdout.splitlines() if "lỗi [unsafe-html]" in line}
    assert refused == set(ACTIVE_MEDIA), result.stdout
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Tệp")
    result = cchc("build", "--production", "--repo", str(repo), "--output", str(tmp_path / "public"))
    assert result.returncode == 1, result.stderr
    for name in ACTIVE_MEDIA:
        assert f"content/media/2024/{name}:1:1: lỗi [unsafe-html]" in result.stderr, (name, result.stderr)
    assert not (tmp_path / "public").exists()


def test_media_whose_bytes_are_their_format_pass(tmp_path):
    repo = git_portal(tmp_path / "portal", with_content=False)
    for name, data in GOOD_MEDIA.items():
        write(repo / "content/media/2024" / name, data)
    result = gate(repo)
    assert result.returncode == 0, result.stdout
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Tệp")
    result = cchc("build", "--production", "--repo", str(repo), "--output", str(tmp_path / "public"))
    assert result.returncode == 0, result.stderr
    assert all((tmp_path / "public/media/2024" / name).read_bytes() == data for name, data in GOOD_MEDIA.items())


def test_a_media_file_a_branch_adds_is_sniffed_by_the_base_mode_gate(tmp_path):
    repo = git_portal(tmp_path / "portal", with_content=False)
    git(repo, "checkout", "-q", "-b", "anh")
    write(repo / "content/media/2024/anh.png", b"<html><script>alert(1)</script>")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Ảnh")
    result = gate(repo, "--base", "main")
    assert result.returncode == 1 and "content/media/2024/anh.png:1:1: lỗi [unsafe-html]" in result.stdout, result.stdout


# --- Resources -------------------------------------------------------------------------

def _billion_laughs() -> str:
    lines = ['a: &a ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]']
    for level in range(1, 10):
        name, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "---\ntitle: Tin\n" + "\n".join(lines) + "\n---\nNội dung\n"


def test_a_billion_laughs_is_refused_at_once_with_its_place(portal):
    bomb = _billion_laughs()
    assert len(bomb.encode()) < 3000
    started = time.monotonic()
    with pytest.raises(ContentError) as caught:
        parse(decode(bomb.encode(), "t.md"), "t.md")
    assert time.monotonic() - started < 1
    (finding,) = caught.value.findings
    assert (finding.rule, finding.line, finding.column) == ("schema", 3, 4) and "neo (&)" in finding.message
    write(portal / NEWS, bomb)
    for run in (lambda: gate(portal, str(portal / NEWS)), lambda: gate(portal), lambda: cchc("build", "--repo", str(portal))):
        started = time.monotonic()
        result = run()
        assert result.returncode == 1 and f"{NEWS}:3:4: lỗi [schema]" in result.stdout + result.stderr
        assert time.monotonic() - started < 120


@pytest.mark.parametrize("yaml_text, where, words", [
    ("title: &x [*x]", (2, 8), "neo (&)"),
    ("title: *nothing", (2, 8), "bí danh (*)"),
    ("title: x\ntags: " + "[" * 30000 + "]" * 30000, (3, 16), "lồng nhau quá 10 cấp"),
    ("title: x\nimages:\n" + "".join(" " * n + "- a:\n" for n in range(0, 40, 2)), None, "lồng nhau quá 10 cấp"),
    ("title: x\nsummary: '" + "a" * 70000 + "'", (2, 1), "64 KiB"),
])
def test_recursion_depth_and_size_are_findings_not_tracebacks(yaml_text, where, words):
    with pytest.raises(ContentError) as caught:
        parse(decode(f"---\n{yaml_text}\n---\nNội dung\n".encode(), "t.md"), "t.md")
    (finding,) = caught.value.findings
    assert finding.rule == "schema" and words in finding.message, finding
    if where:
        assert (finding.line, finding.column) == where


def test_registries_refuse_aliases_too(tmp_path):
    registry = write(tmp_path / "units.yml", "units:\n  - &u {id: a, name: A}\n  - *u\n")
    with pytest.raises(ContentError) as caught:
        read_yaml_file(registry, "content/data/units.yml")
    assert caught.value.findings[0].text().startswith("content/data/units.yml:2:5: lỗi [schema]")


def test_ordinary_front_matter_with_ampersands_stars_and_nesting_still_reads():
    text = ("---\ntitle: Sở Kế hoạch & Đầu tư *công bố* kế hoạch\nimages:\n  - src: media/a.png\n    alt: \"A & B *\"\n"
            "tags: [a, b]\nresults: {a: [1, [2, [3]]]}\n---\nNội dung & *nhấn mạnh*\n")
    source = parse(decode(text.encode(), "t.md"), "t.md")
    assert source.meta["title"] == "Sở Kế hoạch & Đầu tư *công bố* kế hoạch" and source.meta["images"][0]["alt"] == "A & B *"


def test_a_nul_byte_is_named_at_its_place_and_utf16_is_still_utf16():
    with pytest.raises(ContentError) as caught:
        decode("---\ntitle: Tin\n---\nNội dung\x00 tiếp\n".encode(), "t.md")
    (finding,) = caught.value.findings
    assert (finding.line, finding.column) == (4, 9) and "NUL" in finding.message and "UTF-16" not in finding.message
    for data in ("---\ntitle: Tin\n---\n".encode("utf-16"), "---\ntitle: Tin\n---\n".encode("utf-16-le")):
        with pytest.raises(ContentError) as caught:
            decode(data, "t.md")
        assert "UTF-16" in caught.value.findings[0].message


def test_a_file_over_two_mib_is_refused_without_reading_it_as_yaml():
    with pytest.raises(ContentError) as caught:
        decode(b"---\ntitle: a\n---\n" + b"a" * (2 * 2**20 + 1), "t.md")
    assert "MiB" in caught.value.findings[0].message


@pytest.mark.parametrize("value, accepted", [("9999-12-31", False), ("1900-01-01", False), ("1944-12-31", False),
                                             ("2101-01-01 08:00", False), ("1945-09-02", True), ("2024-03-04 08:30", True),
                                             ("2099-01-01", True), ("2100-12-31T23:00:00+07:00", True)])
def test_implausible_dates_are_refused(portal, value, accepted):
    assert dates.is_valid(value) is accepted
    write(portal / NEWS, news().replace("date: 2024-05-10 09:00", f"date: '{value}'"))
    found = [f for f in check.run(portal, [portal / NEWS]).findings if f.rule == "schema"]
    assert (found == []) is accepted, found
    if not accepted:
        assert "ngoài khoảng hợp lý (1945–2100)" in found[0].message and found[0].line == 8


# --- Operations ------------------------------------------------------------------------

def test_output_never_takes_over_a_folder_cchc_did_not_make(tmp_path):
    repo = git_portal(tmp_path / "portal", with_content=False)
    mine = tmp_path / "tai-lieu"
    write(mine / "quan-trong.txt", "Tài liệu riêng")
    other = tmp_path / "noi-khac"
    other.mkdir()
    pointing = tmp_path / "lien-ket"
    pointing.symlink_to(other)
    for taken in (mine, pointing, write(tmp_path / "mot-tep", "x")):
        for _ in range(4):  # publish.release used to move it aside, and pruning deleted it three builds later
            result = cchc("build", "--repo", str(repo), "--output", str(taken))
            assert result.returncode == 1 and "lỗi [build]" in result.stderr and str(taken) in result.stderr, result.stderr
    assert (mine / "quan-trong.txt").read_text("utf-8") == "Tài liệu riêng" and pointing.resolve() == other
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".") and "releases" in p.name]
    live = tmp_path / "moi"  # absent, then cchc's own link: built and rebuilt
    for _ in range(2):
        assert cchc("build", "--repo", str(repo), "--output", str(live)).returncode == 0
    assert live.is_symlink() and live.resolve().parent == tmp_path / ".moi-releases"


def test_rollback_after_a_rebuild_goes_to_the_release_live_before_it(tmp_path):
    repo = git_portal(tmp_path / "portal", with_content=False)
    live = tmp_path / "live"
    built = []
    for title in ("Bản A", "Bản B"):
        write(repo / NEWS, news().replace("Hội nghị cải cách hành chính", title))
        assert cchc("build", "--repo", str(repo), "--output", str(live)).returncode == 0
        built.append(live.resolve().name)
    assert cchc("rollback", "--output", str(live)).returncode == 0
    assert live.resolve().name == built[0]
    write(repo / NEWS, news().replace("Hội nghị cải cách hành chính", "Bản C"))
    assert cchc("build", "--repo", str(repo), "--output", str(live)).returncode == 0
    c = live.resolve().name
    result = cchc("rollback", "--output", str(live))
    assert result.returncode == 0, result.stderr
    assert live.resolve().name == built[0] != c  # A, never B which had been rolled back from
    assert "Bản A" in (live / "tin-bai/2024/tin-thu/index.html").read_text("utf-8")
    result = cchc("rollback", "--output", str(live))
    assert result.returncode == 1 and "lỗi: không có bản phát hành trước" in result.stderr
    result = cchc("rollback", "--output", str(tmp_path / "khong-co"))
    assert result.returncode == 1 and "Errno" not in result.stderr and "khong-co" in result.stderr


def test_rotation_removes_only_the_backups_it_made(tmp_path):
    from cchc.backup import rotate

    folder = tmp_path / "sao-luu"
    names = [f"2023{month:02d}01T020000" for month in range(1, 13)] + [f"2024{month:02d}01T020000" for month in range(1, 13)]
    for name in names:
        write(folder / name / "SHA256SUMS", "")
    strangers = ["2022010" + "1T020000", "anh-gia-dinh-1", "20220101T0200000"]  # someone's file inside; not the pattern
    write(folder / strangers[0] / "anh-cuoi.jpg", b"\xff\xd8\xff")
    write(folder / strangers[1] / "a.txt", "x")
    write(folder / strangers[2] / "SHA256SUMS", "")
    (folder / "20210101T020000").symlink_to(tmp_path / "ngoai", target_is_directory=True)
    (tmp_path / "ngoai").mkdir()
    removed = {p.name for p in rotate(folder)}
    assert removed == set(sorted(names)[:-12])  # the year 2023, all made by backup
    assert all((folder / s).exists() for s in strangers) and (tmp_path / "ngoai").is_dir()


def test_a_failed_restore_leaves_nothing_and_says_why_in_vietnamese(tmp_path):
    repo = git_portal(tmp_path / "portal", with_content=False)
    assert cchc("backup", str(tmp_path / "sao-luu"), "--repo", str(repo)).returncode == 0
    (backup_folder,) = (tmp_path / "sao-luu").iterdir()
    bundle = backup_folder / "portal.bundle"
    broken = write(tmp_path / "hong/portal.bundle", bundle.read_bytes()[:200])  # no sums beside it: git says it is broken
    target = tmp_path / "khoi-phuc"
    result = cchc("restore", str(broken), str(target))
    assert result.returncode == 1 and result.stderr.startswith("lỗi: "), result.stderr
    assert not target.exists() and not [p for p in tmp_path.iterdir() if "restoring" in p.name]
    taken = write(tmp_path / "co-san/a.txt", "x").parent
    result = cchc("restore", str(bundle), str(taken))
    assert result.returncode == 1 and str(taken) in result.stderr and "Errno" not in result.stderr
    assert sorted(p.name for p in taken.iterdir()) == ["a.txt"]
    a_file = write(tmp_path / "mot-tep", "x")  # the OS refuses (not a folder): said in Vietnamese, naming the file
    result = cchc("restore", str(bundle), str(a_file / "kho"))
    assert result.returncode == 1 and str(a_file) in result.stderr and "Errno" not in result.stderr, result.stderr
    assert "không phải thư mục" in result.stderr or "đã có tệp" in result.stderr
    assert cchc("restore", str(bundle), str(target)).returncode == 0 and (target / ".git").is_dir()
