"""Screenshots of the contributor guide in README.md (docs/anh/): the editor form, the
editorial workflow and the gate's summary. Run by hand after the editor changes:
.venv/bin/python scripts/docs_screenshots.py"""
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import markdown
import test_editor as t
from cchc import check, report
from playwright.sync_api import sync_playwright

out = Path(__file__).resolve().parents[1] / "docs/anh"
gen = t.editor_site.__wrapped__(Path(tempfile.mkdtemp()))
repo, url = next(gen)
with sync_playwright() as p:
    b = p.chromium.launch(executable_path="/usr/bin/chromium", args=t.CHROMIUM_ARGS)
    page = b.new_page(viewport={"width": 1200, "height": 760})
    t._open(page, url, "tin-bai")
    page.get_by_label("Tiêu đề", exact=True).fill("Sở Nội vụ tập huấn cải cách hành chính cho cán bộ một cửa")
    t._choose(page, "Lĩnh vực", "Cải cách thủ tục hành chính")
    t._choose(page, "Đơn vị gửi tin", "Sở Nội vụ tỉnh Lào Cai")
    t._choose(page, "Tác giả", "Phòng Cải cách hành chính, Sở Nội vụ")
    page.get_by_label("Nguồn tin", exact=True).fill("Phòng Cải cách hành chính, Sở Nội vụ")
    page.screenshot(path=str(out / "1-bieu-mau.png"))
    page.locator("label", has_text=re.compile("^Tóm tắt")).first.click()
    page.keyboard.type("Lớp tập huấn về cải cách thủ tục hành chính cho cán bộ bộ phận một cửa.")
    t._choose(page, "Chuyên mục", "Hoạt động chỉ đạo, điều hành CCHC")
    t._type_body(page, "Sở Nội vụ tổ chức lớp tập huấn về cải cách thủ tục hành chính cho cán bộ bộ phận một cửa. " * 2)
    page.get_by_role("button", name="Lưu").click()
    time.sleep(3)
    page.goto(f"{url}/admin/#/workflow")
    time.sleep(2)
    page.screenshot(path=str(out / "2-quy-trinh-bien-tap.png"))
    b.close()
    # What the check workflow writes to the pull request's summary, rendered locally.
    git_branch = [x.strip() for x in t.git(repo, "branch", "--list", "cms/*").split()][0]
    t.git(repo, "checkout", "-q", git_branch)
    result = check.run(repo, base="main")
    summary = report.summary_markdown(result)
    html = "<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><style>body{font-family:'Noto Sans',sans-serif;max-width:900px;margin:1rem auto;padding:0 1rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .5rem}</style></head><body>" + markdown.markdown(summary, extensions=["tables"]) + "</body></html>"
    page_file = Path(tempfile.mkdtemp()) / "summary.html"
    page_file.write_text(html, "utf-8")
    b = p.chromium.launch(executable_path="/usr/bin/chromium", args=t.CHROMIUM_ARGS)
    page = b.new_page(viewport={"width": 1000, "height": 420})
    page.goto(page_file.as_uri())
    page.screenshot(path=str(out / "3-ket-qua-kiem-tra.png"))
    b.close()
try:
    next(gen)
except StopIteration:
    pass
print(summary)
