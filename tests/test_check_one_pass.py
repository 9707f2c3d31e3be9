"""`cchc check` tells a contributor everything in one run (issue 19): every file, every stage."""

import json

import pytest
from conftest import REPO, article, cchc, copy_portal, git, write

FIELD_DIR = "content/tin-bai/cai-cach-the-che/2024"
BODY = " ".join(["Đoàn công tác của Ban Chỉ đạo cải cách hành chính tỉnh đã làm việc với Sở Nội vụ về kết quả cải cách thủ tục hành chính."] * 5)


@pytest.fixture
def portal(tmp_path):
    return copy_portal(tmp_path / "portal", with_content=False)


def run_check(portal, *args):
    result = cchc("check", "--repo", str(portal), "--format", "json", *args)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["findings"]


def test_a_misplaced_file_gets_its_schema_and_content_findings_in_the_same_run(portal):
    text = article().replace("summary: Tóm tắt tin.\n", "summary: Tóm tắt tin.\ntieu_de_phu: thừa\n") + BODY + "\n\nTỐI MẬT\n"
    write(portal / "content/tin-bai/linh-vuc-la/2024/tin.md", text)
    found = run_check(portal)
    by_rule = [(f["rule"], f["line"]) for f in found if f["path"].endswith("linh-vuc-la/2024/tin.md")]
    lines = text.split("\n")
    assert ("scope", 1) in by_rule  # the wrong field folder
    assert ("schema", 1) in by_rule  # the key the model does not have (reported at the front matter)
    assert ("secret", lines.index("TỐI MẬT") + 1) in by_rule  # and the body rules ran too
    assert not any("khác thư mục lĩnh vực" in f["message"] for f in found)  # the folder is said once, by the path finding


def test_a_schema_error_does_not_hide_the_other_rules(portal):
    text = article(date="15/01/2024").replace("unit: so-noi-vu", "unit: so-khong-co") + BODY + "\n\n<script>alert(1)</script>\n"
    write(portal / FIELD_DIR / "tin.md", text)
    rules = {f["rule"] for f in run_check(portal)}
    assert {"schema", "scope", "unsafe-html"} <= rules


def test_unparsable_yaml_is_said_once_and_the_other_files_are_still_checked(portal):
    write(portal / FIELD_DIR / "hong.md", article().replace("source: Văn phòng Sở Nội vụ", "source: Sở: Nội vụ") + BODY + "\n\nTỐI MẬT\n")
    write(portal / FIELD_DIR / "khac.md", article(title="Tin khác hẳn").replace("Hội nghị", "Lớp") + BODY + "\n\n<script>x()</script>\n")
    write(portal / "content/tin-bai/ghi-chu.txt", "không phải nội dung")
    found = run_check(portal)
    broken = [f for f in found if f["path"].endswith("hong.md")]
    assert [f["severity"] for f in broken].count("notice") == 1 and "chưa kiểm tra được lược đồ" in [f for f in broken if f["severity"] == "notice"][0]["message"]
    assert any(f["rule"] == "schema" and f["severity"] == "error" for f in broken)
    assert not any(f["rule"] == "secret" for f in broken)  # nothing is claimed about a file that was not read
    assert any(f["path"].endswith("khac.md") and f["rule"] == "unsafe-html" for f in found)
    assert any(f["path"].endswith("ghi-chu.txt") and f["rule"] == "scope" for f in found)  # the tree stage ran too


@pytest.mark.parametrize("written, fix", [
    ("15/01/2024 08:30", "sửa thành “2024-01-15 08:30”"),
    ("15/1/2024", "sửa thành “2024-01-15”"),
    ("2024-13-45", None),  # no form to rewrite it from: only the expected form
    ("ngày 15 tháng 01", None),
])
def test_a_wrong_date_says_the_form_the_file_needs_at_its_line_and_column(portal, written, fix):
    text = article(date=written) + BODY + "\n"
    write(portal / FIELD_DIR / "tin.md", text)
    (finding,) = [f for f in run_check(portal) if f["severity"] == "error"]
    line = text.split("\n").index(f"date: {written}") + 1
    assert (finding["rule"], finding["line"], finding["column"]) == ("schema", line, 1)
    assert "ngày phải viết dạng NĂM-THÁNG-NGÀY, có thể kèm giờ, ví dụ 2025-01-15 hoặc 2025-01-15 08:30" in finding["message"]
    assert (fix in finding["message"]) if fix else ("sửa thành" not in finding["message"])


