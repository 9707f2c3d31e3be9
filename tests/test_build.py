"""Real Pelican builds of copies of the portal, through the real `cchc` command."""

import json
import os
import re
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cchc import registries
from cchc.content import read_item
from cchc.model import locate
from cchc.portal import Portal
from conftest import REPO, article, cchc, copy_portal, git_portal, write


def expected_page(content_file: Path, content_dir: Path) -> str:
    location = locate(content_file.relative_to(content_dir).as_posix(), {"x"} | set(registries.load(content_dir.parent).fields))
    if location.type.has_field:
        return f"{location.type.folder}/{location.year}/{location.slug}/index.html"
    return f"{location.slug}/index.html"


def test_every_sample_content_file_is_a_page(sample_site):
    content_dir = REPO / "content"
    files = sorted(p for p in content_dir.rglob("*.md"))
    assert len(files) >= 20
    for content_file in files:
        page = sample_site / expected_page(content_file, content_dir)
        assert page.is_file(), f"{content_file} was not published at {page}"
        title = read_item(content_file, Portal.at(content_dir.parent), registries.load(content_dir.parent)).meta["title"]
        assert title in page.read_text("utf-8")


def test_every_section_has_a_page_even_when_empty(sample_site):
    for folder in ("tin-bai", "van-ban", "du-thao", "hoi-dap", "khao-sat"):
        assert (sample_site / folder / "index.html").is_file()
    assert "Chưa có nội dung" in (sample_site / "hoi-dap" / "index.html").read_text("utf-8")


class _Outline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def outline(path: Path) -> list[tuple[str, dict]]:
    parser = _Outline()
    parser.feed(path.read_text("utf-8"))
    return parser.tags


def test_every_page_is_vietnamese_semantic_and_has_one_h1(sample_site):
    # /admin/ is the contributors' editor (Decap CMS's own page), not a page of the portal.
    pages = [p for p in sample_site.rglob("*.html") if p.relative_to(sample_site).parts[0] != "admin"]
    assert len(pages) > 25
    for page in pages:
        tags = outline(page)
        names = [name for name, _ in tags]
        assert ("html", {"lang": "vi"}) in tags, page  # the English page marks its own text only
        for landmark in ("header", "nav", "main", "footer"):
            assert landmark in names, f"{page} has no <{landmark}>"
        assert names.count("h1") == 1, f"{page} has {names.count('h1')} h1"
        assert ("a", {"class": "skip-link", "href": "#noi-dung"}) in tags, page
        assert all("src" in attrs for name, attrs in tags if name == "script"), f"{page} has an inline script"


def test_document_page_shows_its_facts_with_vietnamese_dates(sample_site):
    html = (sample_site / "van-ban/2024/quyet-dinh-399-qd-bcd/index.html").read_text("utf-8")
    assert "399/QĐ-BCĐ" in html and "Trịnh Xuân Trường" in html
    assert "ngày 04 tháng 3 năm 2024" in html
    assert 'href="/quy-che/"' in html  # the {filename} link to the Quy chế page resolved


def test_board_page_lists_roles_from_the_roster_without_accounts(sample_site):
    html = (sample_site / "ban-bien-tap/index.html").read_text("utf-8")
    for role in ("Trưởng ban", "Phó Trưởng ban", "Thư ký"):
        assert f"<td>{role}</td>" in html
    assert "Giám đốc Sở Nội vụ" in html
    assert "@" not in re.sub(r"<footer.*</footer>", "", html, flags=re.S)


def test_contact_page_has_the_address_of_article_8(sample_site):
    html = (sample_site / "lien-he/index.html").read_text("utf-8")
    assert "02143.845.455" in html and "phongcchc-snv@laocai.gov.vn" in html and "phường Nam Cường" in html


