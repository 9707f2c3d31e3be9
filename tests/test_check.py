"""The gate: every rule refuses what it should (rule, line, column) and lets a near miss pass."""

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from cchc import check
from conftest import REPO, article, cchc, copy_portal, git, write

FIELD_DIR = "content/tin-bai/cai-cach-the-che/2024"
LONG_BODY = " ".join(["Đoàn công tác của Ban Chỉ đạo cải cách hành chính tỉnh đã làm việc với Sở Nội vụ về kết quả cải cách thủ tục hành chính."] * 5)


def news(body: str = "", **front) -> str:
    """A valid article; `front` replaces or adds front matter lines, `body` is appended."""
    text = article() + LONG_BODY + "\n"
    for key, value in front.items():
        lines = [line for line in text.split("\n") if not line.startswith(f"{key}:")]
        closing = lines.index("---", 1)
        if value is not None:
            lines.insert(closing, f"{key}: {value}")
        text = "\n".join(lines)
    return text + body


@pytest.fixture
def portal(tmp_path):
    return copy_portal(tmp_path / "portal", with_content=False)


def findings_for(portal: Path, text: str | bytes, name: str = "tin.md", folder: str = FIELD_DIR):
    target = write(portal / folder / name, text)
    return check.run(portal, [target]).findings


def rules_at(found) -> list[tuple[str, int, int]]:
    return [(f.rule, f.line, f.column) for f in found]


def body_line(text: str, needle: str) -> int:
    return text.split("\n").index(needle) + 1


def test_a_valid_article_is_accepted(portal):
    assert findings_for(portal, news()) == []


def test_sample_content_passes_the_gate():
    report = check.run(REPO)
    assert [f.text() for f in report.findings if f.severity == "error"] == []
    assert len(report.checked) >= 20


# --- schema and scope -------------------------------------------------------

def test_schema_bad_yaml_points_at_its_line(portal):
    found = findings_for(portal, news(source="Sở: Nội vụ"))
    assert [(f.rule, f.line) for f in found if f.severity == "error"] == [("schema", 9)]
    assert [f.severity for f in found].count("notice") == 1  # the rules that could not run are said once


def test_schema_near_miss_quoted_colon_passes(portal):
    assert findings_for(portal, news(source='"Sở Nội vụ: Văn phòng"')) == []


def test_scope_unknown_unit_category_and_folder(portal):
    text = news(unit="so-khong-co")
    found = findings_for(portal, text)
    assert rules_at(found) == [("scope", body_line(text, "unit: so-khong-co"), 1)] and "so-khong-co" in found[0].message
    text = news(category="tin-vui")
    found = findings_for(portal, text)
    assert rules_at(found) == [("scope", body_line(text, "category: tin-vui"), 1)] and "hoat-dong-chi-dao" in found[0].message
    found = findings_for(portal, news(), folder="content/tin-bai/linh-vuc-la/2024")
    # The misplaced file is still read: it copies the tin.md written above, and says so in the same run.
    assert [r for r in rules_at(found) if r[0] != "duplicate"] == [("scope", 1, 1)] and "duplicate" in {f.rule for f in found}


# --- secret and not-public --------------------------------------------------

@pytest.mark.parametrize("stamp", ["MẬT", "# TỐI MẬT", "**Tuyệt mật**", "Tài liệu thu hồi", "CHỈ NGƯỜI CÓ TÊN MỚI ĐƯỢC BÓC BÌ"])
def test_secret_stamp_on_its_own_line(portal, stamp):
    text = news("\n" + stamp + "\n")
    found = findings_for(portal, text)
    assert [f.rule for f in found] == ["secret"]
    assert found[0].line == body_line(text, stamp)


@pytest.mark.parametrize("stamp, column", [("LƯU HÀNH NỘI BỘ", 1), ("## Lưu hành nội bộ", 4), ("LUU HANH NOI BO", 1), ("Xem xong trả lại", 1)])
def test_not_public_stamps_in_any_spelling(portal, stamp, column):
    text = news("\n" + stamp + "\n")
    assert rules_at(findings_for(portal, text)) == [("not-public", body_line(text, stamp), column)]


def test_stamp_in_decomposed_unicode_is_still_a_stamp(portal):
    stamp = unicodedata.normalize("NFD", "TỐI MẬT")
    found = findings_for(portal, news("\n" + stamp + "\n"))
    assert "secret" in [f.rule for f in found]


@pytest.mark.parametrize("line", ["Luật Bảo vệ bí mật nhà nước năm 2018 quy định rõ trách nhiệm.", "Người dùng cần đổi mật khẩu định kỳ.", "MẶT TRẬN", "Mặt"])
def test_talking_about_secrets_passes(portal, line):
    assert findings_for(portal, news("\n" + line + "\n")) == []


def test_classification_not_public(portal):
    text = news(classification="secret")
    assert rules_at(findings_for(portal, text)) == [("secret", body_line(text, "classification: secret"), 1)]
    text = news(classification="internal")
    assert rules_at(findings_for(portal, text)) == [("not-public", body_line(text, "classification: internal"), 1)]


def test_stamp_in_attachment_file_name(portal):
    write(portal / "content/media/2024/bao-cao-toi-mat.pdf", b"%PDF-1.4")
    write(portal / "content/media/2024/mat-tran-to-quoc.pdf", b"%PDF-1.4")
    text = news(attachments="\n  - file: media/2024/bao-cao-toi-mat.pdf\n    title: Báo cáo")
    assert [f.rule for f in findings_for(portal, text)] == ["secret"]
    text = news(attachments="\n  - file: media/2024/mat-tran-to-quoc.pdf\n    title: Mặt trận")
    assert findings_for(portal, text) == []


def test_embargo_is_a_notice_and_the_item_is_accepted(portal):
    target = write(portal / FIELD_DIR / "tin.md", news(publish_after="2099-01-01"))
    report = check.run(portal, [target])
    assert report.accepted and [(f.rule, f.severity) for f in report.findings] == [("not-public", "notice")]


# --- source, reverify ---------------------------------------------------------

@pytest.mark.parametrize("value", ["st", "Internet", "không rõ", "Sưu tầm"])
def test_source_placeholder_is_refused(portal, value):
    text = news(source=value)
    assert rules_at(findings_for(portal, text)) == [("source", body_line(text, f"source: {value}"), 1)]


def test_source_near_miss_passes(portal):
    assert findings_for(portal, news(source="Cổng Thông tin điện tử Chính phủ")) == []


def test_document_without_number_is_refused_on_source(portal):
    text = (REPO / "content/van-ban/cai-cach-the-che/2021/nghi-quyet-76-nq-cp.md").read_text("utf-8")
    found = findings_for(portal, text.replace("number: 76/NQ-CP\n", ""), "vb.md", "content/van-ban/cai-cach-the-che/2021")
    # (the other rules run too: its link to Quyết định 399, absent from this empty portal, is a quality finding)
    assert [(f.rule, "“number”" in f.message) for f in found if f.rule != "quality"] == [("source", True)]


def test_reverify(portal):
    text = news(verification="reverify-requested")
    assert rules_at(findings_for(portal, text)) == [("reverify", body_line(text, "verification: reverify-requested"), 1)]
    assert findings_for(portal, news(verification="verified")) == []


# --- quality ------------------------------------------------------------------

def test_quality_short_body_no_summary_caps_title(portal):
    text = article("HỘI NGHỊ CẢI CÁCH HÀNH CHÍNH").replace("summary: Tóm tắt tin.\n", "")
    found = findings_for(portal, text)
    messages = {f.message.split(":")[0] for f in found if f.rule == "quality"}
    assert {"nội dung quá ngắn", "thiếu tóm tắt (summary)", "tiêu đề viết hoa toàn bộ; chỉ viết hoa chữ đầu và tên riêng"} <= messages
    assert [f.rule for f in found] == ["quality"] * 3


def test_quality_images_files_and_links(portal):
    write(portal / "content/media/2024/anh.png", b"\x89PNG")
    write(portal / "content/media/2024/cai-dat.exe", b"MZ")
    write(portal / "content/media/2024/lon.pdf", b"0" * (21 * 2**20))
    lines = ["![](/media/2024/anh.png)", '<img src="/media/2024/anh.png">', "[tệp](/media/2024/khong-co.pdf)",
             "[cài](/media/2024/cai-dat.exe)", "[lớn]({static}/media/2024/lon.pdf)", "[trang]({filename}/van-ban/khong/2024/khong-co.md)",
             "[văn bản](/van-ban/2024/khong-co/)", "[tương đối](media/2024/anh.png)"]
    text = news("\n" + "\n\n".join(lines) + "\n")
    found = findings_for(portal, text)
    assert all(f.rule == "quality" for f in found)
    assert {(f.line, f.column) for f in found} == {(body_line(text, line), 1) for line in lines}
    assert any("14" not in f.message and "20 MiB" in f.message for f in found)
    ok = news("\n![Ảnh hội nghị](/media/2024/anh.png)\n\n[Giới thiệu](/gioi-thieu/)\n")
    write(portal / "content/trang/gioi-thieu.md", (REPO / "content/trang/gioi-thieu.md").read_text("utf-8"))
    assert findings_for(portal, ok) == []


def test_quality_text_not_in_nfc(portal):
    text = news()
    lines = text.split("\n")
    lines[-2] = unicodedata.normalize("NFD", lines[-2])
    found = findings_for(portal, "\n".join(lines))
    assert rules_at(found) == [("quality", len(lines) - 1, 1)]


# --- unsafe HTML, personal data -----------------------------------------------

@pytest.mark.parametrize("snippet, column", [
    ("<script>alert(1)</script>", 1), ("Xem <iframe src='https://x.vn'></iframe>", 5), ('<p onclick="x()">bấm</p>', 4),
    ("[bấm](javascript:alert(1))", 7), ('<a href=" JaVaScRiPt:alert(1)">a</a>', 11), ("[ảnh](data:text/html;base64,PHN)", 7),
    ("<style>body{display:none}</style>", 1), ("<form action='/x'></form>", 1), ("<object data='x.swf'></object>", 1),
])
def test_unsafe_html(portal, snippet, column):
    text = news("\n" + snippet + "\n")
    found = findings_for(portal, text)
    assert rules_at(found) == [("unsafe-html", body_line(text, snippet), column)]


def test_safe_html_and_talk_about_javascript_pass(portal):
    text = news("\nJavaScript là ngôn ngữ lập trình; <strong>chú ý</strong> và [Cổng Chính phủ](https://chinhphu.vn).\n")
    assert findings_for(portal, text) == []


@pytest.mark.parametrize("snippet", ["Số CCCD 001203004567.", "CMND số 123456789", "Gọi 0912 345 678.", "ĐT: 0912.345.678", "+84 386 123 456", "Thư: nguyenvana@gmail.com"])
def test_personal_data_in_body(portal, snippet):
    text = news("\n" + snippet + "\n")
    found = findings_for(portal, text)
    assert [f.rule for f in found] == ["personal-data"] and found[0].line == body_line(text, snippet)


def test_personal_data_of_the_asker_in_a_question(portal):
    text = f"""---
title: Hỏi về thủ tục cấp đổi giấy phép lái xe
unit: so-noi-vu
authors: [phong-cchc-snv]
source: Hộp thư góp ý của Cổng
classification: public
summary: Người dân hỏi về thủ tục cấp đổi giấy phép lái xe.
question: Tôi ở tổ 5, số điện thoại 0987654321, xin hỏi thủ tục cấp đổi giấy phép lái xe?
asked_date: 2024-05-02
asker: Ẩn danh
forwarded_to: Sở Giao thông vận tải
---

{LONG_BODY}
"""
    found = findings_for(portal, text, "hoi.md", "content/hoi-dap/cai-cach-thu-tuc-hanh-chinh/2024")
    assert rules_at(found) == [("personal-data", 8, 1)]


