"""The build lock (cchc.lock): real `cchc build` processes into one output folder."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import article, cchc, copy_portal, write

NEWS = "content/tin-bai/cai-cach-the-che/2024/tin-trong-luc-dung.md"


def start_build(repo: Path, live: Path) -> subprocess.Popen:
    """`cchc build` in a process group of its own, so the test can stop or kill all of it."""
    return subprocess.Popen([sys.executable, "-m", "cchc", "build", "--repo", str(repo), "--output", str(live)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def staging_folders(live: Path) -> list[Path]:
    return sorted(live.parent.glob(f".{live.name}.building-*"))


def wait_for_staging(live: Path, process: subprocess.Popen, known: tuple = ()) -> Path:
    """The staging folder the build made (after it took the lock)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        new = [p for p in staging_folders(live) if p not in known]
        if new:
            return new[0]
        assert process.poll() is None, process.communicate()
        time.sleep(0.005)
    raise AssertionError("the build made no staging folder in 60 s")


def built_portal(tmp_path: Path) -> tuple[Path, Path]:
    repo = copy_portal(tmp_path / "portal")
    live = tmp_path / "www" / "cchc"
    result = cchc("build", "--repo", str(repo), "--output", str(live))
    assert result.returncode == 0, result.stderr
    return repo, live


def test_a_second_build_into_one_output_fails_at_once_and_the_first_publishes(tmp_path):
    repo, live = built_portal(tmp_path)
    before = live.resolve()
    write(repo / NEWS, article("Tin viết trong lúc đang dựng"))
    first = start_build(repo, live)
    wait_for_staging(live, first)
    os.killpg(first.pid, signal.SIGSTOP)  # the first build holds the lock for as long as the test needs
    try:
        clock = time.monotonic()
        second = cchc("build", "--repo", str(repo), "--output", str(live))
        waited = time.monotonic() - clock
        assert first.poll() is None
    finally:
        os.killpg(first.pid, signal.SIGCONT)
    assert second.returncode == 1
    lock = live.parent / ".cchc.lock"
    assert f"lỗi [build] đang có một lần dựng khác ghi vào {live} (khoá {lock}); thử lại sau" in second.stderr
    assert "trang đang chạy giữ nguyên như trước" in second.stderr
    assert waited < 10  # it did not wait for the first (a Python start-up, not a build)
    assert live.resolve() == before and (live / "index.html").is_file()  # the live site as it was
    out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert live.resolve() != before
    assert "Tin viết trong lúc đang dựng" in (live / "index.html").read_text("utf-8")
    assert staging_folders(live) == []
    # The lock is free again: the next build runs.
    assert cchc("build", "--repo", str(repo), "--output", str(live)).returncode == 0


def test_the_staging_folder_of_a_killed_build_goes_with_the_next_build_and_nothing_else(tmp_path):
    repo, live = built_portal(tmp_path)
    www = live.parent
    foreign = [www / ".khac.building-abcd1234", www / ".cchc.building-giu-lai-ban-sao", www / "tai-lieu"]
    for folder in foreign:
        write(folder / "index.html", "<!DOCTYPE html><title>Không phải của cchc</title>")
    write(www / ".cchc.building-tep12345", "một tệp, không phải thư mục dựng")
    there = tuple(staging_folders(live))
    killed = start_build(repo, live)
    stale = wait_for_staging(live, killed, known=there)
    os.killpg(killed.pid, signal.SIGKILL)
    killed.communicate()
    assert stale.is_dir()  # a killed build cannot clean up after itself
    live_before = live.resolve()
    result = cchc("build", "--repo", str(repo), "--output", str(live))  # the kernel dropped the killed build's lock
    assert result.returncode == 0, result.stderr
    assert not stale.exists()
    assert all((folder / "index.html").is_file() for folder in foreign)
    assert (www / ".cchc.building-tep12345").is_file()
    assert live.resolve() != live_before and (live / "index.html").is_file()
