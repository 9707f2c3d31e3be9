"""The public portal in a real browser (Debian's Chromium): search with and without
diacritics, the document register, axe-core, 360 px, consultations flipping, feeds,
sitemap and the open data."""

import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from cchc.frontmatter import read_source
from axe_playwright_python.sync_playwright import Axe
from conftest import (
    article,
    cchc,
    git,
    git_portal,
    serve,
    write,
)

NOW = "2024-06-15 10:00"
ATOM = "{http://www.w3.org/2005/Atom}"
BODY = "Đảng ủy khối các cơ quan tỉnh chỉ đạo đẩy mạnh cải cách hành chính, nâng cao chất lượng phục vụ người dân tại bộ phận một cửa. "


def _consultation(closes: str) -> str:
    return f"""---
title: Dự thảo Kế hoạch cải cách hành chính năm 2025
unit: so-noi-vu
authors: [phong-cchc-snv]
source: Sở Nội vụ
classification: public
summary: Xin ý kiến dự thảo Kế hoạch cải cách hành chính năm 2025.
opens: 2024-06-01
closes: {closes}
audience: Người dân, doanh nghiệp, cơ quan, tổ chức
comment_to: phongcchc-snv@laocai.gov.vn
date: 2024-06-01 08:00
---

Sở Nội vụ xin ý kiến về dự thảo Kế hoạch cải cách hành chính năm 2025 của tỉnh Lào Cai, gồm mục tiêu, nhiệm vụ và giải pháp trọng tâm.
"""


QUESTION = """---
title: Thời hạn giải quyết thủ tục cấp đổi giấy phép lái xe
unit: so-noi-vu
authors: [phong-cchc-snv]
source: Hộp thư góp ý của Cổng Thông tin
classification: public
summary: Người dân hỏi thời hạn giải quyết thủ tục cấp đổi giấy phép lái xe.
question: Thủ tục cấp đổi giấy phép lái xe được giải quyết trong bao nhiêu ngày?
asked_date: 2024-06-02
asker: Ẩn danh
forwarded_to: Sở Giao thông vận tải
answered_by: Sở Giao thông vận tải
answered_date: 2024-06-05
date: 2024-06-06 08:00
---

Thời hạn giải quyết là không quá 05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ theo quy định.
"""

SURVEY = """---
title: Khảo sát sự hài lòng tại bộ phận một cửa quý II
unit: so-noi-vu
authors: [phong-cchc-snv]
source: Sở Nội vụ
classification: public
summary: Kết quả đo lường sự hài lòng của người dân tại bộ phận một cửa cấp tỉnh.
kind: do-luong-hai-long
opens: 2024-04-01
closes: 2024-06-01
participate: Phiếu khảo sát tại bộ phận một cửa
results: media/2024/hai-long-quy-2.csv
date: 2024-06-10 08:00
---

Kết quả khảo sát sự hài lòng của người dân đối với sự phục vụ của bộ phận một cửa cấp tỉnh trong quý II.
"""


def build_portal(root: Path, closes: str = "2024-06-30") -> Path:
    repo = git_portal(root)
    write(repo / "content/tin-bai/cai-cach-the-che/2024/dang-uy-chi-dao.md", article("Đảng ủy khối chỉ đạo cải cách hành chính", date="2024-06-10 09:00") + BODY * 8)
    write(repo / "content/du-thao/cai-cach-the-che/2024/ke-hoach-2025.md", _consultation(closes))
    write(repo / "content/hoi-dap/cai-cach-thu-tuc-hanh-chinh/2024/giay-phep-lai-xe.md", QUESTION)
    write(repo / "content/khao-sat/cai-cach-thu-tuc-hanh-chinh/2024/hai-long-quy-2.md", SURVEY)
    write(repo / "content/media/2024/hai-long-quy-2.csv", "\ufeffMức độ,Số phiếu\nRất hài lòng,1250\nHài lòng,830\nChưa hài lòng,45\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Nội dung thử")
    return repo


