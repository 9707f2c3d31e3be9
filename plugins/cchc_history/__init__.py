"""Every page gets its revision history from Git, and its dates when the file has none.

Reads the whole history once when Pelican starts (`cchc.history.read`), then hands
each content file its revisions as the reader's metadata comes through.
"""

import logging
import os
import threading
from datetime import datetime
from pathlib import Path

from cchc import dates, history
from pelican import signals

logger = logging.getLogger("cchc.history")


def read_history(pelican):
    """Start reading the history in a thread: Git works in its own processes while the
    reader fills its cache on the cores; `attach` waits for the result."""
    worker = threading.Thread(target=_read, args=(pelican.settings,), daemon=True)
    pelican.settings["HISTORY_THREAD"] = worker
    worker.start()


def _history(settings) -> dict:
    worker = settings.get("HISTORY_THREAD")
    if worker is not None:
        worker.join()
        settings["HISTORY_THREAD"] = None
        if settings.get("HISTORY_ERROR"):
            raise settings["HISTORY_ERROR"]
    return settings["HISTORY"]


def _read(settings):
    try:
        _read_now(settings)
    except Exception as exc:  # noqa: BLE001 - raised again in the main thread
        settings["HISTORY_ERROR"] = exc


def _read_now(settings):
    settings["HISTORY"], settings["HISTORY_ROOT"] = {}, None
    root = history.git_root(Path(settings["PATH"]))
    production = settings.get("PRODUCTION", False)
    if root is None:
        if production:
            logger.error("lỗi [archive] thư mục nội dung không nằm trong kho Git: bản công khai cần lịch sử phiên bản của mọi trang")
        return
    if history.is_shallow(root):
        message = "kho Git là bản sao nông (shallow clone): lịch sử phiên bản không đầy đủ; hãy lấy toàn bộ lịch sử (fetch-depth: 0)"
        if production:
            logger.error(f"lỗi [archive] {message}")
        else:
            logger.warning(f"lưu ý [archive] {message}", extra={"notice": True})
    cache_file = Path(settings["PATH"]).parent / ".cchc-cache" / "history.pickle"
    settings["HISTORY"] = history.read(root, prefix=os.path.relpath(settings["PATH"], root).rstrip("/") + "/", cache_file=cache_file)
    settings["HISTORY_ROOT"] = root


def attach(generator, metadata):
    """Revisions on the item; `date` and `modified` from them when the file has none."""
    settings = generator.settings
    source = metadata.get("source_file")
    if source is None:
        return
    everything = _history(settings)
    root = settings.get("HISTORY_ROOT")
    key = os.path.relpath(source, root) if root else None
    revisions = everything.get(key, []) if key else []
    metadata["revisions"] = revisions
    if "date" not in metadata:
        fallback = metadata.pop("type_date", None)
        mtime = datetime.fromtimestamp(Path(source).stat().st_mtime, dates.TIMEZONE)
        metadata["date"] = revisions[0].date if revisions else (fallback or mtime)
    metadata.pop("type_date", None)
    if "modified" not in metadata and len(revisions) > 1:
        metadata["modified"] = revisions[-1].date
    blob_url = settings.get("SOURCE_BLOB_URL")
    metadata["revision_links"] = [blob_url.format(sha=r.sha, path=r.path) if blob_url else None for r in revisions]


def finish(generators):
    """Wait for the history even when no file asked for it, so its messages count."""
    if generators:
        _history(generators[0].settings)


def register():
    signals.initialized.connect(read_history)
    signals.all_generators_finalized.connect(finish)
    signals.article_generator_context.connect(attach)
    signals.page_generator_context.connect(attach)
