"""Approvals given on GitHub, archived in Git.

A pull request merged on GitHub's website leaves no `Approved-by:` trailer: its
approvals live in GitHub's database. After every push to main the publishing workflow
runs `cchc record-approvals`, which copies the pull request's reviews (the latest per
reviewer, as GitHub shows them) into a Git note on the merge commit, under
`refs/notes/cchc-approvals`: one JSON note per merge commit, written once.

What makes a record count (`cchc audit`, and the pre-receive hook of the province's
own server):

- the record was written by the publishing workflow: every commit of the notes ref
  that touched it has the workflow's identity as author and committer, and it was
  only ever added, never changed nor removed afterwards (append-only);
- it describes that merge: it names the merge commit, the merge has two parents and
  the pull request's head is the second one (GitHub's "Create a merge commit"; squash
  and rebase merges are not vouched for: nothing in Git ties them to what was
  reviewed);
- every approval counted reviewed exactly that head, and is by a board member (roster
  of main before the merge, GitHub login = `git.username`) allowed for the field of
  each file the merge brings (`Roster.route`, `missing_approvals`), active on the day
  of the review and not an author of the change (pull request author, commit authors
  on GitHub, commit authors in Git).

Git identities can be typed by anyone who can push; what makes the identity check
binding is the hook (it refuses any update of the notes ref that is not a
fast-forward adding notes, by the workflow's identity, for merge commits on main),
and on GitHub that only the workflow's token writes to the repository's refs. The
reviews themselves are authenticated by GitHub: a record names each review's id, so
it can always be checked against GitHub's API.

Git is called through `gitcmd`, the package's one Git helper.
"""

import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from . import gitcmd
from .board import Roster, day_of, missing_approvals
from .gitapproval import changed_paths
from .github_reviews import _flatten, latest_states

NOTES_REF = "refs/notes/cchc-approvals"
# The identity the publishing workflow writes records with (GitHub's own bot account).
PUBLISHER_NAME = "github-actions[bot]"
PUBLISHER_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"
SCHEMA = "cchc-approvals/1"
ZERO = "0" * 40
MAIN = "refs/heads/main"
_SHA = re.compile(r"^[0-9a-f]{40}$")
# Where Git servers tell a hook who is pushing: Gitolite, Gitea/Forgejo, GitLab, git-http-backend.
PUSHER_VARIABLES = ("GL_USER", "GITEA_PUSHER_NAME", "GL_USERNAME", "REMOTE_USER")


class RecordError(Exception):
    pass


def _git(repo: Path, *args: str, check: bool = True, input: str | None = None, env: dict | None = None) -> str:
    """`gitcmd.run`, with `env` added to the environment (the hook's quarantine included)."""
    return gitcmd.run(repo, *args, check=check, input=input, env={**os.environ, **env} if env else None)


def _parents(repo: Path, sha: str) -> list[str]:
    return _git(repo, "rev-list", "--parents", "-n", "1", sha).split()[1:]


# --- writing: `cchc record-approvals` -----------------------------------------------

def pull_for_merge(payload, merge_sha: str) -> dict:
    """The merged pull request from `GET /commits/{sha}/pulls` (a list, maybe paginated),
    a single pull request, or a workflow event that wraps one."""
    if isinstance(payload, dict):
        payload = [payload.get("pull_request", payload)]
    candidates = [p for p in _flatten(payload) if p.get("merge_commit_sha") == merge_sha and p.get("merged_at")]
    if len(candidates) != 1:
        raise RecordError(f"không tìm thấy đúng một pull request đã hợp nhất bằng commit {merge_sha[:10]} (tìm thấy {len(candidates)})")
    return candidates[0]


def latest_reviews(reviews) -> list[dict]:
    """Each reviewer's latest review that counts, as GitHub shows it (`latest_states`)."""
    states = latest_states(reviews)
    ordered = sorted(_flatten(reviews), key=lambda r: (r.get("submitted_at") or "", r["id"]))
    latest = {}
    for review in ordered:
        login = (review.get("user") or {}).get("login")
        if login in states and review["state"] == states[login]:
            latest[login] = review
    return [{"id": r["id"], "user": {"login": login}, "state": r["state"], "commit_id": r.get("commit_id"),
             "submitted_at": r.get("submitted_at"), "html_url": r.get("html_url")} for login, r in sorted(latest.items())]


