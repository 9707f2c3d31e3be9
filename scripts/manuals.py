"""The manuals of content/trang/huong-dan/: their rule table and their screenshots, made
anew from the code and the sample content (`make manuals`).

    .venv/bin/python scripts/manuals.py rules        # the rule table, from the catalogue
    .venv/bin/python scripts/manuals.py screenshots  # the PNGs of content/media/huong-dan/

Screenshots are taken with Debian's /usr/bin/chromium (driven by Playwright, as the page
tests do) of the sample portal built into a temporary folder, and of the contributors'
editor (Decap CMS with decap-server in Git mode on a temporary repository, as
tests/test_editor.py runs it). Each is the browser's own PNG at a small viewport (no
optimiser is installed here; at these sizes they stay well under the 300 KB the tests
allow)."""

import argparse
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MANUALS = ROOT / "content/trang/huong-dan"
MEDIA = ROOT / "content/media/huong-dan"
sys.path.insert(0, str(ROOT / "tests"))


def write_rules() -> list[Path]:
    """Rewrite the generated rule table of every manual that has one."""
    from cchc import rules_table

    changed = []
    for page in sorted(MANUALS.glob("*.md")):
        text = page.read_text("utf-8")
        if rules_table.MANUAL_BEGIN in text:
            new = rules_table.replace_manual_section(text)
            if new != text:
                page.write_text(new, "utf-8")
                changed.append(page)
    return changed


def _a_document(site: Path) -> str:
    """The address of the sample document to show: the regulation's own decision if the
    sample content has it, else the first document of the open data."""
    import json

    items = json.loads((site / "du-lieu/van-ban.json").read_text("utf-8"))["items"]
    addresses = ["/".join(item["url"].split("/")[3:]) for item in items]
    return next((a for a in addresses if a.endswith("/quyet-dinh-399-qd-bcd/")), addresses[0])


def _site_shots(browser, scratch: Path) -> None:
    """The public site of the sample content: home on a phone, a document, the register, search."""
    from conftest import cchc, copy_portal, serve

    repo = copy_portal(scratch / "portal")
    result = cchc("build", "--repo", str(repo), "--output", str(scratch / "site"))
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    with serve(scratch / "site") as url:
        phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True)
        phone.goto(f"{url}/")
        phone.screenshot(path=str(MEDIA / "trang-chu-dien-thoai.png"))
        phone.close()
        page = browser.new_page(viewport={"width": 1100, "height": 760})
        page.goto(f"{url}/{_a_document(scratch / 'site')}")
        page.screenshot(path=str(MEDIA / "trang-van-ban.png"))
        page.goto(f"{url}/van-ban/tra-cuu/")
        page.locator("table tbody tr").first.wait_for()
        page.screenshot(path=str(MEDIA / "tra-cuu-van-ban.png"))
        page.goto(f"{url}/tim-kiem/?q=c%E1%BA%A3i+c%C3%A1ch+th%E1%BB%A7+t%E1%BB%A5c")  # "cải cách thủ tục"
        page.locator("#ket-qua-tim li").first.wait_for(timeout=20000)
        page.screenshot(path=str(MEDIA / "tim-kiem.png"))
        page.close()


