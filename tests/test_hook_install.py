"""`cchc install-hook`: installs the portal's hook, or says why not in Vietnamese (no traceback)."""
import shutil
import subprocess

from conftest import REPO, cchc, copy_portal


def portal_with_hook(target):
    portal = copy_portal(target, with_content=False)
    (portal / "scripts" / "hooks").mkdir(parents=True)
    shutil.copy2(REPO / "scripts" / "hooks" / "pre-receive", portal / "scripts" / "hooks" / "pre-receive")
    return portal


def test_install_hook_binds_the_hook_to_this_python(tmp_path):
    portal = portal_with_hook(tmp_path / "portal")
    bare = tmp_path / "srv.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    done = cchc("install-hook", str(bare), cwd=portal)
    assert done.returncode == 0, done.stderr
    hook = bare / "hooks" / "pre-receive"
    assert hook.stat().st_mode & 0o111
    assert "python" in hook.read_text("utf-8").split("CCHC_PYTHON:-", 1)[1].split("}", 1)[0]


def test_install_hook_without_the_template_says_how_to_get_it_back(tmp_path):
    portal = portal_with_hook(tmp_path / "portal")
    (portal / "scripts" / "hooks" / "pre-receive").unlink()
    bare = tmp_path / "srv.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    done = cchc("install-hook", str(bare), cwd=portal)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "scripts/hooks/pre-receive" in done.stderr and "git checkout" in done.stderr
    assert not (bare / "hooks" / "pre-receive").exists()


def test_install_hook_refuses_a_folder_that_is_not_a_bare_repository(tmp_path):
    portal = portal_with_hook(tmp_path / "portal")
    plain = tmp_path / "not-a-repo"
    plain.mkdir()
    done = cchc("install-hook", str(plain), cwd=portal)
    assert done.returncode == 1
    assert "không phải một kho Git bare" in done.stderr and "git init --bare" in done.stderr
    assert not (plain / "hooks").exists()
