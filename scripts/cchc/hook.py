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
"""

import os
import shutil
import tempfile
from pathlib import Path

from . import approval_records, gitcmd
from .board import Roster
from .gitapproval import describe, merge_problems, trailer_emails

ZERO = "0" * 40
MAIN = "refs/heads/main"
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


def _gate(git_dir: Path, old: str, new: str, only: set[str] | None = None) -> list[str]:
    from .check import run

    folder = Path(tempfile.mkdtemp(prefix="cchc-hook-"))
    saved = dict(os.environ)
    try:
        repo = scratch_checkout(git_dir, new, folder)
        os.environ.clear()
        os.environ.update(_clean_env())
        report = run(repo, base=old if old != ZERO else None)
    finally:
        os.environ.clear()
        os.environ.update(saved)
        shutil.rmtree(folder, ignore_errors=True)
    return [f.text() for f in report.findings if f.severity == "error" and (only is None or f.rule in only)]


def check_main(git_dir: Path, old: str, new: str, lines: list[str] = ()) -> list[str]:
    if new == ZERO:
        return ["không được xoá nhánh main: nội dung đã đăng được lưu trữ vĩnh viễn (Điều 8.4)"]
    if old == ZERO:
        return _gate(git_dir, old, new)  # the first push that creates main: its content must pass the gate
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
        _routes, missing = merge_problems(git_dir, parents[0], parents[1], roster, trailer_emails(message))
        found = describe(missing)
        if found:  # approved on GitHub instead, its record pushed with main? (approval_records)
            recorded = approval_records.verdict_in_push(git_dir, sha, lines)
            found = found if recorded is None else recorded
        problems += [f"commit {sha[:10]}: {line}" for line in found]
    return problems + _gate(git_dir, old, new)


def check_branch(git_dir: Path, old: str, new: str) -> list[str]:
    """Submission branches may fail the gate while being drafted; revoked accounts may not push."""
    if new == ZERO or not gitcmd.run(git_dir, "rev-parse", "--verify", "-q", MAIN, check=False).strip():
        return []
    return _gate(git_dir, gitcmd.run(git_dir, "rev-parse", MAIN).strip(), new, only={"account"})


def pre_receive(git_dir: Path, lines: list[str]) -> list[str]:
    problems = []
    for line in lines:
        if not line.strip():
            continue
        old, new, ref = line.split()
        if ref == approval_records.NOTES_REF:
            found = approval_records.check_notes_push(git_dir, old, new, lines)
        else:
            found = check_main(git_dir, old, new, lines) if ref == MAIN else check_branch(git_dir, old, new)
        problems += [f"{ref}: {p}" for p in found]
    return problems


def install(portal, bare_repo: Path, python: str) -> Path:
    """Copy the portal's scripts/hooks/pre-receive into a bare repository, bound to this Python."""
    template = portal.hook_template.read_text("utf-8")
    target = Path(bare_repo) / "hooks" / "pre-receive"
    target.write_text(template.replace('PYTHON="${CCHC_PYTHON:-python3}"', f'PYTHON="${{CCHC_PYTHON:-{python}}}"'), "utf-8")
    target.chmod(0o755)
    return target