def run_build(repo: Path, now: str = NOW, *extra: str):
    import os
    import subprocess
    import sys

    env = dict(os.environ, CCHC_NOW=now)
    return subprocess.run([sys.executable, "-m", "cchc", "build", "--repo", str(repo), *extra], capture_output=True, text=True, env=env)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    repo = build_portal(tmp_path_factory.mktemp("portal") / "portal")
    result = run_build(repo)
    assert result.returncode == 0, result.stderr
    return repo / "output"


@pytest.fixture(scope="module")
def url(site):
    with serve(site) as address:
        yield address


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.close()
    assert errors == []


def search(page, url: str, query: str, section: str = "") -> list[str]:
    page.goto(f"{url}/tim-kiem/")
    page.fill("#tu-khoa-tim", query)
    if section:
        page.select_option("#loc-chuyen-trang", section)
    page.click("form.search-form button[type=submit]")
    page.locator("#trang-thai-tim", has_text=re.compile("^(Tìm thấy|Không tìm thấy)")).wait_for()
    return page.locator("#ket-qua-tim li h2 a").all_inner_texts()


@pytest.mark.parametrize("query", ["cải cách", "cai cach", "CAI CACH"])
def test_search_with_and_without_diacritics(page, url, query):
    titles = search(page, url, query)
    assert "Đảng ủy khối chỉ đạo cải cách hành chính" in titles


@pytest.mark.parametrize("query", ["Đảng ủy", "dang uy", "đảng uỷ"])
def test_search_folds_d_with_stroke_on_both_sides(page, url, query):
    titles = search(page, url, query)
    assert titles[0] == "Đảng ủy khối chỉ đạo cải cách hành chính"
    marks = page.locator("#ket-qua-tim li").first.locator("mark").all_inner_texts()
    assert any(m.lower().startswith("đảng") for m in marks)  # the excerpt shows the original text


def test_search_filters_by_section_and_never_indexes_menus(page, url):
    assert search(page, url, "cai cach", "Hỏi đáp") == []
    documents = search(page, url, "cai cach", "Văn bản")
    assert documents and "Đảng ủy khối chỉ đạo cải cách hành chính" not in documents
    contents = page.evaluate("""async () => {
        const { shards } = await (await fetch('/pagefind/shards.json')).json();
        const pagefind = await import(`/pagefind/${shards[0]}/pagefind.js`);
        await pagefind.options({ bundlePath: `/pagefind/${shards[0]}/` });
        for (const shard of shards.slice(1)) await pagefind.mergeIndex(`/pagefind/${shard}/`);
        const found = await pagefind.search('cai cach');
        return Promise.all(found.results.map(async (r) => (await r.data()).content));
    }""")
    assert len(contents) > 10
    for content in contents:  # only bodies are indexed: no menu, skip link or footer
        assert "Bỏ qua, đến nội dung chính" not in content and "Trang chủ" not in content and "Hoạt động theo Quy chế" not in content


DECISION_399 = "Quyết định ban hành Quy chế tổ chức, hoạt động của Cổng Thông tin điện tử Ban Chỉ đạo cải cách hành chính tỉnh Lào Cai"


@pytest.mark.parametrize("query", ["399/QĐ-BCĐ", "399/QD-BCD", "399 qđ bcđ", "399", "quyết định 399", "quyet dinh 399"])
def test_search_finds_a_document_by_its_number_first(page, url, query):
    titles = search(page, url, query)
    assert titles and titles[0] == DECISION_399
    meta = page.locator("#ket-qua-tim li .item-meta").first.inner_text()
    assert meta == "Văn bản · 04/3/2024 · Số 399/QĐ-BCĐ"


