"""The publication history of every content file, read from Git in one pass.

One `git log` over the main line (`--first-parent`, merges diffed against the branch
they were merged into), so each revision is one publication event on main, and its
approvals are the merge commit's `Approved-by:` trailers. The `change_note` of each
revision is read from the blob it published, all blobs in one `git cat-file --batch`.
The cost grows with the number of commits, never with files × commits. Renames are
followed so a moved file keeps its history.
"""

import os
import pickle
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import gitcmd
from .dates import TIMEZONE
from .frontmatter import peek_one

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
    # The e-mail of each approver, in the same order ("" when the trailer had none): never
    # shown, only used to show a board member by the name of the registry (`public_names`).
    approver_emails: tuple[str, ...] = ()


git_root = gitcmd.toplevel


def is_shallow(root: Path) -> bool:
    return gitcmd.run(root, "rev-parse", "--is-shallow-repository", check=False).strip() == "true"


def _names(trailers: str) -> tuple[str, ...]:
    return tuple(re.sub(r"\s*<[^>]*>\s*$", "", t.strip()) for t in trailers.split(_TRAILER) if t.strip())


def _emails(trailers: str) -> tuple[str, ...]:
    found = [re.search(r"<([^<>]*)>\s*$", t.strip()) for t in trailers.split(_TRAILER) if t.strip()]
    return tuple(m.group(1).strip().lower() if m else "" for m in found)


def public_names(revision: Revision, board: dict[str, dict]) -> tuple[str, ...]:
    """Who approved a revision, as the public may read it: a board member known by the
    trailer's e-mail is shown by the registry's name (the role until a decision names the
    person); anything else is the trailer's text, which templates escape."""
    by_email = {(m.get("git") or {}).get("email", "").lower(): m["name"] for m in board.values() if (m.get("git") or {}).get("email")}
    emails = revision.approver_emails or ("",) * len(revision.approved_by)
    return tuple(by_email.get(email, name) if email else name for name, email in zip(revision.approved_by, emails))


def _notes(root: Path, blobs: set[str]) -> dict[str, str | None]:
    """change_note of each blob, all read in one cat-file process."""
    if not blobs:
        return {}
    notes = {}
    for blob, data in gitcmd.blobs(root, sorted(blobs)).items():
        if data is None:
            continue
        if b"change_note" not in data:  # a first publication: no note, nothing to parse
            notes[blob] = None
            continue
        notes[blob] = peek_one(data.decode("utf-8", "replace"), blob, "change_note")
    return notes


def _log(root: Path, prefix: str, span: str) -> list[tuple]:
    """(sha, date, approvers, [(status, paths, blob)]) per main-line commit, oldest first."""
    log = gitcmd.run(root, "log", span, "--reverse", "--first-parent", "--diff-merges=first-parent", "--raw",
                     "--no-abbrev", "-M", f"--format={_FORMAT}", "--", prefix)
    commits = []
    for chunk in log.split(_COMMIT)[1:]:
        header, _, raw = chunk.partition("\n")
        sha, date, _subject, trailers = header.split(_FIELD)
        changes = []
        for line in raw.splitlines():
            if line.startswith(":"):
                meta, *paths = line.split("\t")
                _, _, _, blob, status = meta.split()
                changes.append((status[0], paths, blob))
        commits.append((sha, datetime.fromisoformat(date).astimezone(TIMEZONE), (_names(trailers), _emails(trailers)), changes))
    return commits


def read(root: Path, prefix: str = "content/", ref: str = "HEAD", cache_file: Path | None = None) -> dict[str, list[Revision]]:
    """Revisions of every file under `prefix`, oldest first, keyed by the file's current path.

    With `cache_file`, the history read last time is kept and only the commits added to
    the main line since are read (history on main only grows; anything else, such as a
    rewritten main, reads it all again).
    """
    head = gitcmd.run(root, "rev-parse", "--verify", "-q", ref, check=False).strip()
    history: dict[str, list[Revision]] = defaultdict(list)
    span = ref
    cached = _load(cache_file, prefix) if cache_file else None
    if cached and _on_main_line(root, cached["head"], head):
        history.update(cached["history"])
        span = f"{cached['head']}..{ref}"
    commits = _log(root, prefix, span) if head else []
    notes = _notes(root, {blob for *_, changes in commits for status, _paths, blob in changes if status != "D"})
    for sha, when, approvers, changes in commits:
        for status, paths, blob in changes:
            if status == "D":
                continue
            if status == "R":  # the file keeps its history under its new name
                history[paths[1]] = history.pop(paths[0], []) + history.get(paths[1], [])
            history[paths[-1]].append(Revision(sha, when, paths[-1], blob, notes.get(blob), *approvers))
    result = dict(history)
    if cache_file and head:
        _save(cache_file, {"head": head, "prefix": prefix, "history": result})
    return result


def _on_main_line(root: Path, ancestor: str, head: str) -> bool:
    """Is `ancestor` on the first-parent line of `head` (main grew, was not rewritten)?"""
    if not ancestor or not head:
        return False
    line = gitcmd.run(root, "rev-list", "--first-parent", head, check=False)
    return ancestor in line.split()


def _load(cache_file: Path, prefix: str) -> dict | None:
    try:
        with open(cache_file, "rb") as handle:
            data = pickle.load(handle)
    except (OSError, pickle.PickleError, EOFError, ValueError, AttributeError):
        return None
    return data if data.get("prefix") == prefix else None


def _save(cache_file: Path, data: dict) -> None:
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    temporary = cache_file.with_suffix(f".{os.getpid()}.tmp")
    with open(temporary, "wb") as handle:
        pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, cache_file)
