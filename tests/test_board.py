"""The editorial board: routing, CODEOWNERS, GitHub reviews, Git-native approvals, the
pre-receive hook with real pushes, revocation and the audit."""

import functools
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from cchc.board import Roster
from cchc.github_reviews import decide
from conftest import REPO, article, cchc, copy_portal, git, write

BOARD = """members:
  - id: truong-ban
    name: Giám đốc Sở Nội vụ
    role: truong-ban
    unit: so-noi-vu
    fields: []
    git: {username: gd-snv, email: gd@laocai.gov.vn}
    start: 2024-01-01
  - id: pho-truong-ban
    name: Lãnh đạo Văn phòng UBND tỉnh
    role: pho-truong-ban
    unit: van-phong-ubnd-tinh
    fields: []
    git: {username: pho-vp, email: pho@laocai.gov.vn}
    start: 2024-01-01
  - id: thanh-vien-the-che
    name: Thành viên phụ trách thể chế
    role: thanh-vien
    unit: so-noi-vu
    fields: [cai-cach-the-che]
    git: {username: tv-theche, email: theche@laocai.gov.vn}
    start: 2024-01-01
  - id: thanh-vien-tai-chinh
    name: Thành viên phụ trách tài chính công
    role: thanh-vien
    unit: so-noi-vu
    fields: [cai-cach-tai-chinh-cong]
    git: {username: tv-taichinh, email: taichinh@laocai.gov.vn}
    start: 2024-01-01
  - id: thanh-vien-da-nghi
    name: Thành viên đã thôi
    role: thanh-vien
    unit: so-noi-vu
    fields: [cai-cach-the-che]
    git: {username: tv-nghi, email: nghi@laocai.gov.vn}
    start: 2024-01-01
    end: 2024-03-01
"""
CONTRIBUTORS = """# Tài khoản cộng tác viên
contributors:
  - id: ctv-snv
    name: Cộng tác viên Sở Nội vụ
    unit: so-noi-vu
    status: active  # đang hoạt động
    git: {username: ctv-snv, email: ctv@laocai.gov.vn}
  - id: ctv-cu
    name: Cộng tác viên cũ
    unit: so-noi-vu
    status: active
    git: {username: ctv-cu, email: ctvcu@laocai.gov.vn}
"""
THE_CHE = "content/tin-bai/cai-cach-the-che/2024"
_KEYS = Path(tempfile.mkdtemp(prefix="cchc-test-keys-"))


@functools.cache
def signing_key(email: str) -> Path:
    """A real ed25519 key pair made by ssh-keygen for this e-mail; the public key's path."""
    private = _KEYS / email.replace("@", "_at_")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", email, "-f", str(private)], check=True)
    return private.with_name(private.name + ".pub")


def with_keys(board: str, without: tuple[str, ...] = ()) -> str:
    """The roster with each member's public key as `git.signing_key`."""
    def add(match):
        email = match.group(1)
        if email in without:
            return match.group(0)
        return f'email: {email}, signing_key: "{signing_key(email).read_text().strip()}"}}'
    return re.sub(r"email: ([^,}\s]+)\}", add, board)

TAI_CHINH = "content/tin-bai/cai-cach-tai-chinh-cong/2024"
BODY = "Ban Chỉ đạo cải cách hành chính tỉnh làm việc với các sở, ngành về kết quả thực hiện nhiệm vụ."


def news(title: str, author: str = "ctv-snv") -> str:
    return article(title, author) + " ".join([f"{title}: {BODY}"] * 8) + "\n"


@pytest.fixture
def portal(tmp_path):
    """A portal on main with a real roster, and the branch `gui-tin` checked out."""
    repo = copy_portal(tmp_path / "portal", with_content=False)
    write(repo / "content/data/board.yml", with_keys(BOARD))
    write(repo / "content/data/contributors.yml", CONTRIBUTORS)
    (repo / ".github").mkdir()
    assert cchc("codeowners", "--repo", str(repo)).returncode == 0
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "Khởi tạo", "gd@laocai.gov.vn", "2024-04-01T08:00:00+07:00")
    git(repo, "checkout", "-q", "-b", "gui-tin")
    return repo


def commit(repo: Path, message: str, email: str, when: str = "2024-05-10T10:00:00+07:00") -> None:
    git(repo, "add", "-A", email=email, when=when)
    git(repo, "commit", "-qm", message, email=email, when=when)


def test_routing_per_field_page_and_roster(portal):
    write(portal / f"{THE_CHE}/mot.md", news("Tin thể chế"))
    write(portal / f"{TAI_CHINH}/hai.md", news("Tin tài chính"))
    write(portal / "content/trang/gioi-thieu.md", (REPO / "content/trang/gioi-thieu.md").read_text("utf-8"))
    write(portal / "content/data/board.yml", BOARD.replace("fields: [cai-cach-tai-chinh-cong]", "fields: [cai-cach-tai-chinh-cong, cai-cach-the-che]"))
    commit(portal, "Gửi tin", "ctv@laocai.gov.vn")
    result = cchc("reviewers", "--base", "main", "--format", "json", "--repo", str(portal))
    assert result.returncode == 0, result.stderr
    routes = {f["path"]: (f["field"], f["approvers"]) for f in json.loads(result.stdout)["files"]}
    assert routes == {
        "content/data/board.yml": (None, ["truong-ban"]),
        f"{TAI_CHINH}/hai.md": ("cai-cach-tai-chinh-cong", ["truong-ban", "pho-truong-ban", "thanh-vien-tai-chinh"]),
        f"{THE_CHE}/mot.md": ("cai-cach-the-che", ["truong-ban", "pho-truong-ban", "thanh-vien-the-che"]),  # not the member who left
        "content/trang/gioi-thieu.md": (None, ["truong-ban", "pho-truong-ban"]),
    }


