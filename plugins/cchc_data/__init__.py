"""Machine-readable data (Điều 3.1): one JSON file per section at a stable address, so the
province's portal can synchronise from it.

/du-lieu/van-ban.json, tin-bai.json, du-thao.json, hoi-dap.json, khao-sat.json: every
published item with all its public metadata, newest first; withdrawn items stay listed
with their decision (so a mirror knows to take them down) and without a body.
/du-lieu/index.json lists the files. Account ids and e-mails are never included.
"""

import json
from pathlib import Path

from pelican import signals

PRIVATE_KEYS = {"authors", "change_note", "publish_after"}
_items = {}


def collect(generators):
    _items["all"] = [a for g in generators for a in getattr(g, "articles", []) + getattr(g, "hidden_articles", [])]


def _record(item, site_url: str) -> dict:
    meta = {k: v for k, v in item.metadata.items() if isinstance(v, (str, int, float, bool, list, dict, type(None))) and k not in PRIVATE_KEYS}
    meta = {k: v for k, v in meta.items() if k not in ("template", "source_file", "revision_links", "results_table", "year", "chuyen_muc", "type")}
    record = {"url": f"{site_url}/{item.url}", "slug": item.slug, "type": item.type, "section": str(item.category),
              "date": item.date.isoformat(), "modified": getattr(item, "modified", item.date).isoformat(),
              "authors": [str(a) for a in getattr(item, "authors", [])], **meta}
    if getattr(item, "chuyen_muc", None):
        record["category"] = item.chuyen_muc
    if not item.metadata.get("withdrawn"):
        record["content_html"] = item.content
    return record


def write(pelican):
    settings = pelican.settings
    site_url = settings["SITEURL"] or "http://localhost:8000"
    folder = Path(pelican.output_path) / "du-lieu"
    folder.mkdir(parents=True, exist_ok=True)
    index = []
    for section in settings["SECTIONS"]:
        items = sorted((i for i in _items.get("all", []) if i.type == section["name"]), key=lambda i: i.date, reverse=True)
        name = f"{section['folder']}.json"
        payload = {"section": section["label"], "type": section["name"], "count": len(items), "items": [_record(i, site_url) for i in items]}
        (folder / name).write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str), "utf-8")
        index.append({"section": section["label"], "type": section["name"], "url": f"{site_url}/du-lieu/{name}", "count": len(items)})
    (folder / "index.json").write_text(json.dumps({"site": site_url, "datasets": index}, ensure_ascii=False, indent=1), "utf-8")


def register():
    signals.all_generators_finalized.connect(collect)
    signals.finalized.connect(write)
