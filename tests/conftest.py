"""Shared helpers: a copy of the portal in a temporary folder, and the real `cchc` command."""

import contextlib
import functools
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PORTAL_PARTS = ("pelicanconf.py", "publishconf.py", "theme", "plugins", "content", "schemas", ".gitignore")


def copy_portal(target: Path, with_content: bool = True) -> Path:
    """A working copy of the portal (settings, theme, plugins, registries, content)."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PORTAL_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
        else:
            shutil.copy2(source, target / part)
    installed = REPO / "theme/admin/node_modules"
    if installed.is_dir():  # the editor as `npm ci` installs it in each portal (ignored by Git)
        (target / "theme/admin/node_modules").symlink_to(installed)
    if not with_content:
        for folder in (target / "content").iterdir():
            if folder.name != "data":
                shutil.rmtree(folder)
    return target


def git(repo: Path, *args: str, email: str = "cchc@laocai.gov.vn", when: str = "2024-05-10T10:00:00+07:00") -> str:
    """Real git with a fixed identity and date, so histories are reproducible."""
    env = {"GIT_AUTHOR_NAME": "Người gửi", "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_NAME": "Người gửi", "GIT_COMMITTER_EMAIL": email,
           "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "PATH": "/usr/bin:/bin", "HOME": str(repo)}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def git_portal(target: Path, with_content: bool = True) -> Path:
    """A copy of the portal committed on `main` of a new repository."""
    repo = copy_portal(target, with_content)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Đăng nội dung mẫu")
    return repo


def cchc(*args: str, cwd: Path | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    """Run the real command line in a new process."""
    return subprocess.run([sys.executable, "-m", "cchc", *args], cwd=cwd, input=input, capture_output=True, text=True, timeout=600)


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


ARTICLE = """---
title: {title}
category: hoat-dong-chi-dao
unit: so-noi-vu
authors: [{author}]
source: Văn phòng Sở Nội vụ
classification: public
date: {date}
summary: Tóm tắt tin.
---

Nội dung tin về hoạt động cải cách hành chính của tỉnh Lào Cai.
"""


def article(title: str = "Hội nghị cải cách hành chính", author: str = "phong-cchc-snv", date: str = "2024-05-10 09:00") -> str:
    return ARTICLE.format(title=title, author=author, date=date)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample portal built once with the development settings."""
    repo = copy_portal(tmp_path_factory.mktemp("sample") / "portal")
    result = cchc("build", "--repo", str(repo))
    assert result.returncode == 0, result.stderr
    return repo / "output"


# Debian's Chromium, as root, on a machine whose network is closed.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(directory: Path, host: str = "127.0.0.1"):
    """A static web server on a free loopback port for `directory`; yields its address."""
    server = ThreadingHTTPServer((host, 0), functools.partial(_QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://{'localhost' if host == '127.0.0.1' else host}:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser), per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