def test_reviewers_lists_who_approved_the_head_and_who_has_no_git_identity_yet(portal):
    newcomer = ("  - id: thanh-vien-moi\n    name: Thành viên mới bổ nhiệm\n    role: thanh-vien\n    unit: so-noi-vu\n"
                "    fields: [cai-cach-the-che]\n    start: 2024-01-01\n")
    write(portal / "content/data/board.yml", with_keys(BOARD) + newcomer)
    commit(portal, "Bổ sung thành viên", "gd@laocai.gov.vn")
    git(portal, "checkout", "-q", "main")
    git(portal, "merge", "-q", "gui-tin")  # the roster as main holds it (how it got there is not this test's business)
    git(portal, "checkout", "-q", "-b", "tin-moi")
    write(portal / f"{THE_CHE}/mot.md", news("Tin thể chế"))
    commit(portal, "Gửi tin", "ctv@laocai.gov.vn")

    def listing():
        result = cchc("reviewers", "--base", "main", "--format", "json", "--repo", str(portal))
        assert result.returncode == 0, result.stderr
        (entry,) = json.loads(result.stdout)["files"]
        return entry

    entry = listing()
    assert entry["approvers"] == ["truong-ban", "pho-truong-ban", "thanh-vien-the-che"]  # not as if the newcomer could
    assert entry["approved"] == []
    assert entry["without_identity"] == [{"id": "thanh-vien-moi", "missing": ["git.email", "git.signing_key"]}]
    as_member(portal, "theche@laocai.gov.vn", "Thành viên thể chế")
    assert cchc("approve", "--base", "main", "--repo", str(portal)).returncode == 0
    assert listing()["approved"] == ["thanh-vien-the-che"]
    text = cchc("reviewers", "--base", "main", "--repo", str(portal)).stdout
    assert "đã duyệt commit mới nhất: Thành viên phụ trách thể chế (thanh-vien-the-che)" in text
    assert "chưa duyệt được: Thành viên mới bổ nhiệm (thanh-vien-moi) — content/data/board.yml chưa ghi git.email, git.signing_key" in text
    write(portal / f"{THE_CHE}/mot.md", news("Tin thể chế đã sửa"))
    commit(portal, "Sửa", "ctv@laocai.gov.vn")
    assert listing()["approved"] == []  # an approval of an earlier state is not one of the head


def test_codeowners_is_generated_and_staleness_is_caught(portal):
    owners = (portal / ".github/CODEOWNERS").read_text("utf-8")
    assert "/content/*/cai-cach-the-che/" in owners
    line = next(l for l in owners.splitlines() if l.startswith("/content/*/cai-cach-the-che/"))
    assert line.split()[1:] == ["@gd-snv", "@pho-vp", "@tv-theche"]
    assert next(l for l in owners.splitlines() if l.startswith("/content/data/board.yml")).split()[1:] == ["@gd-snv"]
    assert "@tv-nghi" not in owners
    assert cchc("codeowners", "--check", "--repo", str(portal)).returncode == 0
    write(portal / "content/data/board.yml", BOARD.replace("username: tv-theche", "username: tv-theche-moi"))
    result = cchc("codeowners", "--check", "--repo", str(portal))
    assert result.returncode == 1 and "[account]" in result.stderr


# --- the GitHub engine, from payloads shaped as GitHub's REST API returns them -------

def _user(login: str, user_id: int) -> dict:
    return {"login": login, "id": user_id, "node_id": f"MDQ6VXNlcj{user_id}", "avatar_url": f"https://avatars.githubusercontent.com/u/{user_id}?v=4",
            "url": f"https://api.github.com/users/{login}", "html_url": f"https://github.com/{login}", "type": "User", "site_admin": False}


def _review(review_id: int, login: str, state: str, when: str) -> dict:
    return {"id": review_id, "node_id": f"PRR_kwDO{review_id}", "user": _user(login, 1000 + review_id), "body": "",
            "state": state, "html_url": f"https://github.com/laocai/cchc/pull/7#pullrequestreview-{review_id}",
            "pull_request_url": "https://api.github.com/repos/laocai/cchc/pulls/7", "author_association": "MEMBER",
            "_links": {"html": {"href": "https://github.com/laocai/cchc/pull/7"}, "pull_request": {"href": "https://api.github.com/repos/laocai/cchc/pulls/7"}},
            "submitted_at": when, "commit_id": "6dcb09b5b57875f334f61aebed695e2e4193db5e"}


