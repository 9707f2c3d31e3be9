"""`cchc withdraw`: take an item off the lists by an authority's decision (Điều 8.4).

The file stays, so the page keeps its address with a notice and the body stays in Git
history; the front matter records the decision.
"""

import re
from pathlib import Path

import yaml

from .findings import ContentError, Finding
from .frontmatter import FENCE, decode, parse


def withdraw(file_path: Path, decision: str, date: str, reason: str, shown: str) -> None:
    text = decode(file_path.read_bytes(), shown)
    source = parse(text, shown)
    if source.meta.get("withdrawn"):
        raise ContentError([Finding(shown, *source.position("withdrawn"), "archive", "error", "nội dung này đã được gỡ bỏ trước đó")])
    lines = text.split("\n")
    closing = next(i for i in range(1, len(lines)) if FENCE.match(lines[i]))
    front = lines[1:closing]
    # Drop the old change_note (and its continuation lines): this edit has its own.
    kept, skipping = [], False
    for line in front:
        if re.match(r"^change_note\s*:", line):
            skipping = True
            continue
        if skipping and (line.startswith((" ", "\t")) or not line.strip()):
            continue
        skipping = False
        kept.append(line)
    added = yaml.safe_dump({"withdrawn": {"decision": decision, "date": date, "reason": reason},
                            "change_note": f"Gỡ bỏ theo {decision} ngày {date}"}, allow_unicode=True, sort_keys=False, width=1000)
    new_text = "\n".join([lines[0], *kept, *added.rstrip("\n").split("\n"), *lines[closing:]])
    parse(new_text, shown)  # never write a file that no longer reads
    file_path.write_text(new_text, encoding="utf-8")