def make_record(repo: Path, merge_sha: str, pulls, reviews, commits, files, environ: dict | None = None) -> dict:
    environ = os.environ if environ is None else environ
    pull = pull_for_merge(pulls, merge_sha)
    parents = _parents(repo, merge_sha)
    head = pull["head"]["sha"]
    if len(parents) != 2 or parents[1] != head:
        raise RecordError(f"commit {merge_sha[:10]} không phải commit hợp nhất của pull request #{pull['number']} "
                          f"(head {head[:10]}); chỉ ghi được phê duyệt cho kiểu hợp nhất “Create a merge commit”")
    authors = {pull["user"]["login"]} | {c["author"]["login"] for c in _flatten(commits) if c.get("author")}
    workflow = {}
    if environ.get("GITHUB_RUN_ID"):
        server, repository, run = environ.get("GITHUB_SERVER_URL", "https://github.com"), environ.get("GITHUB_REPOSITORY", ""), environ["GITHUB_RUN_ID"]
        workflow = {"run_id": run, "run_attempt": environ.get("GITHUB_RUN_ATTEMPT"), "repository": repository,
                    "workflow_ref": environ.get("GITHUB_WORKFLOW_REF"), "run_url": f"{server}/{repository}/actions/runs/{run}"}
    return {
        "schema": SCHEMA,
        "merge": merge_sha,
        "pull_request": {"number": pull["number"], "html_url": pull.get("html_url"), "title": pull.get("title"),
                         "head_sha": head, "head_ref": pull["head"].get("ref"), "base_sha": pull["base"]["sha"],
                         "base_ref": pull["base"].get("ref"), "merged_at": pull.get("merged_at"),
                         "merged_by": (pull.get("merged_by") or {}).get("login")},
        "authors": sorted(authors),
        "commits": [c["sha"] for c in _flatten(commits)],
        "files": sorted({f["filename"] for f in _flatten(files)} | {f["previous_filename"] for f in _flatten(files) if f.get("previous_filename")}),
        "reviews": latest_reviews(reviews),
        "workflow": workflow,
        "recorded_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def existing_note(repo: Path, sha: str) -> str | None:
    """The blob of the note on `sha`, if there is one."""
    return _git(repo, "notes", f"--ref={NOTES_REF}", "list", sha, check=False).strip() or None


def write_record(repo: Path, record: dict) -> bool:
    """Add the record as the note of its merge commit; False if one is already there
    (records are written once: the first one stays)."""
    sha = record["merge"]
    if existing_note(repo, sha) is not None:
        return False
    body = json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    blob = _git(repo, "hash-object", "-w", "--stdin", input=body).strip()  # -C keeps the bytes as they are
    identity = {"GIT_AUTHOR_NAME": PUBLISHER_NAME, "GIT_AUTHOR_EMAIL": PUBLISHER_EMAIL,
                "GIT_COMMITTER_NAME": PUBLISHER_NAME, "GIT_COMMITTER_EMAIL": PUBLISHER_EMAIL}
    _git(repo, "notes", f"--ref={NOTES_REF}", "add", "-C", blob, sha, env=identity)
    return True


def record(repo: Path, merge: str, pulls, reviews, commits, files) -> tuple[dict, bool]:
    sha = _git(repo, "rev-parse", "--verify", f"{merge}^{{commit}}").strip()
    made = make_record(repo, sha, pulls, reviews, commits, files)
    return made, write_record(repo, made)


# --- trust: who wrote each record, and was it ever changed ----------------------------

@dataclass(frozen=True)
class NotesCommit:
    """One commit of the notes ref and the notes it changed (annotated sha -> blob);
    a note moved by Git's fan-out of the notes tree (ab/cdef…) is no change."""
    sha: str
    parents: tuple[str, ...]
    author_email: str
    committer: str
    committer_email: str
    added: dict[str, str]
    removed: dict[str, str]

    @property
    def by_publisher(self) -> bool:
        return self.author_email == self.committer_email == PUBLISHER_EMAIL

    def changed(self) -> list[str]:
        return sorted(t for t in set(self.added) | set(self.removed) if self.added.get(t) != self.removed.get(t))


def notes_log(repo: Path, span: str) -> list[NotesCommit]:
    """The notes ref's commits in `span`, oldest first, each with its diff against its
    first parent (a merge's brings everything from its other parents), in one call."""
    out = _git(repo, "log", "--reverse", "--first-parent", "--diff-merges=first-parent", "--raw", "-z", "--no-renames",
               "--no-abbrev", "--root", "--format=%x1e%H%x1f%P%x1f%ae%x1f%cn%x1f%ce", span)
    commits = []
    for chunk in out.split("\x1e")[1:]:
        header, _, rest = chunk.partition("\0")
        sha, parents, author_email, committer, committer_email = header.split("\x1f")
        fields, added, removed, index = rest.lstrip("\n").split("\0"), {}, {}, 0
        while index + 1 < len(fields) and fields[index].startswith(":"):
            _old_mode, _new_mode, old_blob, new_blob, status = fields[index][1:].split()
            target = fields[index + 1].replace("/", "")
            if status in "DM":
                removed[target] = old_blob
            if status in "AM":
                added[target] = new_blob
            if status not in "ADM":  # a type change or anything else: a change
                removed[target], added[target] = old_blob, ""
            index += 2
        commits.append(NotesCommit(sha, tuple(parents.split()), author_email, committer, committer_email, added, removed))
    return commits


@dataclass
class Archive:
    """The notes ref read back: for each annotated commit, the record's blob if it was
    written once by the workflow, or why it is not to be trusted."""
    repo: Path
    trusted: dict[str, str] = field(default_factory=dict)
    tainted: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, repo: Path, tip: str | None = None) -> "Archive":
        archive = cls(repo)
        tip = tip or _git(repo, "rev-parse", "--verify", "-q", NOTES_REF, check=False).strip()
        for commit in notes_log(repo, tip) if tip else []:
            for target in commit.changed():
                if not commit.by_publisher or len(commit.parents) > 1:
                    archive.tainted.setdefault(target, f"bản ghi phê duyệt do “{commit.committer} <{commit.committer_email}>” ghi "
                                                       f"(commit ghi chú {commit.sha[:10]}), không phải quy trình xuất bản")
                elif target in commit.removed or target in archive.trusted or not commit.added[target]:
                    archive.tainted.setdefault(target, f"bản ghi phê duyệt đã bị sửa hoặc xoá sau khi ghi (commit ghi chú {commit.sha[:10]}); "
                                                       "bản ghi chỉ được ghi thêm, không được sửa")
                else:
                    archive.trusted[target] = commit.added[target]
        return archive

    def text(self, sha: str) -> str | None:
        blob = self.trusted.get(sha)
        return _git(self.repo, "cat-file", "blob", blob) if blob and sha not in self.tainted else None

    def audit(self, sha: str, fallback: list[str]) -> list[str]:
        """The audit's verdict on a merge the trailers do not vouch for: its record's
        problems, or `fallback` (the trailers' findings) if there is no record."""
        if sha in self.tainted:
            return [f"[archive] {self.tainted[sha]}", *fallback]
        text = self.text(sha)
        if text is None:
            return [*fallback, f"[archive] không có bản ghi phê duyệt GitHub trong {NOTES_REF}"]
        return record_problems(self.repo, sha, text)


