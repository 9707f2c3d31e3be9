"""What a branch changes against a base: files (added, modified, deleted, renamed), the
commits' authors, and the content as it stood at the base. One `git diff`, one walk of
the commits and one read of the base tree, whatever the number of files.
"""

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from . import gitcmd
from .dates import TIMEZONE
from .gitcmd import FileChange, GitError

__all__ = ["Change", "Commit", "FileChange", "GitError", "branch_change", "files_at"]


@dataclass(frozen=True)
class Commit:
    sha: str
    name: str
    email: str
    date: datetime


@dataclass
class Change:
    base: str  # the merge base's SHA
    files: list[FileChange]
    commits: list[Commit]
    # Files whose working-tree version is what gets checked, not a commit's: edited since
    # HEAD or new and untracked (only when the change was read with `working_tree`).
    uncommitted: set[str] = field(default_factory=set)

    def paths(self, *statuses: str) -> set[str]:
        return {f.path for f in self.files if f.status in statuses}


def branch_change(repo_dir: Path, base_ref: str, prefix: str = "content/", working_tree: bool = False) -> Change:
    """The branch's change against `base_ref`; with `working_tree`, as the contributor's
    folder holds it: commits, then edits not committed yet and new files not yet added."""
    try:
        merge_base = gitcmd.run(repo_dir, "merge-base", base_ref, "HEAD", check=False).strip()
        if not merge_base:
            gitcmd.run(repo_dir, "rev-parse", "--verify", f"{base_ref}^{{commit}}")  # says why when the base is unknown
    except GitError as exc:
        raise GitError(f"không đọc được nhánh cơ sở “{base_ref}”: {exc}") from None
    if not merge_base:
        raise GitError(f"nhánh hiện tại và “{base_ref}” không có commit chung (kho được sao chép nông? dùng fetch-depth: 0)")
    files = gitcmd.name_status(repo_dir, merge_base, None if working_tree else "HEAD", prefix)
    uncommitted = set()
    if working_tree:
        new_files = [p for p in gitcmd.untracked(repo_dir, prefix) if p not in {f.path for f in files}]
        files += [FileChange("A", p) for p in new_files]
        uncommitted = {f.path for f in gitcmd.name_status(repo_dir, "HEAD", None, prefix)} | set(new_files)
    log = gitcmd.run(repo_dir, "log", "--format=%H%x1f%an%x1f%ae%x1f%aI", f"{merge_base}..HEAD")
    commits = []
    for line in filter(None, log.splitlines()):
        sha, name, email, when = line.split("\x1f")
        commits.append(Commit(sha, name, email, datetime.fromisoformat(when).astimezone(TIMEZONE)))
    return Change(merge_base, files, commits, uncommitted)


def files_at(repo_dir: Path, commit: str, prefix: str = "content/", suffix: str = ".md") -> dict[str, bytes]:
    """Every file under `prefix` ending in `suffix` as it stood at `commit`: one
    `git ls-tree` and one `git cat-file --batch` for all files."""
    wanted = []
    for entry in filter(None, gitcmd.run(repo_dir, "ls-tree", "-r", "-z", commit, "--", prefix).split("\0")):
        meta, path = entry.split("\t", 1)
        kind, sha = meta.split()[1:3]
        if kind == "blob" and path.endswith(suffix):
            wanted.append((sha, path))
    found = gitcmd.blobs(repo_dir, [sha for sha, _ in wanted])
    return {path: found[sha] for sha, path in wanted}
