"""`cchc audit`: who approved each change of published content, and were they allowed to?

Walks main's first-parent line. Every commit that changed content must be a merge
whose `Approved-by:` trailers satisfy the roster as it stood before the merge, on the
merge's date, with no author approving their own change (for a merge made on GitHub:
whose record under refs/notes/cchc-approvals does, see approval_records); and what it
brought must pass today's gate against what main was before it.
"""

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .approval_records import Archive
from .board import Roster
from .check import run as run_gate
from .gitapproval import describe, merge_problems, trailer_emails
from .gitcmd import run as git


@dataclass(frozen=True)
class AuditFinding:
    sha: str
    date: str
    subject: str
    problem: str

    def text(self) -> str:
        return f"commit {self.sha[:10]} ({self.date}) “{self.subject}”: {self.problem}"


def audit(repo: Path, since: str | None = None, branch: str = "main") -> list[AuditFinding]:
    span = f"{since}..{branch}" if since else branch
    listing = git(repo, "log", "--first-parent", "--reverse", "--format=%H%x1f%P%x1f%cs%x1f%s", span, "--", "content/")
    findings = []
    records = Archive.load(repo)  # approvals given on GitHub, archived in Git
    scratch = Path(tempfile.mkdtemp(prefix="cchc-audit-"))
    try:
        worktree = scratch / "portal"
        git(repo, "worktree", "add", "-q", "--detach", str(worktree), branch)
        for line in filter(None, listing.splitlines()):
            sha, parents, day, subject = line.split("\x1f")
            parents = parents.split()
            if len(parents) == 2:
                roster = Roster.at_commit(repo, parents[0])
                message = git(repo, "log", "-1", "--format=%B", sha)
                _routes, missing = merge_problems(repo, parents[0], parents[1], roster, trailer_emails(message))
                problems = [f"thiếu phê duyệt hợp lệ: {p}" for p in describe(missing)]
                if problems:  # not approved in Git: approved on GitHub? (approval_records)
                    problems = records.audit(sha, problems)
                findings += [AuditFinding(sha, day, subject, p) for p in problems]
            else:
                findings.append(AuditFinding(sha, day, subject, "thay đổi nội dung đưa thẳng vào main, không có phê duyệt của Ban Biên tập"))
            if parents:
                git(worktree, "checkout", "-q", "--detach", sha)
                report = run_gate(worktree, base=parents[0])
                findings += [AuditFinding(sha, day, subject, f"không đạt kiểm tra: {f.text()}") for f in report.findings if f.severity == "error"]
    finally:
        git(repo, "worktree", "remove", "--force", str(scratch / "portal"), check=False)
        shutil.rmtree(scratch, ignore_errors=True)
    return findings
