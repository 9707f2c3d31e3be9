"""`law`: citing a legal source that is not known or no longer in force.

The rules and registry entries are checked as a whole (`cchc.law.citation_findings`, run
by `cchc check` and the build); here, a document's own links to what replaced or amended
it must name a document of the portal (its content path) or a source of the registry.
"""

from . import catalogue

LAW = catalogue.rule("law")
RULES = (LAW,)
LINK_KEYS = ("replaced_by", "amended_by")


def check_item(item, context):
    if item.location.type.name != "document":
        return
    for key in LINK_KEYS:
        for index, target in enumerate(item.meta.get(key) or []):
            if target in context.registries.legal_sources:
                continue
            if target.endswith(".md") and (f"content/{target}" in context.content_paths or not context.content_paths):
                continue
            yield LAW.at(item.path, item.source.position(key, index),
                         f"“{key}” nêu “{target}”: không phải văn bản trên Cổng (đường dẫn content/…/*.md bỏ “content/”) hay mã trong content/data/legal-sources.yml")