def _file(path: str, status: str = "added", previous: str | None = None) -> dict:
    entry = {"sha": "bbcd538c8e72b8c175046e27cc8f907076331401", "filename": path, "status": status, "additions": 20, "deletions": 0,
             "changes": 20, "blob_url": f"https://github.com/laocai/cchc/blob/6dcb09b/{path}", "raw_url": f"https://github.com/laocai/cchc/raw/6dcb09b/{path}",
             "contents_url": f"https://api.github.com/repos/laocai/cchc/contents/{path}?ref=6dcb09b", "patch": "@@ -0,0 +1,20 @@"}
    if previous:
        entry["previous_filename"] = previous
    return entry


def _commit(login: str) -> dict:
    return {"sha": "6dcb09b5b57875f334f61aebed695e2e4193db5e", "node_id": "MDY6Q29tbWl0",
            "commit": {"author": {"name": "Cộng tác viên", "email": "ctv@laocai.gov.vn", "date": "2024-05-10T03:00:00Z"},
                       "committer": {"name": "Cộng tác viên", "email": "ctv@laocai.gov.vn", "date": "2024-05-10T03:00:00Z"},
                       "message": "Gửi tin", "tree": {"sha": "6dcb09b5", "url": "https://api.github.com/repos/laocai/cchc/tree/6dcb09b5"}},
            "author": _user(login, 42), "committer": _user(login, 42), "parents": []}


PULL = {"url": "https://api.github.com/repos/laocai/cchc/pulls/7", "id": 1, "number": 7, "state": "open", "title": "Gửi tin",
        "user": _user("ctv-snv", 42), "base": {"ref": "main", "sha": "aaaa"}, "head": {"ref": "gui-tin", "sha": "6dcb09b"}}


def _decide(reviews, files=None, pull=PULL, commits=None):
    roster = Roster.from_text(BOARD)
    from datetime import date

    files = files or [_file(f"{THE_CHE}/mot.md")]
    _routes, problems, _approved = decide({"action": "submitted", "pull_request": pull}, files, commits or [_commit("ctv-snv")], reviews, roster, date(2024, 5, 10))
    return problems


def test_github_approved_by_the_field_member():
    assert _decide([_review(1, "tv-theche", "APPROVED", "2024-05-10T04:00:00Z")]) == []


def test_github_changes_requested_after_approval_does_not_count():
    reviews = [_review(1, "tv-theche", "APPROVED", "2024-05-10T04:00:00Z"), _review(2, "tv-theche", "CHANGES_REQUESTED", "2024-05-10T05:00:00Z")]
    (problem,) = _decide(reviews)
    assert problem[0].path == f"{THE_CHE}/mot.md" and "chưa có thành viên phụ trách" in problem[1]


def test_github_comment_after_approval_keeps_the_approval():
    reviews = [_review(1, "tv-theche", "APPROVED", "2024-05-10T04:00:00Z"), _review(2, "tv-theche", "COMMENTED", "2024-05-10T05:00:00Z")]
    assert _decide(reviews) == []


def test_github_approval_by_the_author_does_not_count():
    pull = {**PULL, "user": _user("tv-theche", 7)}
    (problem,) = _decide([_review(1, "tv-theche", "APPROVED", "2024-05-10T04:00:00Z")], pull=pull, commits=[_commit("tv-theche")])
    assert "cũng là người gửi" in problem[1]


def test_github_approval_by_a_member_of_another_field_does_not_count():
    (problem,) = _decide([_review(1, "tv-taichinh", "APPROVED", "2024-05-10T04:00:00Z")])
    assert "cai-cach-the-che" in problem[1]
    assert _decide([_review(1, "tv-taichinh", "APPROVED", "2024-05-10T04:00:00Z")], files=[_file(f"{TAI_CHINH}/hai.md")]) == []


def test_github_dismissed_approval_does_not_count():
    assert _decide([_review(1, "tv-theche", "DISMISSED", "2024-05-10T04:00:00Z")])


def test_github_member_who_left_cannot_approve_and_head_approves_any_field():
    assert _decide([_review(1, "tv-nghi", "APPROVED", "2024-05-10T04:00:00Z")])
    files = [_file(f"{THE_CHE}/mot.md"), _file(f"{TAI_CHINH}/hai.md", "renamed", f"{THE_CHE}/hai.md")]
    assert _decide([_review(1, "gd-snv", "APPROVED", "2024-05-10T04:00:00Z")], files=files) == []


