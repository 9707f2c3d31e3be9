"""Every page gets its revision history from Git, and its dates when the file has none.

The whole history is read once, in a thread started when Pelican starts
(`cchc.history.read`); each content file gets its revisions as the reader's metadata
comes through, waiting for the thread only then.
"""

import dataclasses
import logging
import os
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
    """Revisions on the item; `date` and `modified` from them when the file has none."""
    source = metadata.get("source_file")
    if source is None:
        return
    everything, root = build.history.result()
    revisions = everything.get(os.path.relpath(source, root), []) if root else []
    board = build.registries.board
    revisions = [dataclasses.replace(r, approved_by=history.public_names(r, board), approver_emails=()) for r in revisions]
    metadata["revisions"] = revisions
    if "date" not in metadata:
        fallback = metadata.pop("type_date", None)
        mtime = datetime.fromtimestamp(Path(source).stat().st_mtime, dates.TIMEZONE)
        metadata["date"] = revisions[0].date if revisions else (fallback or mtime)
    metadata.pop("type_date", None)
    if "modified" not in metadata and len(revisions) > 1:
        metadata["modified"] = revisions[-1].date
    blob_url = build.settings.get("SOURCE_BLOB_URL")
    metadata["revision_links"] = [blob_url.format(sha=r.sha, path=r.path) if blob_url else None for r in revisions]


def connect(build):
    def start(pelican):
        build.history = Background(read, build)

    build.on(signals.initialized, start)
    build.on(signals.article_generator_context, lambda generator, metadata: attach(build, metadata))
    build.on(signals.page_generator_context, lambda generator, metadata: attach(build, metadata))
    # Wait for the history even when no file asked for it, so its messages count.
    build.on(signals.all_generators_finalized, lambda generators: build.history.result())
