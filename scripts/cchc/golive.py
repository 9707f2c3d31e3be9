"""The audit's go-live point: content/data/audit.yml, from where on main `cchc audit`
judges history (by today's rules), and on what decision.

Commits before it were made under other rules (older schemas, settings, a catalogue
that has since changed) or were test data: judging them by today's rules says nothing,
and running their own configuration is not the audit's job. The point is data the
board records, with its source, not a constant in code.
"""

from dataclasses import dataclass
from pathlib import Path

from .findings import ContentError, Finding
from .frontmatter import lookup_position, read_yaml_file

FILE = "audit.yml"
SHOWN = f"content/data/{FILE}"
HOW_TO = (f"ghi mốc bắt đầu kiểm toán vào {SHOWN}, ví dụ:\n"
          "  after_commit: \"<mã commit đầy đủ trên main, kiểm toán xét các commit sau nó>\"   # hoặc from_date: 2025-01-15\n"
          "  decision: Quyết định số …/QĐ-BCĐ ngày … đưa Cổng vào vận hành\n"
          "  recorded_by: truong-ban\n"
          "rồi commit qua Ban Biên tập; hoặc chỉ rõ lần này bằng “cchc audit --since REF”")


@dataclass(frozen=True)
class GoLive:
    after_commit: str | None
    from_date: str | None
    decision: str
    recorded_by: str

    def describe(self) -> str:
        start = f"sau commit {self.after_commit[:10]}" if self.after_commit else f"từ ngày {self.from_date}"
        return f"kiểm toán {start} (theo {SHOWN}: {self.decision}; người ghi: {self.recorded_by})"


def findings(portal, file_path: Path, shown: str = SHOWN) -> list[Finding]:
    """The record checked against schemas/audit.schema.json, and exactly one starting point."""
    data, positions = read_yaml_file(file_path, shown)

    def position(*keys):
        return lookup_position(positions, keys)

    data = data if data is not None else {}
    found = portal.schemas.findings(data, "audit", shown, position)
    if isinstance(data, dict) and isinstance(data.get("after_commit"), (int, float)):  # a hash of digits (and one e) reads as a number
        found.append(Finding(shown, *position("after_commit"), "schema", "error", "đặt mã commit trong dấu nháy kép, ví dụ after_commit: \"0123abc…\""))
    if isinstance(data, dict) and ("after_commit" in data) == ("from_date" in data):
        found.append(Finding(shown, 1, 1, "schema", "error",
                             "ghi đúng một mốc: “after_commit” (mã commit) hoặc “from_date” (ngày), không phải cả hai, cũng không bỏ trống cả hai"))
    return found


def load(portal) -> GoLive | None:
    """The go-live point of this portal; None when it has none; ContentError when it is malformed."""
    file_path = Path(portal.data) / FILE
    if not file_path.exists():
        return None
    problems = findings(portal, file_path)
    if problems:
        raise ContentError(problems)
    data, _ = read_yaml_file(file_path, SHOWN)
    return GoLive(data.get("after_commit"), data.get("from_date"), data["decision"], data["recorded_by"])