def test_github_command_reads_paginated_payload_files(portal, tmp_path):
    for name, payload in {"pr": {"pull_request": PULL}, "files": [[_file(f"{THE_CHE}/mot.md")]], "commits": [[_commit("ctv-snv")]],
                          "reviews": [[_review(1, "tv-theche", "APPROVED", "2024-05-10T04:00:00Z")]]}.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(payload), "utf-8")
    args = ["approvals", "--repo", str(portal)] + [x for n in ("pr", "files", "commits", "reviews") for x in (f"--{n}", str(tmp_path / f"{n}.json"))]
    result = cchc(*args, "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == {"approved": True, "approvers": ["thanh-vien-the-che"], "missing": []}
    (tmp_path / "reviews.json").write_text("[]", "utf-8")
    result = cchc(*args)
    assert result.returncode == 1 and "CHƯA DUYỆT ĐỦ" in result.stdout


# --- approvals native to Git ----------------------------------------------------------

def as_member(repo: Path, email: str, name: str = "Thành viên", signs: bool = True) -> None:
    """Work as this member, signing with their own SSH key as docs/ky-phe-duyet.md says."""
    subprocess.run(["git", "config", "user.email", email], cwd=repo, check=True)
    subprocess.run(["git", "config", "user.name", name], cwd=repo, check=True)
    if signs:
        subprocess.run(["git", "config", "gpg.format", "ssh"], cwd=repo, check=True)
        subprocess.run(["git", "config", "user.signingkey", str(signing_key(email))], cwd=repo, check=True)
    else:
        subprocess.run(["git", "config", "--unset", "user.signingkey"], cwd=repo)


def send_approve_merge(repo: Path, text: str) -> None:
    """A contributor sends an item on gui-tin, the field's member approves, the head merges."""
    write(repo / f"{THE_CHE}/mot.md", text)
    commit(repo, "Gửi tin", "ctv@laocai.gov.vn")
    as_member(repo, "theche@laocai.gov.vn", "Thành viên thể chế")
    assert cchc("approve", "--repo", str(repo)).returncode == 0
    git(repo, "checkout", "-q", "main")
    as_member(repo, "gd@laocai.gov.vn", "Giám đốc")
    assert cchc("merge", "gui-tin", "--repo", str(repo)).returncode == 0


def test_approve_and_merge_with_trailers(portal):
    write(portal / f"{THE_CHE}/mot.md", news("Tin thể chế"))
    commit(portal, "Gửi tin", "ctv@laocai.gov.vn")
    as_member(portal, "taichinh@laocai.gov.vn", "Thành viên tài chính")
    head = git(portal, "rev-parse", "HEAD")
    result = cchc("approve", "--repo", str(portal))  # not the right field: it could not count, so it is not recorded
    assert result.returncode == 1 and git(portal, "rev-parse", "HEAD") == head
    assert "“thanh-vien-tai-chinh” phụ trách: cai-cach-tai-chinh-cong" in result.stderr
    assert f"{THE_CHE}/mot.md: lĩnh vực “cai-cach-the-che”, do" in result.stderr and "Thành viên phụ trách thể chế (thanh-vien-the-che)" in result.stderr
    git(portal, "checkout", "-q", "main")
    result = cchc("merge", "gui-tin", "--repo", str(portal))
    assert result.returncode == 1 and f"{THE_CHE}/mot.md" in result.stderr and "cai-cach-the-che" in result.stderr
    git(portal, "checkout", "-q", "gui-tin")
    as_member(portal, "theche@laocai.gov.vn", "Thành viên thể chế")
    assert cchc("approve", "--repo", str(portal)).returncode == 0
    git(portal, "checkout", "-q", "main")
    as_member(portal, "gd@laocai.gov.vn", "Giám đốc")
    result = cchc("merge", "gui-tin", "--repo", str(portal))
    assert result.returncode == 0, result.stderr
    message = git(portal, "log", "-1", "--format=%B")
    assert "Approved-by: Thành viên thể chế <theche@laocai.gov.vn>" in message
    assert git(portal, "log", "-1", "--format=%P").count(" ") == 1  # a merge commit


def test_approval_goes_stale_when_the_branch_changes(portal):
    write(portal / f"{THE_CHE}/mot.md", news("Tin thể chế"))
    commit(portal, "Gửi tin", "ctv@laocai.gov.vn")
    as_member(portal, "theche@laocai.gov.vn")
    assert cchc("approve", "--repo", str(portal)).returncode == 0
    approval = git(portal, "rev-parse", "HEAD").strip()
    write(portal / f"{THE_CHE}/mot.md", news("Tin thể chế đã sửa"))
    commit(portal, "Sửa sau khi duyệt", "ctv@laocai.gov.vn", "2024-05-11T15:30:00+07:00")
    edit = git(portal, "rev-parse", "HEAD").strip()
    git(portal, "checkout", "-q", "main")
    result = cchc("merge", "gui-tin", "--repo", str(portal))
    assert result.returncode == 1
    assert (f"phê duyệt của “thanh-vien-the-che” (commit {approval[:7]}) đã cũ: ghi trước commit {edit[:7]} “Sửa sau khi duyệt” (11/05/2024 15:30)"
            in result.stderr), result.stderr
    assert f"chạy lại “cchc approve” trên commit mới nhất {edit[:7]}" in result.stderr
    # near miss: approved again on the head, the old approval is no longer mentioned and the merge goes through
    git(portal, "checkout", "-q", "gui-tin")
    as_member(portal, "theche@laocai.gov.vn")
    assert cchc("approve", "--repo", str(portal)).returncode == 0
    git(portal, "checkout", "-q", "main")
    as_member(portal, "gd@laocai.gov.vn", "Giám đốc")
    result = cchc("merge", "gui-tin", "--repo", str(portal))
    assert result.returncode == 0, result.stderr


def test_an_author_cannot_approve_their_own_change(portal):
    write(portal / f"{THE_CHE}/mot.md", news("Tin thể chế"))
    commit(portal, "Gửi tin", "theche@laocai.gov.vn")
    as_member(portal, "theche@laocai.gov.vn")
    result = cchc("approve", "--repo", str(portal))
    assert result.returncode == 1 and "không được tự duyệt" in result.stderr


# --- the pre-receive hook, with real pushes into a real bare repository ---------------

@pytest.fixture
def server(portal, tmp_path):
    """A bare repository with the hook installed, holding main; `portal` is a clone."""
    bare = tmp_path / "cchc.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    result = cchc("install-hook", str(bare))
    assert result.returncode == 0, result.stderr
    subprocess.run(["git", "remote", "add", "origin", str(bare)], cwd=portal, check=True)
    push = subprocess.run(["git", "push", "-q", "origin", "main"], cwd=portal, capture_output=True, text=True)
    assert push.returncode == 0, push.stderr
    return bare


def push(repo: Path, *refs: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "push", "origin", *refs], cwd=repo, capture_output=True, text=True)