@pytest.mark.parametrize(("query", "title"), [
    ("72/2013/NĐ-CP", "Nghị định về quản lý, cung cấp, sử dụng dịch vụ Internet và thông tin trên mạng"),
    ("luat tiep can thong tin", "Luật Tiếp cận thông tin"),
    ("Luật Báo chí", "Luật Báo chí"),
])
def test_search_finds_a_document_by_number_or_title_first(page, url, query, title):
    assert search(page, url, query)[0] == title


def test_search_marks_whole_words_only(page, url):
    search(page, url, "uy")
    checks = page.evaluate("""() => [...document.querySelectorAll('#ket-qua-tim li p:last-child')].map((p) => {
        const marks = [...p.querySelectorAll('mark')].map((m) => (m.previousSibling?.textContent || '').slice(-1));
        return { before: marks, text: p.textContent };
    })""")
    assert checks
    for check in checks:
        assert all(not re.match(r"\w", ch) for ch in check["before"]), check  # no "x<mark>uy</mark>ên"


def test_search_marks_a_word_found_far_into_a_long_page(page, url):
    """“nghiên” first appears some 14,000 characters into the regulation's full text:
    the excerpt is cut around it and marks it, with or without diacritics."""
    for query in ("nghiên", "nghien"):
        search(page, url, query)
        item = page.locator("#ket-qua-tim li", has_text="Quy chế")
        assert [m.lower() for m in item.first.locator("mark").all_inner_texts()][:1] == ["nghiên"]
        assert item.first.locator("p").last.inner_text().startswith("… ")


def test_search_page_reserves_room_for_results(page, url):
    page.goto(f"{url}/tim-kiem/")
    before = page.locator(".site-footer, footer").last.bounding_box()["y"]
    assert before >= 900  # the footer starts below the first screen: results arriving move nothing seen
    page.goto(f"{url}/tim-kiem/?q=cai+cach")
    page.wait_for_selector("#ket-qua-tim li")
    shift = page.evaluate("""() => new Promise((done) => {
        let total = 0;
        new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value; })
            .observe({ type: "layout-shift", buffered: true });
        setTimeout(() => done(total), 300);
    })""")
    assert shift <= 0.1


def test_search_page_loads_pagefind_only_when_someone_searches(page, url):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{url}/tim-kiem/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in requested if "/pagefind/" in u]  # a visit that does not search fetches no index
    with page.expect_request(lambda request: request.url.endswith("/pagefind.js")):
        page.focus("#tu-khoa-tim")  # focusing the box starts loading the index
    assert f"{url}/pagefind/shards.json" in requested
    requested.clear()
    page.fill("#tu-khoa-tim", "cai cach")
    page.click("form.search-form button[type=submit]")
    page.locator("#trang-thai-tim", has_text=re.compile("^Tìm thấy")).wait_for()
    assert not [u for u in requested if u.endswith("/pagefind.js") or "shards.json" in u]  # loaded once, reused
    assert page.locator("#ket-qua-tim li").count() > 0


def test_search_from_the_address_runs_without_touching_the_box(page, url):
    page.goto(f"{url}/tim-kiem/?q=399%2FQĐ-BCĐ")
    page.locator("#trang-thai-tim", has_text=re.compile("^Tìm thấy")).wait_for()
    assert page.locator("#ket-qua-tim li h2 a").first.inner_text() == DECISION_399
    assert page.input_value("#tu-khoa-tim") == "399/QĐ-BCĐ"


