"""Approvals native to Git, for any host (a province's own server included).

`cchc approve`: a board member, on the submission branch, records an approval as an
empty commit whose trailers name the member and the tree approved. `cchc merge`
merges a branch into main with a merge commit carrying every valid approval as
`Approved-by: Name <email>` trailers, and refuses when a file lacks one. The same
check (`merge_problems`) guards pushes (the pre-receive hook) and the audit.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import signing
from .dates import TIMEZONE
from .board import LEADERS, Roster, Route, day_of, missing_approvals, today
from .gitcmd import name_status
from .gitcmd import run as git

APPROVED_BY = re.compile(r"^Approved-by:\s*(.+?)\s*<([^>]+)>\s*$", re.M)
APPROVED_TREE = re.compile(r"^Approved-tree:\s*([0-9a-f]{40})\s*$", re.M)


class ApprovalError(Exception):
    pass


@dataclass(frozen=True)
class CommitInfo:
    sha: str
    email: str
    name: str
    date: datetime
    tree: str
    message: str

    @property
    def is_approval(self) -> bool:
        return bool(APPROVED_TREE.search(self.message))


def commits_between(repo: Path, base: str, tip: str) -> list[CommitInfo]:
    out = git(repo, "log", "--format=%H%x1f%ae%x1f%an%x1f%aI%x1f%T%x1f%B%x1e", f"{base}..{tip}")
    commits = []
    for record in filter(str.strip, out.split("\x1e")):
        sha, email, name, when, tree, message = record.strip("\n").split("\x1f")
        commits.append(CommitInfo(sha, email, name, datetime.fromisoformat(when), tree, message))
    return commits


def changed_paths(repo: Path, base: str, tip: str) -> list[str]:
    """Every path the change touches; a rename counts for both its old and new path."""
    return list(dict.fromkeys(p for change in name_status(repo, base, tip) for p in (change.old_path, change.path) if p))


def approvals_on_branch(commits: list[CommitInfo], tip_tree: str, roster: Roster, received: dict[str, datetime] | None = None,
                        signed_by: dict[str, str | None] | None = None) -> dict[str, CommitInfo]:
    """Valid approvals: approval commits for exactly the tree at the tip, by a member.
    With `received` (when the server received each commit: the hook's clock, the push
    log), the member must also have been in term when the server received the approval,
    whatever date the commit itself claims. With `signed_by` (signing.signers), the
    commit must be signed by that member's own key."""
    valid = {}
    for commit in commits:
        found = APPROVED_TREE.search(commit.message)
        member = roster.by_email(commit.email)
        if found and found.group(1) == tip_tree and member:
            if signed_by is not None and (signed_by.get(commit.sha) or "").lower() != commit.email.lower():
                continue
            if received is not None and commit.sha in received and member["id"] not in {m["id"] for m in roster.active(day_of(received[commit.sha]))}:
                continue
            valid[member["id"]] = commit
    return valid


def merge_problems(repo: Path, base: str, tip: str, roster: Roster, approver_emails: list[str] | None = None,
                   when: datetime | None = None, received: dict[str, datetime] | None = None,
                   signed: bool = True) -> tuple[list[Route], list[tuple[Route, str]]]:
    """What is missing for `tip` to enter main at `base`. Approvers are the approval
    commits on the branch for the tree at its tip; with `approver_emails` (the trailers
    of a merge commit) only those that also have such a commit count, so a trailer
    written by hand proves nothing. `when` is the moment the merge is judged (the
    hook: when the server receives it); without it, the branch's latest commit date.
    `received`: see approvals_on_branch. With `signed` (the default), an approval counts
    only when signed by the member's key in `roster` (signing.py); an unsigned or
    wrongly signed approval is reported as such."""
    commits = commits_between(repo, base, tip)
    content_commits = [c for c in commits if not c.is_approval]
    day = day_of(when) if when is not None else day_of(max((c.date for c in commits), default=datetime.now().astimezone()))
    tip_tree = git(repo, "rev-parse", f"{tip}^{{tree}}").strip()
    signed_by = None
    forged: list[tuple[Route, str]] = []
    if signed:
        claimed = approvals_on_branch(commits, tip_tree, roster, received)
        if approver_emails is not None:
            claimed = {mid: c for mid, c in claimed.items() if c.email.lower() in {e.lower() for e in approver_emails}}
        signed_by = signing.signers(repo, [c.sha for c in claimed.values()], roster)
        for mid, c in claimed.items():
            if (signed_by.get(c.sha) or "").lower() != c.email.lower():
                key = ((roster.members[mid].get("git") or {}).get("signing_key"))
                why = "không có chữ ký SSH" if not key else "không có chữ ký hợp lệ của khoá ghi trong content/data/board.yml"
                forged.append((Route(f"commit {c.sha[:10]}", None, ()), f"[{signing.RULE}] phê duyệt của “{mid}” ({c.email}) {why}; phê duyệt này không được nhận"))
    approvers = set(approvals_on_branch(commits, tip_tree, roster, received, signed_by))
    if approver_emails is not None:
        approvers &= {m["id"] for email in approver_emails if (m := roster.by_email(email))}
    authors = {m["id"] for c in content_commits if (m := roster.by_email(c.email))}
    routes = [roster.route(path, day) for path in changed_paths(repo, base, tip)]
    stale = stale_approvals(commits, tip_tree, roster, approvers)
    missing = [(route, why + "".join(f"; {text}" for mid, text in stale.items() if mid in route.approvers))
               for route, why in missing_approvals(routes, approvers, authors)]
    return routes, forged + missing