def test_hook_refuses_a_direct_commit_to_main(portal, server):
    git(portal, "checkout", "-q", "main")
    write(portal / f"{THE_CHE}/mot.md", news("Tin thể chế"))
    commit(portal, "Đưa thẳng", "ctv@laocai.gov.vn")
    result = push(portal, "main")
    assert result.returncode != 0
    assert "remote: CCHC: refs/heads/main: commit" in result.stderr and "không qua duyệt" in result.stderr


def test_hook_accepts_an_approved_merge_and_refuses_rewriting_main(portal, server):
    send_approve_merge(portal, news("Tin thể chế"))
    assert push(portal, "gui-tin").returncode == 0
    result = push(portal, "main")
    assert result.returncode == 0, result.stderr
    git(portal, "reset", "-q", "--hard", "HEAD~1")
    result = push(portal, "--force", "main")
    assert result.returncode != 0 and "viết lại lịch sử" in result.stderr


def test_hook_refuses_a_merge_whose_approval_trailer_was_written_by_hand(portal, server):
    write(portal / f"{THE_CHE}/mot.md", news("Tin thể chế"))
    commit(portal, "Gửi tin", "ctv@laocai.gov.vn")
    git(portal, "checkout", "-q", "main")
    git(portal, "merge", "--no-ff", "-q", "gui-tin", "-m", "Hợp nhất\n\nApproved-by: Thành viên thể chế <theche@laocai.gov.vn>", email="gd@laocai.gov.vn")
    result = push(portal, "main")
    assert result.returncode != 0 and "chưa có thành viên phụ trách" in result.stderr


def refs_and_head(repo: Path) -> str:
    """Every ref with its commit, HEAD and the working tree's state: what a refused merge must leave alone."""
    return git(repo, "for-each-ref", "--format=%(refname) %(objectname)") + (repo / ".git/HEAD").read_text() + git(repo, "status", "--porcelain")


def test_approve_and_merge_refuse_a_branch_that_fails_the_gate_and_leave_main_alone(portal, server):
    write(portal / f"{THE_CHE}/mot.md", news("Tin thể chế") + "\nTỐI MẬT\n")
    commit(portal, "Gửi tin", "ctv@laocai.gov.vn")
    as_member(portal, "theche@laocai.gov.vn", "Thành viên thể chế")
    head = git(portal, "rev-parse", "HEAD")
    result = cchc("approve", "--repo", str(portal))
    assert result.returncode == 1 and git(portal, "rev-parse", "HEAD") == head  # nothing recorded
    assert "không đạt kiểm tra" in result.stderr and f"{THE_CHE}/mot.md" in result.stderr and "[secret]" in result.stderr
    hand_approval(portal, "theche@laocai.gov.vn", signing_key("theche@laocai.gov.vn"))  # approved anyway, with plain git
    git(portal, "checkout", "-q", "main")
    as_member(portal, "gd@laocai.gov.vn", "Giám đốc")
    before = refs_and_head(portal)
    result = cchc("merge", "gui-tin", "--repo", str(portal))
    assert result.returncode == 1 and "[secret]" in result.stderr and "main được giữ nguyên" in result.stderr
    assert refs_and_head(portal) == before  # main, every other ref and the working tree untouched
    merge_by_hand(portal, "theche@laocai.gov.vn")  # the server still refuses what plain git merges
    result = push(portal, "main")
    assert result.returncode != 0 and "[secret]" in result.stderr


def test_merge_passes_the_hook_so_the_push_is_never_refused(portal, server):
    send_approve_merge(portal, news("Tin thể chế"))
    assert git(portal, "log", "-1", "--format=%P").count(" ") == 1
    result = push(portal, "gui-tin", "main")
    assert result.returncode == 0, result.stderr
    assert git(portal, "rev-parse", "main") == git(server, "rev-parse", "main")


def test_revoked_contributor_is_refused_by_gate_and_hook(portal, server):
    git(portal, "checkout", "-q", "main")
    result = cchc("revoke", "ctv-cu", "--reason", "Chuyển công tác", "--date", "2024-05-01", "--repo", str(portal))
    assert result.returncode == 0, result.stderr
    text = (portal / "content/data/contributors.yml").read_text("utf-8")
    assert "# Tài khoản cộng tác viên" in text and "# đang hoạt động" in text  # comments kept
    assert "revoked_reason: Chuyển công tác" in text
    commit(portal, "Thu hồi tài khoản", "gd@laocai.gov.vn", "2024-05-01T09:00:00+07:00")
    git(portal, "checkout", "-q", "-b", "tin-cua-ctv-cu", "main")
    write(portal / f"{THE_CHE}/cu.md", news("Tin của người đã nghỉ", "ctv-cu"))
    commit(portal, "Gửi tin", "ctvcu@laocai.gov.vn", "2024-05-10T10:00:00+07:00")
    gate = cchc("check", "--base", "main", "--repo", str(portal), "--format", "json")
    found = json.loads(gate.stdout)["findings"]
    assert gate.returncode == 1 and {f["rule"] for f in found} == {"account"}
    assert any(f["path"] == f"{THE_CHE}/cu.md" for f in found)  # the author id in the front matter
    assert any(f["path"].startswith("commit ") and "ctvcu@laocai.gov.vn" in f["message"] for f in found)  # the commit's author
    result = push(portal, "tin-cua-ctv-cu")
    assert result.returncode != 0 and "[account]" in result.stderr and "thu hồi" in result.stderr


# --- the audit ------------------------------------------------------------------------

def test_audit_finds_a_commit_that_slipped_in_without_approval(portal):
    start = git(portal, "rev-parse", "main").strip()
    send_approve_merge(portal, news("Tin thể chế"))
    result = cchc("audit", "--since", start, "--repo", str(portal))
    assert result.returncode == 0, result.stdout + result.stderr
    write(portal / f"{TAI_CHINH}/lot.md", news("Tin lọt"))
    commit(portal, "Sửa nhanh", "ctv@laocai.gov.vn", "2024-05-12T10:00:00+07:00")
    sneaked = git(portal, "rev-parse", "HEAD").strip()
    result = cchc("audit", "--since", start, "--repo", str(portal))
    assert result.returncode == 1
    (line,) = [l for l in result.stdout.splitlines() if l.startswith("commit ")]
    assert line.startswith(f"commit {sneaked[:10]} (2024-05-12) “Sửa nhanh”") and "không có phê duyệt" in line


# --- forged or hidden history: merges' own changes, every commit, the server's clock, tags

def push_at(repo: Path, when: str, *refs: str) -> subprocess.CompletedProcess:
    """A push the server receives at `when` (its clock: CCHC_NOW, which git passes to the hook)."""
    import os

    return subprocess.run(["git", "push", "origin", *refs], cwd=repo, capture_output=True, text=True, env={**os.environ, "CCHC_NOW": when})


def test_hook_and_audit_refuse_a_merge_that_adds_its_own_changes(portal, server):
    start = git(portal, "rev-parse", "main").strip()
    send_approve_merge(portal, news("Tin thể chế"))
    # the merger slips an article and a promotion into the merge commit itself
    write(portal / f"{TAI_CHINH}/chen.md", news("Tin chen vào"))
    write(portal / "content/data/board.yml", with_keys(BOARD.replace("role: thanh-vien\n    unit: so-noi-vu\n    fields: [cai-cach-the-che]\n    git: {username: tv-theche",
                                                                        "role: truong-ban\n    unit: so-noi-vu\n    fields: [cai-cach-the-che]\n    git: {username: tv-theche")))
    git(portal, "add", "-A")
    git(portal, "commit", "-q", "--amend", "--no-edit", email="gd@laocai.gov.vn")
    assert git(portal, "log", "-1", "--format=%P").count(" ") == 1  # still a merge, trailers intact
    result = push(portal, "gui-tin", "main")
    assert result.returncode != 0
    assert "ngoài nhánh đã được duyệt" in result.stderr and f"{TAI_CHINH}/chen.md" in result.stderr and "content/data/board.yml" in result.stderr
    audit = cchc("audit", "--since", start, "--repo", str(portal))
    assert audit.returncode == 1 and "ngoài nhánh đã được duyệt" in audit.stdout and "chen.md" in audit.stdout


def test_hook_accepts_a_clean_merge_after_main_moved_on(portal, server):
    """Near miss: the merge's tree differs from both parents, but equals Git's own merge."""
    send_approve_merge(portal, news("Tin thể chế"))
    assert push(portal, "gui-tin", "main").returncode == 0
    git(portal, "checkout", "-q", "-b", "tin-tai-chinh", "main~1")  # started before the first merge
    write(portal / f"{TAI_CHINH}/hai.md", news("Tin tài chính"))
    commit(portal, "Gửi tin tài chính", "ctv@laocai.gov.vn")
    as_member(portal, "taichinh@laocai.gov.vn", "Thành viên tài chính")
    assert cchc("approve", "--repo", str(portal)).returncode == 0
    git(portal, "checkout", "-q", "main")
    as_member(portal, "gd@laocai.gov.vn", "Giám đốc")
    assert cchc("merge", "tin-tai-chinh", "--repo", str(portal)).returncode == 0
    result = push(portal, "tin-tai-chinh", "main")
    assert result.returncode == 0, result.stderr


