"""The publication history of every content file, read from Git in one pass.

One `git log` over the main line (`--first-parent`, merges diffed against the branch
they were merged into), so each revision is one publication event on main, and its
approvals are the merge commit's `Approved-by:` trailers. The `change_note` of each
revision is read from the blob it published, all blobs in one `git cat-file --batch`.
The cost grows with the number of commits, never with files × commits. Renames are
followed so a moved file keeps its history.
"""

import re
import subprocess
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .dates import TIMEZONE
from .frontmatter import peek

_COMMIT = "\x1e"
_FIELD = "\x1f"
_TRAILER = "\x1d"
_FORMAT = f"{_COMMIT}%H{_FIELD}%cI{_FIELD}%s{_FIELD}%(trailers:key=Approved-by,valueonly,separator=%x1d)"


@dataclass(frozen=True)
class Revision:
    sha: str  # the main-line commit that published it
    date: datetime
    path: str  # the file's path at that revision
    blob: str
    change_note: str | None
    approved_by: tuple[str, ...]  # names only: e-mails stay private (Điều 11.3)


def git_root(folder: Path) -> Path | None:
    result = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True, text=True)
    return Path(result.stdout.strip()) if result.returncode == 0 else None


def is_shallow(root: Path) -> bool:
    result = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=root, capture_output=True, text=True)
    return result.stdout.strip() == "true"


def _names(trailers: str) -> tuple[str, ...]:
    return tuple(re.sub(r"\s*<[^>]*>\s*$", "", t.strip()) for t in trailers.split(_TRAILER) if t.strip())


def _notes(root: Path, blobs: set[str]) -> dict[str, str | None]:
    """change_note of each blob, all read in one cat-file process."""
    if not blobs:
        return {}
    ordered = sorted(blobs)
    out = subprocess.run(["git", "cat-file", "--batch"], cwd=root, input="\n".join(ordered).encode() + b"\n", capture_output=True, check=True).stdout
    notes, offset = {}, 0
    for blob in ordered:
        header_end = out.index(b"\n", offset)
        header = out[offset:header_end].split()
        if header[-1] == b"missing":
            offset = header_end + 1
            continue
        size = int(header[2])
        data = out[header_end + 1 : header_end + 1 + size]
        offset = header_end + 1 + size + 1
        if b"change_note" not in data:  # a first publication: no note, nothing to parse
            notes[blob] = None
            continue
        peeked = peek(data.decode("utf-8", "replace"), blob, ("change_note",))
        notes[blob] = peeked[0].get("change_note") if peeked else None
    return notes


def read(root: Path, prefix: str = "content/", ref: str = "HEAD") -> dict[str, list[Revision]]:
    """Revisions of every file under `prefix`, oldest first, keyed by the file's current path."""
    log = subprocess.run(
        ["git", "-c", "core.quotepath=off", "log", ref, "--first-parent", "--diff-merges=first-parent", "--raw", "--no-abbrev", "-M",
         f"--format={_FORMAT}", "--", prefix],
        cwd=root, capture_output=True, text=True, check=True,
    ).stdout
    current_name: dict[str, str] = {}  # a path in older commits -> the file's path today
    pending = []  # (current path, sha, date, path then, blob, approvers), newest first
    for chunk in log.split(_COMMIT)[1:]:
        header, _, raw = chunk.partition("\n")
        sha, date, _subject, trailers = header.split(_FIELD)
        when = datetime.fromisoformat(date).astimezone(TIMEZONE)
        for line in raw.splitlines():
            if not line.startswith(":"):
                continue
            meta, *paths = line.split("\t")
            _, _, _, blob, status = meta.split()
            if status.startswith("D"):
                continue
            then = paths[-1]
            now = current_name.get(then, then)
            pending.append((now, sha, when, then, blob, _names(trailers)))
            if status.startswith("R"):
                current_name[paths[0]] = now
    notes = _notes(root, {entry[4] for entry in pending})
    history: dict[str, list[Revision]] = defaultdict(list)
    for now, sha, when, then, blob, approvers in reversed(pending):
        history[now].append(Revision(sha, when, then, blob, notes.get(blob), approvers))
    return dict(history)
