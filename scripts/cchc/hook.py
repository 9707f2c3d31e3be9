"""The server-side guard for any Git host: `pre-receive`.

A push to main is accepted only when every new commit on main's first-parent line is
a merge whose `Approved-by:` trailers hold an approval for every file it brings, by a
board member allowed for it on that day (the roster of main before the merge) who
did not write the change (merged on GitHub: whose record is on the notes ref
refs/notes/cchc-approvals after the push, see approval_records), and when what main
becomes passes `cchc check` against what it was. Main is never rewritten nor deleted. On other branches, commits of
revoked or unknown accounts are refused. The notes ref only grows: records added by
the publishing workflow for merges on main. Messages are Vietnamese: the pusher reads
them as `remote:` lines.

History is checked, not only the final tree (scripts/cchc/pushguard.py): a merge
may bring nothing beyond its second parent's branch; every commit the push brings to
main passes the harm rules; approvals must be SSH-signed by the member's key in
board.yml (signing.py); terms and revocations are judged on the hook's clock
(`dates.now()`), recorded for the audit in the push log; `publish/…` tags are never
moved nor deleted.
"""

import os
import shutil
import tempfile
from pathlib import Path

from . import approval_records, dates, gitcmd, pushguard
from .board import Roster
from .gitapproval import describe, merge_problems, trailer_emails