def test_hook_and_audit_read_every_commit_of_a_merged_branch(portal, server):
    start = git(portal, "rev-parse", "main").strip()
    write(portal / f"{THE_CHE}/mot.md", news("Tin thể chế") + "\nTỐI MẬT\n")
    commit(portal, "Bản nháp", "ctv@laocai.gov.vn")
    hidden = git(portal, "rev-parse", "HEAD").strip()
    write(portal / f"{THE_CHE}/mot.md", news("Tin thể chế"))  # the stamp is gone from the final tree
    commit(portal, "Gửi tin", "ctv@laocai.gov.vn")
    as_member(portal, "theche@laocai.gov.vn", "Thành viên thể chế")
    approve = cchc("approve", "--repo", str(portal))  # cchc approve reads the history as the server does
    assert approve.returncode == 1 and f"commit {hidden[:10]} (trong lịch sử được đẩy lên)" in approve.stderr
    hand_approval(portal, "theche@laocai.gov.vn", signing_key("theche@laocai.gov.vn"))
    merge_by_hand(portal, "theche@laocai.gov.vn")
    result = push(portal, "main")
    assert result.returncode != 0
    assert f"commit {hidden[:10]} (trong lịch sử được đẩy lên)" in result.stderr and "[secret]" in result.stderr
    audit = cchc("audit", "--since", start, "--repo", str(portal))
    assert audit.returncode == 1 and f"commit {hidden[:10]} của nhánh được hợp nhất" in audit.stdout and "[secret]" in audit.stdout


def test_hook_judges_revocation_by_its_own_clock_not_the_commit_date(portal, server):
    git(portal, "checkout", "-q", "main")
    assert cchc("revoke", "ctv-cu", "--reason", "Chuyển công tác", "--date", "2024-05-01", "--repo", str(portal)).returncode == 0
    commit(portal, "Thu hồi tài khoản", "gd@laocai.gov.vn", "2024-05-01T09:00:00+07:00")
    git(portal, "checkout", "-q", "-b", "lui-ngay", "main")
    write(portal / f"{THE_CHE}/cu.md", news("Tin ghi lùi ngày"))
    commit(portal, "Gửi tin", "ctvcu@laocai.gov.vn", "2024-04-20T10:00:00+07:00")  # back-dated before the revocation
    assert cchc("check", "--base", "main", "--repo", str(portal)).returncode == 0  # the commit's date fools the local gate
    result = push_at(portal, "2024-05-10T10:00:00+07:00", "lui-ngay")
    assert result.returncode != 0 and "[account]" in result.stderr and "thu hồi" in result.stderr
    # near miss: the same commit received before the revocation is accepted, and logged
    git(portal, "branch", "-q", "-f", "som", "lui-ngay")
    result = push_at(portal, "2024-04-25T10:00:00+07:00", "som")
    assert result.returncode == 0, result.stderr
    assert (server / "cchc-push-log.jsonl").read_text("utf-8").count("2024-04-25T10:00:00+07:00") == 1


def test_hook_refuses_an_approval_by_an_ex_member_back_dated_into_their_term(portal, server):
    write(portal / f"{THE_CHE}/mot.md", news("Tin thể chế"))
    commit(portal, "Gửi tin", "ctv@laocai.gov.vn", "2024-02-10T10:00:00+07:00")
    tree = git(portal, "rev-parse", "HEAD^{tree}").strip()
    message = f"Duyệt nhánh gui-tin\n\nApproved-by: Thành viên đã thôi <nghi@laocai.gov.vn>\nApproved-tree: {tree}\n"
    git(portal, "-c", "gpg.format=ssh", "-c", f"user.signingkey={signing_key('nghi@laocai.gov.vn')}", "commit", "-S", "--allow-empty", "-qm", message,
        email="nghi@laocai.gov.vn", when="2024-02-11T10:00:00+07:00")  # her own key: a true signature, a false date
    git(portal, "checkout", "-q", "main")
    as_member(portal, "gd@laocai.gov.vn", "Giám đốc")
    before = refs_and_head(portal)
    import os
    merged = subprocess.run([sys.executable, "-m", "cchc", "merge", "gui-tin", "--repo", str(portal)], capture_output=True, text=True,
                            env={**os.environ, "CCHC_NOW": "2024-05-10T10:00:00+07:00"})
    # the dates say she was still a member; cchc merge judges on the clock, as the hook does
    assert merged.returncode == 1 and "chưa có thành viên phụ trách" in merged.stderr and refs_and_head(portal) == before
    git(portal, "merge", "--no-ff", "-q", "gui-tin", "-m", "Hợp nhất\n\nApproved-by: Thành viên đã thôi <nghi@laocai.gov.vn>", email="gd@laocai.gov.vn")
    result = push_at(portal, "2024-05-10T10:00:00+07:00", "gui-tin", "main")
    assert result.returncode != 0 and "chưa có thành viên phụ trách" in result.stderr