def test_a_date_only_field_asks_for_a_day_without_time(portal):
    text = (REPO / "content/van-ban/cai-cach-the-che/2021/nghi-quyet-76-nq-cp.md").read_text("utf-8")
    issued = next(line for line in text.split("\n") if line.startswith("issued_date:"))
    write(portal / "content/van-ban/cai-cach-the-che/2021/vb.md", text.replace(issued, "issued_date: 03/6/2021"))
    (finding,) = [f for f in run_check(portal) if f["rule"] == "schema"]
    assert "ngày phải viết dạng NĂM-THÁNG-NGÀY, ví dụ 2025-01-15; sửa thành “2021-06-03”" in finding["message"]


# --- check --base before committing ------------------------------------------------

def with_git_identity(repo, email="cchc@laocai.gov.vn"):
    """The sample contributor, with the e-mail the test commits carry."""
    registry = repo / "content/data/contributors.yml"
    text = registry.read_text("utf-8")
    registry.write_text(text.replace("    unit: so-noi-vu\n    status: active\n", f"    unit: so-noi-vu\n    status: active\n    git: {{email: {email}}}\n", 1), "utf-8")


def test_base_checks_uncommitted_edits_and_new_untracked_files_and_says_which(tmp_path):
    repo = copy_portal(tmp_path / "portal", with_content=False)
    with_git_identity(repo)
    git(repo, "init", "-q", "-b", "main")
    write(repo / FIELD_DIR / "da-dang.md", article() + BODY + "\n")
    write(repo / ".gitignore", (repo / ".gitignore").read_text("utf-8") + "content/**/nhap-*.md\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Đăng")
    git(repo, "checkout", "-q", "-b", "gui-tin")
    committed = article(title="Tập huấn chuyển đổi số").replace("Hội nghị", "Lớp") + BODY.replace("Sở Nội vụ", "Sở Tài chính") + "\n"
    write(repo / FIELD_DIR / "da-commit.md", committed)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Gửi tin")
    before = cchc("check", "--base", "main", "--repo", str(repo))
    assert before.returncode == 0 and f"{FIELD_DIR}/da-commit.md (đã commit)" in before.stdout
    write(repo / FIELD_DIR / "moi.md", article(title="Tin mới chưa thêm").replace("Hội nghị", "Buổi") + BODY.replace("Sở Nội vụ", "Sở Y tế") + "\n\nTỐI MẬT\n")
    write(repo / FIELD_DIR / "da-commit.md", committed + "\n<script>alert(1)</script>\n")  # edited again, not committed
    write(repo / FIELD_DIR / "nhap-1.md", "không phải nội dung: tệp nháp Git bỏ qua")  # ignored: not the contributor's change
    result = cchc("check", "--base", "main", "--repo", str(repo))
    assert result.returncode == 1, result.stdout
    assert f"{FIELD_DIR}/moi.md (chưa commit: bản trong thư mục làm việc)" in result.stdout
    assert f"{FIELD_DIR}/da-commit.md (chưa commit: bản trong thư mục làm việc)" in result.stdout
    assert "[secret]" in result.stdout and "[unsafe-html]" in result.stdout
    assert "nhap-1.md" not in result.stdout and "da-dang.md" not in result.stdout
    assert "(2 tệp đã kiểm tra" in result.stdout


def test_base_with_nothing_changed_says_so(tmp_path):
    repo = copy_portal(tmp_path / "portal", with_content=False)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Đăng")
    result = cchc("check", "--base", "main", "--repo", str(repo))
    assert result.returncode == 0 and "Không có tệp nội dung nào thay đổi so với main (kể cả các tệp chưa commit)" in result.stdout


# --- [account]: which identity the commit has, and how to register it --------------

def sent_by(repo, email: str):
    """main with the registries as they are, then a branch whose one commit, by `email`, sends an item."""
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Đăng")
    git(repo, "checkout", "-q", "-b", "gui-tin")
    write(repo / FIELD_DIR / "tin.md", article() + BODY + "\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Gửi tin", email=email)


