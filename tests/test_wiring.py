"""How the build is wired: plugins in any order give the same site, two builds in one
process share nothing, caches are keyed by all of the package's code, and Git is called
one way."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, copy_portal

PACKAGE = REPO / "scripts" / "cchc"
NOW = "2024-06-15 12:00"


def _site_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
            and "pagefind" not in p.relative_to(folder).parts and p.relative_to(folder).parts[0] != "admin"}


def test_plugins_in_reverse_order_build_the_same_site(tmp_path):
    forward = copy_portal(tmp_path / "forward")
    backward = copy_portal(tmp_path / "backward")
    conf = backward / "pelicanconf.py"
    text = conf.read_text("utf-8")
    listed = re.search(r"^PLUGINS = \[(.*?)\]", text, re.M)
    names = [n.strip().strip('"') for n in listed.group(1).split(",")]
    conf.write_text(text.replace(listed.group(0), "PLUGINS = [" + ", ".join(f'"{n}"' for n in reversed(names)) + "]"), "utf-8")
    env = dict(os.environ, CCHC_NOW=NOW)
    for portal in (forward, backward):
        result = subprocess.run([sys.executable, "-m", "cchc", "build", "--repo", str(portal)], capture_output=True, text=True, env=env)
        assert result.returncode == 0, result.stderr
    ours, theirs = _site_files(forward / "output"), _site_files(backward / "output")
    assert ours.keys() == theirs.keys()
    differing = [name for name in ours if ours[name].replace(str(forward).encode(), b"") != theirs[name].replace(str(backward).encode(), b"")]
    assert differing == []


def test_two_builds_in_one_process_share_no_state(tmp_path):
    """The second portal's build must not see the first one's registries, cache or history."""
    first, second = copy_portal(tmp_path / "first"), copy_portal(tmp_path / "second")
    units = second / "content/data/units.yml"
    units.write_text(units.read_text("utf-8").replace("Sở Nội vụ tỉnh Lào Cai", "Sở Nội vụ (bản thứ hai)", 1), "utf-8")
    script = (
        "import sys\nfrom pathlib import Path\nfrom pelican import signals\nfrom cchc.build import build\n"
        "for folder in sys.argv[1:]:\n    build(Path(folder))\n"
        "print(len(signals.initialized.receivers), len(signals.finalized.receivers))\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(first), str(second)], capture_output=True, text=True,
                            env=dict(os.environ, CCHC_NOW=NOW))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["0", "0"]  # every receiver of a build is disconnected when it ends
    assert "Sở Nội vụ (bản thứ hai)" not in (first / "output/thong-ke/index.html").read_text("utf-8")
    assert "Sở Nội vụ (bản thứ hai)" in (second / "output/thong-ke/index.html").read_text("utf-8")


def test_a_change_anywhere_in_the_package_makes_cached_content_stale(tmp_path):
    """The content cache's key covers every module: a change to check.py (once left out
    of a hand-kept list) must not keep serving verdicts cached by the old code."""
    copy = tmp_path / "code"
    shutil.copytree(PACKAGE, copy / "cchc", ignore=shutil.ignore_patterns("__pycache__"))
    script = "from cchc import content_cache\nfrom cchc.portal import Portal\nprint(content_cache.fingerprint(Portal.at(__import__('sys').argv[1])))"

    def fingerprint() -> str:
        result = subprocess.run([sys.executable, "-c", script, str(REPO)], capture_output=True, text=True,
                                env=dict(os.environ, PYTHONPATH=str(copy)))
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    before = fingerprint()
    assert fingerprint() == before
    check = copy / "cchc" / "check.py"
    check.write_text(check.read_text("utf-8") + "\n# a change to the gate\n", "utf-8")
    assert fingerprint() != before


def test_git_is_called_one_way():
    """Only cchc.gitcmd starts git (the benchmark's fast-import feed aside)."""
    starts_git = re.compile(r"""\[\s*["']git["']\s*,""")
    callers = sorted(p.relative_to(REPO).as_posix() for p in [*PACKAGE.rglob("*.py"), *(REPO / "plugins").rglob("*.py")]
                     if starts_git.search(p.read_text("utf-8")))
    assert callers == ["scripts/cchc/bench.py", "scripts/cchc/gitcmd.py"]
    imports_gitpython = re.compile(r"^\s*(import git\b|from git\b)", re.M)
    assert not [p for p in PACKAGE.rglob("*.py") if imports_gitpython.search(p.read_text("utf-8"))]


def test_the_package_never_finds_the_portal_through_its_own_location():
    own_location = re.compile(r"__file__")
    allowed = {"code.py"}  # the package digests its own code, nothing else
    offenders = [p.name for p in PACKAGE.rglob("*.py") if own_location.search(p.read_text("utf-8")) and p.name not in allowed]
    assert offenders == []
    assert "REPO_ROOT" not in "".join(p.read_text("utf-8") for p in PACKAGE.rglob("*.py"))