def stale_approvals(commits: list[CommitInfo], tip_tree: str, roster: Roster, valid: set[str]) -> dict[str, str]:
    """Members whose latest approval is for an earlier state of the branch (and who have
    none for the tip): the commit it predates, and that they must approve the head again.
    `commits` newest first, as `git log` lists them."""
    head = next((c for c in commits), None)
    found = {}
    for index, commit in enumerate(commits):
        match = APPROVED_TREE.search(commit.message)
        member = roster.by_email(commit.email)
        if not match or not member or match.group(1) == tip_tree or member["id"] in valid or member["id"] in found:
            continue
        later = [c for c in commits[:index] if not c.is_approval]
        if not later:
            continue
        first = later[-1]  # the first change made after the approval
        subject = first.message.strip().split("\n", 1)[0]
        found[member["id"]] = (f"phê duyệt của “{member['id']}” (commit {commit.sha[:7]}) đã cũ: ghi trước commit {first.sha[:7]} “{subject}” "
                               f"({first.date.astimezone(TIMEZONE):%d/%m/%Y %H:%M}) nên không tính cho nội dung hiện tại; "
                               f"thành viên cần chạy lại “cchc approve” trên commit mới nhất {head.sha[:7]}")
    return found


def approved_by(repo: Path, base: str, tip: str, roster: Roster) -> tuple[set[str], set[str]]:
    """The members whose approval counts for the tip as it stands (for its tree, signed by
    their key), and the members who wrote changes on the branch (theirs never counts)."""
    commits = commits_between(repo, base, tip)
    tip_tree = git(repo, "rev-parse", f"{tip}^{{tree}}").strip()
    claimed = approvals_on_branch(commits, tip_tree, roster)
    signed_by = signing.signers(repo, [c.sha for c in claimed.values()], roster)
    authors = {m["id"] for c in commits if not c.is_approval and (m := roster.by_email(c.email))}
    return set(approvals_on_branch(commits, tip_tree, roster, signed_by=signed_by)), authors


def identity_missing(member: dict) -> list[str]:
    """What board.yml still lacks for this member to approve in Git: the fields' names."""
    identity = member.get("git") or {}
    return [key for key in ("git.email", "git.signing_key") if not identity.get(key.split(".")[1])]


def describe(problems: list[tuple[Route, str]]) -> list[str]:
    return [f"{route.path}: {reason}" for route, reason in problems]