# --- what a record proves --------------------------------------------------------------

def _active_on(roster: Roster, member: dict, stamp: str | None) -> bool:
    """Was the member in office on the day (Asia/Ho_Chi_Minh) of a review's timestamp?"""
    try:
        return member in roster.active(day_of(datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))))
    except ValueError:
        return False


def record_problems(repo: Path, sha: str, text: str) -> list[str]:
    """Why the record on merge `sha` does not approve what the merge brought to main
    (empty: approved). Files are taken from Git, never from the record."""
    try:
        record = json.loads(text)
        number, head = record["pull_request"]["number"], record["pull_request"]["head_sha"]
        latest = {r["user"]["login"]: r for r in latest_reviews(record["reviews"])}
        authors = list(record["authors"])
        valid = record["schema"] == SCHEMA and record["merge"] == sha
    except (ValueError, KeyError, TypeError, AttributeError):
        return [f"[archive] bản ghi phê duyệt trong {NOTES_REF} không đọc được (không đúng dạng {SCHEMA})"]
    if not valid:
        return [f"[archive] bản ghi phê duyệt không phải của commit này (ghi cho {str(record.get('merge'))[:10]})"]
    parents = _parents(repo, sha)
    if len(parents) != 2 or parents[1] != head:
        return [f"[archive] bản ghi phê duyệt của pull request #{number} ghi head {str(head)[:10]}, "
                f"nhưng commit này không hợp nhất commit đó (chỉ công nhận kiểu “Create a merge commit”)"]
    base = parents[0]
    roster = Roster.at_commit(repo, base)
    on = day_of(datetime.fromisoformat(_git(repo, "log", "-1", "--format=%cI", sha).strip()))
    approvers, ignored, stale = set(), [], False
    for login, review in latest.items():
        if review["state"] != "APPROVED":
            continue
        member = roster.by_login(login)
        if member is None:
            ignored.append(f"{login}: không phải thành viên Ban Biên tập")
        elif review.get("commit_id") != head:
            stale = True
            ignored.append(f"{login}: đã duyệt commit {str(review.get('commit_id'))[:10]}, không phải commit đã hợp nhất {head[:10]}")
        elif not _active_on(roster, member, review.get("submitted_at")):
            ignored.append(f"{login}: không phải thành viên đang làm nhiệm vụ vào ngày duyệt")
        else:
            approvers.add(member["id"])
    author_ids = {m["id"] for login in authors if (m := roster.by_login(login))}
    emails = _git(repo, "log", "--format=%ae", f"{base}..{head}").split()
    author_ids |= {m["id"] for email in emails if (m := roster.by_email(email))}
    routes = [roster.route(path, on) for path in changed_paths(repo, base, sha)]
    missing = missing_approvals(routes, approvers, author_ids)
    rule = "[archive]" if stale else "[account]"  # an approval of another commit, or by someone not entitled
    note = f" (không tính: {'; '.join(ignored)})" if ignored else ""
    return [f"{rule} thiếu phê duyệt hợp lệ trên GitHub (pull request #{number}): {route.path}: {why}{note}" for route, why in missing]


