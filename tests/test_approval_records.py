"""Approvals given on GitHub, archived in Git: `cchc record-approvals` writes the notes,
`cchc audit` reads them and the pre-receive hook refuses forged ones. Real Git
repositories; only GitHub's REST payloads are made up, in GitHub's shapes (and `gh`, which
serves them to the workflow's step)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cchc.approval_records import NOTES_REF, PUBLISHER_EMAIL, PUBLISHER_NAME
from conftest import REPO, cchc, git, write
from test_board import THE_CHE, TAI_CHINH, _commit, _file, _review, _user, commit, news, portal, push, server  # noqa: F401 (fixtures)

OWNER = "laocai/cchc"
MERGED_AT = "2024-05-10T05:00:00Z"
WORKFLOW_ENV = {"GITHUB_RUN_ID": "9876543210", "GITHUB_RUN_ATTEMPT": "1", "GITHUB_SERVER_URL": "https://github.com",
                "GITHUB_REPOSITORY": OWNER, "GITHUB_WORKFLOW_REF": f"{OWNER}/.github/workflows/publish.yml@refs/heads/main"}


def rev(repo: Path, ref: str = "HEAD") -> str:
    return git(repo, "rev-parse", ref).strip()


def github_merge(repo: Path, number: int = 7, branch: str = "gui-tin", when: str = "2024-05-10T12:00:00+07:00") -> str:
    """Merge as GitHub's “Create a merge commit” does: two parents, GitHub as committer,
    the member who pressed the button as author."""
    git(repo, "checkout", "-q", "main")
    env = {"GIT_AUTHOR_NAME": "Giám đốc", "GIT_AUTHOR_EMAIL": "gd@laocai.gov.vn", "GIT_COMMITTER_NAME": "GitHub",
           "GIT_COMMITTER_EMAIL": "noreply@github.com", "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
           "PATH": "/usr/bin:/bin", "HOME": str(repo)}
    subprocess.run(["git", "merge", "--no-ff", "-q", branch, "-m", f"Merge pull request #{number} from {OWNER.split('/')[0]}/{branch}\n\nGửi tin"],
                   cwd=repo, env=env, check=True, capture_output=True)
    return rev(repo)


def pull_simple(number: int, head: str, base: str, merge: str, author: str = "ctv-snv") -> dict:
    """One entry of GET /repos/{owner}/{repo}/commits/{sha}/pulls."""
    api = f"https://api.github.com/repos/{OWNER}"
    return {"url": f"{api}/pulls/{number}", "id": 1800000000 + number, "node_id": "PR_kwDOAbcd", "html_url": f"https://github.com/{OWNER}/pull/{number}",
            "diff_url": f"https://github.com/{OWNER}/pull/{number}.diff", "patch_url": f"https://github.com/{OWNER}/pull/{number}.patch",
            "issue_url": f"{api}/issues/{number}", "number": number, "state": "closed", "locked": False, "title": "Gửi tin",
            "user": _user(author, 42), "body": "", "labels": [], "milestone": None, "active_lock_reason": None,
            "created_at": "2024-05-10T03:10:00Z", "updated_at": MERGED_AT, "closed_at": MERGED_AT, "merged_at": MERGED_AT,
            "merge_commit_sha": merge, "assignee": None, "assignees": [], "requested_reviewers": [], "requested_teams": [],
            "head": {"label": "laocai:gui-tin", "ref": "gui-tin", "sha": head, "user": _user("laocai", 1), "repo": None},
            "base": {"label": "laocai:main", "ref": "main", "sha": base, "user": _user("laocai", 1), "repo": None},
            "_links": {"self": {"href": f"{api}/pulls/{number}"}}, "author_association": "CONTRIBUTOR", "auto_merge": None, "draft": False}


def review(review_id: int, login: str, commit_id: str, state: str = "APPROVED", when: str = "2024-05-10T04:00:00Z") -> dict:
    return {**_review(review_id, login, state, when), "commit_id": commit_id}


def pr_commit(sha: str, login: str = "ctv-snv") -> dict:
    return {**_commit(login), "sha": sha}


def record(repo: Path, tmp_path: Path, reviews: list[dict], *, merge: str | None = None, author: str = "ctv-snv",
           head: str | None = None) -> subprocess.CompletedProcess:
    """Run `cchc record-approvals` as the publishing workflow does, with paginated payloads."""
    merge = merge or rev(repo, "main")
    parents = git(repo, "rev-list", "--parents", "-n", "1", merge).split()[1:]
    head = head or parents[1]
    branch_commits = git(repo, "rev-list", "--reverse", f"{parents[0]}..{parents[1]}").split()
    payloads = {"pulls": [[pull_simple(7, head, parents[0], merge, author)]], "reviews": [reviews],
                "commits": [[pr_commit(sha, author) for sha in branch_commits]], "files": [[_file(f"{THE_CHE}/mot.md")]]}
    for name, payload in payloads.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(payload), "utf-8")
    args = ["record-approvals", "--repo", str(repo), "--merge", merge, "--pr", str(tmp_path / "pulls.json"),
            "--reviews", str(tmp_path / "reviews.json"), "--commits", str(tmp_path / "commits.json"), "--files", str(tmp_path / "files.json")]
    saved = dict(os.environ)
    os.environ.update(WORKFLOW_ENV)
    try:
        return cchc(*args)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def audit(repo: Path, since: str) -> subprocess.CompletedProcess:
    return cchc("audit", "--since", since, "--repo", str(repo))


def findings(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith("commit ")]


def note(repo: Path, sha: str) -> dict:
    return json.loads(git(repo, "notes", f"--ref={NOTES_REF}", "show", sha))


def forge_note(repo: Path, sha: str, body: dict, name: str, email: str) -> None:
    """Write (or overwrite) a note by hand, with any identity one cares to type."""
    env = {**os.environ, "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email}
    subprocess.run(["git", "notes", f"--ref={NOTES_REF}", "add", "-f", "-m", json.dumps(body), sha], cwd=repo, env=env, check=True, capture_output=True)


@pytest.fixture
def sent(portal):
    """A contributor's item on gui-tin; main's tip before it is returned."""
    start = rev(portal, "main")
    write(portal / f"{THE_CHE}/mot.md", news("Tin thể chế"))
    commit(portal, "Gửi tin", "ctv@laocai.gov.vn")
    return start


# --- the record itself ------------------------------------------------------------------

def test_record_holds_the_latest_review_per_reviewer_and_the_run(portal, sent, tmp_path):
    head = rev(portal, "gui-tin")
    merge = github_merge(portal)
    reviews = [review(1, "tv-taichinh", head), review(2, "tv-theche", head, "COMMENTED", "2024-05-10T03:30:00Z"),
               review(3, "tv-theche", head, when="2024-05-10T04:00:00Z"), review(4, "tv-taichinh", head, "CHANGES_REQUESTED", "2024-05-10T04:30:00Z")]
    result = record(portal, tmp_path, reviews)
    assert result.returncode == 0, result.stderr
    assert "pull request #7" in result.stdout
    body = note(portal, merge)
    assert body["merge"] == merge and body["pull_request"]["number"] == 7 and body["pull_request"]["head_sha"] == head
    assert [(r["user"]["login"], r["state"], r["id"], r["commit_id"], r["submitted_at"]) for r in body["reviews"]] == [
        ("tv-taichinh", "CHANGES_REQUESTED", 4, head, "2024-05-10T04:30:00Z"), ("tv-theche", "APPROVED", 3, head, "2024-05-10T04:00:00Z")]
    assert body["workflow"]["run_id"] == "9876543210"
    assert body["workflow"]["run_url"] == f"https://github.com/{OWNER}/actions/runs/9876543210"
    assert body["authors"] == ["ctv-snv"]
    identity = git(portal, "log", "-1", "--format=%an <%ae>|%cn <%ce>", NOTES_REF).strip()
    assert identity == f"{PUBLISHER_NAME} <{PUBLISHER_EMAIL}>|{PUBLISHER_NAME} <{PUBLISHER_EMAIL}>"
    assert audit(portal, sent).returncode == 0
    again = record(portal, tmp_path, [review(5, "tv-nghi", head)])  # written once: a second run changes nothing
    assert again.returncode == 0 and "giữ nguyên" in again.stdout
    assert note(portal, merge) == body


def test_record_refuses_a_commit_that_is_not_the_pull_requests_merge(portal, sent, tmp_path):
    github_merge(portal)
    result = record(portal, tmp_path, [review(1, "tv-theche", "6dcb09b5b57875f334f61aebed695e2e4193db5e")], head="6dcb09b5b57875f334f61aebed695e2e4193db5e")
    assert result.returncode == 1 and "không phải commit hợp nhất của pull request #7" in result.stderr
    assert git(portal, "for-each-ref", NOTES_REF) == ""


def test_record_refuses_a_squash_merge(portal, sent, tmp_path):
    head = rev(portal, "gui-tin")
    git(portal, "checkout", "-q", "main")
    git(portal, "merge", "--squash", "-q", "gui-tin")
    git(portal, "commit", "-qm", "Gửi tin (#7)", email="gd@laocai.gov.vn")
    squash = rev(portal)
    payloads = {"pulls": [pull_simple(7, head, rev(portal, "main~1"), squash)], "reviews": [review(1, "tv-theche", head)],
                "commits": [pr_commit(head)], "files": [_file(f"{THE_CHE}/mot.md")]}
    for name, payload in payloads.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(payload), "utf-8")
    result = cchc("record-approvals", "--repo", str(portal), *[x for n in payloads for x in (f"--{'pr' if n == 'pulls' else n}", str(tmp_path / f"{n}.json"))])
    assert result.returncode == 1 and "“Create a merge commit”" in result.stderr
    assert "đưa thẳng vào main" in audit(portal, sent).stdout  # the audit does not vouch for it either


# --- the audit --------------------------------------------------------------------------

def test_audit_vouches_for_a_github_merge_with_a_valid_record(portal, sent, tmp_path):
    merge = github_merge(portal)
    without = audit(portal, sent)
    assert without.returncode == 1
    assert all(line.startswith(f"commit {merge[:10]}") for line in findings(without))
    assert any("thiếu phê duyệt hợp lệ" in line for line in findings(without))
    assert any(f"[archive] không có bản ghi phê duyệt GitHub trong {NOTES_REF}" in line for line in findings(without))
    assert record(portal, tmp_path, [review(1, "tv-theche", rev(portal, "gui-tin"))]).returncode == 0
    result = audit(portal, sent)
    assert result.returncode == 0, result.stdout + result.stderr


def test_audit_refuses_an_approval_by_a_member_of_another_field(portal, sent, tmp_path):
    github_merge(portal)
    assert record(portal, tmp_path, [review(1, "tv-taichinh", rev(portal, "gui-tin"))]).returncode == 0
    result = audit(portal, sent)
    (line,) = findings(result)
    assert result.returncode == 1
    assert "[account] thiếu phê duyệt hợp lệ trên GitHub (pull request #7)" in line and "cai-cach-the-che" in line


def test_audit_refuses_an_approval_by_the_author(portal, tmp_path):
    start = rev(portal, "main")
    write(portal / f"{THE_CHE}/mot.md", news("Tin thể chế"))
    commit(portal, "Gửi tin", "theche@laocai.gov.vn")
    github_merge(portal)
    assert record(portal, tmp_path, [review(1, "tv-theche", rev(portal, "gui-tin"))], author="tv-theche").returncode == 0
    (line,) = findings(audit(portal, start))
    assert "cũng là người gửi" in line


def test_audit_refuses_an_approval_of_an_earlier_commit(portal, sent, tmp_path):
    reviewed = rev(portal, "gui-tin")
    write(portal / f"{THE_CHE}/mot.md", news("Tin thể chế đã sửa sau khi duyệt"))
    commit(portal, "Sửa sau khi duyệt", "ctv@laocai.gov.vn")
    github_merge(portal)
    assert record(portal, tmp_path, [review(1, "tv-theche", reviewed)]).returncode == 0
    (line,) = findings(audit(portal, sent))
    assert "[archive] thiếu phê duyệt hợp lệ trên GitHub" in line and f"đã duyệt commit {reviewed[:10]}" in line


def test_audit_refuses_a_record_edited_after_the_fact(portal, sent, tmp_path):
    merge = github_merge(portal)
    assert record(portal, tmp_path, [review(1, "tv-taichinh", rev(portal, "gui-tin"))]).returncode == 0
    assert audit(portal, sent).returncode == 1
    body = note(portal, merge)
    body["reviews"][0]["user"]["login"] = "tv-theche"  # now it would pass, were it not edited
    forge_note(portal, merge, body, PUBLISHER_NAME, PUBLISHER_EMAIL)  # even with the workflow's identity typed in
    result = audit(portal, sent)
    assert result.returncode == 1
    assert any("[archive] bản ghi phê duyệt đã bị sửa hoặc xoá sau khi ghi" in line for line in findings(result))


def test_audit_refuses_a_record_written_by_another_identity(portal, sent, tmp_path):
    merge = github_merge(portal)
    assert record(portal, tmp_path, [review(1, "tv-theche", rev(portal, "gui-tin"))]).returncode == 0
    body = note(portal, merge)
    git(portal, "update-ref", "-d", NOTES_REF)
    forge_note(portal, merge, body, "Giám đốc", "gd@laocai.gov.vn")  # the very same record, typed by a board member
    result = audit(portal, sent)
    assert result.returncode == 1
    assert any("[archive] bản ghi phê duyệt do “Giám đốc <gd@laocai.gov.vn>” ghi" in line and "không phải quy trình xuất bản" in line
               for line in findings(result))


def test_audit_refuses_a_record_copied_from_another_merge(portal, sent, tmp_path):
    first = github_merge(portal)
    assert record(portal, tmp_path, [review(1, "tv-theche", rev(portal, "gui-tin"))]).returncode == 0
    git(portal, "checkout", "-q", "-b", "gui-tin-2", "main")
    write(portal / f"{TAI_CHINH}/hai.md", news("Tin tài chính"))
    commit(portal, "Gửi tin thứ hai", "ctv@laocai.gov.vn")
    second = github_merge(portal, 8, "gui-tin-2", "2024-05-11T12:00:00+07:00")
    blob = git(portal, "notes", f"--ref={NOTES_REF}", "list", first).strip()
    env = {**os.environ, "GIT_AUTHOR_NAME": PUBLISHER_NAME, "GIT_AUTHOR_EMAIL": PUBLISHER_EMAIL, "GIT_COMMITTER_NAME": PUBLISHER_NAME, "GIT_COMMITTER_EMAIL": PUBLISHER_EMAIL}
    subprocess.run(["git", "notes", f"--ref={NOTES_REF}", "add", "-C", blob, second], cwd=portal, env=env, check=True)
    result = audit(portal, sent)
    (line,) = findings(result)
    assert line.startswith(f"commit {second[:10]}") and "[archive] bản ghi phê duyệt không phải của commit này" in line


# --- the pre-receive hook of the province's own server ----------------------------------

def test_hook_accepts_a_github_merge_with_its_record_and_refuses_forged_notes(portal, server, sent, tmp_path):
    merge = github_merge(portal)
    refused = push(portal, "main")
    assert refused.returncode != 0 and "chưa có thành viên phụ trách" in refused.stderr  # no trailer, no record: refused
    assert record(portal, tmp_path, [review(1, "tv-theche", rev(portal, "gui-tin"))]).returncode == 0
    accepted = push(portal, "--atomic", "main", NOTES_REF)
    assert accepted.returncode == 0, accepted.stderr

    body = note(portal, merge)
    body["reviews"][0]["submitted_at"] = "2024-05-10T04:59:00Z"
    forge_note(portal, merge, body, PUBLISHER_NAME, PUBLISHER_EMAIL)  # an edit, with the workflow's identity typed in
    result = push(portal, NOTES_REF)
    assert result.returncode != 0 and f"remote: CCHC: {NOTES_REF}: [archive]" in result.stderr and "chỉ được ghi thêm" in result.stderr
    git(portal, "update-ref", NOTES_REF, f"{NOTES_REF}~1")

    main_before = rev(portal, "main~1")
    forge_note(portal, main_before, {"schema": "cchc-approvals/1"}, "Giám đốc", "gd@laocai.gov.vn")
    result = push(portal, NOTES_REF)
    assert result.returncode != 0 and "do “Giám đốc <gd@laocai.gov.vn>” ghi" in result.stderr
    git(portal, "update-ref", NOTES_REF, f"{NOTES_REF}~1")

    forge_note(portal, main_before, {"schema": "cchc-approvals/1"}, PUBLISHER_NAME, PUBLISHER_EMAIL)
    result = push(portal, NOTES_REF)
    assert result.returncode != 0 and "không phải commit hợp nhất trên nhánh main" in result.stderr
    git(portal, "update-ref", NOTES_REF, f"{NOTES_REF}~1")

    git(portal, "update-ref", "-d", NOTES_REF)
    forge_note(portal, merge, body, PUBLISHER_NAME, PUBLISHER_EMAIL)  # a new history for the ref
    result = push(portal, "--force", NOTES_REF)
    assert result.returncode != 0 and "không được viết lại bản ghi phê duyệt" in result.stderr
    result = push(portal, f":{NOTES_REF}")
    assert result.returncode != 0 and "không được xoá bản ghi phê duyệt" in result.stderr


def test_hook_refuses_a_github_merge_pushed_with_an_insufficient_record(portal, server, sent, tmp_path):
    github_merge(portal)
    assert record(portal, tmp_path, [review(1, "tv-taichinh", rev(portal, "gui-tin"))]).returncode == 0
    result = push(portal, "--atomic", "main", NOTES_REF)
    assert result.returncode != 0 and "refs/heads/main: commit" in result.stderr and "[account] thiếu phê duyệt hợp lệ trên GitHub" in result.stderr


def test_hook_takes_records_only_from_the_named_pusher(portal, server, sent, tmp_path):
    github_merge(portal)
    assert record(portal, tmp_path, [review(1, "tv-theche", rev(portal, "gui-tin"))]).returncode == 0
    subprocess.run(["git", "config", "cchc.notesPusher", "guong-github"], cwd=server, check=True)

    def pushing(user: str) -> subprocess.CompletedProcess:  # as Gitolite tells the hook who pushes
        return subprocess.run(["git", "push", "--atomic", "origin", "main", NOTES_REF], cwd=portal, capture_output=True, text=True,
                              env={**os.environ, "GL_USER": user})

    result = pushing("ctv-snv")
    assert result.returncode != 0 and "chỉ tài khoản “guong-github” được đẩy bản ghi phê duyệt" in result.stderr
    result = pushing("guong-github")
    assert result.returncode == 0, result.stderr


# --- the publishing workflow's step, run for real with a stand-in for `gh` ----------------

GH_STANDIN = """#!/bin/sh
# `gh api [--paginate --slurp] PATH`: prints the payload saved for PATH (GitHub's shape).
for last; do :; done
file="$PAYLOADS/$(printf %s "$last" | tr / _).json"
if [ -f "$file" ]; then cat "$file"; else echo "[]"; fi
"""


def archive_step() -> str:
    workflow = yaml.safe_load((REPO / ".github/workflows/publish.yml").read_text("utf-8"))
    (step,) = [s for s in workflow["jobs"]["archive"]["steps"] if "cchc record-approvals" in s.get("run", "")]
    return step["run"]


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq (as on GitHub's runners) is needed")
def test_the_workflow_step_archives_approvals_and_pushes_them_with_the_tag(portal, sent, tmp_path):
    merge = github_merge(portal)
    head = rev(portal, "gui-tin")
    github = tmp_path / "github.git"  # GitHub's repository, as far as Git is concerned
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(github)], check=True)
    subprocess.run(["git", "push", "-q", str(github), "main"], cwd=portal, check=True)
    runner = tmp_path / "runner"
    subprocess.run(["git", "clone", "-q", str(github), str(runner)], check=True)  # actions/checkout, full history
    payloads, bin_dir = tmp_path / "payloads", tmp_path / "bin"
    pages = {f"repos/{OWNER}/commits/{merge}/pulls": [pull_simple(7, head, rev(portal, "main~1"), merge)],
             f"repos/{OWNER}/pulls/7/reviews": [[review(1, "tv-theche", head)]],
             f"repos/{OWNER}/pulls/7/commits": [[pr_commit(head)]], f"repos/{OWNER}/pulls/7/files": [[_file(f"{THE_CHE}/mot.md")]]}
    for path, payload in pages.items():
        write(payloads / f"{path.replace('/', '_')}.json", json.dumps(payload))
    write(bin_dir / "gh", GH_STANDIN).chmod(0o755)
    env = {**os.environ, **WORKFLOW_ENV, "PATH": f"{bin_dir}:{Path(sys.executable).parent}:{os.environ['PATH']}", "PAYLOADS": str(payloads),
           "GH_TOKEN": "ghs_example", "REPOSITORY": OWNER, "PUBLISH_TAG": "publish/2024-05-10T1205", "DEPLOYED": "success",
           "NOTES_REF": NOTES_REF, "GITHUB_SHA": merge}
    run = subprocess.run(["bash", "-e", "-c", archive_step()], cwd=runner, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "pull request #7" in run.stdout
    assert git(github, "rev-parse", "refs/tags/publish/2024-05-10T1205").strip() == merge
    record_text = git(github, "notes", f"--ref={NOTES_REF}", "show", merge)
    assert json.loads(record_text)["workflow"]["run_id"] == "9876543210"
    git(portal, "fetch", "-q", str(github), f"{NOTES_REF}:{NOTES_REF}")
    assert audit(portal, sent).returncode == 0

    again = subprocess.run(["bash", "-e", "-c", archive_step()], cwd=runner, env={**env, "DEPLOYED": "failure"}, capture_output=True, text=True)
    assert again.returncode == 0, again.stdout + again.stderr  # nothing new: the record is written once, no tag
    assert git(github, "notes", f"--ref={NOTES_REF}", "show", merge) == record_text
    assert git(github, "tag", "--list", "publish/*").split() == ["publish/2024-05-10T1205"]


def test_a_backup_keeps_the_records(portal, sent, tmp_path):
    github_merge(portal)
    assert record(portal, tmp_path, [review(1, "tv-theche", rev(portal, "gui-tin"))]).returncode == 0
    made = cchc("backup", str(tmp_path / "backups"), "--repo", str(portal))
    assert made.returncode == 0, made.stderr
    (bundle,) = (tmp_path / "backups").glob("*/portal.bundle")
    restored = cchc("restore", str(bundle), str(tmp_path / "restored"))
    assert restored.returncode == 0, restored.stderr
    assert rev(tmp_path / "restored", NOTES_REF) == rev(portal, NOTES_REF)
    assert audit(tmp_path / "restored", sent).returncode == 0
