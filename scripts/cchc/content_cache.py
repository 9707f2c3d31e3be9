"""A cache of read content: front matter, place and rendered HTML, per file.

Keyed by the SHA-1 of the file's bytes and a fingerprint of everything else the result
depends on (the code that reads and renders, the schemas, the registries, the versions
of the libraries that parse and render): change any of them and
every entry is stale. Pelican's own content cache
keys on modification times and ignores settings; this one never serves a stale page.

On a cold cache the files are read by worker processes on every core, since reading
(YAML, schema, Markdown, sanitising) is pure Python and most of a build's time.
"""

import hashlib
import multiprocessing
import os
import pickle
import shutil
from importlib import metadata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .code import package_digest, tree_digest
from .portal import Portal

LIBRARIES = ["cmarkgfm", "pyyaml", "nh3", "jsonschema", "pelican", "pypdf", "python-docx", "openpyxl", "odfpy", "pillow"]  # an upgrade can change what a file reads as
# The renderer is a closure over this build's settings and registries: it cannot be
# pickled, so workers are forked (pinned: Python 3.14 makes forkserver the default on
# Linux) and get it from the pool's initializer, not from a global set beforehand.
_FORK = multiprocessing.get_context("fork")
_worker_render = None


@dataclass(frozen=True)
class Entry:
    meta: dict
    type_name: str
    field: str | None
    year: int | None
    slug: str
    html: str
    body_line: int
    non_nfc_line: int | None
    harm: tuple = ()  # the harm rules' findings about the file (cchc.check.harm_findings)


def digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def fingerprint(portal: Portal) -> str:
    """Everything a cached entry depends on besides the file: the whole package's code
    (the renderer, cchc.markdown_gfm, with it), the portal's schemas, registries and
    plugins, the libraries, and the media files (the harm rules read attachments' text).
    Whether OCR is installed counts too: a scan read without it was not really read."""
    media = portal.content / "media"
    parts = [package_digest().encode(), tree_digest(portal.schema_dir).encode(), tree_digest(portal.data).encode(),
             tree_digest(portal.plugins, (".py",)).encode(), (tree_digest(media) if media.is_dir() else "").encode(),
             str(shutil.which("tesseract") is not None).encode()]
    parts += [f"{name}=={metadata.version(name)}".encode() for name in LIBRARIES]
    return hashlib.sha1(b"\0".join(parts)).hexdigest()


def load(path: Path, expected: str) -> dict[str, Entry]:
    try:
        with open(path, "rb") as handle:
            stored_fingerprint, entries = pickle.load(handle)
    except (OSError, pickle.PickleError, EOFError, ValueError):
        return {}
    return entries if stored_fingerprint == expected else {}


def save(path: Path, fingerprint_value: str, entries: dict[str, Entry]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    with open(temporary, "wb") as handle:
        pickle.dump((fingerprint_value, entries), handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)


def prefill(files: list[Path], cache: dict[str, Entry], render, workers: int | None = None) -> dict[str, str]:
    """Read the files missing from the cache, on every core; return {path: sha1}.

    `render(path) -> Entry | None` reads one file (None: unreadable, the reader will
    report it). It runs in forked workers, which inherit it.
    """
    shas = {}
    missing = []
    for file_path in files:
        sha = digest(file_path.read_bytes())
        shas[str(file_path)] = sha
        if sha not in cache:
            missing.append(str(file_path))
    if not missing:
        return shas
    workers = workers or min(os.cpu_count() or 1, 8)
    if workers == 1 or len(missing) < 64:
        results = [_render_one(render, path) for path in missing]
    else:
        with ProcessPoolExecutor(max_workers=workers, mp_context=_FORK, initializer=_start_worker, initargs=(render,)) as pool:
            results = list(pool.map(_render_in_worker, missing, chunksize=max(1, len(missing) // (workers * 8))))
    for path, entry in zip(missing, results):
        if entry is not None:
            cache[shas[path]] = entry
    return shas


def _render_one(render, path: str):
    try:
        return render(Path(path))
    except Exception:  # noqa: BLE001 - the live reader reports it with its place
        return None


def _start_worker(render) -> None:
    global _worker_render
    _worker_render = render


def _render_in_worker(path: str):
    return _render_one(_worker_render, path)
