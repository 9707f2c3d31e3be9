"""Every page gets its revision history from Git, and its dates when the file has none.

The whole history is read once, in a thread started when Pelican starts
(`cchc.history.read`); each content file gets its revisions as the reader's metadata
comes through, waiting for the thread only then.
"""

import dataclasses
import logging
import os
import re
from datetime import datetime
from pathlib import Path

from cchc import dates, history
from cchc.buildstate import Background
from pelican import signals

logger = logging.getLogger("cchc.history")


def read(build) -> tuple[dict, Path | None]:
    """({path relative to the Git root: [Revision]}, the Git root)."""
    portal, production = build.portal, build.production
    root = history.git_root(portal.content)
    if root is None:
        if production:
            logger.error("lỗi [archive] thư mục nội dung không nằm trong kho Git: bản công khai cần lịch sử phiên bản của mọi trang")
        return {}, None
    if history.is_shallow(root):
        message = "kho Git là bản sao nông (shallow clone): lịch sử phiên bản không đầy đủ; hãy lấy toàn bộ lịch sử (fetch-depth: 0)"
        if production:
            logger.error(f"lỗi [archive] {message}")
        else:
            logger.warning(f"lưu ý [archive] {message}", extra={"notice": True})
    prefix = os.path.relpath(portal.content, root).rstrip("/") + "/"
    return history.read(root, prefix=prefix, cache_file=portal.cache / "history.pickle"), root


def attach(build, metadata):
    """Revisions on the item; `date` from the first (a typed one counts only before the
    item is committed), `modified` from the last when the file has none."""
    source = metadata.get("source_file")
    if source is None:
        return
    everything, root = build.history.result()
    revisions = everything.get(os.path.relpath(source, root), []) if root else []
    board = build.registries.board
    revisions = [dataclasses.replace(r, approved_by=history.public_names(r, board), approver_emails=()) for r in revisions]
    metadata["revisions"] = revisions
    if revisions:
        # The publication date shown is when the item reached main, never a typed `date`.
        metadata["date"] = revisions[0].date
    elif "date" not in metadata:
        fallback = metadata.pop("type_date", None)
        mtime = datetime.fromtimestamp(Path(source).stat().st_mtime, dates.TIMEZONE)
        metadata["date"] = fallback or mtime
    metadata.pop("type_date", None)
    if "modified" not in metadata and len(revisions) > 1:
        metadata["modified"] = revisions[-1].date
    # Revision pages are the site's own (/<item>/phien-ban/<n>/, written below): the
    # content repository may stay private, and a withdrawn item shows none.
    metadata["revision_links"] = [None for _r in revisions]


def _public_revisions(build, items, root):
    """For each item not withdrawn: [(number, revision, body HTML)] of the revisions
    whose text passes the harm rules (text removed by a later edit for harm stays
    unpublished: that revision is listed without a page)."""
    from cchc import gitcmd, markdown_gfm
    from cchc.check import Context, harm_findings
    from cchc.content import Item
    from cchc.duplicates import DuplicateIndex
    from cchc.findings import ContentError
    from cchc.frontmatter import decode, parse
    from cchc.model import locate

    portal = build.portal
    wanted = [i for i in items if getattr(i, "revisions", None) and not i.metadata.get("withdrawn")]
    data = gitcmd.blobs(root, sorted({r.blob for i in wanted for r in i.revisions})) if wanted else {}
    context = Context(portal, build.registries, {}, build.now, DuplicateIndex())
    found = {}
    for item in wanted:
        relative = Path(item.source_path).resolve().relative_to(portal.content.resolve()).as_posix()
        location = locate(relative, set(build.registries.fields))
        pages, links = [], []
        for number, revision in enumerate(item.revisions, 1):
            raw = data.get(revision.blob)
            link = None
            if raw is not None:
                try:
                    source = parse(decode(raw, revision.path), revision.path)
                    harmless = not source.meta.get("withdrawn") and not harm_findings(Item(source, location), context)
                except ContentError:
                    harmless = False
                if harmless:
                    pages.append((number, revision, source.meta, markdown_gfm.render(source.body)))
                    link = f"{item.url}phien-ban/{number}/"
            links.append(link)
        item.revision_links = links
        item.metadata["revision_links"] = links
        found[item] = pages
    return found


def prepare_revision_pages(build, generators, pending: list) -> None:
    """Which revisions get a page (the history's links are set before any page is written)."""
    everything, root = build.history.result()
    if root is None:
        return
    items, source = [], None
    for generator in generators:
        items += getattr(generator, "articles", []) + getattr(generator, "hidden_articles", [])
        items += getattr(generator, "pages", []) + getattr(generator, "hidden_pages", [])
        if source is None and hasattr(generator, "articles") and hasattr(generator, "get_template"):
            source = generator
    if source is not None:
        pending.append((source, _public_revisions(build, items, root)))


_INTERNAL_LINK = re.compile(r"""(href|src)=(["'])\{(filename|static|attach)\}/?([^"'#?]*)""")


def _links(body: str, site_url: str, urls: dict) -> str:
    """Pelican's {filename}/{static} links of an old text, as the site's addresses."""
    def replace(match):
        attribute, quote, kind, target = match.groups()
        address = urls.get(target, target) if kind == "filename" else target
        return f"{attribute}={quote}{site_url}/{address}"

    return _INTERNAL_LINK.sub(replace, body)


def write_revision_pages(pending: list) -> None:
    """Each public revision of each item as a page of the site: its text, change note and approvers."""
    for generator, found in pending:
        template = generator.get_template("revision")
        output = Path(generator.output_path)
        content = Path(generator.settings["PATH"]).resolve()
        urls = {}
        for item in list(getattr(generator, "articles", [])) + list(found):
            if getattr(item, "source_path", None):
                urls[Path(item.source_path).resolve().relative_to(content).as_posix()] = item.url
        for other in generator.context.get("pages", []) or []:
            urls[Path(other.source_path).resolve().relative_to(content).as_posix()] = other.url
        for item, pages in found.items():
            for number, revision, meta, body in pages:
                body = _links(body, generator.settings.get("SITEURL", ""), urls)
                target = output / item.url / "phien-ban" / str(number) / "index.html"
                target.parent.mkdir(parents=True, exist_ok=True)
                context = dict(generator.context, item=item, number=number, revision=revision, revision_meta=meta,
                               revision_body=body, count=len(item.revisions), output_file=str(target.relative_to(output)))
                target.write_text(template.render(context), encoding="utf-8")


def connect(build):
    def start(pelican):
        build.history = Background(read, build)

    pending: list = []
    build.on(signals.initialized, start)
    build.on(signals.article_generator_context, lambda generator, metadata: attach(build, metadata))
    build.on(signals.page_generator_context, lambda generator, metadata: attach(build, metadata))
    # Wait for the history even when no file asked for it, so its messages count.
    build.on(signals.all_generators_finalized, lambda generators: build.history.result())
    build.on(signals.all_generators_finalized, lambda generators: prepare_revision_pages(build, generators, pending))
    build.on(signals.finalized, lambda pelican: write_revision_pages(pending))
