"""Approvals that cannot be forged: SSH-signed approval commits.

An e-mail address in a commit is whatever its writer typed. An approval counts only
when its commit carries an SSH signature (`git commit -S`, `gpg.format=ssh`) made by
the key recorded for that member in `content/data/board.yml` (`git.signing_key`) of
the roster that judges it (main before the merge). Git checks the signature itself,
against an allowed-signers file (`gpg.ssh.allowedSignersFile`) generated from that
roster into a temporary file; the signer Git names must be the member's e-mail.
How a member makes a key: docs/ky-phe-duyet.md (Vietnamese).
"""

import os
import tempfile
from pathlib import Path

from . import gitcmd
from .board import Roster

RULE = "approval-signature"
HOW_TO = (
    "Để ký phê duyệt, thành viên Ban Biên tập cần một khoá SSH (một lần, xem docs/ky-phe-duyet.md):\n"
    "  ssh-keygen -t ed25519 -C \"email-cua-ban@laocai.gov.vn\"\n"
    "  git config gpg.format ssh\n"
    "  git config user.signingkey ~/.ssh/id_ed25519.pub\n"
    "rồi gửi dòng trong tệp ~/.ssh/id_ed25519.pub cho Trưởng ban để ghi vào git.signing_key của mình trong content/data/board.yml."
)


def allowed_signers(roster: Roster) -> str:
    """Git's allowed-signers lines: each member's e-mail and signing key."""
    lines = []
    for member in roster.members.values():
        account = member.get("git") or {}
        if account.get("email") and account.get("signing_key"):
            lines.append(f'{account["email"]} namespaces="git" {account["signing_key"].strip()}')
    return "\n".join(lines) + "\n"


def signers(repo: Path, shas: list[str], roster: Roster) -> dict[str, str | None]:
    """For each commit, the e-mail of the board member whose key in `roster` made its
    good signature; None for an unsigned commit or any other signature."""
    if not shas:
        return {}
    handle, name = tempfile.mkstemp(prefix="cchc-allowed-signers-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(allowed_signers(roster))
        log = gitcmd.run(repo, "-c", "gpg.format=ssh", "-c", f"gpg.ssh.allowedSignersFile={name}", "log", "--no-walk=unsorted",
                         "--format=%H%x1f%G?%x1f%GS", *shas)
    finally:
        Path(name).unlink(missing_ok=True)
    found: dict[str, str | None] = {}
    for line in filter(None, log.splitlines()):
        sha, status, signer = line.split("\x1f")
        found[sha] = signer.strip() if status == "G" and signer.strip() else None
    return found


def configured_key(repo: Path) -> str | None:
    """The public key this user signs with (`user.signingkey`, a .pub file or the key
    itself) when `gpg.format` is ssh; None when signing is not set up."""
    if gitcmd.run(repo, "config", "gpg.format", check=False).strip() != "ssh":
        return None
    value = gitcmd.run(repo, "config", "user.signingkey", check=False).strip()
    if not value:
        return None
    if value.startswith("key::"):
        return value[5:].strip()
    if value.startswith(("ssh-", "ecdsa-", "sk-")):
        return value
    path = Path(os.path.expanduser(value))
    if not path.is_file():
        return None
    text = path.read_text("utf-8", "replace").strip()
    if not text.startswith(("ssh-", "ecdsa-", "sk-")):  # a private key: its .pub beside it
        public = path.with_name(path.name + ".pub")
        text = public.read_text("utf-8").strip() if public.is_file() else ""
    return text if text.startswith(("ssh-", "ecdsa-", "sk-")) else None


def same_key(one: str, other: str) -> bool:
    """Two public-key lines name the same key (type and base64; comments aside)."""
    return one.split()[:2] == other.split()[:2]