def test_official_contacts_pass(portal):
    text = news("\nLiên hệ: 02143.845.455, phongcchc-snv@laocai.gov.vn, vanphong@moha.gov.vn; Quyết định số 399/QĐ-BCĐ; mã hồ sơ 000.00.00.H37-240304-0001.\n")
    assert findings_for(portal, text) == []


# --- account ------------------------------------------------------------------

def _contributors(portal: Path):
    write(portal / "content/data/contributors.yml", """contributors:
  - id: phong-cchc-snv
    name: Phòng Cải cách hành chính, Sở Nội vụ
    unit: so-noi-vu
    status: active
    git: {username: cchc-snv, email: cchc@laocai.gov.vn}
  - id: nguoi-cu
    name: Cộng tác viên đã nghỉ
    unit: so-noi-vu
    status: revoked
    revoked_date: 2024-01-01
    revoked_reason: Chấm dứt cộng tác
    git: {username: nguoi-cu, email: nguoicu@laocai.gov.vn}
""")


def test_account_authors_must_be_active(portal):
    _contributors(portal)
    text = news(authors="[phong-cchc-snv, nguoi-cu, ai-do]")
    found = findings_for(portal, text)
    line = body_line(text, "authors: [phong-cchc-snv, nguoi-cu, ai-do]")
    assert rules_at(found) == [("account", line, 27), ("account", line, 37)]
    assert "thu hồi" in found[0].message and "không có" in found[1].message


# --- with --base: real branches -------------------------------------------------

@pytest.fixture
def published(tmp_path):
    """A portal repository with the sample content published on main and a branch 'gui-tin'."""
    repo = copy_portal(tmp_path / "portal")
    _contributors(repo)
    write(repo / f"{FIELD_DIR}/hoi-nghi.md", news())
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Đăng nội dung mẫu")
    git(repo, "checkout", "-q", "-b", "gui-tin")
    return repo


def commit_all(repo: Path, message: str = "Gửi tin", **kwargs) -> None:
    git(repo, "add", "-A", **kwargs)
    git(repo, "commit", "-qm", message, **kwargs)


def run_base(repo: Path, *extra: str):
    result = cchc("check", "--base", "main", "--repo", str(repo), "--format", "json", *extra)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def test_base_accepts_a_clean_new_item(published):
    write(published / f"{FIELD_DIR}/tin-moi.md", news().replace("Hội nghị cải cách hành chính", "Tập huấn chuyển đổi số").replace(LONG_BODY, " ".join(["Lớp tập huấn về chuyển đổi số cho cán bộ một cửa cấp xã được tổ chức tại Lào Cai."] * 8)))
    commit_all(published)
    code, out = run_base(published)
    assert (code, out) == (0, {"accepted": True, "findings": []})


def test_base_duplicates_name_the_published_file(published):
    write(published / "content/van-ban/cai-cach-the-che/2024/trung-so.md",
          (published / "content/van-ban/chinh-phu-dien-tu-chinh-phu-so/2024/quyet-dinh-399-qd-bcd.md").read_text("utf-8")
          .replace("number: 399/QĐ-BCĐ", "number: 399 / qd-bcd").replace("title: Quyết định ban hành", "title: QUYẾT ĐỊNH BAN HÀNH"))
    write(published / f"{FIELD_DIR}/chep-lai.md", news().replace("Hội nghị cải cách hành chính", "Tin chép lại") + "Thêm một câu.")
    commit_all(published)
    code, out = run_base(published)
    assert code == 1
    by_rule = [(f["path"].rsplit("/", 1)[-1], f["rule"], f["message"]) for f in out["findings"]]
    original = "content/van-ban/chinh-phu-dien-tu-chinh-phu-so/2024/quyet-dinh-399-qd-bcd.md"
    assert ("trung-so.md", "duplicate", f"số ký hiệu “399 / qd-bcd” trùng với văn bản đã đăng {original}") in by_rule
    assert any(name == "trung-so.md" and "tiêu đề trùng" in message and original in message for name, _, message in by_rule)
    assert any(name == "chep-lai.md" and rule == "duplicate" and f"{FIELD_DIR}/hoi-nghi.md" in message for name, rule, message in by_rule)