# --- the pre-receive hook ----------------------------------------------------------------

def _updates(lines) -> dict[str, tuple[str, str]]:
    return {ref: (old, new) for old, new, ref in (line.split() for line in lines if line.strip())}


def _after_push(git_dir: Path, ref: str, lines) -> str:
    """What `ref` points to once this push is accepted."""
    pushed = _updates(lines).get(ref)
    if pushed:
        return "" if pushed[1] == ZERO else pushed[1]
    return _git(git_dir, "rev-parse", "--verify", "-q", ref, check=False).strip()


def check_notes_push(git_dir: Path, old: str, new: str, lines) -> list[str]:
    """An update of the notes ref: a fast-forward whose commits, by the workflow's
    identity, only add records for merge commits on main (after this push); and, when
    the repository's `cchc.notesPusher` names an account, pushed by that account."""
    if new == ZERO:
        return ["không được xoá bản ghi phê duyệt: chúng được lưu trữ vĩnh viễn (Điều 8.4)"]
    if old != ZERO and not gitcmd.succeeds(git_dir, "merge-base", "--is-ancestor", old, new):
        return ["không được viết lại bản ghi phê duyệt (force push): bản ghi chỉ được ghi thêm (Điều 8.4)"]
    allowed = _git(git_dir, "config", "--get", "cchc.notesPusher", check=False).strip()
    if allowed:  # the server's account that mirrors from GitHub, when the server names pushers
        pusher = next((os.environ[v] for v in PUSHER_VARIABLES if os.environ.get(v)), "")
        if pusher != allowed:
            return [f"[archive] chỉ tài khoản “{allowed}” được đẩy bản ghi phê duyệt (người đẩy: “{pusher or 'không rõ'}”)"]
    main = _after_push(git_dir, MAIN, lines)
    on_main = set(_git(git_dir, "rev-list", "--first-parent", main).split()) if main else set()
    before = Archive.load(git_dir, old) if old != ZERO else Archive(git_dir)
    known = set(before.trusted) | set(before.tainted)
    problems = []
    for commit in notes_log(git_dir, new if old == ZERO else f"{old}..{new}"):
        where = f"commit ghi chú {commit.sha[:10]}"
        if not commit.by_publisher:
            problems.append(f"[archive] {where} do “{commit.committer} <{commit.committer_email}>” ghi; chỉ quy trình xuất bản được ghi bản ghi phê duyệt")
            continue
        if len(commit.parents) > 1:
            problems.append(f"[archive] {where} là commit hợp nhất; bản ghi phê duyệt chỉ được ghi thêm từng bản một")
            continue
        for target in commit.changed():
            if target in commit.removed or target in known or not commit.added[target]:
                problems.append(f"[archive] {where} sửa hoặc xoá bản ghi phê duyệt của commit {target[:10]}; bản ghi chỉ được ghi thêm")
            elif not _SHA.match(target) or target not in on_main or len(_parents(git_dir, target)) != 2:
                problems.append(f"[archive] {where} ghi bản ghi cho {target[:10]}, không phải commit hợp nhất trên nhánh main")
            else:
                problems += [f"{where}: {p}" for p in _binding_problems(git_dir, target, _git(git_dir, "cat-file", "blob", commit.added[target]))]
            known.add(target)
    return problems


def _binding_problems(git_dir: Path, sha: str, text: str) -> list[str]:
    """The record names this merge and its pull request's head is the merge's second parent."""
    return [p for p in record_problems(git_dir, sha, text) if "thiếu phê duyệt hợp lệ" not in p]


def verdict_in_push(git_dir: Path, sha: str, lines) -> list[str] | None:
    """For the hook's check of main: the problems of the record of merge `sha` as the
    notes ref stands after this push, or None if it has none (or an untrusted one)."""
    tip = _after_push(git_dir, NOTES_REF, lines)
    if not tip:
        return None
    archive = Archive.load(git_dir, tip)
    text = archive.text(sha)
    return None if text is None else record_problems(git_dir, sha, text)
