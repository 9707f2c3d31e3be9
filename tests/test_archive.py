"""Permanent archive: page history from Git, withdrawal, atomic publish, rollback, backups."""

import subprocess
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from conftest import article, cchc, git, git_portal, write

FIELD = "content/tin-bai/cai-cach-the-che/2024"
BODY = " ".join(["Ban Chỉ đạo cải cách hành chính tỉnh kiểm tra việc giải quyết thủ tục hành chính tại bộ phận một cửa."] * 8) + "\n"


def news(title: str = "Kiểm tra bộ phận một cửa", **front) -> str:
    text = article(title) + f"{title}. " + BODY.replace("một cửa", f"một cửa ({title})")
    for key, value in front.items():
        text = text.replace("---\n\n", f"{key}: {value}\n---\n\n", 1)
    return text.replace("date: 2024-05-10 09:00\n", "")  # dated by Git


@pytest.fixture
def repo(tmp_path):
    return git_portal(tmp_path / "portal", with_content=False)


def commit(repo: Path, message: str, when: str, email: str = "cchc@laocai.gov.vn") -> None:
    git(repo, "add", "-A", when=when, email=email)
    git(repo, "commit", "-qm", message, when=when, email=email)


def page_of(output: Path, slug: str) -> str:
    return (output / f"tin-bai/2024/{slug}/index.html").read_text("utf-8")


def test_history_three_revisions_in_order_across_a_rename_with_approvals(repo):
    write(repo / f"{FIELD}/kiem-tra.md", news())
    commit(repo, "Gửi tin kiểm tra", "2024-05-10T08:00:00+07:00")
    write(repo / f"{FIELD}/kiem-tra.md", news(change_note="Bổ sung kết quả kiểm tra"))
    commit(repo, "Sửa tin", "2024-05-11T09:30:00+07:00")
    moved = "content/tin-bai/cai-cach-thu-tuc-hanh-chinh/2024/kiem-tra.md"
    (repo / moved).parent.mkdir(parents=True)
    git(repo, "checkout", "-q", "-b", "chuyen-linh-vuc")
    git(repo, "mv", f"{FIELD}/kiem-tra.md", moved)
    write(repo / moved, news(change_note="Chuyển sang lĩnh vực thủ tục hành chính"))
    commit(repo, "Chuyển lĩnh vực", "2024-05-12T10:00:00+07:00")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "--no-ff", "-q", "chuyen-linh-vuc", "-m",
        "Duyệt: chuyển lĩnh vực\n\nApproved-by: Giám đốc Sở Nội vụ <giamdoc-snv@laocai.gov.vn>", when="2024-05-12T15:00:00+07:00")
    result = cchc("build", "--repo", str(repo))
    assert result.returncode == 0, result.stderr
    html = page_of(repo / "output", "kiem-tra")
    history = html[html.index('id="lich-su"'):html.index("</ol>", html.index('id="lich-su"'))]
    first, second, third = (history.index(note) for note in ("đăng lần đầu", "Bổ sung kết quả kiểm tra", "Chuyển sang lĩnh vực thủ tục hành chính"))
    assert first < second < third
    assert history.count("<li>") == 3
    assert "ngày 10 tháng 5 năm 2024, 08:00" in history and "ngày 12 tháng 5 năm 2024, 15:00" in history
    assert "duyệt: Giám đốc Sở Nội vụ" in history and "giamdoc-snv@" not in html
    assert 'datetime="2024-05-10T08:00:00+07:00">ngày 10 tháng 5 năm 2024</time>' in html  # `date` from Git
    assert "cập nhật <time datetime=\"2024-05-12T15:00:00+07:00\">" in html


def test_revisions_are_pages_of_the_site_not_links_to_the_git_host(repo, monkeypatch):
    write(repo / f"{FIELD}/kiem-tra.md", news())
    commit(repo, "Gửi tin", "2024-05-10T08:00:00+07:00")
    write(repo / f"{FIELD}/kiem-tra.md", news(change_note="Bổ sung kết quả").replace("một cửa (", "một cửa đã sửa ("))
    commit(repo, "Sửa tin", "2024-05-11T08:00:00+07:00")
    monkeypatch.setenv("GITHUB_REPOSITORY", "laocai/cchc")  # the host the build runs on is never linked
    result = cchc("build", "--production", "--repo", str(repo))
    assert result.returncode == 0, result.stderr
    html = page_of(repo / "output", "kiem-tra")
    assert "/blob/" not in html and "github.com" not in html
    assert 'href="https://cchc.laocai.gov.vn/tin-bai/2024/kiem-tra/phien-ban/1/"' in html
    first = (repo / "output/tin-bai/2024/kiem-tra/phien-ban/1/index.html").read_text("utf-8")
    second = (repo / "output/tin-bai/2024/kiem-tra/phien-ban/2/index.html").read_text("utf-8")
    assert "phiên bản 1/2" in first and "đã sửa" not in first and "Đăng lần đầu" in first
    assert "đã sửa" in second and "Bổ sung kết quả" in second
    tags = git(repo, "tag", "--list", "publish/*").split()
    assert len(tags) == 1 and tags[0].startswith("publish/20")


