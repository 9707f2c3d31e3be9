"""`cchc audit`: who approved each change of published content, and were they allowed to?

Walks main's first-parent line. Every commit that changed content must be a merge
whose `Approved-by:` trailers satisfy the roster as it stood before the merge, on the
merge's date, with no author approving their own change (for a merge made on GitHub:
whose record under refs/notes/cchc-approvals does, see approval_records); and what it
brought must pass today's gate against what main was before it.

History is read too (scripts/cchc/pushguard.py): a merge must bring nothing beyond
its second parent's branch; every commit of a merged branch passes the harm rules;
Git-native approvals must be SSH-signed by the member's key (signing.py); and where
the hook's push log is at hand (`push_log`, by default `cchc-push-log.jsonl` in the
Git folder), terms are judged at the time the server received each commit rather
than by the dates the commits claim.
"""

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import pushguard
from .approval_records import Archive
from .board import Roster, day_of
from .dates import parse
from .check import run as run_gate
from .portal import Portal
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


def audit(repo: Path, since: str | None = None, branch: str = "main", push_log: Path | None = None,
          from_date: str | None = None) -> list[AuditFinding]:
    """Findings about main's commits after `since` (a ref) or from `from_date` (YYYY-MM-DD,
    Viet Nam time). Each commit's content is judged by the rules of the checkout at `repo`
    (its settings, schemas and registries, and this code), never by the commit's own."""
    rules_root = Path(repo).resolve()
    span = f"{since}..{branch}" if since else branch
    received = pushguard.read_log(push_log if push_log is not None else pushguard.default_log(repo))
    listing = git(repo, "log", "--first-parent", "--reverse", "--format=%H%x1f%P%x1f%cs%x1f%s%x1f%cI", span, "--", "content/")
    if from_date is not None:
        listing = "\n".join(line for line in listing.splitlines()
                            if line and day_of(parse(line.split("\x1f")[4])).isoformat() >= from_date)
    findings = []
    records = Archive.load(repo)  # approvals given on GitHub, archived in Git
    scratch = Path(tempfile.mkdtemp(prefix="cchc-audit-"))
    try:
        worktree = scratch / "portal"
        git(repo, "worktree", "add", "-q", "--detach", str(worktree), branch)
        for line in filter(None, listing.splitlines()):
            sha, parents, day, subject, committed = line.split("\x1f")
            parents = parents.split()
            if len(parents) == 2:
                roster = Roster.at_commit(repo, parents[0])
                message = git(repo, "log", "-1", "--format=%B", sha)
                when = (received or {}).get(sha) or parse(committed)
                _routes, missing = merge_problems(repo, pushguard.merge_base(repo, sha), parents[1], roster, trailer_emails(message),
                                                  when=when, received=received)
                problems = [f"thiếu phê duyệt hợp lệ: {p}" for p in describe(missing)]
                if problems:  # not approved in Git: approved on GitHub? (approval_records)
                    problems = records.audit(sha, problems)
                findings += [AuditFinding(sha, day, subject, p) for p in problems]
                extra = pushguard.merge_extra_paths(repo, sha)
                if extra:
                    findings.append(AuditFinding(sha, day, subject, pushguard.merge_extra_problem(extra)))
                branch_commits = pushguard.content_commits(repo, [parents[1], f"^{parents[0]}"])
                for commit, text in pushguard.intermediate_harm(worktree, branch_commits, skip={parents[1]}, rules_root=rules_root):
                    findings.append(AuditFinding(sha, day, subject, f"commit {commit[:10]} của nhánh được hợp nhất không đạt kiểm tra: {text}"))
            else:
                findings.append(AuditFinding(sha, day, subject, "thay đổi nội dung đưa thẳng vào main, không có phê duyệt của Ban Biên tập"))
            if parents:
                git(worktree, "checkout", "-q", "--detach", sha)
                report = run_gate(Portal(worktree.resolve(), rules_root), base=parents[0])
                findings += [AuditFinding(sha, day, subject, f"không đạt kiểm tra: {f.text()}") for f in report.findings if f.severity == "error"]
    finally:
        git(repo, "worktree", "remove", "--force", str(scratch / "portal"), check=False)
        shutil.rmtree(scratch, ignore_errors=True)
    return findings
