"""The editorial board's roster and who may approve what (Điều 5, Điều 8.2.a).

Each content file is routed by its field folder to the members responsible for that
field; the head and the deputy may approve any field. The roster itself changes only
with the head's approval. A member approves only between `start` and `end`.
"""

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from . import gitcmd
from .dates import TIMEZONE, now
from .frontmatter import load_yaml
from .model import TYPE_BY_FOLDER

LEADERS = ("truong-ban", "pho-truong-ban")
ROSTER_PATH = "content/data/board.yml"


@dataclass(frozen=True)
class Route:
    path: str
    field: str | None
    approvers: tuple[str, ...]  # member ids, in roster order


class Roster:
    def __init__(self, members: list[dict]):
        self.members = {m["id"]: m for m in members}

    @classmethod
    def from_text(cls, text: str) -> "Roster":
        data, _ = load_yaml(text, ROSTER_PATH)
        return cls((data or {}).get("members", []))

    @classmethod
    def at_commit(cls, repo: Path, commit: str) -> "Roster":
        """The roster as it stood at a commit (empty if there was none)."""
        text = gitcmd.show(repo, commit, ROSTER_PATH)
        return cls.from_text(text) if text is not None else cls([])

    def active(self, on: date) -> list[dict]:
        def day(value):
            return date.fromisoformat(value) if value else None

        return [m for m in self.members.values() if day(m["start"]) <= on and (m.get("end") is None or on < day(m["end"]))]

    def route(self, path: str, on: date) -> Route:
        members = self.active(on)
        leaders = [m["id"] for m in members if m["role"] in LEADERS]
        parts = path.split("/")
        if path == ROSTER_PATH:
            return Route(path, None, tuple(m["id"] for m in members if m["role"] == "truong-ban"))
        if len(parts) == 5 and parts[0] == "content" and parts[1] in TYPE_BY_FOLDER and TYPE_BY_FOLDER[parts[1]].has_field:
            field = parts[2]
            return Route(path, field, tuple(m["id"] for m in members if m["role"] in LEADERS or field in m.get("fields", [])))
        if len(parts) >= 2 and parts[:2] == ["content", "media"]:
            return Route(path, None, tuple(m["id"] for m in members))  # files go with the item that uses them
        return Route(path, None, tuple(leaders))  # standing pages, registries, code, theme

    def by_login(self, login: str) -> dict | None:
        return next((m for m in self.members.values() if (m.get("git") or {}).get("username", "").lower() == login.lower()), None)

    def by_email(self, email: str) -> dict | None:
        return next((m for m in self.members.values() if (m.get("git") or {}).get("email", "").lower() == email.lower()), None)


def missing_approvals(routes: list[Route], approvers: set[str], authors: set[str]) -> list[tuple[Route, str]]:
    """For each route with no approval by an allowed member who did not write the change,
    the route and why, in Vietnamese."""
    problems = []
    for route in routes:
        allowed = set(route.approvers)
        if not allowed:
            problems.append((route, "không có thành viên Ban Biên tập nào đang được giao duyệt tệp này"))
            continue
        valid = (approvers & allowed) - authors
        if valid:
            continue
        if approvers & allowed & authors:
            problems.append((route, "người duyệt cũng là người gửi thay đổi; cần một thành viên khác duyệt"))
        else:
            field = f"lĩnh vực “{route.field}”" if route.field else "tệp này"
            problems.append((route, f"chưa có thành viên phụ trách {field} duyệt (được duyệt: {', '.join(route.approvers)})"))
    return problems


def today() -> date:
    return now().date()


def day_of(moment: datetime) -> date:
    return moment.astimezone(TIMEZONE).date()