def test_withdrawn_page_keeps_its_address_with_a_notice_and_leaves_every_list(repo):
    write(repo / f"{FIELD}/giu-lai.md", news("Tin vẫn đăng"))
    write(repo / f"{FIELD}/go-bo.md", news("Tin bị gỡ"))
    commit(repo, "Gửi hai tin", "2024-05-10T08:00:00+07:00")
    result = cchc("withdraw", str(repo / f"{FIELD}/go-bo.md"), "--decision", "15/QĐ-BCĐ", "--date", "2024-06-01", "--reason", "Thông tin đã được thay thế")
    assert result.returncode == 0, result.stderr
    check = cchc("check", str(repo / f"{FIELD}/go-bo.md"), "--repo", str(repo))
    assert check.returncode == 0, check.stdout
    commit(repo, "Gỡ tin theo quyết định", "2024-06-01T10:00:00+07:00")
    result = cchc("build", "--production", "--repo", str(repo))
    assert result.returncode == 0, result.stderr
    output = repo / "output"
    html = page_of(output, "go-bo")
    assert "Nội dung này đã được gỡ bỏ" in html and "15/QĐ-BCĐ" in html and "Thông tin đã được thay thế" in html
    assert "bộ phận một cửa" not in html  # the body is gone from the page (it stays in Git)
    assert "Gỡ bỏ theo 15/QĐ-BCĐ" not in html and 'id="lich-su"' not in html  # a withdrawn page shows no revision (test_people)
    for listing in ("index.html", "tin-bai/index.html", "luu-tru/index.html", "tac-gia/phong-cai-cach-hanh-chinh-so-noi-vu/index.html"):
        text = (output / listing).read_text("utf-8")
        assert "Tin vẫn đăng" in text and "Tin bị gỡ" not in text, listing
    feed = ElementTree.parse(output / "feeds/all.atom.xml").getroot()
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Tin vẫn đăng" in titles and "Tin bị gỡ" not in titles
    sitemap = (output / "sitemap.xml").read_text("utf-8")
    assert "/tin-bai/2024/giu-lai/" in sitemap and "go-bo" not in sitemap
    body = subprocess.run(["git", "show", "HEAD~1:" + f"{FIELD}/go-bo.md"], cwd=repo, capture_output=True, text=True).stdout
    assert "bộ phận một cửa" in body


def test_reverify_notice_stays_on_a_published_page(repo):
    write(repo / f"{FIELD}/xac-thuc.md", news(verification="reverify-requested", change_note="Yêu cầu xác thực lại"))
    commit(repo, "Yêu cầu xác thực lại", "2024-05-10T08:00:00+07:00")
    assert cchc("build", "--repo", str(repo)).returncode == 0
    assert "Nội dung này đang được xác thực lại" in page_of(repo / "output", "xac-thuc")


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_failed_verification_leaves_the_live_site_byte_for_byte(repo):
    write(repo / f"{FIELD}/tot.md", news("Tin tốt"))
    commit(repo, "Gửi tin", "2024-05-10T08:00:00+07:00")
    live = repo.parent / "live"
    assert cchc("build", "--production", "--repo", str(repo), "--output", str(live)).returncode == 0
    before = snapshot(live)
    write(repo / f"{FIELD}/hong.md", news("Tin có liên kết hỏng") + "\n[Xem văn bản](/van-ban/2099/khong-co/#muc-1)\n")
    commit(repo, "Gửi tin hỏng", "2024-05-11T08:00:00+07:00")
    result = cchc("build", "--production", "--repo", str(repo), "--output", str(live))
    assert result.returncode == 1
    assert "/van-ban/2099/khong-co/#muc-1" in result.stderr and "không tới trang nào" in result.stderr
    assert snapshot(live) == before
    assert not [p for p in live.parent.iterdir() if ".building-" in p.name]


def test_rollback_restores_the_previous_release(repo):
    live = repo.parent / "live"
    write(repo / f"{FIELD}/mot.md", news("Tin thứ nhất"))
    commit(repo, "Tin 1", "2024-05-10T08:00:00+07:00")
    assert cchc("build", "--production", "--repo", str(repo), "--output", str(live)).returncode == 0
    first = snapshot(live)
    write(repo / f"{FIELD}/hai.md", news("Tin thứ hai"))
    commit(repo, "Tin 2", "2024-05-11T08:00:00+07:00")
    assert cchc("build", "--production", "--repo", str(repo), "--output", str(live)).returncode == 0
    assert (live / "tin-bai/2024/hai/index.html").exists()
    result = cchc("rollback", "--output", str(live))
    assert result.returncode == 0, result.stderr
    assert snapshot(live) == first