def test_bad_file_fails_the_build_with_place_and_keeps_the_old_site(tmp_path):
    repo = copy_portal(tmp_path / "portal")
    assert cchc("build", "--repo", str(repo)).returncode == 0
    before = {p: p.read_bytes() for p in (repo / "output").rglob("*") if p.is_file()}
    write(repo / "content/tin-bai/cai-cach-the-che/2024/hong.md", "---\ntitle: Tin\nsource: a: b\n---\nx\n")
    write(repo / "content/tin-bai/cai-cach-the-che/2024/cp1258.md", "---\ntitle: Tin\n---\nCa\u0309i\n".encode("cp1258"))
    write(repo / "content/tin-bai/cai-cach-the-che/2024/utf16.md", "---\ntitle: Tin\n---\nCải\n".encode("utf-16"))
    write(repo / "content/tin-tuc/cai-cach-the-che/2024/la.md", article())
    write(repo / "content/tin-bai/cai-cach-the-che/2024/bao-cao.docx", b"PK\x03\x04")
    result = cchc("build", "--repo", str(repo))
    assert result.returncode == 1
    errors = result.stderr
    assert "content/tin-bai/cai-cach-the-che/2024/hong.md:3:" in errors and "[schema]" in errors
    assert "content/tin-bai/cai-cach-the-che/2024/cp1258.md:4:3: lỗi [schema]" in errors and "UTF-8" in errors
    assert "content/tin-bai/cai-cach-the-che/2024/utf16.md:1:1: lỗi [schema]" in errors and "UTF-16" in errors
    assert "content/tin-tuc/cai-cach-the-che/2024/la.md:1:1: lỗi [scope]" in errors
    assert "content/tin-bai/cai-cach-the-che/2024/bao-cao.docx:1:1: lỗi [scope]" in errors
    after = {p: p.read_bytes() for p in (repo / "output").rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in repo.iterdir() if ".building-" in p.name or ".old-" in p.name]


def test_schema_error_in_a_content_file_fails_the_build(tmp_path):
    repo = copy_portal(tmp_path / "portal", with_content=False)
    write(repo / "content/tin-bai/cai-cach-the-che/2024/thieu.md", article().replace("source: Văn phòng Sở Nội vụ\n", "").replace("unit: so-noi-vu\n", ""))
    result = cchc("build", "--repo", str(repo))
    assert result.returncode == 1
    assert "thieu.md:1:1: lỗi [schema] thiếu trường bắt buộc “unit” (Đơn vị gửi tin)" in result.stderr
    assert "thieu.md:1:1: lỗi [source] thiếu trường bắt buộc “source” (Nguồn tin)" in result.stderr


def _collision_portal(tmp_path):
    repo = copy_portal(tmp_path / "portal", with_content=False)
    write(repo / "content/data/contributors.yml", "contributors:\n"
          "  - {id: tac-gia-1, name: Tác giả 1, unit: so-noi-vu, status: active}\n"
          "  - {id: tac-gia-12, name: Tác giả 12, unit: so-noi-vu, status: active}\n")
    for number in range(21):  # one more than a page: "Tác giả 1" has a page 2
        write(repo / f"content/tin-bai/cai-cach-the-che/2024/tin-{number}.md", article(f"Tin số {number}", "tac-gia-1", f"2024-05-{number + 1:02d}"))
    write(repo / "content/tin-bai/cai-cach-the-che/2024/tin-khac.md", article("Tin khác", "tac-gia-12"))
    return repo


def test_author_pagination_does_not_collide_with_a_similar_author(tmp_path):
    repo = _collision_portal(tmp_path)
    result = cchc("build", "--repo", str(repo))
    assert result.returncode == 0, result.stderr
    output = repo / "output"
    assert "Tin khác" in (output / "tac-gia/tac-gia-12/index.html").read_text("utf-8")
    page_two = (output / "tac-gia/tac-gia-1/trang/2/index.html").read_text("utf-8")
    assert "Tin số 0" in page_two and "Tin khác" not in page_two


def test_with_pelicans_default_urls_the_same_content_collides_and_the_build_fails(tmp_path):
    repo = _collision_portal(tmp_path)
    with open(repo / "pelicanconf.py", "a", encoding="utf-8") as conf:
        conf.write('\nAUTHOR_URL = "author/{slug}.html"\nAUTHOR_SAVE_AS = AUTHOR_URL\n'
                   'PAGINATION_PATTERNS = ((1, "{name}{extension}", "{name}{extension}"), (2, "{name}{number}{extension}", "{name}{number}{extension}"))\n')
    result = cchc("build", "--repo", str(repo))
    assert result.returncode == 1
    assert "lỗi [build]" in result.stderr and "tac-gia-12" in result.stderr


def _build_tree(repo: Path, min_items: int) -> dict:
    with open(repo / "pelicanconf.py", "a", encoding="utf-8") as conf:
        conf.write(f"\nPARALLEL_MIN_ITEMS = {min_items}\n")
    result = subprocess.run([sys.executable, "-m", "cchc", "build", "--repo", str(repo)], capture_output=True, text=True,
                            env=dict(os.environ, CCHC_NOW="2024-06-15 10:00"))
    assert result.returncode == 0, result.stderr
    site = repo / "output"
    # Pagefind names its files after an order it reads pages in: its bundle is left out, the pages are compared.
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file() and "pagefind" not in p.parts}


