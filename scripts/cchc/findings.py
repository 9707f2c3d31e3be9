"""A finding: one thing wrong with one place in one file, named by its rule."""

from dataclasses import asdict, dataclass

SEVERITY_WORDS = {"error": "lỗi", "warning": "cảnh báo", "notice": "lưu ý"}


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    column: int
    rule: str
    severity: str  # "error", "warning" or "notice"
    message: str  # Vietnamese, shown to the contributor as is

    def text(self) -> str:
        word = SEVERITY_WORDS[self.severity]
        return f"{self.path}:{self.line}:{self.column}: {word} [{self.rule}] {self.message}"

    def as_dict(self) -> dict:
        return asdict(self)


class ContentError(Exception):
    """A file that cannot be read or published; carries every finding about it."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__("\n".join(f.text() for f in findings))
