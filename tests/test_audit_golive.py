"""`cchc audit` judges main's history by today's rules from the go-live point the
repository records (content/data/audit.yml), whatever configuration old commits held."""

import pytest
from conftest import article, cchc, copy_portal, git, write

FIELD_DIR = "content/tin-bai/cai-cach-the-che/2024"
BODY = " ".join(["Đoàn công tác của Ban Chỉ đạo cải cách hành chính tỉnh đã làm việc với Sở Nội vụ về kết quả cải cách thủ tục hành chính."] * 5)


@pytest.fixture
def history(tmp_path):
    """main: C0 today's portal; C1 an older configuration (pelicanconf with QUALITY, a schema
    missing) with an item sent straight to main; C2 the configuration brought up to date."""
    repo = copy_portal(tmp_path / "portal", with_content=False)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Khởi tạo", when="2024-04-01T08:00:00+07:00")
    start = git(repo, "rev-parse", "HEAD").strip()
    settings, schema = repo / "pelicanconf.py", repo / "schemas/legal-sources.schema.json"
    current_settings, current_schema = settings.read_text("utf-8"), schema.read_text("utf-8")
    settings.write_text(current_settings + "\nQUALITY = {'min_words': 10}\n", "utf-8")
    schema.unlink()
    write(repo / FIELD_DIR / "cu.md", article() + BODY + "\n\nTỐI MẬT\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Thử nghiệm trước khi vận hành", when="2024-04-10T08:00:00+07:00")
    old = git(repo, "rev-parse", "HEAD").strip()
    settings.write_text(current_settings, "utf-8")
    schema.write_text(current_schema, "utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Cập nhật cấu hình", when="2024-04-20T08:00:00+07:00")
    return repo, start, old, git(repo, "rev-parse", "HEAD").strip()


def test_old_commits_are_judged_by_todays_rules_without_a_traceback(history):
    repo, start, old, _ = history
    result = cchc("audit", "--since", start, "--repo", str(repo))
    assert "Traceback" not in result.stderr and result.returncode == 1, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith(f"commit {old[:10]}")]
    assert any("đưa thẳng vào main" in line for line in lines)
    assert any("[secret]" in line for line in lines)  # the content of then, by the catalogue of now


def test_without_a_go_live_point_the_audit_says_how_to_record_one(history):
    repo, *_ = history
    result = cchc("audit", "--repo", str(repo))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "chưa có mốc bắt đầu kiểm toán" in result.stderr and "content/data/audit.yml" in result.stderr
    assert "after_commit" in result.stderr and "from_date" in result.stderr and "--since" in result.stderr


def test_the_recorded_go_live_commit_is_where_the_audit_starts(history):
    repo, start, old, current = history
    write(repo / "content/data/audit.yml", f"after_commit: {current}\ndecision: Biên bản họp Ban Biên tập (thử nghiệm)\nrecorded_by: truong-ban\n")
    result = cchc("audit", "--repo", str(repo))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"sau commit {current[:10]}" in result.stderr and "Biên bản họp Ban Biên tập" in result.stderr
    write(repo / FIELD_DIR / "moi.md", article(title="Tin đưa thẳng sau vận hành").replace("Hội nghị", "Buổi") + BODY.replace("Sở Nội vụ", "Sở Y tế") + "\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Đưa thẳng", when="2024-05-02T08:00:00+07:00")
    result = cchc("audit", "--repo", str(repo))
    assert result.returncode == 1 and "“Đưa thẳng”" in result.stdout and old[:10] not in result.stdout
    write(repo / "content/data/audit.yml", "from_date: 2024-04-05\ndecision: Biên bản họp Ban Biên tập (thử nghiệm)\nrecorded_by: truong-ban\n")
    result = cchc("audit", "--repo", str(repo))  # from a day: the test commit of 10/4 is judged again
    assert result.returncode == 1 and f"commit {old[:10]}" in result.stdout and "từ ngày 2024-04-05" in result.stderr


@pytest.mark.parametrize("text, words", [
    ("decision: Quyết định\nrecorded_by: truong-ban\n", "ghi đúng một mốc"),
    ("after_commit: abc\nfrom_date: 2024-01-01\ndecision: Quyết định\nrecorded_by: truong-ban\n", "ghi đúng một mốc"),
    ('after_commit: "1234567890abcdef1234567890abcdef12345678"\ndecision: Quyết định\nrecorded_by: truong-ban\n', "không có commit"),
    ("after_commit: 1234567890123456789012345678901234567890\ndecision: Quyết định\nrecorded_by: truong-ban\n", "dấu nháy kép"),
    ("from_date: 01/04/2024\ndecision: Quyết định\nrecorded_by: truong-ban\n", "sửa thành “2024-04-01”"),
])
def test_a_malformed_go_live_point_is_said_in_vietnamese_and_checkable_by_path(history, text, words):
    repo, *_ = history
    write(repo / "content/data/audit.yml", text)
    result = cchc("audit", "--repo", str(repo))
    assert result.returncode == 2 and words in result.stderr and "Traceback" not in result.stderr, result.stderr
    if words != "không có commit":
        checked = cchc("check", "content/data/audit.yml", cwd=repo)
        assert checked.returncode == 1 and words in checked.stdout


def test_the_whole_tree_check_includes_the_go_live_point(history):
    repo, *_ = history
    write(repo / "content/data/audit.yml", "decision: Quyết định\nrecorded_by: truong-ban\n")
    result = cchc("check", "--repo", str(repo))
    assert result.returncode == 1 and "content/data/audit.yml:1:1: lỗi [schema] ghi đúng một mốc" in result.stdout
