"""The one way the package calls Git: the `git` program, one process per question, and
one `cat-file --batch` process for many blobs.

Plain subprocess rather than GitPython: every question asked here is one git command
whose output is parsed once (GitPython ran the same commands underneath, and reading
blob by blob through it cost a round trip each), and a bare repository on a server,
with the pushed objects in quarantine, is just a folder with the environment git sets.
"""

import subprocess
from dataclasses import dataclass
from pathlib import Path


class GitError(Exception):
    """A git command failed; the message is Vietnamese and quotes git's own words."""


def run(repo: Path, *args: str, check: bool = True, env: dict | None = None, input: str | None = None) -> str:
    """Run `git ARGS` in `repo` (a working tree or a bare repository); its output as text."""
    result = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=repo, capture_output=True, text=True, env=env, input=input)
    if check and result.returncode != 0:
        raise GitError(f"lệnh git {' '.join(args[:3])}… không thành công: {result.stderr.strip() or result.stdout.strip()}")
    return result.stdout


def succeeds(repo: Path, *args: str, env: dict | None = None) -> bool:
    """Does `git ARGS` exit 0 (a yes/no question: is-ancestor, verify)?"""
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, env=env).returncode == 0


def blobs(repo: Path, names: list[str]) -> dict[str, bytes | None]:
    """The bytes of each object named (a SHA or `rev:path`), all read by one
    `git cat-file --batch`; None for an object that does not exist."""
    if not names:
        return {}
    out = subprocess.run(["git", "cat-file", "--batch"], cwd=repo, input="\n".join(names).encode() + b"\n",
                         capture_output=True, check=True).stdout
    found, offset = {}, 0
    for name in names:
        header_end = out.index(b"\n", offset)
        header = out[offset:header_end].split()
        if header[-1] == b"missing":
            found[name], offset = None, header_end + 1
            continue
        size = int(header[2])
        found[name] = out[header_end + 1 : header_end + 1 + size]
        offset = header_end + 1 + size + 1
    return found


def show(repo: Path, revision: str, path: str) -> str | None:
    """A file's text at a revision, None when it did not exist there."""
    data = blobs(repo, [f"{revision}:{path}"])[f"{revision}:{path}"]
    return data.decode("utf-8") if data is not None else None


@dataclass(frozen=True)
class FileChange:
    status: str  # "A", "M", "D" or "R"
    path: str  # the path after the change (the deleted path for "D")
    old_path: str | None = None  # for "R"


def name_status(repo: Path, base: str, tip: str | None, *paths: str) -> list[FileChange]:
    """What `tip` (None: the working tree's tracked files) changes against `base`, renames
    followed (copies count as additions)."""
    fields = run(repo, "diff", "--name-status", "-z", "-M", "--no-color", base, *([tip] if tip else []), "--", *paths).split("\0")
    changes, index = [], 0
    while index < len(fields) and fields[index]:
        status = fields[index][0]
        if status in "RC":
            changes.append(FileChange("R" if status == "R" else "A", fields[index + 2], fields[index + 1] if status == "R" else None))
            index += 3
        else:
            changes.append(FileChange({"T": "M"}.get(status, status), fields[index + 1]))
            index += 2
    return changes


def untracked(repo: Path, *paths: str) -> list[str]:
    """Files Git does not track yet and does not ignore (.gitignore, info/exclude)."""
    return sorted(filter(None, run(repo, "ls-files", "-z", "--others", "--exclude-standard", "--", *paths).split("\0")))


def toplevel(folder: Path) -> Path | None:
    """The working tree holding `folder`, None outside Git."""
    result = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True, text=True)
    return Path(result.stdout.strip()) if result.returncode == 0 else None
