"""The scheduled build of deploy/: its script on a real checkout, its systemd units checked by systemd."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, article, git, git_portal, write

DEPLOY = REPO / "deploy"
NEWS = "content/tin-bai/cai-cach-the-che/2024/lich-tiep-dan.md"


def run_script(checkout: Path, live: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "CCHC_PORTAL": str(checkout), "CCHC_OUTPUT": str(live)}
    return subprocess.run(["sh", str(DEPLOY / "cchc-build.sh")], env=env, capture_output=True, text=True, timeout=600)


def test_the_scheduled_build_publishes_what_was_pushed_and_still_builds_when_git_is_unreachable(tmp_path):
    origin = git_portal(tmp_path / "origin")
    checkout = tmp_path / "srv" / "cchc"
    subprocess.run(["git", "clone", "-q", str(origin), str(checkout)], check=True)
    (checkout / ".venv").symlink_to(REPO / ".venv")  # the portal's own environment, as on the server
    live = tmp_path / "www" / "cchc"

    write(origin / NEWS, article("Lịch tiếp công dân tháng 5"))
    git(origin, "add", "-A")
    git(origin, "commit", "-qm", "Đăng lịch tiếp công dân")
    result = run_script(checkout, live)
    assert result.returncode == 0, result.stderr
    page = live / "tin-bai/2024/lich-tiep-dan/index.html"
    assert "Lịch tiếp công dân tháng 5" in page.read_text("utf-8")
    assert 'href="https://cchc.laocai.gov.vn/' in page.read_text("utf-8")  # the production settings
    assert re.fullmatch(r"publish/\d{4}-\d\d-\d\dT\d{4}\n", git(checkout, "tag", "--list", "publish/*"))

    shutil.move(origin, tmp_path / "origin-moved")  # the Git server cannot be reached
    first = live.resolve()
    result = run_script(checkout, live)
    assert result.returncode == 1
    assert "lỗi [build] không lấy được thay đổi mới từ kho Git" in result.stderr
    assert live.resolve() != first and page.is_file()  # rebuilt all the same (dates still turn)


def _calendar(expression: str, iterations: int) -> list[str]:
    result = subprocess.run(["systemd-analyze", "calendar", f"--iterations={iterations}", expression],
                            capture_output=True, text=True, env={**os.environ, "TZ": "Asia/Ho_Chi_Minh", "LC_ALL": "C"})
    assert result.returncode == 0, result.stderr
    return re.findall(r"(?:Next elapse|Iter\. #\d+): \w+ (\S+ \S+)", result.stdout)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_the_timer_runs_every_ten_minutes_and_just_after_midnight_in_vietnam():
    timer = (DEPLOY / "systemd/cchc-build.timer").read_text("utf-8")
    calendars = re.findall(r"^OnCalendar=(.+)$", timer, re.M)
    assert all(c.endswith(" Asia/Ho_Chi_Minh") for c in calendars)
    times = sorted({t for c in calendars for t in _calendar(c, 200)})
    minutes = {t[-8:-3] for t in times}
    assert {f"{h:02d}:{m:02d}" for h in range(24) for m in range(0, 60, 10)} <= minutes
    assert any(t.endswith(" 00:00:00") or t.endswith(" 00:00:05") for t in times)
    assert re.search(r"^Unit=cchc-build\.service$", timer, re.M)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_the_units_are_valid_and_the_service_runs_the_script_under_a_lock():
    service = (DEPLOY / "systemd/cchc-build.service").read_text("utf-8")
    result = subprocess.run(["systemd-analyze", "verify", str(DEPLOY / "systemd/cchc-build.service"),
                             str(DEPLOY / "systemd/cchc-build.timer")], capture_output=True, text=True)
    assert result.returncode == 0 and "cchc-build" not in result.stderr, result.stderr
    start = re.search(r"^ExecStart=(.+)$", service, re.M).group(1).split()
    assert start[:3] == ["/usr/bin/flock", "--nonblock", "--conflict-exit-code"]
    assert start[-1] == "/srv/cchc/deploy/cchc-build.sh" and os.access(DEPLOY / "cchc-build.sh", os.X_OK)
    assert "cchc build --production --repo . --output" in (DEPLOY / "cchc-build.sh").read_text("utf-8")