def approve(repo: Path, base: str) -> str:
    """Record the current user's approval of the branch as it stands; return the commit.

    Refused, with nothing recorded, when the approval could not count: the member is
    not responsible for any file the branch changes, or the branch fails the gate the
    server hook runs (its findings shown)."""
    branch = git(repo, "symbolic-ref", "--short", "HEAD").strip()
    email = git(repo, "config", "user.email").strip()
    name = git(repo, "config", "user.name").strip()
    roster = Roster.at_commit(repo, base)  # the roster of main, never the branch's own
    member = roster.by_email(email)
    if member is None:
        raise ApprovalError(f"“{email}” không phải thư điện tử Git của thành viên Ban Biên tập trong {base}:content/data/board.yml")
    commits = commits_between(repo, base, "HEAD")
    if any(c.email.lower() == email.lower() for c in commits if not c.is_approval):
        raise ApprovalError("thành viên đã gửi thay đổi trên nhánh này không được tự duyệt; cần một thành viên khác")
    if not commits:
        raise ApprovalError(f"nhánh “{branch}” không có thay đổi nào so với {base}")
    merge_base = git(repo, "merge-base", base, "HEAD").strip()
    _check_responsible(member, roster, [roster.route(path, today()) for path in changed_paths(repo, merge_base, "HEAD")])
    key = signing.configured_key(repo)
    recorded = (member.get("git") or {}).get("signing_key")
    if key is None:
        raise ApprovalError(f"[{signing.RULE}] máy này chưa thiết lập khoá ký SSH cho Git; phê duyệt không có chữ ký không được nhận.\n{signing.HOW_TO}")
    if not recorded:
        raise ApprovalError(f"[{signing.RULE}] content/data/board.yml của {base} chưa ghi khoá ký (git.signing_key) của “{member['id']}”; "
                            f"hãy gửi dòng khoá công khai ({key.split()[0]} …) cho Trưởng ban.\n{signing.HOW_TO}")
    if not signing.same_key(key, recorded):
        raise ApprovalError(f"[{signing.RULE}] khoá ký đang thiết lập (user.signingkey) khác khoá ghi cho “{member['id']}” trong content/data/board.yml; "
                            "hãy dùng đúng khoá đó hoặc đề nghị Trưởng ban cập nhật")
    from . import hook  # the hook judges with this module's merge_problems

    head = git(repo, "rev-parse", "HEAD").strip()
    findings = hook.gate(_git_dir(repo), merge_base, head)
    if findings:
        raise ApprovalError(f"nhánh “{branch}” (commit {head[:10]}) không đạt kiểm tra mà máy chủ sẽ chạy khi hợp nhất; "
                            "phê duyệt lúc này không có giá trị nên chưa được ghi. Người gửi cần sửa các lỗi sau rồi đề nghị duyệt lại:\n"
                            + "\n".join(findings))
    tree = git(repo, "rev-parse", "HEAD^{tree}").strip()
    message = f"Duyệt nhánh {branch}\n\nApproved-by: {name} <{email}>\nApproved-tree: {tree}\n"
    git(repo, "-c", "gpg.format=ssh", "commit", "-S", "--allow-empty", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def _check_responsible(member: dict, roster: Roster, routes: list[Route]) -> None:
    """Refuse an approval that covers none of the files: who the member is for, who is for these."""
    if any(member["id"] in route.approvers for route in routes):
        return
    own = ", ".join(member.get("fields") or []) or "không có lĩnh vực nào"
    if member["role"] in LEADERS:
        own = "mọi lĩnh vực (lãnh đạo Ban)"
    lines = []
    for route in routes:
        who = ", ".join(f"{roster.members[i]['name']} ({i})" for i in route.approvers) or "chưa có ai được giao"
        what = f"lĩnh vực “{route.field}”" if route.field else "tệp này"
        lines.append(f"  {route.path}: {what}, do {who} duyệt")
    active = {m["id"] for m in roster.active(today())}
    term = "" if member["id"] in active else f"; nhiệm kỳ của “{member['id']}” không còn hiệu lực hôm nay (từ {member.get('start')} đến {member.get('end') or '—'})"
    raise ApprovalError(f"“{member['id']}” phụ trách: {own}{term}; không có tệp nào của nhánh này thuộc phần được giao, "
                        "nên phê duyệt không được tính và chưa được ghi. Những người được duyệt:\n" + "\n".join(lines))


def _git_dir(repo: Path) -> Path:
    return Path(git(repo, "rev-parse", "--absolute-git-dir").strip())


def merge(repo: Path, branch: str, into: str = "main") -> str:
    """Merge `branch` into `into` (checked out) with the approvals as trailers.

    The merge commit is made first without moving any ref, and judged by the server
    hook's own check of main (approvals, signatures, the merge's own changes, the gate
    with history). Only when it passes does `into` move to it (fast-forward): on a
    refusal `into`, its working tree and every ref are as they were."""
    current = git(repo, "symbolic-ref", "--short", "HEAD").strip()
    if current != into:
        raise ApprovalError(f"hãy chuyển sang nhánh {into} trước khi hợp nhất (đang ở {current})")
    base = git(repo, "merge-base", into, branch).strip()
    roster = Roster.at_commit(repo, into)
    routes, problems = merge_problems(repo, base, branch, roster)
    if problems:
        raise ApprovalError("chưa đủ phê duyệt:\n" + "\n".join(describe(problems)))
    commits = commits_between(repo, base, branch)
    tip_tree = git(repo, "rev-parse", f"{branch}^{{tree}}").strip()
    approvals = approvals_on_branch(commits, tip_tree, roster)
    trailers = "\n".join(f"Approved-by: {c.name} <{c.email}>" for c in approvals.values())
    old = git(repo, "rev-parse", into).strip()
    tip = git(repo, "rev-parse", branch).strip()
    merged_tree = git(repo, "merge-tree", "--write-tree", "--no-messages", old, tip, check=False).strip()
    if not merged_tree or len(merged_tree.split()) != 1:
        raise ApprovalError(f"nhánh {branch} xung đột với {into}; hãy hợp nhất {into} vào nhánh {branch}, giải quyết xung đột rồi đề nghị duyệt lại")
    from . import hook

    candidate = git(repo, "commit-tree", merged_tree, "-p", old, "-p", tip, input=f"Hợp nhất {branch}\n\n{trailers}\n").strip()
    refused = hook.check_main(_git_dir(repo), old, candidate)
    if refused:
        raise ApprovalError(f"máy chủ sẽ từ chối bản hợp nhất này nên {into} được giữ nguyên:\n" + "\n".join(refused))
    git(repo, "merge", "--ff-only", "-q", candidate)
    return git(repo, "rev-parse", "HEAD").strip()


def trailer_emails(message: str) -> list[str]:
    return [email for _name, email in APPROVED_BY.findall(message)]