def test_hook_refuses_moving_or_deleting_a_publish_tag(portal, server):
    send_approve_merge(portal, news("Tin thể chế"))
    assert push(portal, "gui-tin", "main").returncode == 0
    git(portal, "tag", "publish/2024-05-10", "main")
    assert push(portal, "publish/2024-05-10").returncode == 0  # creating one is fine
    git(portal, "tag", "-f", "publish/2024-05-10", "main~1")
    result = push(portal, "--force", "refs/tags/publish/2024-05-10")
    assert result.returncode != 0 and "không được di chuyển thẻ phát hành" in result.stderr
    result = push(portal, "--delete", "refs/tags/publish/2024-05-10")
    assert result.returncode != 0 and "không được xoá thẻ phát hành" in result.stderr
    git(portal, "tag", "khac", "main~1")
    assert push(portal, "khac").returncode == 0  # other tags are not the hook's business


# --- approvals that cannot be forged: SSH signatures checked against board.yml's keys

def hand_approval(repo: Path, email: str, key: Path | None) -> None:
    """An approval commit for the branch's tree written with plain git, signed with `key` or not."""
    tree = git(repo, "rev-parse", "HEAD^{tree}").strip()
    message = f"Duyệt nhánh gui-tin\n\nApproved-by: Thành viên thể chế <{email}>\nApproved-tree: {tree}\n"
    sign = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key}", "commit", "-S"] if key else ["commit"]
    git(repo, *sign, "--allow-empty", "-qm", message, email=email)


def merge_by_hand(repo: Path, email: str) -> None:
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "--no-ff", "-q", "gui-tin", "-m", f"Hợp nhất gui-tin\n\nApproved-by: Thành viên thể chế <{email}>", email="gd@laocai.gov.vn")


@pytest.mark.parametrize("signed_with", ["nobody", "another key"])
def test_hook_and_audit_refuse_an_unsigned_or_wrongly_signed_approval(portal, server, tmp_path, signed_with):
    start = git(portal, "rev-parse", "main").strip()
    write(portal / f"{THE_CHE}/mot.md", news("Tin thể chế"))
    commit(portal, "Gửi tin", "ctv@laocai.gov.vn")
    key = None
    if signed_with == "another key":  # the contributor's own key, with the member's e-mail typed in
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "theche@laocai.gov.vn", "-f", str(tmp_path / "gia")], check=True)
        key = tmp_path / "gia.pub"
    hand_approval(portal, "theche@laocai.gov.vn", key)
    git(portal, "checkout", "-q", "main")
    as_member(portal, "gd@laocai.gov.vn", "Giám đốc")
    result = cchc("merge", "gui-tin", "--repo", str(portal))
    assert result.returncode == 1 and "[approval-signature]" in result.stderr  # cchc merge says so first
    merge_by_hand(portal, "theche@laocai.gov.vn")
    result = push(portal, "gui-tin", "main")
    assert result.returncode != 0 and "[approval-signature]" in result.stderr and "thanh-vien-the-che" in result.stderr
    audit = cchc("audit", "--since", start, "--repo", str(portal))
    assert audit.returncode == 1 and "[approval-signature]" in audit.stdout


def test_a_signed_approval_by_hand_is_accepted(portal, server):
    """Near miss: the same hand-made approval, signed with the member's own key, is good."""
    write(portal / f"{THE_CHE}/mot.md", news("Tin thể chế"))
    commit(portal, "Gửi tin", "ctv@laocai.gov.vn")
    hand_approval(portal, "theche@laocai.gov.vn", signing_key("theche@laocai.gov.vn"))
    merge_by_hand(portal, "theche@laocai.gov.vn")
    result = push(portal, "gui-tin", "main")
    assert result.returncode == 0, result.stderr


def test_approve_without_a_key_says_how_to_make_one(portal):
    write(portal / f"{THE_CHE}/mot.md", news("Tin thể chế"))
    commit(portal, "Gửi tin", "ctv@laocai.gov.vn")
    as_member(portal, "theche@laocai.gov.vn", "Thành viên thể chế", signs=False)
    result = cchc("approve", "--repo", str(portal))
    assert result.returncode == 1 and "[approval-signature]" in result.stderr
    assert "ssh-keygen -t ed25519" in result.stderr and "git config gpg.format ssh" in result.stderr and "board.yml" in result.stderr
    as_member(portal, "theche@laocai.gov.vn", "Thành viên thể chế")
    subprocess.run(["git", "config", "user.signingkey", str(signing_key("taichinh@laocai.gov.vn"))], cwd=portal, check=True)
    result = cchc("approve", "--repo", str(portal))
    assert result.returncode == 1 and "khác khoá ghi cho “thanh-vien-the-che”" in result.stderr
    as_member(portal, "theche@laocai.gov.vn", "Thành viên thể chế")
    assert cchc("approve", "--repo", str(portal)).returncode == 0
    assert "BEGIN SSH SIGNATURE" in git(portal, "cat-file", "commit", "HEAD")
