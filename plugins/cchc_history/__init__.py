"""Every page gets its revision history from Git, and its dates when the file has none.

The whole history is read once, in a thread started when Pelican starts
(`cchc.history.read`); each content file gets its revisions as the reader's metadata
comes through, waiting for the thread only then.
"""

import dataclasses
import functools
import logging
import os
import pickle
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


_HARM_CACHE = "revisions.pickle"  # {"blob:path": passes the harm rules}, under the content cache's fingerprint


def _harmless(verdicts: dict, blob: str, raw: bytes | None, path: str, location, context) -> tuple[bool, object]:
    """(the revision's text passes the harm rules, its parsed source or None), the verdict
    kept by blob and path: a rebuild checks only revisions it has not seen."""
    from cchc.check import harm_findings
    from cchc.content import Item
    from cchc.findings import ContentError
    from cchc.frontmatter import decode, parse

    if raw is None:
        return False, None
    try:
        source = parse(decode(raw, path), path)
    except ContentError:
        return False, None
    key = f"{blob}:{path}"
    if key not in verdicts:
        verdicts[key] = not source.meta.get("withdrawn") and not harm_findings(Item(source, location), context)
    return verdicts[key], source


def _load_verdicts(build) -> dict:
    """The kept verdicts, when made under this build's content fingerprint (the rules'
    code, the registries, the media: cchc.content_cache.fingerprint)."""
    fingerprint = getattr(build.content, "fingerprint", None)
    try:
        with open(build.portal.cache / _HARM_CACHE, "rb") as handle:
            stored, verdicts = pickle.load(handle)
    except (OSError, pickle.PickleError, EOFError, ValueError):
        return {}
    return verdicts if fingerprint is not None and stored == fingerprint else {}


def _save_verdicts(build, verdicts: dict) -> None:
    fingerprint = getattr(build.content, "fingerprint", None)
    if fingerprint is None:
        return
    path = build.portal.cache / _HARM_CACHE
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    with open(temporary, "wb") as handle:
        pickle.dump((fingerprint, verdicts), handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)


def _public_revisions(build, items, root):
    """For each item not withdrawn: [(number, revision, front matter, body)] of the
    revisions whose text passes the harm rules (text removed by a later edit for harm
    stays unpublished: that revision is listed without a page)."""
    from cchc import gitcmd
    from cchc.check import Context
    from cchc.duplicates import DuplicateIndex
    from cchc.model import locate

    portal = build.portal
    wanted = [i for i in items if getattr(i, "revisions", None) and not i.metadata.get("withdrawn")]
    data = gitcmd.blobs(root, sorted({r.blob for i in wanted for r in i.revisions})) if wanted else {}
    context = Context(portal, build.registries, {}, build.now, DuplicateIndex())
    verdicts = _load_verdicts(build)
    found = {}
    for item in wanted:
        relative = Path(item.source_path).resolve().relative_to(portal.content.resolve()).as_posix()
        location = locate(relative, set(build.registries.fields))
        pages, links = [], []
        for number, revision in enumerate(item.revisions, 1):
            harmless, source = _harmless(verdicts, revision.blob, data.get(revision.blob), revision.path, location, context)
            link = None
            if harmless:
                pages.append((number, revision, source.meta, source.body))
                link = f"{item.url}phien-ban/{number}/"
            links.append(link)
        item.revision_links = links
        item.metadata["revision_links"] = links
        found[item] = pages
    _save_verdicts(build, verdicts)
    return found


def prepare_revision_pages(build, generators, task: list) -> None:
    """Which revisions get a page (the history's links are set before any page is
    written), and the task that writes them through the build's writer."""
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
        task[:] = [functools.partial(write_revision_pages, build, source, _public_revisions(build, items, root))]
        build.writing_tasks.extend(task)


_INTERNAL_LINK = re.compile(r"""(href|src)=(["'])\{(filename|static|attach)\}/?([^"'#?]*)""")
_SOURCE_LINK = re.compile(r"""\{filename\}/?([^)\s"'#?<>]*)""")


def _links(body: str, site_url: str, urls: dict) -> str:
    """Pelican's {filename}/{static} links of an old text, as the site's addresses."""
    def replace(match):
        attribute, quote, kind, target = match.groups()
        address = urls.get(target, target) if kind == "filename" else target
        return f"{attribute}={quote}{site_url}/{address}"

    return _INTERNAL_LINK.sub(replace, body)


class RevisionBody:
    """An old revision's text as HTML, rendered only when its page is (cchc_reuse links an
    unchanged page from the live release). Its digest (repr) is what the HTML depends on:
    the Markdown source and the addresses of the items it links to."""

    __slots__ = ("_source", "_site_url", "_urls")

    def __init__(self, source: str, site_url: str, urls: dict):
        self._source, self._site_url = source, site_url
        self._urls = {t: urls.get(t, t) for t in sorted(set(_SOURCE_LINK.findall(source)))}

    def __repr__(self) -> str:
        import hashlib

        return f"RevisionBody({hashlib.sha1(self._source.encode()).hexdigest()}, {self._site_url!r}, {self._urls!r})"

    def __html__(self) -> str:
        from cchc import markdown_gfm

        return _links(markdown_gfm.render(self._source), self._site_url, self._urls)

    __str__ = __html__


def write_revision_pages(build, generator, found: dict) -> None:
    """Each public revision of each item as a page of the site (its text, change note and
    approvers), through the build's writer: a page whose inputs are those of the live
    release's is a link to it, not a new rendering."""
    from pelican.writers import Writer

    writer = build.writer or Writer(generator.output_path, generator.settings)
    template = generator.get_template("revision")
    content = Path(generator.settings["PATH"]).resolve()
    site_url = generator.settings.get("SITEURL", "")
    urls = {}
    for item in list(getattr(generator, "articles", [])) + list(found):
        if getattr(item, "source_path", None):
            urls[Path(item.source_path).resolve().relative_to(content).as_posix()] = item.url
    for other in generator.context.get("pages", []) or []:
        urls[Path(other.source_path).resolve().relative_to(content).as_posix()] = other.url
    for item, pages in found.items():
        for number, revision, meta, body in pages:
            writer.write_file(f"{item.url}phien-ban/{number}/index.html", template, generator.context,
                              relative_urls=generator.settings["RELATIVE_URLS"], article=item, number=number,
                              count=len(item.revisions), revision=revision, revision_meta=meta,
                              revision_body=RevisionBody(body, site_url, urls))


def connect(build):
    def start(pelican):
        build.history = Background(read, build)

    task: list = []  # the writing task, handed to cchc_parallel; run at the end if no writing process took it

    def write_at_the_end(pelican):
        if task and not build.tasks_taken:
            task[0]()

    build.on(signals.initialized, start)
    build.on(signals.article_generator_context, lambda generator, metadata: attach(build, metadata))
    build.on(signals.page_generator_context, lambda generator, metadata: attach(build, metadata))
    # Wait for the history even when no file asked for it, so its messages count.
    build.on(signals.all_generators_finalized, lambda generators: build.history.result())
    build.on(signals.all_generators_finalized, lambda generators: prepare_revision_pages(build, generators, task))
    build.on(signals.finalized, write_at_the_end)
