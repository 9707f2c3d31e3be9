"""The gate's findings as text, GitHub workflow commands or JSON."""

import json
import os
from pathlib import Path

from .findings import SEVERITY_WORDS
from .rules import RULES


def as_text(report) -> str:
    lines = [f.text() for f in report.findings] + checked_lines(report)
    errors = sum(f.severity == "error" for f in report.findings)
    others = len(report.findings) - errors
    verdict = "ĐẠT: có thể đăng" if report.accepted else "KHÔNG ĐẠT: chưa thể đăng"
    lines.append(f"{verdict} ({len(report.checked)} tệp đã kiểm tra, {errors} lỗi, {others} cảnh báo/lưu ý)")
    return "\n".join(lines)


def checked_lines(report) -> list[str]:
    """With --base: which files were checked, and from where (a commit or the folder)."""
    if getattr(report, "base", None) is None:
        return []
    if not report.checked:
        return [f"Không có tệp nội dung nào thay đổi so với {report.base} (kể cả các tệp chưa commit)."]
    lines = [f"Các tệp đã kiểm tra (so với {report.base}):"]
    for path in report.checked:
        where = "chưa commit: bản trong thư mục làm việc" if path in report.uncommitted else "đã commit"
        lines.append(f"  {path} ({where})")
    return lines


def as_json(report) -> str:
    return json.dumps({"accepted": report.accepted, "findings": [f.as_dict() for f in report.findings]}, ensure_ascii=False, indent=2)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(report) -> str:
    """Workflow commands: each finding becomes an annotation on the pull request's diff."""
    command = {"error": "error", "warning": "warning", "notice": "notice"}
    lines = []
    for f in report.findings:
        title = _escape_property(f"[{f.rule}] {RULES[f.rule].ground}" if f.rule in RULES else f"[{f.rule}]")
        where = "" if f.path.startswith("commit ") else f"file={_escape_property(f.path)},line={f.line},col={f.column},"
        lines.append(f"::{command[f.severity]} {where}title={title}::{_escape_data(f.message)}")
    return "\n".join(lines + [as_text(report).splitlines()[-1]])


def summary_markdown(report) -> str:
    """The step summary a contributor reads on the pull request's Checks tab."""
    head = "## ✅ Đạt: nội dung có thể đăng" if report.accepted else "## ❌ Chưa đạt: cần sửa trước khi đăng"
    out = [head, "", f"Đã kiểm tra {len(report.checked)} tệp theo Quy chế 399/QĐ-BCĐ (Điều 4.6).", ""]
    if report.findings:
        out += ["| Tệp | Dòng | Mức | Quy tắc | Nội dung |", "|---|---|---|---|---|"]
        for f in report.findings:
            message = f.message.replace("|", "\\|")
            out.append(f"| `{f.path}` | {f.line}:{f.column} | {SEVERITY_WORDS[f.severity]} | `{f.rule}` | {message} |")
    out += ["", "Các tiêu chí máy không tự đánh giá được (phù hợp chủ trương, chính sách; tính trung thực) do thành viên Ban Biên tập xem xét khi duyệt."]
    return "\n".join(out) + "\n"


def write_step_summary(report) -> None:
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as summary:
            summary.write(summary_markdown(report))


def append_record(report, log: Path, base: str | None) -> None:
    """One JSON line per run of the gate, for the annual report's count of refusals."""
    from .dates import now

    log.parent.mkdir(parents=True, exist_ok=True)
    line = {"date": now().isoformat(), "base": base, "accepted": report.accepted, "files": report.checked,
            "findings": [{"rule": f.rule, "severity": f.severity, "path": f.path} for f in report.findings]}
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, ensure_ascii=False) + "\n")
