"""Reports from a real repository with dated commits and known content: exact numbers."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_portal, git, write

UNITS = """units:
  - {id: so-noi-vu, name: Sở Nội vụ, monthly_quota: 1}
  - {id: so-tai-chinh, name: Sở Tài chính, monthly_quota: 1}
  - {id: van-phong-ubnd-tinh, name: Văn phòng UBND tỉnh, monthly_quota: 1}
"""
CONTRIBUTORS = """contributors:
  - {id: tac-gia-a, name: Tác giả A, unit: so-noi-vu, status: active}
  - {id: tac-gia-b, name: Tác giả B, unit: so-tai-chinh, status: active}
"""
RATES = """decision: 05/QĐ-BBT
effective_from: 2024-01-01
split: equal
rates:
  - {type: article, amount: 300000}
  - {type: document, amount: 100000}
  - {type: question, amount: 200000}
"""
NEWS = "content/tin-bai/cai-cach-the-che/2024"


def news(title: str, unit: str, authors: str, extra: str = "") -> str:
    return (f"---\ntitle: {title}\ncategory: hoat-dong-chi-dao\nunit: {unit}\nauthors: [{authors}]\nsource: Văn phòng\n"
            f"classification: public\nsummary: {title}.\n{extra}---\n\n{title}: nội dung tin về cải cách hành chính.\n")


def publish(repo: Path, path: str, text: str, when: str, message: str = "Đăng") -> None:
    write(repo / path, text)
    git(repo, "add", "-A", when=when)
    git(repo, "commit", "-qm", message, when=when)


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    repo = copy_portal(tmp_path_factory.mktemp("reports") / "portal", with_content=False)
    write(repo / "content/data/units.yml", UNITS)
    write(repo / "content/data/contributors.yml", CONTRIBUTORS)
    write(repo / "content/data/rates.yml", RATES)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A", when="2024-01-01T08:00:00+07:00")
    git(repo, "commit", "-qm", "Khởi tạo", when="2024-01-01T08:00:00+07:00")
    publish(repo, f"{NEWS}/tin-da-go.md", news("Tin đã gỡ", "so-tai-chinh", "tac-gia-b"), "2024-03-15T09:00:00+07:00")
    publish(repo, f"{NEWS}/tin-cuoi-thang.md", news("Tin cuối tháng", "so-noi-vu", "tac-gia-a"), "2024-03-31T16:30:00Z")  # 23:30 local, 31/3
    publish(repo, f"{NEWS}/tin-dau-thang.md", news("Tin đầu tháng", "so-tai-chinh", "tac-gia-b"), "2024-03-31T17:30:00Z")  # 00:30 local, 1/4
    publish(repo, "content/van-ban/cai-cach-the-che/2024/qd-12.md",
            "---\ntitle: Quyết định số 12\nnumber: 12/QĐ-UBND\ndoc_type: Quyết định\nissuer: UBND tỉnh Lào Cai\nissued_date: 2024-04-01\n"
            "unit: so-tai-chinh\nauthors: [tac-gia-b]\nsource: UBND tỉnh\nclassification: public\nsummary: Quyết định số 12.\n---\n\nNội dung.\n",
            "2024-04-02T10:00:00+07:00")
    git(repo, "checkout", "-q", "-b", "gui-tin")
    publish(repo, f"{NEWS}/tin-hai-tac-gia.md", news("Tin hai tác giả", "so-noi-vu", "tac-gia-a, tac-gia-b"), "2024-04-03T09:00:00+07:00")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "--no-ff", "-q", "gui-tin", "-m", "Hợp nhất\n\nApproved-by: Giám đốc <gd@laocai.gov.vn>", when="2024-04-05T09:00:00+07:00")
    publish(repo, "content/hoi-dap/cai-cach-the-che/2024/hoi.md",
            "---\ntitle: Hỏi về thủ tục\nunit: so-noi-vu\nauthors: [tac-gia-a]\nsource: Hộp thư\nclassification: public\nsummary: Hỏi.\n"
            "question: Thủ tục thế nào?\nasked_date: 2024-04-01\nasker: Ẩn danh\nforwarded_to: Sở Nội vụ\nanswered_by: Sở Nội vụ\n"
            "answered_date: 2024-04-05\n---\n\nTrả lời.\n", "2024-04-06T08:00:00+07:00")
    publish(repo, f"{NEWS}/tin-muon.md", news("Tin muộn", "so-noi-vu", "tac-gia-a", "event_date: 2024-04-10 08:00\n"), "2024-04-11T14:00:00+07:00")
    withdrawn = news("Tin đã gỡ", "so-tai-chinh", "tac-gia-b", "change_note: Gỡ bỏ theo 09/QĐ-BCĐ\nwithdrawn:\n  decision: 09/QĐ-BCĐ\n  date: 2024-05-02\n  reason: Thông tin đã thay đổi\n")
    publish(repo, f"{NEWS}/tin-da-go.md", withdrawn, "2024-05-02T10:00:00+07:00")
    return repo


def report(repo: Path, *args: str, fmt: str = "json"):
    env = dict(os.environ, CCHC_NOW="2024-06-30 12:00")
    result = subprocess.run([sys.executable, "-m", "cchc", "report", *args, "--format", fmt, "--repo", str(repo)], capture_output=True, env=env)
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout) if fmt == "json" else result.stdout


def test_quota_per_unit_and_month_in_local_time_with_a_zero_unit_first(repo):
    data = report(repo, "quota", "--year", "2024")
    rows = {u["unit"]: u for u in data["units"]}
    assert [u["unit"] for u in data["units"]] == ["van-phong-ubnd-tinh", "so-noi-vu", "so-tai-chinh"]
    assert rows["van-phong-ubnd-tinh"]["total"] == 0 and rows["van-phong-ubnd-tinh"]["months_below"] == 6
    # 23:30 on 31/3 counts in March; the answer to a question (Điều 6.2.c) is not in the quota
    assert (rows["so-noi-vu"]["3"], rows["so-noi-vu"]["4"], rows["so-noi-vu"]["total"]) == (1, 2, 3)
    assert (rows["so-tai-chinh"]["3"], rows["so-tai-chinh"]["4"], rows["so-tai-chinh"]["total"]) == (1, 2, 3)  # 00:30 on 1/4 is April; a document counts (Khoản 1.a)
    assert rows["so-noi-vu"]["months_below"] == 4  # January, February, May, June
    month = report(repo, "quota", "--year", "2024", "--month", "3")
    assert {u["unit"]: u["3"] for u in month["units"]} == {"van-phong-ubnd-tinh": 0, "so-noi-vu": 1, "so-tai-chinh": 1}


def test_royalties_split_between_two_authors_and_withdrawn_counted(repo):
    data = report(repo, "royalties", "--from", "2024-03-01", "--to", "2024-04-30")
    assert {t["author"]: (t["items"], t["amount"]) for t in data["totals"]} == {"tac-gia-a": (4, 950000), "tac-gia-b": (4, 850000)}
    assert data["grand_total"] == 1800000
    shared = [i for i in data["items"] if i["title"] == "Tin hai tác giả"]
    assert sorted((i["author"], i["amount"]) for i in shared) == [("tac-gia-a", 150000), ("tac-gia-b", 150000)]
    assert [i["note"] for i in data["items"] if i["title"] == "Tin đã gỡ"] == ["đã gỡ"]
    april = report(repo, "royalties", "--from", "2024-04-01", "--to", "2024-04-30")
    assert "Tin cuối tháng" not in [i["title"] for i in april["items"]] and "Tin đầu tháng" in [i["title"] for i in april["items"]]


def test_timeliness_lists_the_item_late_by_30_hours(repo):
    data = report(repo, "timeliness", "--from", "2024-04-01", "--to", "2024-04-30")
    units = {u["unit"]: u for u in data["units"]}
    assert (units["so-noi-vu"]["news"], units["so-noi-vu"]["news_on_time"], units["so-noi-vu"]["news_on_time_pct"]) == (1, 0, 0.0)
    assert (units["so-tai-chinh"]["documents"], units["so-tai-chinh"]["documents_on_time_pct"]) == (1, 100.0)
    assert units["van-phong-ubnd-tinh"]["news"] == 0 and units["van-phong-ubnd-tinh"]["news_on_time_pct"] is None
    (late,) = data["late"]
    assert (late["title"], late["hours"], late["limit_hours"]) == ("Tin muộn", 30, 24)


def test_annual_report_numbers(repo):
    data = report(repo, "annual", "--year", "2024")
    assert data["total"] == 7
    assert (data["by_month"]["3"], data["by_month"]["4"], data["by_month"]["5"]) == (2, 5, 0)
    assert data["by_unit"] == {"so-noi-vu": 4, "so-tai-chinh": 3}
    assert data["submission_to_publication_hours"] == {"count": 7, "median": 0.0, "p90": 48.0}
    assert [(w["decision"], w["date"]) for w in data["withdrawals"]] == [("09/QĐ-BCĐ", "2024-05-02")]
    assert (data["questions_answered"], data["answer_days_median"]) == (1, 4)


def test_annual_report_as_html_with_charts_and_markdown(repo, tmp_path):
    html = report(repo, "annual", "--year", "2024", fmt="html").decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="vi">' in html
    assert html.count("<svg") == 2 and "<desc" in html and "Tháng 4: 5" in html
    assert "<script" not in html and "http" not in html.split("<body>")[1]  # self-contained
    markdown = report(repo, "annual", "--year", "2024", fmt="md").decode("utf-8")
    assert markdown.startswith("# Báo cáo năm 2024") and "| Tháng 4 | 5 |" in markdown


def test_csv_opens_in_excel_and_table_fits_100_columns(repo):
    data = report(repo, "royalties", "--from", "2024-03-01", "--to", "2024-04-30", fmt="csv")
    assert data.startswith("\ufeff".encode("utf-8"))
    assert "Tin hai tác giả" in data.decode("utf-8-sig")
    for args in (("quota", "--year", "2024"), ("royalties", "--from", "2024-03-01", "--to", "2024-04-30"), ("timeliness", "--from", "2024-04-01", "--to", "2024-04-30")):
        table = report(repo, *args, fmt="table").decode("utf-8")
        assert max(len(line) for line in table.splitlines()) <= 100


def test_vietnamese_numbers_in_html(repo, tmp_path):
    from cchc.filters import vietnamese_number
    from cchc.report_render import as_html
    from cchc.reports import Report, Section

    assert vietnamese_number(1234567) == "1.234.567" and vietnamese_number(12.5) == "12,5"
    html = as_html(Report("Nhuận bút", [Section("Tổng", ["Tác giả", "Tổng (đồng)"], [["A", 1234567]])]))
    assert "<td>1.234.567 đ</td>" in html


def test_public_statistics_page(repo):
    env = dict(os.environ, CCHC_NOW="2024-06-30 12:00")
    result = subprocess.run([sys.executable, "-m", "cchc", "build", "--repo", str(repo)], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    html = (repo / "output/thong-ke/index.html").read_text("utf-8")
    assert "Thống kê tin, bài năm 2024" in html
    row = html.split('<th scope="row">Sở Nội vụ</th>')[1].split("</tr>")[0]
    # months counted for the quota, their total, then news, documents and the rest (a question) apart
    assert row == ('<td class="zero">0</td><td class="zero">0</td><td>1</td><td>2</td><td class="zero">0</td><td class="zero">0</td><td>3</td>'
                   '<td>3</td><td>0</td><td>1</td>')
    finance = html.split('<th scope="row">Sở Tài chính</th>')[1].split("</tr>")[0]
    assert finance.endswith("<td>3</td><td>2</td><td>1</td><td>0</td>")  # its document counts, but is shown as a document
    assert "<desc id=\"bieu-do-don-vi-mo-ta\">Văn phòng UBND tỉnh: 0 (0,0%); Sở Nội vụ: 3 (60,0%); Sở Tài chính: 2 (40,0%)</desc>" in html
    assert "Dự thảo lấy ý kiến, khảo sát (Điều 7) và trả lời hỏi đáp (Điều 6.2.c) không tính" in html
