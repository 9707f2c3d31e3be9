"""`cchc preview-summary`: the pages a pull request adds, changes or removes, at the
addresses the site really gives them."""

from pathlib import Path

import pytest
from cchc.preview import address
from conftest import REPO, article, cchc, git_portal, git, write

FIELD_DIR = "content/tin-bai/cai-cach-the-che/2024"


@pytest.mark.parametrize(("path", "expected"), [
    ("content/tin-bai/cai-cach-the-che/2024/hoi-nghi.md", "/tin-bai/2024/hoi-nghi/"),
    ("content/van-ban/cai-cach-the-che/2018/nghi-dinh-13-2018-nd-cp.md", "/van-ban/2018/nghi-dinh-13-2018-nd-cp/"),
    ("content/trang/gioi-thieu.md", "/gioi-thieu/"),
    ("content/data/board.yml", None),
    ("content/media/anh.png", None),
    ("content/tin-bai/hoi-nghi.md", None),
    ("content/khac/cai-cach-the-che/2024/a.md", None),
    ("content/trang/con/a.md", "/con/a/"),
    ("content/trang/con/chau/a.md", None),
    ("README.md", None),
])
def test_address_from_the_content_path(path, expected):
    assert address(path) == expected


def test_every_published_item_is_at_its_computed_address(sample_site):
    """The addresses agree with the site's URL settings: each sample item's page is there."""
    items = [p.relative_to(REPO).as_posix() for p in (REPO / "content").rglob("*.md")]
    assert len(items) > 10
    missing = [(path, address(path)) for path in items if not (sample_site / address(path).strip("/") / "index.html").is_file()]
    assert not missing


def _commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


@pytest.fixture
def branch(tmp_path) -> Path:
    repo = git_portal(tmp_path / "portal")
    git(repo, "checkout", "-q", "-b", "gui-tin")
    return repo


def test_summary_lists_added_changed_moved_and_removed_pages(branch):
    write(branch / f"{FIELD_DIR}/tap-huan.md", article(title="Tập huấn | chuyển đổi số"))
    about = branch / "content/trang/gioi-thieu.md"
    about.write_text(about.read_text("utf-8") + "\nThêm một đoạn.\n", "utf-8")
    git(branch, "mv", "content/trang/lien-he.md", "content/trang/lien-he-ban-chi-dao.md")
    git(branch, "rm", "-q", "content/trang/english.md")
    board = branch / "content/data/board.yml"
    board.write_text(board.read_text("utf-8") + "\n", "utf-8")
    _commit(branch, "Sửa nhiều trang")
    result = cchc("preview-summary", "--base", "main", "--repo", str(branch))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Pull request này thêm hoặc sửa 3 trang:" in out
    lines = out.splitlines()
    new_row = next(line for line in lines if "/tin-bai/2024/tap-huan/" in line)
    assert new_row == f"| Tập huấn \\| chuyển đổi số | `/tin-bai/2024/tap-huan/` | thêm mới | `{FIELD_DIR}/tap-huan.md` |"
    about_row = next(line for line in lines if "`/gioi-thieu/`" in line)
    assert "| sửa |" in about_row and about_row.startswith("| Giới thiệu")
    moved = next(line for line in lines if "`/lien-he-ban-chi-dao/`" in line)
    assert "đổi địa chỉ (trước là `/lien-he/`)" in moved
    assert "Trang bị gỡ bỏ (1): `/english/`" in out
    assert "Tệp khác thay đổi" in out and "`content/data/board.yml`" in out
    # added first, then changed, then moved
    assert lines.index(new_row) < lines.index(about_row) < lines.index(moved)
    assert "http://localhost:8000/tin-bai/2024/tap-huan/" in out


def test_rename_to_another_field_keeps_the_address_and_is_a_change(branch):
    source = "content/van-ban/cai-cach-the-che/2018/nghi-dinh-13-2018-nd-cp.md"
    target = branch / "content/van-ban/cai-cach-che-do-cong-vu/2018/nghi-dinh-13-2018-nd-cp.md"
    target.parent.mkdir(parents=True)
    git(branch, "mv", source, str(target.relative_to(branch)))
    _commit(branch, "Chuyển lĩnh vực")
    result = cchc("preview-summary", "--base", "main", "--artifact-url", "https://github.com/o/r/actions/runs/1/artifacts/2", "--repo", str(branch))
    assert result.returncode == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if "/van-ban/2018/nghi-dinh-13-2018-nd-cp/" in line)
    assert "| sửa |" in row and "đổi địa chỉ" not in row
    assert "[ban-xem-truoc](https://github.com/o/r/actions/runs/1/artifacts/2)" in result.stdout


def test_nothing_changed_and_bad_base(branch):
    result = cchc("preview-summary", "--base", "main", "--repo", str(branch))
    assert result.returncode == 0
    assert "không thêm và không sửa trang nào" in result.stdout
    assert "localhost" not in result.stdout
    bad = cchc("preview-summary", "--base", "khong-co-nhanh", "--repo", str(branch))
    assert bad.returncode == 2 and "không đọc được nhánh cơ sở" in bad.stderr
