"""The package as the workflows install it: `pip install .` (not editable) into a fresh
virtual environment outside this checkout, then every command run inside a second
clone works on that clone and touches nothing else. A wheel behaves the same."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, git, git_portal

PIP_CACHE = Path(os.environ.get("PIP_CACHE_DIR", Path.home() / ".cache" / "pip"))


def _run(command: list[str], cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv with `pip install .` of this checkout, and a clean environment for it."""
    folder = tmp_path_factory.mktemp("installed")
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {"PATH": f"{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin", "HOME": str(folder), "PIP_CACHE_DIR": str(PIP_CACHE),
           "PIP_DISABLE_PIP_VERSION_CHECK": "1", "LANG": "C.UTF-8", "CCHC_NOW": "2024-05-10 12:00"}
    source = folder / "source"  # what `pip install .` sees: the committed files, no venv or node_modules
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".venv", "node_modules", "output", ".output*", ".cchc-cache", "__pycache__", "*.egg-info", "build"))
    result = _run([str(venv / "bin/python"), "-m", "pip", "install", "--quiet", "."], source, env)
    assert result.returncode == 0, result.stdout + result.stderr
    shutil.rmtree(source)  # nothing may be found through the source the package came from
    return venv, env


@pytest.fixture()
def clones(tmp_path):
    """A portal repository and a second clone of it, as an official would have."""
    first = git_portal(tmp_path / "first")
    shutil.copytree(REPO / ".github", first / ".github")
    git(first, "add", "-A")
    git(first, "commit", "-qm", "Quy trình")
    second = tmp_path / "second"
    subprocess.run(["git", "clone", "-q", str(first), str(second)], check=True)
    for repo in (first, second):
        git(repo, "config", "user.email", "cchc@laocai.gov.vn")
        git(repo, "config", "user.name", "Người gửi")
    return first, second


def _state(repo: Path) -> tuple:
    """Everything a command could have changed in a repository: files, refs, ignored output."""
    files = sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*") if ".git" not in p.relative_to(repo).parts)
    return (files, git(repo, "status", "--porcelain", "--ignored"), git(repo, "show-ref"), git(repo, "rev-parse", "HEAD"))


def test_installed_commands_work_on_the_clone_they_run_in(installed, clones):
    venv, env = installed
    first, second = clones
    before = _state(first)
    cchc = str(venv / "bin/cchc")
    inside = second / "content" / "van-ban"  # any folder of the clone, not only its root

    result = _run([cchc, "check"], inside, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ĐẠT" in result.stdout

    result = _run([cchc, "codeowners", "--check"], inside, env)
    assert result.returncode == 0, result.stdout + result.stderr
    result = _run([cchc, "editor-config", "--check"], inside, env)
    assert result.returncode == 0, result.stdout + result.stderr

    result = _run([cchc, "new", "article", "--no-input", "--title", "Hội nghị tổng kết cải cách hành chính", "--field", "cai-cach-the-che",
                   "--set", "category=hoat-dong-chi-dao", "--set", "unit=so-noi-vu", "--set", "authors=phong-cchc-snv",
                   "--set", "source=Sở Nội vụ tỉnh Lào Cai", "--set", "summary=Tóm tắt hội nghị.", "--body", "Hội nghị ngắn."], inside, env)
    # Written into this clone, then checked against the clone's own schemas and rules: the body is too short.
    assert result.returncode == 1 and "[quality]" in result.stderr, result.stdout + result.stderr
    written = second / result.stdout.strip()
    assert written.is_file() and written.is_relative_to(second / "content/tin-bai/cai-cach-the-che")
    result = _run([cchc, "check", str(written)], inside, env)
    assert result.returncode == 1 and "[quality]" in result.stdout, result.stdout + result.stderr
    written.unlink()

    result = _run([cchc, "build", "--production"], inside, env)
    assert result.returncode == 0, result.stdout + result.stderr
    home = (second / "output" / "index.html").read_text("utf-8")
    assert "https://cchc.laocai.gov.vn/" in home  # publishconf.py of the clone, not a file beside the venv
    assert git(second, "tag", "-l", "publish/*").strip()  # the clone's commit is tagged …

    assert _state(first) == before  # … and the first clone is untouched
    site_packages = next((venv / "lib").glob("python3*/site-packages"))
    assert not list(site_packages.glob("output")) and not list(site_packages.parent.glob("*.py"))


def test_outside_a_portal_the_command_says_where_it_looked(installed, tmp_path):
    venv, env = installed
    result = _run([str(venv / "bin/cchc"), "check"], tmp_path, env)
    assert result.returncode == 2
    assert "không tìm thấy Cổng Thông tin" in result.stderr and "--repo" in result.stderr


def test_a_wheel_carries_code_only_and_behaves_the_same(installed, clones, tmp_path):
    venv, env = installed
    _first, second = clones
    source = tmp_path / "source"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".venv", "node_modules", "output", ".output*", ".cchc-cache", "__pycache__", "*.egg-info", "build"))
    result = _run([str(venv / "bin/python"), "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path / "dist"), "."], source, env)
    assert result.returncode == 0, result.stdout + result.stderr
    wheel = next((tmp_path / "dist").glob("cchc_portal-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "cchc/cli.py" in names
    assert not [n for n in names if n.startswith(("content/", "schemas/", "theme/", "plugins/")) or n.endswith("conf.py")]
    result = _run([str(venv / "bin/python"), "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall", str(wheel)], tmp_path, env)
    assert result.returncode == 0, result.stdout + result.stderr
    result = _run([str(venv / "bin/cchc"), "check", "--repo", str(second)], tmp_path, env)
    assert result.returncode == 0, result.stdout + result.stderr