ZERO = "0" * 40
MAIN = "refs/heads/main"
PUBLISH_TAGS = "refs/tags/publish/"
# Variables receive-pack sets for the quarantined objects of the push; a scratch
# repository sees those objects through its alternates instead.
_QUARANTINE_ENV = ("GIT_QUARANTINE_PATH", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")


def _clean_env() -> dict:
    return {k: v for k, v in os.environ.items() if k not in _QUARANTINE_ENV}


def scratch_checkout(git_dir: Path, commit: str, folder: Path) -> Path:
    """A throwaway working repository at `commit`, reading the pushed (quarantined)
    objects and the repository's own through alternates; no ref of the real one moves."""
    object_dirs = [p for p in (os.environ.get("GIT_QUARANTINE_PATH"), str(Path(git_dir).resolve() / "objects")) if p]
    repo = folder / "portal"
    env = _clean_env()
    folder.mkdir(parents=True, exist_ok=True)
    gitcmd.run(folder, "init", "-q", str(repo), env=env)
    (repo / ".git/objects/info/alternates").write_text("\n".join(object_dirs) + "\n")
    gitcmd.run(repo, "-c", "advice.detachedHead=false", "checkout", "-q", "--detach", commit, env=env)
    return repo


def _gate(git_dir: Path, old: str, new: str, only: set[str] | None = None, received: dict | None = None, history: bool = False) -> list[str]:
    """The gate on what `new` changes against `old`; with `history`, also the harm rules
    on every commit of old..new that changes content (each against its parent)."""
    from .check import run

    folder = Path(tempfile.mkdtemp(prefix="cchc-hook-"))
    saved = dict(os.environ)
    span = [new] + ([f"^{old}"] if old != ZERO else [])
    commits = pushguard.content_commits(git_dir, span) if history else []
    try:
        repo = scratch_checkout(git_dir, new, folder)
        os.environ.clear()
        os.environ.update(_clean_env())
        report = run(repo, base=old if old != ZERO else None, received=received)
        # the tip's own content is the final tree, read by the full gate above
        earlier = pushguard.intermediate_harm(repo, [c for c in commits if c[0] != new])
    finally:
        os.environ.clear()
        os.environ.update(saved)
        shutil.rmtree(folder, ignore_errors=True)
    found = [f.text() for f in report.findings if f.severity == "error" and (only is None or f.rule in only)]
    seen = set(found)  # a finding still there at the tip is reported once, as the gate's
    return found + [f"commit {sha[:10]} (trong lịch sử được đẩy lên): {text}" for sha, text in earlier if text not in seen]


def gate(git_dir: Path, old: str, new: str) -> list[str]:
    """The errors the server would find in what `new` brings on top of `old` (the gate and
    the harm rules on every commit between): `cchc approve` refuses on them."""
    return _gate(git_dir, old, new, history=True)


def new_commits(git_dir: Path, new: str) -> list[str]:
    """The commits of `new` the server does not hold yet (no ref reaches them)."""
    return gitcmd.run(git_dir, "rev-list", "--reverse", new, "--not", "--all").split()


def received_times(git_dir: Path, news: list[str], now) -> dict:
    """When the server received each commit: the push log's time for those it already
    held, `now` for those this push brings."""
    received = pushguard.read_log(Path(git_dir) / pushguard.PUSH_LOG) or {}
    received.update({sha: now for sha in news})
    return received


def check_main(git_dir: Path, old: str, new: str, lines: list[str] = (), now=None, received: dict | None = None) -> list[str]:
    now = now or dates.now()
    if new == ZERO:
        return ["không được xoá nhánh main: nội dung đã đăng được lưu trữ vĩnh viễn (Điều 8.4)"]
    if received is None:
        received = received_times(git_dir, new_commits(git_dir, new), now)
    if old == ZERO:
        return _gate(git_dir, old, new, received=received, history=True)  # the first push that creates main: its content must pass the gate
    if not gitcmd.succeeds(git_dir, "merge-base", "--is-ancestor", old, new):
        return ["không được viết lại lịch sử nhánh main (force push): nội dung đã đăng được lưu trữ vĩnh viễn (Điều 8.4)"]
    problems = []
    for sha in gitcmd.run(git_dir, "rev-list", "--first-parent", "--reverse", f"{old}..{new}").split():
        parents = gitcmd.run(git_dir, "rev-list", "--parents", "-n", "1", sha).split()[1:]
        if len(parents) != 2:
            problems.append(f"commit {sha[:10]} đưa thẳng vào main mà không qua duyệt; hãy gửi trên một nhánh và dùng “cchc merge”")
            continue
        message = gitcmd.run(git_dir, "log", "-1", "--format=%B", sha)
        roster = Roster.at_commit(git_dir, parents[0])
        _routes, missing = merge_problems(git_dir, pushguard.merge_base(git_dir, sha), parents[1], roster, trailer_emails(message),
                                          when=received.get(sha, now), received=received)
        found = describe(missing)
        if found:  # approved on GitHub instead, its record pushed with main? (approval_records)
            recorded = approval_records.verdict_in_push(git_dir, sha, lines)
            found = found if recorded is None else recorded
        extra = pushguard.merge_extra_paths(git_dir, sha)
        if extra:  # whoever approved the branch, the merge's own changes were approved by nobody
            found = found + [pushguard.merge_extra_problem(extra)]
        problems += [f"commit {sha[:10]}: {line}" for line in found]
    return problems + _gate(git_dir, old, new, received=received, history=True)


def check_branch(git_dir: Path, old: str, new: str, now=None, received: dict | None = None) -> list[str]:
    """Submission branches may fail the gate while being drafted; revoked accounts may not push
    (judged when the server receives the commits, not by their dates)."""
    if new == ZERO or not gitcmd.run(git_dir, "rev-parse", "--verify", "-q", MAIN, check=False).strip():
        return []
    if received is None:
        received = received_times(git_dir, new_commits(git_dir, new), now or dates.now())
    return _gate(git_dir, gitcmd.run(git_dir, "rev-parse", MAIN).strip(), new, only={"account"}, received=received)


def check_tag(old: str, new: str) -> list[str]:
    """A publication tag records what was published when: it may be created, never moved nor deleted."""
    if old == ZERO:
        return []
    if new == ZERO:
        return ["không được xoá thẻ phát hành publish/…: thẻ ghi lại nội dung đã đăng (Điều 8.4)"]
    return ["không được di chuyển thẻ phát hành publish/… sang commit khác: hãy tạo thẻ mới (Điều 8.4)"]


def pre_receive(git_dir: Path, lines: list[str]) -> list[str]:
    """Problems with the pushed ref updates; when there are none, the push is written to
    the push log (when the server received which commits) before Git updates the refs."""
    problems, accepted = [], []
    now = dates.now()
    for line in lines:
        if not line.strip():
            continue
        old, new, ref = line.split()
        news = new_commits(git_dir, new) if new != ZERO else []
        received = received_times(git_dir, news, now)
        if ref == approval_records.NOTES_REF:
            found = approval_records.check_notes_push(git_dir, old, new, lines)
        elif ref.startswith(PUBLISH_TAGS):
            found = check_tag(old, new)
        elif ref == MAIN:
            found = check_main(git_dir, old, new, lines, now, received)
        else:
            found = check_branch(git_dir, old, new, now, received)
        problems += [f"{ref}: {p}" for p in found]
        accepted.append((ref, old, new, news))
    if not problems:
        for ref, old, new, news in accepted:
            pushguard.append_log(Path(git_dir) / pushguard.PUSH_LOG, now, ref, old, new, news)
    return problems


class HookInstallError(Exception):
    """The hook cannot be installed; the message says why and the fix, in Vietnamese."""


def install(portal, bare_repo: Path, python: str) -> Path:
    """Copy the portal's scripts/hooks/pre-receive into a bare repository, bound to this Python."""
    if not portal.hook_template.is_file():
        raise HookInstallError(
            f"không có tệp hook {portal.hook_template}: cổng này thiếu scripts/hooks/pre-receive; "
            "lấy lại tệp đó từ kho gốc (git checkout -- scripts/hooks/pre-receive) rồi chạy lại")
    hooks = Path(bare_repo) / "hooks"
    if not (Path(bare_repo) / "objects").is_dir():
        raise HookInstallError(f"{bare_repo} không phải một kho Git bare (không có thư mục objects/); "
                               "tạo bằng: git init --bare <thư mục>")
    hooks.mkdir(exist_ok=True)
    template = portal.hook_template.read_text("utf-8")
    target = hooks / "pre-receive"
    target.write_text(template.replace('PYTHON="${CCHC_PYTHON:-python3}"', f'PYTHON="${{CCHC_PYTHON:-{python}}}"'), "utf-8")
    target.chmod(0o755)
    return target