def _editor_shots(browser, scratch: Path) -> None:
    """The editor: a new item's form, the preview of a document, the workflow, and the gate's
    summary of what was saved (rendered as the pull request shows it)."""
    import markdown
    import test_editor as t
    from cchc import check, report

    scratch.mkdir(parents=True, exist_ok=True)
    fixture = t.editor_site.__wrapped__(scratch)
    repo, url = next(fixture)
    try:
        page = browser.new_page(viewport={"width": 1200, "height": 760})
        t._open(page, url, "tin-bai")
        page.get_by_label("Tiêu đề", exact=True).fill("Sở Nội vụ tập huấn cải cách hành chính cho cán bộ một cửa")
        t._choose(page, "Lĩnh vực", "Cải cách thủ tục hành chính")
        t._choose(page, "Đơn vị gửi tin", "Sở Nội vụ tỉnh Lào Cai")
        t._choose(page, "Tác giả", "Phòng Cải cách hành chính, Sở Nội vụ")
        page.get_by_label("Nguồn tin", exact=True).fill("Phòng Cải cách hành chính, Sở Nội vụ")
        page.screenshot(path=str(MEDIA / "bieu-mau-tin-moi.png"))
        t._fill_summary(page, "Lớp tập huấn về cải cách thủ tục hành chính cho cán bộ bộ phận một cửa.")
        t._choose(page, "Chuyên mục", "Hoạt động chỉ đạo, điều hành CCHC")
        t._type_body(page, "Sở Nội vụ tổ chức lớp tập huấn về cải cách thủ tục hành chính cho cán bộ bộ phận một cửa. " * 2)
        page.get_by_role("button", name="Lưu").click()
        time.sleep(3)
        page.goto(f"{url}/admin/#/workflow")
        page.get_by_text("Sở Nội vụ tập huấn").first.wait_for()
        page.screenshot(path=str(MEDIA / "quy-trinh-bien-tap.png"))
        page.close()

        page = browser.new_page(viewport={"width": 1400, "height": 800})
        t._open(page, url, "van-ban")
        t._fill_common(page, "Kế hoạch cải cách hành chính năm 2025 của tỉnh Lào Cai", "UBND tỉnh Lào Cai",
                       "Kế hoạch cải cách hành chính năm 2025 của UBND tỉnh Lào Cai.")
        page.get_by_label("Số ký hiệu", exact=True).fill("250/KH-UBND")
        t._choose(page, "Loại văn bản", "Kế hoạch")
        page.get_by_label("Cơ quan ban hành", exact=True).fill("UBND tỉnh Lào Cai")
        date_input = page.locator("label", has_text=re.compile("^Ngày ban hành")).first.get_attribute("for")
        page.locator(f"[id='{date_input}']").fill("01/02/2025")
        t._type_body(page, "Kế hoạch đề ra mục tiêu, nhiệm vụ cải cách hành chính năm 2025 của tỉnh. " * 3)
        page.frame_locator("#preview-pane").locator("h1", has_text="Kế hoạch cải cách hành chính năm 2025").wait_for()
        page.screenshot(path=str(MEDIA / "xem-truoc.png"))
        page.close()

        # What the check workflow writes on the pull request of the saved news item.
        branch = [b.strip() for b in t.git(repo, "branch", "--list", "cms/tin-bai/*").split()][0]
        t.git(repo, "checkout", "-q", branch)
        summary = report.summary_markdown(check.run(repo, base="main"))
        summary = summary.replace("❌", "✗").replace("✅", "✓")  # no colour-emoji font here: GitHub shows the emoji
        html = ("<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><style>body{font-family:'Noto Sans',sans-serif;"
                "max-width:900px;margin:1rem auto;padding:0 1rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
                "padding:.3rem .5rem}</style></head><body>" + markdown.markdown(summary, extensions=["tables"]) + "</body></html>")
        (scratch / "summary.html").write_text(html, "utf-8")
        page = browser.new_page(viewport={"width": 1000, "height": 200})
        page.goto((scratch / "summary.html").as_uri())
        page.screenshot(path=str(MEDIA / "ket-qua-kiem-tra.png"), full_page=True)
        page.close()
    finally:
        next(fixture, None)  # stops decap-server


def _without_manuals(scratch: Path) -> None:
    """Make the tests' portal copies (conftest.copy_portal, used by the editor fixture too)
    come from a copy of this portal without the manuals: the screenshots show the sample
    content, and the manuals could not be built before the images they show exist."""
    import conftest

    source = conftest.copy_portal(scratch / "source")  # node_modules: a link to this portal's
    shutil.rmtree(source / "content/trang/huong-dan")
    (source / "content/trang/huong-dan.md").unlink()
    shutil.rmtree(source / "content/media/huong-dan", ignore_errors=True)
    conftest.REPO = source


def take_screenshots() -> list[Path]:
    from conftest import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    MEDIA.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="cchc-manuals-"))
    try:
        _without_manuals(scratch)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                _site_shots(browser, scratch / "site")
                _editor_shots(browser, scratch / "editor")
            finally:
                browser.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return sorted(MEDIA.glob("*.png"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["rules", "screenshots", "all"])
    what = parser.parse_args().what
    if what in ("rules", "all"):
        for page in write_rules():
            print(f"Đã cập nhật bảng quy tắc: {page.relative_to(ROOT)}")
    if what in ("screenshots", "all"):
        for shot in take_screenshots():
            print(f"{shot.relative_to(ROOT)}: {shot.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
