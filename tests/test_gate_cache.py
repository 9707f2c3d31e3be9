"""The whole-tree gate's cache (cchc.gate_cache): the same findings as without it, with
every file read again when it changed, and nothing reused under other rules or
registries."""

from pathlib import Path

from cchc import check
from conftest import article, copy_portal, write

FOLDER = "content/tin-bai/cai-cach-the-che/2024"
BODY = " ".join(["Đoàn công tác của Ban Chỉ đạo cải cách hành chính tỉnh đã làm việc với Sở Nội vụ về kết quả cải cách thủ tục hành chính."] * 5)


def _keys(report) -> list[tuple]:
    return [(f.path, f.line, f.column, f.rule, f.severity, f.message) for f in report.findings]


def _runs(portal: Path):
    """(with the cache, without it): the two must agree every time."""
    cached = check.run(portal, cache=portal / ".cchc-cache")
    plain = check.run(portal)
    assert _keys(cached) == _keys(plain)
    return cached


def _gate(portal: Path) -> Path:
    return portal / ".cchc-cache/gate.pickle"


def test_second_run_reuses_every_file_and_a_changed_file_is_read_again(tmp_path, monkeypatch):
    portal = copy_portal(tmp_path / "portal", with_content=False)
    write(portal / FOLDER / "a.md", article("Hội nghị cải cách hành chính quý một") + BODY + "\n")
    write(portal / FOLDER / "b.md", article("Hội nghị cải cách hành chính quý hai") + BODY.replace("Đoàn", "Tổ") + "\n")
    first = _runs(portal)
    assert _gate(portal).is_file()
    reads = []
    real_read = check.inspect_item
    monkeypatch.setattr(check, "inspect_item", lambda path, *a, **k: reads.append(Path(path).name) or real_read(path, *a, **k))
    again = check.run(portal, cache=portal / ".cchc-cache")
    assert reads == [] and _keys(again) == _keys(first)
    # A stamp added to one file: that file alone is read again, and the finding is there.
    write(portal / FOLDER / "b.md", article("Hội nghị cải cách hành chính quý hai") + "TỐI MẬT\n\n" + BODY + "\n")
    changed = check.run(portal, cache=portal / ".cchc-cache")
    assert reads == ["b.md"]
    assert ("secret", f"{FOLDER}/b.md") in [(f.rule, f.path) for f in changed.findings]
    monkeypatch.undo()
    _runs(portal)


def test_rules_that_read_other_files_run_every_time(tmp_path):
    portal = copy_portal(tmp_path / "portal", with_content=False)
    write(portal / FOLDER / "a.md", article("Hội nghị cải cách hành chính quý một") + BODY + "\n")
    _runs(portal)
    # b.md repeats a.md's title: a's cached entry must not hide the duplicate, and a
    # link from a to a page that is then removed is reported.
    write(portal / FOLDER / "b.md", article("Hội nghị cải cách hành chính quý một") + BODY.replace("Đoàn", "Tổ") + "\n")
    found = _runs(portal)
    assert {f.path for f in found.findings if f.rule == "duplicate"} == {f"{FOLDER}/a.md", f"{FOLDER}/b.md"}


def test_changed_registries_or_a_held_back_item_are_never_served_from_the_cache(tmp_path):
    portal = copy_portal(tmp_path / "portal", with_content=False)
    write(portal / FOLDER / "a.md", article("Hội nghị cải cách hành chính quý một") + BODY + "\n")
    assert not [f for f in _runs(portal).findings if f.path.endswith("a.md")]
    # The author leaves the registry: the cached verdict about a.md is stale.
    contributors = portal / "content/data/contributors.yml"
    text = contributors.read_text("utf-8")
    assert "phong-cchc-snv" in text
    contributors.write_text(text.replace("phong-cchc-snv", "phong-khac-snv"), "utf-8")
    assert [f for f in _runs(portal).findings if f.path.endswith("a.md")]
    contributors.write_text(text, "utf-8")
    # An embargo is judged against the clock: such an item is not kept.
    write(portal / FOLDER / "c.md", article("Tin giữ lại").replace("summary:", "publish_after: 2099-01-01\nsummary:") + BODY + "\n")
    assert ("not-public", "notice") in [(f.rule, f.severity) for f in _runs(portal).findings if f.path.endswith("c.md")]
    import pickle

    _, entries = pickle.loads(_gate(portal).read_bytes())
    assert {shown for shown, _ in entries} >= {f"{FOLDER}/a.md"} and f"{FOLDER}/c.md" not in {shown for shown, _ in entries}


def test_an_attachment_changed_under_an_unchanged_item_is_read_again(tmp_path):
    # The text rules read the text of the files an item attaches (cchc.extract): the
    # item's own bytes are the same, its verdict is not.
    portal = copy_portal(tmp_path / "portal", with_content=False)
    write(portal / "content/media/2024/ke-hoach.txt", "Kế hoạch cải cách hành chính năm 2024.\n")
    text = article("Kế hoạch cải cách hành chính").replace("summary:", "attachments:\n  - title: Kế hoạch\n    file: media/2024/ke-hoach.txt\nsummary:")
    write(portal / FOLDER / "a.md", text + BODY + "\n")
    assert not [f for f in _runs(portal).findings if f.path.endswith("a.md")]
    write(portal / "content/media/2024/ke-hoach.txt", "TỐI MẬT\n\nKế hoạch cải cách hành chính năm 2024.\n")
    assert "secret" in [f.rule for f in _runs(portal).findings if f.path.endswith("a.md")]