def test_search_page_without_javascript_says_so_and_offers_the_archive(browser, url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{url}/tim-kiem/?q=cai+cach")
    status = page.locator("#trang-thai-tim")
    assert "Tìm kiếm cần JavaScript" in status.inner_text()
    assert status.locator("a").get_attribute("href") == "/luu-tru/"
    assert page.locator("form.search-form").get_attribute("action") == "/tim-kiem/"  # the form still sends the query
    context.close()


def test_document_register_filters(page, url):
    page.goto(f"{url}/van-ban/tra-cuu/")
    rows = page.locator("table.register tbody tr")
    total = rows.count()
    assert total == 16 and page.locator("#so-van-ban").inner_text() == "16 văn bản"
    page.select_option("#loc-doc_type", "Luật")
    assert page.locator("table.register tbody tr:visible").count() == 6
    page.select_option("#loc-year", "2016")
    visible = page.locator("table.register tbody tr:visible td:first-child").all_inner_texts()
    assert sorted(visible) == ["103/2016/QH13", "104/2016/QH13"]
    assert page.locator("#so-van-ban").inner_text() == "2 văn bản"
    page.select_option("#loc-doc_type", "")
    page.select_option("#loc-year", "")
    page.select_option("#loc-issuer", "Chính phủ")
    page.select_option("#loc-field", "cai-cach-the-che")
    assert sorted(page.locator("table.register tbody tr:visible td:first-child").all_inner_texts()) == ["13/2018/NĐ-CP", "76/NQ-CP"]


AXE_PAGES = {
    "home": "/", "article": "/tin-bai/2024/dang-uy-chi-dao/", "document": "/van-ban/2024/quyet-dinh-399-qd-bcd/",
    "register": "/van-ban/tra-cuu/", "consultation": "/du-thao/2024/ke-hoach-2025/", "question": "/hoi-dap/2024/giay-phep-lai-xe/",
    "survey": "/khao-sat/2024/hai-long-quy-2/", "search": "/tim-kiem/?q=cai+cach",
}


@pytest.mark.parametrize("name", AXE_PAGES)
def test_axe_finds_no_violation(page, url, name):
    page.goto(url + AXE_PAGES[name])
    if name == "search":
        page.wait_for_selector("#ket-qua-tim li")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
    assert results.violations_count == 0, results.generate_report()


def test_home_page_at_360_px_does_not_overflow(browser, url, tmp_path):
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.goto(url + "/")
    shot = tmp_path / "trang-chu-360.png"
    page.screenshot(path=str(shot), full_page=True)
    from struct import unpack

    width = unpack(">I", shot.read_bytes()[16:20])[0]  # the PNG's own width
    assert width == 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    wide = page.evaluate("[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361 && !e.closest('.table-scroll')).map(e => e.tagName)")
    assert wide == []
    page.close()


def test_keyboard_reaches_search_and_register_filters(page, url):
    page.goto(url + "/van-ban/tra-cuu/")
    focused = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
    assert "loc-doc_type" in focused and "loc-field" in focused


def test_consultation_flips_from_open_to_closed_with_the_build_date(tmp_path):
    repo = build_portal(tmp_path / "portal", closes="2024-06-30")
    page = repo / "output/du-thao/2024/ke-hoach-2025/index.html"
    assert run_build(repo, "2024-06-30 23:00").returncode == 0
    html = page.read_text("utf-8")
    assert "Đang lấy ý kiến" in html and "mailto:phongcchc-snv@laocai.gov.vn?subject=" in html
    assert "Dự thảo Kế hoạch cải cách hành chính năm 2025" in (repo / "output/index.html").read_text("utf-8").split('id="du-thao-mo"')[1].split("</section>")[0]
    assert run_build(repo, "2024-07-01 00:05").returncode == 0
    html = page.read_text("utf-8")
    assert "Đã kết thúc" in html and "Đã hết hạn nhận góp ý" in html and "mailto:phongcchc-snv@laocai.gov.vn?subject=" not in html
    home = (repo / "output/index.html").read_text("utf-8")
    assert 'id="du-thao-mo"' not in home  # a home block with nothing in it is not shown
    assert 'id="vb-moi"' in home


def test_survey_results_as_table_and_accessible_chart(site):
    html = (site / "khao-sat/2024/hai-long-quy-2/index.html").read_text("utf-8")
    assert '<svg role="img" aria-labelledby="bieu-do-hai-long-quy-2-tieu-de bieu-do-hai-long-quy-2-mo-ta"' in html
    assert "<desc id=\"bieu-do-hai-long-quy-2-mo-ta\">Rất hài lòng: 1.250 (58,8%); Hài lòng: 830 (39,1%); Chưa hài lòng: 45 (2,1%)</desc>" in html
    assert '<th scope="row">Rất hài lòng</th><td>1.250</td>' in html


def test_survey_chart_is_readable_on_a_phone_and_shows_shares(browser, url):
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(url + "/khao-sat/2024/hai-long-quy-2/")
    sizes = page.evaluate("""() => {
        const svg = document.querySelector('.chart svg');
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return [...svg.querySelectorAll('text')].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
    }""")
    assert sizes and min(sizes) >= 12
    values = page.locator(".chart svg text.chart-value").all_text_contents()
    assert values == ["1.250 (58,8%)", "830 (39,1%)", "45 (2,1%)"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.close()


def _published_urls(output: Path) -> set[str]:
    return {e.text.split("/", 3)[3] for e in ElementTree.parse(output / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc") if e.text.count("/") > 3}


def test_feeds_and_sitemap_list_exactly_the_published_items(tmp_path):
    repo = build_portal(tmp_path / "portal")
    assert cchc("withdraw", str(repo / "content/hoi-dap/cai-cach-thu-tuc-hanh-chinh/2024/giay-phep-lai-xe.md"), "--decision", "20/QĐ-BCĐ",
                "--date", "2024-06-12", "--reason", "Câu trả lời đã được thay thế").returncode == 0
    write(repo / "content/tin-bai/cai-cach-the-che/2024/cho-dang.md", article("Tin đang giữ", date="2024-06-10 09:00").replace("summary:", "publish_after: 2099-01-01\nsummary:") + BODY * 8)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Gỡ và giữ")
    result = run_build(repo, NOW, "--production")
    assert result.returncode == 0, result.stderr
    output = repo / "output"
    items = {p.relative_to(repo / "content").parts[0] + "/" + p.parent.name + "/" + p.stem for p in (repo / "content").rglob("*.md")
             if "trang" not in p.parts and p.stem not in ("giay-phep-lai-xe", "cho-dang")}
    expected = {f"{folder}/{year}/{slug}/" for folder, year, slug in (i.split("/") for i in items)}
    feed = ElementTree.parse(output / "feeds/all.atom.xml").getroot()
    feed_urls = {e.attrib["href"].split("/", 3)[3] for e in feed.iter(f"{ATOM}link") if e.attrib.get("rel") == "alternate" and e.attrib["href"].count("/") > 4}
    assert feed_urls == expected
    pages = {f"{p.relative_to(repo / 'content/trang').with_suffix('').as_posix()}/" for p in (repo / "content/trang").rglob("*.md")}
    sections = {"tin-bai/", "van-ban/", "du-thao/", "hoi-dap/", "khao-sat/", "van-ban/tra-cuu/", "luu-tru/", "thong-ke/",
                "tin-bai/hoat-dong-chi-dao/", "tin-bai/chu-truong-chinh-sach/", "tin-bai/kinh-nghiem-mo-hinh/", "tin-bai/xu-huong-hanh-chinh-cong/"}
    assert _published_urls(output) == expected | pages | sections
    assert all((output / s / "index.html").is_file() for s in sections)
    section = ElementTree.parse(output / "feeds/hoi-dap.atom.xml").getroot()
    assert [e for e in section.iter(f"{ATOM}entry")] == []
    chuyen_muc = ElementTree.parse(output / "feeds/chuyen-muc-hoat-dong-chi-dao.atom.xml").getroot()
    # the chuyên mục's feed lists exactly the published news of that category (the sample content's too)
    in_category = sorted(source.meta["title"] for source in map(read_source, (repo / "content/tin-bai").rglob("*.md"))
                         if source.meta.get("category") == "hoat-dong-chi-dao" and "publish_after" not in source.meta)
    assert "Đảng ủy khối chỉ đạo cải cách hành chính" in in_category and len(in_category) >= 2
    assert sorted([e.text for e in chuyen_muc.iter(f"{ATOM}title")][1:]) == in_category
    robots = (output / "robots.txt").read_text("utf-8")
    assert "Sitemap: https://cchc.laocai.gov.vn/sitemap.xml" in robots


def test_each_feed_has_its_own_title_and_id(site):
    import feedparser

    feeds = sorted((site / "feeds").glob("*.atom.xml"))
    assert len(feeds) >= 10
    parsed = [feedparser.parse(path.read_bytes()) for path in feeds]
    assert all(not p.bozo for p in parsed), [p.bozo_exception for p in parsed if p.bozo]
    titles = [p.feed.title for p in parsed]
    ids = [p.feed.id for p in parsed]
    assert len(set(titles)) == len(feeds) and len(set(ids)) == len(feeds)
    assert all(i.endswith(f"/{path.relative_to(site)}") for i, path in zip(ids, feeds))


def test_open_data_json_for_every_section(site):
    index = json.loads((site / "du-lieu/index.json").read_text("utf-8"))
    assert {d["type"] for d in index["datasets"]} == {"article", "document", "consultation", "question", "survey"}
    documents = json.loads((site / "du-lieu/van-ban.json").read_text("utf-8"))
    decision = next(d for d in documents["items"] if d["number"] == "399/QĐ-BCĐ")
    assert decision["issuer"] == "Ban Chỉ đạo cải cách hành chính tỉnh Lào Cai" and decision["issued_date"] == "2024-03-04"
    assert decision["url"].endswith("/van-ban/2024/quyet-dinh-399-qd-bcd/") and "content_html" in decision
    assert "reader" not in decision and decision["revisions"], decision.keys()
    for revision in decision["revisions"]:  # records, not Python's text for objects
        assert set(revision) == {"date", "commit", "change_note", "approved_by"} and len(revision["commit"]) == 40
    questions = json.loads((site / "du-lieu/hoi-dap.json").read_text("utf-8"))["items"]
    assert questions[0]["question"].startswith("Thủ tục cấp đổi") and questions[0]["answered_by"] == "Sở Giao thông vận tải"
    assert "phong-cchc-snv" not in (site / "du-lieu/tin-bai.json").read_text("utf-8")  # account ids stay private


def test_no_inline_script_and_a_content_security_policy_everywhere(site):
    editor_page = (site / "admin/index.html").read_text("utf-8")  # the editor has its own, looser policy
    assert "Content-Security-Policy" in editor_page and "object-src 'none'" in editor_page
    for page in (p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "admin"):
        html = page.read_text("utf-8")
        assert "Content-Security-Policy" in html and "script-src 'self' 'wasm-unsafe-eval'" in html, page
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, f"{page}: inline script {tag}"
        assert not re.search(r"\son[a-z]+=", html), page
        assert not re.search(r"\sstyle=", html), page


def test_print_button_and_print_stylesheet(page, url):
    page.goto(url + "/van-ban/2024/quyet-dinh-399-qd-bcd/")
    button = page.locator("button.print-button")
    assert button.is_visible() and button.inner_text() == "In hoặc lưu PDF"
    page.emulate_media(media="print")
    assert page.locator(".site-nav").is_hidden() and button.is_hidden()


def test_english_page_is_marked_english(site):
    html = (site / "english/index.html").read_text("utf-8")
    assert '<html lang="vi">' in html and "Administrative Reform Steering Committee" in html
    before, main = html.split("<main", 1)
    main, after = main.split("</main>", 1)
    assert '<h1 lang="en">' in main and '<div class="prose" lang="en"' in main
    around = re.findall(r'<(\w+)[^>]*lang="en"', before + after)
    assert around and set(around) == {"a"}  # only the links named "English"; menu, header and footer stay Vietnamese