def test_two_processes_write_exactly_what_one_would(tmp_path):
    one = _build_tree(_collision_portal(tmp_path / "one"), min_items=10**6)
    two = _build_tree(_collision_portal(tmp_path / "two"), min_items=2)  # the fork writes part of the pages
    assert one.keys() == two.keys() and len(one) > 40
    assert [name for name in one if one[name] != two[name]] == []


def test_linear_section_tag_and_author_lists_write_exactly_what_pelicans_own_would(tmp_path):
    plain = _collision_portal(tmp_path / "plain")
    with open(plain / "pelicanconf.py", "a", encoding="utf-8") as conf:
        conf.write('\nPLUGINS = [p for p in PLUGINS if p != "cchc_lists"]\n')
    linear = _build_tree(_collision_portal(tmp_path / "linear"), min_items=2)
    assert linear == _build_tree(plain, min_items=2)


def test_a_members_list_answers_in_by_identity_and_refuses_changes(monkeypatch):
    import copy
    import pickle

    monkeypatch.syspath_prepend(str(REPO / "plugins"))
    from cchc_lists import Members

    class Item:  # like Pelican's content objects: no __eq__
        pass

    dates = [Item() for _ in range(50)]
    listed = dates[::3]
    members = Members(listed)
    assert [d for d in dates if d in members] == [d for d in dates if d in listed]
    members.sort(key=dates.index, reverse=True)  # reordering keeps who is listed
    assert Item() not in members and listed[0] in members
    for change in (lambda m: m.append(Item()), lambda m: m.remove(listed[0]), lambda m: m.__setitem__(0, Item()), lambda m: m.extend([Item()])):
        with pytest.raises(TypeError):
            change(members)
    twin = copy.copy(members)
    assert isinstance(twin, Members) and list(twin) == list(members) and listed[1] in twin
    numbers = pickle.loads(pickle.dumps(Members([1, 2, 3])))
    assert isinstance(numbers, Members) and numbers == [1, 2, 3] and 2 in numbers


@pytest.mark.parametrize("processes", [1, 2])
def test_a_page_at_a_sections_address_fails_the_build(tmp_path, processes):
    repo = _collision_portal(tmp_path)
    write(repo / "content/trang/tin-bai.md", "---\ntitle: Tin bài\nsummary: Trang thử.\nclassification: public\nunit: so-noi-vu\n---\n\n"
          + "Trang này có cùng địa chỉ với chuyên trang Tin, bài của Cổng nên không thể cùng đăng. " * 3)  # tin-bai/ twice
    with open(repo / "pelicanconf.py", "a", encoding="utf-8") as conf:
        conf.write(f"\nPARALLEL_MIN_ITEMS = {2 if processes == 2 else 10**6}\n")
    result = cchc("build", "--repo", str(repo))
    assert result.returncode == 1
    assert "lỗi [build] hai trang cùng ghi vào một tệp: tin-bai/index.html" in result.stderr, result.stderr


def test_unsafe_html_never_reaches_the_page(tmp_path):
    repo = copy_portal(tmp_path / "portal", with_content=False)
    body = '<script>alert(1)</script>\n\n[bấm](javascript:alert(2))\n\n<img src="/media/x.png" alt="x" onerror="alert(3)">\n\n<iframe src="https://example.org"></iframe>\n'
    write(repo / "content/media/x.png", b"\x89PNG")
    write(repo / "content/tin-bai/cai-cach-the-che/2024/doc-hai.md", article() + body)
    assert cchc("build", "--repo", str(repo)).returncode == 0
    html = (repo / "output/tin-bai/2024/doc-hai/index.html").read_text("utf-8")
    body = html[html.index("data-pagefind-body"):html.index("<!--cchc:search-alias-->")]
    assert "Nội dung tin" in body
    for bad in ("<script", "javascript:", "onerror", "<iframe"):
        assert bad not in body


def test_embargoed_item_is_not_written_anywhere(tmp_path):
    repo = copy_portal(tmp_path / "portal", with_content=False)
    write(repo / "content/tin-bai/cai-cach-the-che/2024/cho-dang.md", article("Tin chờ đăng").replace("summary:", "publish_after: 2099-01-01\nsummary:"))
    write(repo / "content/tin-bai/cai-cach-the-che/2024/da-dang.md", article("Tin đã đăng"))
    assert cchc("build", "--repo", str(repo)).returncode == 0
    everything = "".join(p.read_text("utf-8") for p in (repo / "output").rglob("*.html"))
    assert "Tin đã đăng" in everything and "Tin chờ đăng" not in everything
    assert not list((repo / "output").rglob("cho-dang*"))


