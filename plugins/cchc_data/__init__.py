"""Machine-readable data (Điều 3.1): one JSON file per section at a stable address, so the
province's portal can synchronise from it.

/du-lieu/van-ban.json, tin-bai.json, du-thao.json, hoi-dap.json, khao-sat.json: every
published item with all its public metadata, newest first; a withdrawn item stays only
as a tombstone (its address, type and the decision: date, reason), so a mirror knows to
take it down, and nothing of what it said (question, asker, summary, files, revisions).
The files of content/media/ that only withdrawn items use are not published either.
/du-lieu/index.json lists the files. Account ids and e-mails are never included.
"""

import json
import re
from functools import partial
from pathlib import Path

from pelican import signals

PRIVATE_KEYS = {"authors", "change_note", "publish_after"}
# What the build adds for itself, not data about the item (revisions are written below).
INTERNAL_KEYS = {"template", "source_file", "revision_links", "revisions", "results_table", "year", "chuyen_muc", "type", "reader", "tags"}

def _tombstone(item, site_url: str) -> dict:
    withdrawn = item.metadata["withdrawn"]
    return {"url": f"{site_url}/{item.url}", "slug": item.slug, "type": item.type, "section": str(item.category),
            "withdrawn": {key: withdrawn.get(key) for key in ("decision", "date", "reason")}}


def _files(item) -> set[str]:
    from cchc.extract import item_files

    return {relative for _keys, relative in item_files(item.metadata, "")} | set(_MEDIA_LINK.findall(item.content or ""))


_MEDIA_LINK = re.compile(r"""(?:href|src)=["'][^"']*?/(media/[^"'#?]+)""")


def withdrawn_only_files(items: list) -> set[str]:
    """Files under content/media/ that withdrawn items use and no other item does."""
    withdrawn, kept = set(), set()
    for item in items:
        (withdrawn if item.metadata.get("withdrawn") else kept).update(_files(item))
    return withdrawn - kept


def _record(item, site_url: str) -> dict:
    if item.metadata.get("withdrawn"):
        return _tombstone(item, site_url)
    meta = {k: v for k, v in item.metadata.items() if isinstance(v, (str, int, float, bool, list, dict, type(None))) and k not in PRIVATE_KEYS}
    meta = {k: v for k, v in meta.items() if k not in INTERNAL_KEYS}
    record = {"url": f"{site_url}/{item.url}", "slug": item.slug, "type": item.type, "section": str(item.category),
              "date": item.date.isoformat(), "modified": getattr(item, "modified", item.date).isoformat(),
              "authors": [str(a) for a in getattr(item, "authors", [])], **meta,
              "tags": [str(t) for t in getattr(item, "tags", [])],
              # The revision history the page shows: dates, notes and approvers' names.
              "revisions": [{"date": r.date.isoformat(), "commit": r.sha, "change_note": r.change_note, "approved_by": list(r.approved_by)}
                            for r in getattr(item, "revisions", [])]}
    if getattr(item, "legal", None):  # whether a document is in force, and what replaced it (cchc_law)
        record["legal"] = item.legal
    if getattr(item, "chuyen_muc", None):
        record["category"] = item.chuyen_muc
    if not item.metadata.get("withdrawn"):
        record["content_html"] = item.content
    return record


def write_files(settings: dict, output_path: str, all_items: list):
    site_url = settings["SITEURL"] or "http://localhost:8000"
    folder = Path(output_path) / "du-lieu"
    folder.mkdir(parents=True, exist_ok=True)
    index = []
    for section in settings["SECTIONS"]:
        items = sorted((i for i in all_items if i.type == section["name"]), key=lambda i: i.date, reverse=True)
        name = f"{section['folder']}.json"
        payload = {"section": section["label"], "type": section["name"], "count": len(items), "items": [_record(i, site_url) for i in items]}
        (folder / name).write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), "utf-8")
        index.append({"section": section["label"], "type": section["name"], "url": f"{site_url}/du-lieu/{name}", "count": len(items)})
    (folder / "index.json").write_text(json.dumps({"site": site_url, "datasets": index}, ensure_ascii=False, indent=1), "utf-8")


def connect(build):
    """Written by whichever writing process is free first (a task of cchc_parallel), or
    at the end when no writing process took the tasks."""
    task = []
    items_seen = []

    def collect(generators):
        items = [a for g in generators for a in getattr(g, "articles", []) + getattr(g, "hidden_articles", [])]
        pages = [p for g in generators for p in getattr(g, "pages", []) + getattr(g, "hidden_pages", [])]
        items_seen[:] = items + pages
        settings, output = generators[0].settings, generators[0].output_path
        task[:] = [partial(write_files, settings, output, items)]
        build.writing_tasks.extend(task)

    def write_at_the_end(pelican):
        if task and not build.tasks_taken:
            task[0]()
        # A withdrawn item's attachments leave the site with it (unless another item uses them).
        output = Path(pelican.output_path)
        for relative in withdrawn_only_files(items_seen):
            target = output / relative
            if target.is_file() or target.is_symlink():
                target.unlink()

    build.on(signals.all_generators_finalized, collect)
    build.on(signals.finalized, write_at_the_end)
