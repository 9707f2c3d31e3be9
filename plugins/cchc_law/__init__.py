"""Whether a document is in force, said on its page, in the register and in the open data;
and, on the regulation's page, which of its legal bases have been replaced.

Each document's `legal_status`, `status_date`, `replaced_by` and `amended_by` (front
matter) are resolved once here into `document.legal`: plain data the templates show
(`_legal_status.html`, the register's column) and cchc_data publishes. A link names a
document of the portal by its content path or a source of content/data/legal-sources.yml;
a source that has a page on the portal links to it. The standing page `quy-che` gets
`legal_bases`: the registry's sources marked `basis_of: qd-399-2024` that are no longer
(or only partly) in force on the build's day. No law is named in code.
"""

from cchc import dates, law
from pelican import signals

TITLES = {"in-force": "Còn hiệu lực", "partly-in-force": "Hết hiệu lực một phần", "repealed": "Hết hiệu lực", "expired": "Hết thời hạn thực hiện"}
REGULATION = "qd-399-2024"


def _path(item) -> str:
    """A content file's path below content/, as documents link to each other."""
    return item.relative_source_path.replace("\\", "/")


def _link(ref: str, by_path: dict, sources: dict, on) -> dict:
    """What a reference to a document or a source says and where it leads."""
    if ref in sources:
        source = sources[ref]
        target = by_path.get(source.get("document", ""))
        return {"ref": ref, "name": law.name(source), "url": target.url if target else None, "official_url": source.get("url"),
                "status": law.describe(source, on, sources), "awaiting": bool(law.awaiting(source))}
    target = by_path.get(ref)
    if target is not None:
        return {"ref": ref, "name": f"{target.doc_type} {target.number}", "url": target.url, "official_url": None, "status": None, "awaiting": False}
    return {"ref": ref, "name": ref, "url": None, "official_url": None, "status": None, "awaiting": False}


def legal(document, by_path: dict, sources: dict, on) -> dict:
    status = getattr(document, "legal_status", None)
    since = getattr(document, "status_date", None)
    since_day = law.day(since) if since else None
    record = {"status": status, "title": TITLES.get(status, "Chưa cập nhật tình trạng hiệu lực"), "since": since,
              "since_short": dates.short(since_day) if since_day else None, "future": bool(since_day and since_day > on),
              "source": getattr(document, "status_source", None),
              "replaced_by": [_link(r, by_path, sources, on) for r in getattr(document, "replaced_by", None) or []],
              "amended_by": [_link(r, by_path, sources, on) for r in getattr(document, "amended_by", None) or []]}
    record["sentence"] = sentence(record)
    return record


def sentence(record: dict) -> str:
    """"Hết hiệu lực từ 01/7/2026; được thay thế bởi Nghị định 224/2026/NĐ-CP.", for the
    register, the open data and the page's summary line."""
    if not record["status"]:
        return record["title"]
    text = record["title"]
    if record["since_short"] and record["status"] != "in-force":
        text = ("Sẽ " + text[0].lower() + text[1:] if record["future"] else text) + f" từ {record['since_short']}"
    if record["replaced_by"]:
        text += "; được thay thế bởi " + ", ".join(link["name"] for link in record["replaced_by"])
    if record["amended_by"]:
        text += "; được sửa đổi, bổ sung bởi " + ", ".join(link["name"] for link in record["amended_by"])
    return text + "."


def replaced_bases(sources: dict, on) -> list[dict]:
    rows = []
    for source_id, source in sources.items():
        if source.get("basis_of") != REGULATION or law.state(source, on) in ("in-force", "not-yet"):
            continue
        rows.append({"id": source_id, "name": law.name(source), "title": source["title"], "status": law.describe(source, on, sources),
                     "document": source.get("document"), "url": None})
    return rows


def connect(build):
    sources = build.registries.legal_sources
    on = build.now.date()
    by_path: dict = {}

    def documents_done(generator):
        items = list(generator.articles) + list(getattr(generator, "hidden_articles", []))
        by_path.update({_path(a): a for a in items})
        for item in items:
            if getattr(item, "type", None) == "document":
                item.legal = legal(item, by_path, sources, on)

    def pages_done(generator):
        for page in list(generator.pages) + list(getattr(generator, "hidden_pages", [])):
            if page.slug == "quy-che":
                rows = replaced_bases(sources, on)
                for row in rows:
                    target = by_path.get(row["document"] or "")
                    row["url"] = target.url if target else None
                page.legal_bases = rows

    build.on(signals.article_generator_finalized, documents_done)
    build.on(signals.page_generator_finalized, pages_done)
