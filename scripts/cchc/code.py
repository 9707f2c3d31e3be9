"""The running code as one digest: caches and page digests are keyed by all of it.

Every file of the installed `cchc` package counts, so a change anywhere in it (a rule,
the gate, a template filter) makes cached verdicts and pages stale; a hand-kept list of
"files that matter" went stale itself. This reads the package's own files, which is the
code that runs, wherever it is installed; the portal's files come from the `Portal`.
"""

import functools
import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def tree_digest(folder: Path, suffixes: tuple[str, ...] | None = None) -> str:
    """SHA-1 of every file under `folder` (names relative to it, then bytes), caches aside."""
    digest = hashlib.sha1()
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        relative = path.relative_to(folder)
        if "__pycache__" in relative.parts or "node_modules" in relative.parts or (suffixes and path.suffix not in suffixes):
            continue
        digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.cache
def package_digest() -> str:
    """The digest of the `cchc` package as installed (read once per process)."""
    return tree_digest(PACKAGE)
