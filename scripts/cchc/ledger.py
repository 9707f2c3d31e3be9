"""The ledger of published items: every content item with when it was published, from
the files and their Git history. All reports are computed from it; nobody counts by hand.

Publication time: the main-line commit that first published it (Asia/Ho_Chi_Minh), which
no contributor can type; only an item not yet committed falls back to its `date`, else its
own date (issue date, opening...). Receipt: the first commit of its submission branch.
"""

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from . import dates, gitcmd, history, registries
from .content import read_item
from .findings import ContentError
from .model import NON_CONTENT_FOLDERS
from .portal import Portal


@dataclass(frozen=True)
class Entry:
    path: str
    type: str
    title: str
    unit: str
    field: str | None
    category: str | None
    authors: tuple[str, ...]
    published: datetime | None  # None only for a question awaiting its answer (load(unpublished=True))
    submitted: datetime | None  # the first commit of the submission, on any branch
    meta: dict = field(hash=False, compare=False)

    @property
    def withdrawn(self) -> dict | None:
        return self.meta.get("withdrawn")

    def when(self, key: str) -> datetime | None:
        value = self.meta.get(key)
        return dates.parse(value) if isinstance(value, str) else None


def _first_commits(root: Path, prefix: str) -> dict[str, datetime]:
    """The earliest author date of any commit (merged branches included) per path."""
    out = gitcmd.run(root, "log", "--format=\x1e%aI", "--name-only", "--", prefix, check=False)
    earliest: dict[str, datetime] = {}
    for chunk in out.split("\x1e")[1:]:
        stamp, *paths = chunk.strip().split("\n")
        moment = datetime.fromisoformat(stamp).astimezone(dates.TIMEZONE)
        for path in filter(None, paths):
            if path not in earliest or moment < earliest[path]:
                earliest[path] = moment
    return earliest


def load(portal: Portal, unpublished: bool = False) -> list[Entry]:
    """Every published item; with `unpublished`, also the questions still awaiting their
    answer (never published: the build holds them) for `cchc report questions`."""
    portal = Portal.of(portal)
    repo, content_dir = portal.root, portal.content
    regs = registries.load(portal)
    root = history.git_root(repo)
    revisions = history.read(root, "content/") if root else {}
    first_commits = _first_commits(root, "content/") if root else {}
    entries = []
    for file_path in sorted(content_dir.rglob("*.md")):
        relative = file_path.relative_to(content_dir)
        if relative.parts[0] in NON_CONTENT_FOLDERS or relative.parts[0] == "trang":
            continue
        shown = f"content/{relative.as_posix()}"
        try:
            item = read_item(file_path, portal, regs, shown)
        except ContentError:
            continue  # unreadable files are the gate's business; they were never published
        key = file_path.relative_to(root).as_posix() if root else shown
        revs = revisions.get(key, [])
        # When the item reached main (its first main-line revision), not a typed `date`.
        published = (revs[0].date if revs else None) or item.when("date") or item.published()
        meta = item.meta
        waiting = item.location.type.name == "question" and not meta.get("answered_date")
        if waiting and not unpublished:
            continue  # an unanswered question is not published
        if published is None and not waiting:
            continue  # not committed and not dated: not published yet
        submitted = min((first_commits[r.path] for r in revs if r.path in first_commits), default=None)
        entries.append(Entry(shown, item.location.type.name, meta["title"], meta.get("unit", ""), item.location.field,
                             meta.get("category"), tuple(meta.get("authors", [])), published, submitted, meta))
    return entries