def test_three_releases_are_kept_and_a_pruned_one_is_never_rolled_back_to(repo):
    live = repo.parent / "live"
    write(repo / f"{FIELD}/mot.md", news("Tin thứ nhất"))
    commit(repo, "Tin 1", "2024-05-10T08:00:00+07:00")
    for _ in range(5):
        assert cchc("build", "--repo", str(repo), "--output", str(live)).returncode == 0
    releases = repo.parent / ".live-releases"
    kept = sorted(p.name for p in releases.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert len(kept) == 3
    # The pruned ones are deleted by a process of their own, after the build has ended.
    deadline = time.monotonic() + 60
    while list(releases.glob(".trash-*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not list(releases.glob(".trash-*"))
    assert sorted(p.name for p in (repo.parent / ".live-releases").glob("*.manifest")) == [f"{n}.manifest" for n in kept]
    for expected in reversed(kept[:-1]):
        assert cchc("rollback", "--output", str(live)).returncode == 0
        assert live.resolve().name == expected
    assert cchc("rollback", "--output", str(live)).returncode == 1  # not into the pruned one


def test_shallow_clone_fails_in_production_and_is_said_in_development(repo, tmp_path):
    write(repo / f"{FIELD}/mot.md", news())
    commit(repo, "Tin 1", "2024-05-10T08:00:00+07:00")
    write(repo / f"{FIELD}/mot.md", news(change_note="Sửa"))
    commit(repo, "Tin 1 sửa", "2024-05-11T08:00:00+07:00")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True)
    result = cchc("build", "--production", "--repo", str(shallow))
    assert result.returncode == 1 and "shallow" in result.stderr and "[archive]" in result.stderr
    result = cchc("build", "--repo", str(shallow))
    assert result.returncode == 0 and "shallow" in result.stderr


def test_backup_then_restore_gives_the_same_repository(repo, tmp_path):
    write(repo / f"{FIELD}/mot.md", news())
    commit(repo, "Tin 1", "2024-05-10T08:00:00+07:00")
    git(repo, "tag", "publish/2024-05-10T0800")
    git(repo, "branch", "gui-tin")
    assert cchc("build", "--repo", str(repo)).returncode == 0
    result = cchc("backup", str(tmp_path / "sao-luu"), "--repo", str(repo))
    assert result.returncode == 0, result.stderr
    (folder,) = (tmp_path / "sao-luu").iterdir()
    assert sorted(p.name for p in folder.iterdir()) == ["SHA256SUMS", "portal.bundle", "site.tar.gz"]
    restored = tmp_path / "khoi-phuc"
    result = cchc("restore", str(folder / "portal.bundle"), str(restored))
    assert result.returncode == 0, result.stderr
    subprocess.run(["git", "fsck", "--strict"], cwd=restored, check=True, capture_output=True)
    log = ["log", "--all", "--format=%H %s %an %aI", "--topo-order"]
    assert git(restored, *log) == git(repo, *log)
    assert git(restored, "tag") == git(repo, "tag")
    assert (restored / f"{FIELD}/mot.md").read_bytes() == (repo / f"{FIELD}/mot.md").read_bytes()


def test_restore_refuses_a_corrupted_backup(repo, tmp_path):
    write(repo / f"{FIELD}/mot.md", news())
    commit(repo, "Tin 1", "2024-05-10T08:00:00+07:00")
    assert cchc("backup", str(tmp_path / "sao-luu"), "--repo", str(repo)).returncode == 0
    (folder,) = (tmp_path / "sao-luu").iterdir()
    bundle = folder / "portal.bundle"
    data = bytearray(bundle.read_bytes())
    data[-10] ^= 0xFF
    bundle.write_bytes(bytes(data))
    result = cchc("restore", str(bundle), str(tmp_path / "khoi-phuc"))
    assert result.returncode == 1 and "SHA-256" in result.stderr


def test_backup_rotation_keeps_seven_newest_and_one_per_month(tmp_path):
    from cchc.backup import rotate

    folder = tmp_path / "sao-luu"
    names = [f"2024{month:02d}{day:02d}T020000" for month in range(1, 13) for day in (1, 15)] + [f"202501{day:02d}T020000" for day in range(1, 11)]
    for name in names:
        (folder / name).mkdir(parents=True)
    removed = {p.name for p in rotate(folder)}
    kept = sorted(p.name for p in folder.iterdir())
    assert kept[-7:] == sorted(names)[-7:]
    months = {name[:6] for name in kept}
    assert len(months) == 12 and "202401" not in months  # the 12 newest months, one backup at least each
    assert "20240101T020000" in removed
