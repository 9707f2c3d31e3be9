"""One build at a time per output folder.

A build writes a staging folder beside the output and then switches the output's link
(cchc.publish). Two builds into one output at once would race for that link and prune
each other's releases, so each build holds a lock file beside the output,
`<parent>/.<name>.lock`, taken with flock(2) without waiting: a second build fails at
once instead of queueing behind a long one (the next scheduled run picks up its work).
The kernel drops the lock when its holder dies, however it dies, so a killed build never
leaves the output locked; it leaves its staging folder, which the next build removes.
"""

import fcntl
import os
import re
import shutil
from pathlib import Path

# tempfile.mkdtemp's random part: 8 characters of [a-z0-9_].
_STAGING_SUFFIX = r"[a-z0-9_]{8}"


class Busy(Exception):
    """Another build holds the output's lock; the message is the Vietnamese line to show."""


def lock_file(output: Path) -> Path:
    return output.parent / f".{output.name}.lock"


def staging_prefix(output: Path) -> str:
    """The name prefix of the staging folders of builds into `output` (cchc.build)."""
    return f".{output.name}.building-"


class OutputLock:
    """Held from creation until `release()`, or until the object or its process is gone."""

    def __init__(self, output: Path):
        self.output, self.path = output, lock_file(output)
        self._file = open(self.path, "a+b", buffering=0)  # held past this call
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.close()
            raise Busy(f"lỗi [build] đang có một lần dựng khác ghi vào {output} (khoá {self.path}); thử lại sau") from None
        self._file.truncate(0)  # who holds it, for the administrator (the lock itself is the flock)
        self._file.write(f"{os.getpid()}\n".encode())
        self.removed = remove_stale_staging(output)

    def release(self) -> None:
        self._file.close()


def remove_stale_staging(output: Path) -> list[Path]:
    """Remove the staging folders that killed builds into `output` left beside it. Call
    only while holding the output's lock: no live build can then own one. Only folders
    named exactly as cchc.build names them (`.<name>.building-XXXXXXXX`) are touched;
    anything else beside the output, other outputs' staging included, stays."""
    pattern = re.compile(re.escape(staging_prefix(output)) + _STAGING_SUFFIX)
    removed = []
    for entry in output.parent.iterdir():
        if pattern.fullmatch(entry.name) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed
