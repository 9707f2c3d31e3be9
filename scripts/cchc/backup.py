"""Backups (Điều 11.5): a verified `git bundle` of every ref and an archive of the built
site, with SHA-256 sums; restore brings a working repository back.

Rotation: the 7 newest backups are kept, and beyond them the newest of each of the
last 12 months; older ones are removed.
"""

import hashlib
import shutil
import tarfile
from datetime import datetime
from pathlib import Path

from . import gitcmd

KEEP_NEWEST = 7
KEEP_MONTHS = 12


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _git(*args: str, cwd: Path) -> str:
    try:
        return gitcmd.run(cwd, *args)
    except gitcmd.GitError as exc:
        raise BackupError(str(exc)) from None


def backup(repo: Path, target_dir: Path, site: Path | None = None, now: datetime | None = None) -> Path:
    """Write <target_dir>/<timestamp>/ with portal.bundle, site.tar.gz and SHA256SUMS."""
    stamp = (now or datetime.now()).strftime("%Y%m%dT%H%M%S")
    folder = Path(target_dir) / stamp
    folder.mkdir(parents=True, exist_ok=False)
    bundle = folder / "portal.bundle"
    _git("bundle", "create", str(bundle), "--all", cwd=repo)
    _git("bundle", "verify", str(bundle), cwd=repo)
    files = [bundle]
    if site is not None and Path(site).exists():
        archive = folder / "site.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(Path(site).resolve(), arcname="site")
        files.append(archive)
    (folder / "SHA256SUMS").write_text("".join(f"{_sha256(f)}  {f.name}\n" for f in files), "utf-8")
    rotate(Path(target_dir))
    return folder


def verify_sums(folder: Path) -> None:
    for line in (folder / "SHA256SUMS").read_text("utf-8").splitlines():
        digest, name = line.split("  ", 1)
        if _sha256(folder / name) != digest:
            raise BackupError(f"{folder / name}: mã SHA-256 không khớp, bản sao lưu bị hỏng")


def restore(bundle: Path, target: Path) -> None:
    """A working repository with every branch, tag and note of the bundle, main checked out."""
    bundle = Path(bundle).resolve()
    if (bundle.parent / "SHA256SUMS").exists():
        verify_sums(bundle.parent)
    target.mkdir(parents=True, exist_ok=False)
    _git("init", "-q", cwd=target)
    _git("bundle", "verify", str(bundle), cwd=target)
    # notes too: refs/notes/cchc-approvals holds the approvals given on GitHub (approval_records)
    _git("fetch", "-q", str(bundle), "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*", "+refs/notes/*:refs/notes/*", cwd=target)
    heads = _git("bundle", "list-heads", str(bundle), cwd=target)
    head = next((line.split()[1] for line in heads.splitlines() if line.endswith(" HEAD")), None)
    branch = next((ref for line in heads.splitlines() for ref in [line.split()[1]] if ref.startswith("refs/heads/")), None)
    wanted = "refs/heads/main" if "refs/heads/main" in heads else branch
    if wanted is None and head is None:
        raise BackupError("bản sao lưu không có nhánh nào")
    _git("symbolic-ref", "HEAD", wanted, cwd=target)
    _git("reset", "-q", "--hard", cwd=target)


def rotate(target_dir: Path) -> list[Path]:
    """Remove backups the rotation no longer keeps; return the removed folders."""
    backups = sorted((p for p in target_dir.iterdir() if p.is_dir() and len(p.name) == 15), reverse=True)
    keep = set(backups[:KEEP_NEWEST])
    months = []
    for folder in backups:
        month = folder.name[:6]
        if month not in months:
            months.append(month)
            if len(months) <= KEEP_MONTHS:
                keep.add(folder)
    removed = [folder for folder in backups if folder not in keep]
    for folder in removed:
        shutil.rmtree(folder)
    return removed