def test_production_build_uses_the_public_address_and_writes_feeds(tmp_path):
    repo = git_portal(tmp_path / "portal")
    result = cchc("build", "--production", "--repo", str(repo), "--output", str(tmp_path / "public"))
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "public/van-ban/2024/quyet-dinh-399-qd-bcd/index.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://cchc.laocai.gov.vn/van-ban/2024/quyet-dinh-399-qd-bcd/">' in html
    feed = (tmp_path / "public/feeds/all.atom.xml").read_text("utf-8")
    assert "https://cchc.laocai.gov.vn/van-ban/2024/quyet-dinh-399-qd-bcd/" in feed


def test_production_refuses_harm_that_bypassed_review_and_development_warns(tmp_path):
    repo = git_portal(tmp_path / "portal", with_content=False)
    write(repo / "content/tin-bai/cai-cach-the-che/2024/lot-luoi.md", article("Tin lọt lưới") + "\nTỐI MẬT\n\nLiên hệ 0912 345 678.\n")
    result = cchc("build", "--production", "--repo", str(repo))
    assert result.returncode == 1
    assert "lot-luoi.md:" in result.stderr and "[secret]" in result.stderr and "[personal-data]" in result.stderr
    assert not (repo / "output").exists()
    result = cchc("build", "--repo", str(repo))
    assert result.returncode == 0
    assert "cảnh báo [secret]" in result.stderr


def test_content_cache_never_serves_a_stale_page(tmp_path):
    repo = git_portal(tmp_path / "portal", with_content=False)
    units = repo / "content/data/units.yml"
    units.write_text(units.read_text("utf-8").replace("phone: 02143.845.455", "phone: 0912.345.678"), "utf-8")
    target = write(repo / "content/tin-bai/cai-cach-the-che/2024/tin.md", article("Tin ban đầu") + "\nĐường dây nóng 0912.345.678.\n")
    assert cchc("build", "--production", "--repo", str(repo)).returncode == 0  # an official number of units.yml
    assert (repo / ".cchc-cache/content.pickle").exists()
    target.write_text(target.read_text("utf-8").replace("Tin ban đầu", "Tin đã sửa"), "utf-8")  # content decides, not the clock
    assert cchc("build", "--production", "--repo", str(repo)).returncode == 0
    assert "Tin đã sửa" in (repo / "output/tin-bai/2024/tin/index.html").read_text("utf-8")
    # The file is unchanged, the registry is not: the cached verdict must not be reused.
    units.write_text(units.read_text("utf-8").replace("phone: 0912.345.678", "phone: 02143.845.455"), "utf-8")
    result = cchc("build", "--production", "--repo", str(repo))
    assert result.returncode == 1 and "[personal-data]" in result.stderr


def test_a_library_upgrade_drops_the_content_cache(monkeypatch):
    from cchc import content_cache

    def fingerprint():
        return content_cache.fingerprint(Portal.at(REPO))

    before = fingerprint()
    real = content_cache.metadata.version
    monkeypatch.setattr(content_cache.metadata, "version", lambda name: "99.0" if name == "cmarkgfm" else real(name))
    assert fingerprint() != before  # a new cmark-gfm may render the same file differently


def test_two_items_at_one_address_fail_the_build(tmp_path):
    repo = copy_portal(tmp_path / "portal", with_content=False)
    write(repo / "content/tin-bai/cai-cach-the-che/2024/hoi-nghi.md", article("Hội nghị thể chế"))
    write(repo / "content/tin-bai/cai-cach-tai-chinh-cong/2024/hoi-nghi.md", article("Hội nghị tài chính"))
    result = cchc("build", "--repo", str(repo))
    assert result.returncode == 1 and "[scope]" in result.stderr and "cùng địa chỉ /tin-bai/2024/hoi-nghi/" in result.stderr


def test_many_items_are_written_by_two_processes_and_all_land(tmp_path):
    repo = copy_portal(tmp_path / "portal", with_content=False)
    for number in range(450):  # above the threshold where the second core writes half the pages
        write(repo / f"content/tin-bai/cai-cach-the-che/2024/tin-{number}.md", article(f"Tin số {number}", date=f"2024-05-{1 + number % 28:02d} 08:00"))
    assert cchc("build", "--repo", str(repo)).returncode == 0
    pages = list((repo / "output/tin-bai/2024").glob("tin-*/index.html"))
    assert len(pages) == 450
    assert all(f"Tin số {p.parent.name.removeprefix('tin-')}" in p.read_text("utf-8") for p in pages)


def test_two_processes_share_the_work_each_piece_once(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(REPO / "plugins"))
    from cchc_parallel import _Work

    work = _Work(1003, tasks=2)
    taken_by_fork = tmp_path / "fork"
    child = os.fork()
    if child == 0:  # both take their time over each piece, as over writing pages
        pieces = []
        for piece in work:
            pieces.append(piece)
            time.sleep(0.002)
        taken_by_fork.write_text(json.dumps(pieces))
        os._exit(0)
    mine = []
    for piece in work:
        mine.append(piece)
        time.sleep(0.002)
    work.close()
    os.waitpid(child, 0)
    theirs = [tuple(piece) for piece in json.loads(taken_by_fork.read_text())]
    assert theirs and mine  # both did some
    pieces = sorted(mine + theirs)
    assert [p for p in pieces if p[0] == "task"] == [("task", 0), ("task", 1)]  # each task once
    chunks = [p[1:] for p in pieces if p[0] == "items"]
    assert chunks == [(start, start + work.size) for start in range(0, 1003, work.size)]


def test_pelican_stamps_no_file_for_its_cache_when_that_cache_is_off(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(REPO / "plugins"))
    import cchc_reader
    from pelican.cache import FileStampDataCacher
    from pelican.settings import DEFAULT_CONFIG

    monkeypatch.setattr(FileStampDataCacher, "_get_file_stamp", cchc_reader._stamp_only_for_a_cache_in_use)
    settings = dict(DEFAULT_CONFIG, CACHE_PATH=str(tmp_path / "cache"))
    page = tmp_path / "a.md"
    page.write_text("x", "utf-8")
    off = FileStampDataCacher(settings, "off", caching_policy=False, load_policy=False)
    assert off._get_file_stamp(str(tmp_path / "gone.md")) is None  # no stat made: a missing file goes unnoticed
    off.cache_data(str(page), "data")
    assert off.get_cached_data(str(page), "default") == "default"  # what Pelican answers with its cache off
    on = FileStampDataCacher(settings, "on", caching_policy=True, load_policy=False)
    assert on._get_file_stamp(str(page)) == os.path.getmtime(page)
    on.cache_data(str(page), "data")
    assert on.get_cached_data(str(page), "default") == "data"


def test_items_with_one_file_name_in_two_sections_or_years_are_both_published(tmp_path):
    # A news item named after the decision it reports; a conference held every year.
    repo = copy_portal(tmp_path / "portal", with_content=True)
    document = next((repo / "content/van-ban").rglob("quyet-dinh-800-qd-ubnd.md"))
    year = document.parent.name
    write(repo / f"content/tin-bai/cai-cach-the-che/{year}/{document.name}", article("Tin về Quyết định 800", date=f"{year}-05-10 09:00"))
    write(repo / "content/tin-bai/cai-cach-the-che/2023/hoi-nghi-so-ket.md", article("Hội nghị sơ kết năm 2023", date="2023-06-10 09:00"))
    write(repo / "content/tin-bai/cai-cach-the-che/2024/hoi-nghi-so-ket.md", article("Hội nghị sơ kết năm 2024", date="2024-06-10 09:00"))
    result = cchc("build", "--repo", str(repo))
    assert result.returncode == 0, result.stderr
    site = repo / "output"
    for page, title in ((f"tin-bai/{year}/quyet-dinh-800-qd-ubnd", "Tin về Quyết định 800"), (f"van-ban/{year}/quyet-dinh-800-qd-ubnd", "800"),
                        ("tin-bai/2023/hoi-nghi-so-ket", "năm 2023"), ("tin-bai/2024/hoi-nghi-so-ket", "năm 2024")):
        assert title in (site / page / "index.html").read_text("utf-8")


def test_items_of_one_date_are_listed_in_one_order_by_every_build(tmp_path):
    # Pelican reads files in the order of a set, which changes with each process's hash
    # seed: same-day items must still be listed in one order, by address.
    repo = copy_portal(tmp_path / "portal", with_content=False)
    slugs = [f"tin-{n:02d}" for n in range(12)]
    for slug in slugs:
        write(repo / f"content/tin-bai/cai-cach-the-che/2024/{slug}.md", article(f"Tin {slug}", date="2024-05-10 09:00"))
    pages = []
    for seed in ("1", "2", "3"):
        result = subprocess.run([sys.executable, "-m", "cchc", "build", "--repo", str(repo)], capture_output=True, text=True,
                                env=dict(os.environ, PYTHONHASHSEED=seed, CCHC_NOW="2024-06-15 10:00"))
        assert result.returncode == 0, result.stderr
        pages.append((repo / "output/tin-bai/index.html").read_text("utf-8"))
    assert pages[0] == pages[1] == pages[2]
    listed = re.findall(r"tin-bai/2024/(tin-\d\d)/", pages[0])
    assert list(dict.fromkeys(listed)) == slugs