def test_an_unregistered_commit_email_names_the_identity_the_registry_and_the_field(tmp_path):
    repo = copy_portal(tmp_path / "portal", with_content=False)
    sent_by(repo, "nguyen.van.a@laocai.gov.vn")
    result = cchc("check", "--base", "main", "--repo", str(repo))
    (line,) = [line for line in result.stdout.splitlines() if "[account]" in line]
    assert result.returncode == 1
    assert "“Người gửi”" in line and "“nguyen.van.a@laocai.gov.vn”" in line
    assert "content/data/contributors.yml" in line and "content/data/board.yml" in line
    assert "git.email" in line and "git: {email: nguyen.van.a@laocai.gov.vn}" in line
    # Registered as the message says, the same commit passes.
    registry = repo / "content/data/contributors.yml"
    registry.write_text(registry.read_text("utf-8").replace("    status: active\n", "    status: active\n    git: {email: nguyen.van.a@laocai.gov.vn}\n", 1), "utf-8")
    assert "[account]" not in cchc("check", "--base", "main", "--repo", str(repo)).stdout


def test_a_same_named_account_with_another_email_is_pointed_at(tmp_path):
    repo = copy_portal(tmp_path / "portal", with_content=False)
    registry = repo / "content/data/contributors.yml"
    registry.write_text(registry.read_text("utf-8").replace("    status: active\n", "    status: active\n    git: {username: Người gửi, email: nguoigui@laocai.gov.vn}\n", 1), "utf-8")
    sent_by(repo, "ca-nhan@gmail.com")
    out = cchc("check", "--base", "main", "--repo", str(repo)).stdout
    assert "tài khoản “phong-cchc-snv” cùng tên đang ghi git.email “nguoigui@laocai.gov.vn”" in out and "git config user.email" in out


# --- a registry checked by its path ---------------------------------------------------

def test_a_registry_named_by_its_path_is_checked_against_its_schema(portal):
    assert run_check(portal, str(portal / "content/data/contributors.yml")) == []
    registry = portal / "content/data/contributors.yml"
    text = registry.read_text("utf-8").replace("    status: active\n", "    status: hoat-dong\n    git: {email: khong-phai-thu}\n", 1)
    registry.write_text(text, "utf-8")
    found = run_check(portal, str(registry))
    lines = text.split("\n")
    assert {(f["path"], f["rule"], f["line"]) for f in found} == {
        ("content/data/contributors.yml", "schema", lines.index("    status: hoat-dong") + 1),
        ("content/data/contributors.yml", "schema", lines.index("    git: {email: khong-phai-thu}") + 1)}
    assert any("“hoat-dong”" in f["message"] and "active" in f["message"] for f in found)
    result = cchc("check", "content/data/contributors.yml", cwd=portal)  # as a contributor types it
    assert result.returncode == 1 and "(1 tệp đã kiểm tra" in result.stdout


@pytest.mark.parametrize("name", ["fields", "units", "board", "rates", "notices", "legal-sources"])
def test_every_registry_can_be_checked_by_its_path(portal, name):
    registry = portal / f"content/data/{name}.yml"
    assert run_check(portal, str(registry)) == []
    registry.write_text(registry.read_text("utf-8") + "truong_la: 1\n", "utf-8")
    (finding,) = run_check(portal, str(registry))
    assert (finding["path"], finding["rule"]) == (f"content/data/{name}.yml", "schema") and "truong_la" in finding["message"]


def test_a_file_of_data_that_is_no_registry_says_which_are(portal):
    write(portal / "content/data/linh-vuc.yml", "fields: []\n")
    (finding,) = run_check(portal, str(portal / "content/data/linh-vuc.yml"))
    assert "không phải danh mục" in finding["message"] and "fields.yml" in finding["message"]


def test_a_broken_registry_still_lets_the_tree_stages_report(portal):
    units = portal / "content/data/units.yml"
    units.write_text(units.read_text("utf-8") + "truong_la: 1\n", "utf-8")
    write(portal / "content/tin-bai/ghi-chu.txt", "không phải nội dung")
    write(portal / FIELD_DIR / "tin.md", article() + BODY + "\n")
    found = run_check(portal)
    assert any(f["path"] == "content/data/units.yml" and f["rule"] == "schema" and f["severity"] == "error" for f in found)
    assert any(f["path"].endswith("ghi-chu.txt") and f["rule"] == "scope" for f in found)
    (notice,) = [f for f in found if f["severity"] == "notice"]
    assert "chưa kiểm tra được các tệp nội dung" in notice["message"]
