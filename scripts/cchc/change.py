"""What a branch changes against a base: files (added, modified, deleted, renamed), the
commits' authors, and the content as it stood at the base. One `git diff`, one walk of
the commits and one read of the base tree, whatever the number of files.
"""

import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import git

from .dates import TIMEZONE


@dataclass(frozen=True)
class FileChange:
    status: str  # "A", "M", "D" or "R"
    path: str  # the path after the change (the deleted path for "D")
    old_path: str | None = None  # for "R"


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

    def paths(self, *statuses: str) -> set[str]:
        return {f.path for f in self.files if f.status in statuses}


class GitError(Exception):
    pass


def branch_change(repo_dir: Path, base_ref: str, prefix: str = "content/") -> Change:
    try:
        repo = git.Repo(repo_dir, search_parent_directories=True)
        merge_base = repo.merge_base(base_ref, "HEAD")
    except (git.GitCommandError, git.InvalidGitRepositoryError, git.NoSuchPathError, ValueError) as exc:
        raise GitError(f"không đọc được nhánh cơ sở “{base_ref}”: {exc}") from None
    if not merge_base:
        raise GitError(f"nhánh hiện tại và “{base_ref}” không có commit chung (kho được sao chép nông? dùng fetch-depth: 0)")
    base = merge_base[0].hexsha
    raw = repo.git.diff("--name-status", "-z", "-M", "--no-color", base, "HEAD", "--", prefix)
    fields = raw.split("\0")
    files, index = [], 0
    while index < len(fields) and fields[index]:
        status = fields[index][0]
        if status in "RC":
            files.append(FileChange("R" if status == "R" else "A", fields[index + 2], fields[index + 1] if status == "R" else None))
            index += 3
        else:
            files.append(FileChange({"T": "M"}.get(status, status), fields[index + 1]))
            index += 2
    commits = [
        Commit(c.hexsha, c.author.name or "", c.author.email or "", c.authored_datetime.astimezone(TIMEZONE))
        for c in repo.iter_commits(f"{base}..HEAD")
    ]
    return Change(base, files, commits)


def files_at(repo_dir: Path, commit: str, prefix: str = "content/", suffix: str = ".md") -> dict[str, bytes]:
    """Every file under `prefix` ending in `suffix` as it stood at `commit`.

    One `git ls-tree` and one `git cat-file --batch` for all files: reading blob by blob
    through GitPython costs a round trip each, a third of a second per 5,000 files.
    """
    repo = git.Repo(repo_dir, search_parent_directories=True)
    listing = repo.git.ls_tree("-r", "-z", commit, "--", prefix)
    wanted = []
    for entry in filter(None, listing.split("\0")):
        meta, path = entry.split("\t", 1)
        if meta.split()[1] == "blob" and path.endswith(suffix):
            wanted.append((meta.split()[2], path))
    if not wanted:
        return {}
    batch = subprocess.run(["git", "cat-file", "--batch"], cwd=repo.working_tree_dir, input="\n".join(sha for sha, _ in wanted).encode() + b"\n",
                           capture_output=True, check=True).stdout
    files, offset = {}, 0
    for _sha, path in wanted:
        header_end = batch.index(b"\n", offset)
        size = int(batch[offset:header_end].split()[2])
        files[path] = batch[header_end + 1 : header_end + 1 + size]
        offset = header_end + 1 + size + 1
    return files
