"""Backups (Điều 11.5): a verified `git bundle` of every ref and an archive of the built
site, with SHA-256 sums; restore brings a working repository back.

Rotation: the 7 newest backups are kept, and beyond them the newest of each of the
last 12 months; older ones are removed. Rotation removes only folders a backup made: named
exactly as it names them and holding nothing but the files it writes, so a folder of
someone else's in the backup folder is never touched. A restore is made in a temporary
folder beside the target and renamed into place at the end: a failed one leaves nothing.
Every error is Vietnamese and names the file.
"""

import hashlib
import os
import re
import shutil
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

from . import gitcmd
from .oserrors import describe

BACKUP_NAME = re.compile(r"\d{8}T\d{6}")
BACKUP_FILES = {"portal.bundle", "site.tar.gz", "SHA256SUMS"}  # everything `backup` writes in its folder

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
    try:
        return _backup(repo, Path(target_dir), site, now)
    except OSError as exc:
        raise BackupError(describe(exc)) from None


def _backup(repo: Path, target_dir: Path, site: Path | None, now: datetime | None) -> Path:
    stamp = (now or datetime.now()).strftime("%Y%m%dT%H%M%S")
    folder = Path(target_dir) / stamp
    if folder.exists():
        raise BackupError(f"{folder}: đã có bản sao lưu cùng thời điểm; chờ một giây rồi sao lưu lại")
    folder.mkdir(parents=True)
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
    sums = folder / "SHA256SUMS"
    try:
        lines = sums.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BackupError(describe(exc) if isinstance(exc, OSError) else f"{sums}: tệp không đọc được (không phải UTF-8)") from None
    for line in lines:
        digest, separator, name = line.partition("  ")
        if not separator or not re.fullmatch(r"[0-9a-f]{64}", digest) or "/" in name or name.startswith("."):
            raise BackupError(f"{sums}: dòng “{line[:60]}” sai định dạng; bản sao lưu bị hỏng")
        try:
            actual = _sha256(folder / name)
        except OSError as exc:
            raise BackupError(describe(exc)) from None
        if actual != digest:
            raise BackupError(f"{folder / name}: mã SHA-256 không khớp, bản sao lưu bị hỏng")


def restore(bundle: Path, target: Path) -> None:
    """A working repository with every branch, tag and note of the bundle, main checked out,
    made in a temporary folder beside `target` and renamed to it only when complete."""
    target = Path(target).absolute()
    if target.exists() or target.is_symlink():
        raise BackupError(f"{target}: thư mục đích đã có; khôi phục vào một thư mục chưa có")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.restoring-", dir=target.parent))
    except OSError as exc:
        raise BackupError(describe(exc)) from None
    try:
        _restore(Path(bundle).resolve(), work)
        os.rename(work, target)
    except OSError as exc:
        raise BackupError(describe(exc)) from None
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)


def _restore(bundle: Path, target: Path) -> None:
    if (bundle.parent / "SHA256SUMS").exists():
        verify_sums(bundle.parent)
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


def _made_by_backup(folder: Path) -> bool:
    """Named as `backup` names its folders and holding only what it writes (nothing else
    of anyone's can be lost by removing it)."""
    if folder.is_symlink() or not folder.is_dir() or not BACKUP_NAME.fullmatch(folder.name):
        return False
    return all(entry.name in BACKUP_FILES and entry.is_file() and not entry.is_symlink() for entry in folder.iterdir())


def rotate(target_dir: Path) -> list[Path]:
    """Remove backups the rotation no longer keeps; return the removed folders."""
    try:
        return _rotate(Path(target_dir))
    except OSError as exc:
        raise BackupError(describe(exc)) from None


def _rotate(target_dir: Path) -> list[Path]:
    backups = sorted((p for p in target_dir.iterdir() if _made_by_backup(p)), reverse=True)
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