def test_base_edit_of_the_same_file_is_not_its_own_duplicate_but_needs_a_change_note(published):
    target = published / f"{FIELD_DIR}/hoi-nghi.md"
    target.write_text(target.read_text("utf-8") + "\nBổ sung số liệu.\n", "utf-8")
    commit_all(published)
    code, out = run_base(published)
    assert code == 1 and [(f["rule"], f["line"]) for f in out["findings"]] == [("archive", 1)]
    target.write_text(news(change_note="Bổ sung số liệu") + "\nBổ sung số liệu.\n", "utf-8")
    commit_all(published)
    assert run_base(published) == (0, {"accepted": True, "findings": []})


def test_base_deletion_and_url_changing_rename_are_refused(published):
    git(published, "rm", "-q", "content/van-ban/cai-cach-the-che/2021/nghi-quyet-76-nq-cp.md")
    git(published, "mv", f"{FIELD_DIR}/hoi-nghi.md", f"{FIELD_DIR}/hoi-nghi-moi.md")
    commit_all(published)
    code, out = run_base(published)
    assert code == 1
    assert {(f["path"], f["rule"]) for f in out["findings"]} == {
        ("content/van-ban/cai-cach-the-che/2021/nghi-quyet-76-nq-cp.md", "archive"), (f"{FIELD_DIR}/hoi-nghi-moi.md", "archive")}


def test_base_rename_to_another_field_keeps_the_address_and_is_accepted(published):
    new_path = published / "content/tin-bai/cai-cach-che-do-cong-vu/2024/hoi-nghi.md"
    new_path.parent.mkdir(parents=True)
    git(published, "mv", f"{FIELD_DIR}/hoi-nghi.md", "content/tin-bai/cai-cach-che-do-cong-vu/2024/hoi-nghi.md")
    new_path.write_text(news(change_note="Chuyển sang lĩnh vực cải cách chế độ công vụ"), "utf-8")
    commit_all(published)
    assert run_base(published) == (0, {"accepted": True, "findings": []})


def test_base_commit_by_a_revoked_or_unknown_account_is_refused(published):
    write(published / f"{FIELD_DIR}/tin-moi.md", news().replace("Hội nghị cải cách hành chính", "Tin mới").replace(LONG_BODY, LONG_BODY.replace("Sở Nội vụ", "Văn phòng UBND tỉnh")))
    commit_all(published, email="nguoicu@laocai.gov.vn")
    write(published / f"{FIELD_DIR}/tin-khac.md", news().replace("Hội nghị cải cách hành chính", "Tin khác").replace(LONG_BODY, LONG_BODY.replace("Sở Nội vụ", "Sở Tài chính")))
    commit_all(published, email="la@example.com")
    code, out = run_base(published)
    assert code == 1
    messages = [f["message"] for f in out["findings"] if f["rule"] == "account"]
    assert len(messages) == 2
    assert any("nguoicu@laocai.gov.vn" in m and "thu hồi" in m for m in messages)
    assert any("la@example.com" in m for m in messages)


def test_base_timeliness_warning_with_hours(published):
    late = news(date="2024-05-11 14:00", event_date="2024-05-10 08:00").replace("Hội nghị cải cách hành chính", "Tin muộn").replace(LONG_BODY, LONG_BODY.replace("Sở Nội vụ", "Sở Y tế"))
    write(published / f"{FIELD_DIR}/tin-muon.md", late)
    commit_all(published)
    code, out = run_base(published)
    assert code == 0 and out["accepted"] is True
    (finding,) = out["findings"]
    assert (finding["rule"], finding["severity"], finding["line"]) == ("timeliness", "warning", body_line(late, "event_date: 2024-05-10 08:00"))
    assert "30 giờ" in finding["message"] and "24 giờ" in finding["message"]


# --- output formats and exit codes ---------------------------------------------

def test_text_format_and_exit_code(portal):
    target = write(portal / FIELD_DIR / "tin.md", news(source="st"))
    result = cchc("check", str(target), "--repo", str(portal))
    assert result.returncode == 1
    assert result.stdout.startswith(f"{FIELD_DIR}/tin.md:9:1: lỗi [source] ")
    assert "KHÔNG ĐẠT" in result.stdout


def test_github_format_annotations_and_step_summary(portal, tmp_path):
    target = write(portal / FIELD_DIR / "tin.md", news(source="st", event_date="2024-05-01"))
    summary = tmp_path / "summary.md"
    env = dict(os.environ, GITHUB_STEP_SUMMARY=str(summary))
    result = subprocess.run([sys.executable, "-m", "cchc", "check", str(target), "--repo", str(portal), "--format", "github"], capture_output=True, text=True, env=env)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith(f"::error file={FIELD_DIR}/tin.md,line=9,col=1,title=[source] không rõ nguồn gốc::nguồn tin “st”") for line in lines)
    assert any(line.startswith("::warning file=") and "[timeliness]" in line for line in lines)
    text = summary.read_text("utf-8")
    assert "Chưa đạt" in text and "| `source` |" in text


def test_usage_error_exits_2(portal):
    assert cchc("check", "khong-co.md", "--repo", str(portal)).returncode == 2
    assert cchc("check", "--base", "khong-co-nhanh", "--repo", str(portal)).returncode == 2


def test_rules_command_lists_every_rule():
    result = cchc("rules", "--format", "json")
    rules = json.loads(result.stdout)
    assert [r["id"] for r in rules] == ["schema", "scope", "secret", "not-public", "source", "duplicate", "reverify", "quality",
                                        "unsafe-html", "personal-data", "account", "archive", "timeliness", "law", "confirm"]
    assert all(r["ground"] and r["article"] and r["severity"] in ("error", "warning") for r in rules)
    assert {r["id"]: r["severity"] for r in rules}["timeliness"] == "warning"


def test_whole_tree_finds_near_copies_among_many_items(portal):
    rng_words = "một cửa liên thông chuyển đổi số dịch vụ công trực tuyến hài lòng cán bộ công chức kết quả kế hoạch".split()
    for number in range(60):  # enough items that the gate builds the anchor index
        words = [rng_words[(number * 7 + i * (number % 5 + 1)) % len(rng_words)] for i in range(120)]
        write(portal / f"{FIELD_DIR}/muc-{number}.md", news().replace("Hội nghị cải cách hành chính", f"Tin số {number}").replace(LONG_BODY, " ".join(words) + f" mã {number}."))
    original = (portal / f"{FIELD_DIR}/muc-7.md").read_text("utf-8")
    write(portal / f"{FIELD_DIR}/ban-sao.md", original.replace("Tin số 7", "Bản sao tin số 7").replace(" mã 7.", " mã 7 bổ sung."))
    report = check.run(portal)
    duplicates = sorted((f.path.rsplit("/", 1)[-1], f.message.rsplit("/", 1)[-1]) for f in report.findings if f.rule == "duplicate")
    assert duplicates == [("ban-sao.md", "muc-7.md"), ("muc-7.md", "ban-sao.md")]
