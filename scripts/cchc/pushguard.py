"""What the hook and the audit check in history itself, beyond the final tree.

- A merge into main may bring only what its second parent's branch brings: its tree
  must equal Git's own merge of its two parents (`git merge-tree --write-tree`, Git ≥
  2.38). Anything else (an article added, a member promoted in board.yml, a conflict
  "resolved" with new text) is the merger's own unapproved change.
- Every commit a push brings is read, not only the last: each commit's changed content
  files go through the harm rules (the gate's own checks, scripts/cchc/check.py), so a
  stamp or an ID number written then removed on a branch never enters main's
  permanent history.
- Terms and revocations are judged at the time the server received a commit, never by
  the dates written in it (anyone can back-date those). The hook keeps a push log,
  `cchc-push-log.jsonl` in the bare repository: one JSON line per accepted push,
  `{"received": ISO time, "ref": …, "old": …, "new": …, "commits": [SHAs new to the
  server]}`. The hook's clock is `dates.now()` (CCHC_NOW in tests). The audit reads
  the same log (`cchc audit --push-log`, by default the one in the repository's Git
  folder); a commit the log does not name (pushed before the log existed) is judged
  by its committer date, and the audit says the log is missing when there is none.
"""

import json
from datetime import datetime
from pathlib import Path

from . import gitcmd
from .dates import parse

PUSH_LOG = "cchc-push-log.jsonl"
# The rules every intermediate commit must pass: harm, whatever the final tree says.
INTERMEDIATE_RULES = {"secret", "not-public", "personal-data", "unsafe-html"}


def merge_extra_paths(repo: Path, sha: str) -> list[str]:
    """Paths where merge `sha` differs from Git's own merge of its parents: the changes
    the merge commit itself makes. A conflicting merge counts every conflicted path
    (the resolution was nobody's approved change: merge main into the branch and have
    it approved again)."""
    parents = gitcmd.run(repo, "rev-list", "--parents", "-n", "1", sha).split()[1:]
    if len(parents) != 2:
        return []
    out = gitcmd.run(repo, "merge-tree", "--write-tree", "--no-messages", "-z", parents[0], parents[1], check=False)
    fields = out.split("\0")
    merged = fields[0].strip()
    if not merged:
        raise gitcmd.GitError(f"lệnh git merge-tree không cho kết quả cho commit {sha[:10]} (cần Git ≥ 2.38)")
    conflicted = [f.split("\t", 1)[1] for f in fields[1:] if "\t" in f]
    differ = [p for p in gitcmd.run(repo, "diff", "--name-only", "-z", "--no-renames", merged, sha).split("\0") if p]
    return list(dict.fromkeys(conflicted + differ))


def merge_base(repo: Path, sha: str) -> str:
    """Where the branch merged by `sha` left main: what it brings is judged from there
    (with merge_extra_paths, that is exactly what the merge changes on main)."""
    parents = gitcmd.run(repo, "rev-list", "--parents", "-n", "1", sha).split()[1:]
    return gitcmd.run(repo, "merge-base", parents[0], parents[1]).strip()


def merge_extra_problem(paths: list[str]) -> str:
    return ("commit hợp nhất tự thay đổi nội dung ngoài nhánh đã được duyệt (khác kết quả hợp nhất tự động của hai commit cha): "
            + ", ".join(paths) + "; hãy gửi thay đổi đó trên một nhánh riêng để Ban Biên tập duyệt")


def content_commits(repo: Path, span: list[str]) -> list[tuple[str, str | None]]:
    """(commit, first parent) of every non-merge commit in `span` (rev-list arguments)
    that changes a file under content/, oldest first."""
    out = gitcmd.run(repo, "rev-list", "--reverse", "--no-merges", "--parents", *span, "--", "content/")
    found = []
    for line in filter(None, out.splitlines()):
        sha, *parents = line.split()
        found.append((sha, parents[0] if parents else None))
    return found


def intermediate_harm(worktree: Path, commits: list[tuple[str, str | None]], skip: set[str] = frozenset(),
                      rules_root: Path | None = None) -> list[tuple[str, str]]:
    """(commit, finding text) for each harm finding in the files each commit changes,
    read by the gate itself at that commit against its parent. `worktree` is a scratch
    working repository that can be checked out freely; `rules_root`: the portal whose
    settings, schemas and registries judge (the audit: today's), else the commit's own."""
    from .check import run as run_gate
    from .portal import Portal

    found = []
    for sha, parent in commits:
        if sha in skip:
            continue
        gitcmd.run(worktree, "-c", "advice.detachedHead=false", "checkout", "-q", "--detach", sha)
        report = run_gate(Portal(Path(worktree).resolve(), rules_root) if rules_root else worktree, base=parent)
        found += [(sha, f.text()) for f in report.findings if f.severity == "error" and f.rule in INTERMEDIATE_RULES]
    return found


def read_log(path: Path | None) -> dict[str, datetime] | None:
    """When the server received each commit, from a push log; None when there is none."""
    if path is None or not Path(path).is_file():
        return None
    received: dict[str, datetime] = {}
    for line in Path(path).read_text("utf-8").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        when = parse(entry["received"])
        for sha in entry.get("commits", []):
            received.setdefault(sha, when)  # the first time the server saw it
    return received


def append_log(path: Path, received: datetime, ref: str, old: str, new: str, commits: list[str]) -> None:
    entry = {"received": received.isoformat(), "ref": ref, "old": old, "new": new, "commits": commits}
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False) + "\n")


def default_log(repo: Path) -> Path:
    common = gitcmd.run(repo, "rev-parse", "--git-common-dir").strip()
    return (Path(repo) / common).resolve() / PUSH_LOG
