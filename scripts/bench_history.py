#!/usr/bin/env python3
"""Benchmark of revision-history extraction (`cchc.history.read`).

Generates, with `git fast-import`, a repository of N content files over M commits
(creations, then edits with change notes, one in fifty a rename) and times the
extraction. Baseline, timed in the same run: `git log --raw` over the same history,
the least any Git-based history can cost. Usage: scripts/bench_history.py [--files 5000] [--commits 20000]
"""

import argparse
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cchc import history  # noqa: E402

FIELDS = ["cai-cach-the-che", "cai-cach-thu-tuc-hanh-chinh", "cai-cach-to-chuc-bo-may", "cai-cach-che-do-cong-vu", "cai-cach-tai-chinh-cong", "chinh-phu-dien-tu-chinh-phu-so"]


def _file(number: int, note: str | None) -> bytes:
    extra = f"change_note: {note}\n" if note else ""
    return (f"---\ntitle: Tin số {number}\ncategory: hoat-dong-chi-dao\nunit: so-noi-vu\nauthors: [phong-cchc-snv]\n"
            f"source: Sở Nội vụ\nclassification: public\nsummary: Tin số {number}.\n{extra}---\n\nNội dung tin số {number}.\n").encode()


def generate(repo: Path, files: int, commits: int) -> None:
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    rng = random.Random(7)
    paths = [f"content/tin-bai/{FIELDS[i % 6]}/2024/tin-{i}.md" for i in range(files)]
    stream = []
    for number in range(commits):
        when = 1_700_000_000 + number * 60
        stream.append(f"commit refs/heads/main\nmark :{number + 1}\ncommitter Bench <cchc@laocai.gov.vn> {when} +0700\ndata 7\nsua tin\n")
        if number:
            stream.append(f"from :{number}\n")
        if number < files:
            data = _file(number, None)
            stream.append(f"M 100644 inline {paths[number]}\ndata {len(data)}\n{data.decode()}\n")
        else:
            index = rng.randrange(files)
            if number % 50 == 0:
                new = paths[index].replace("/2024/", "/2024/").replace(FIELDS[index % 6], FIELDS[(index + 1) % 6], 1)
                if new != paths[index]:
                    stream.append(f"R {paths[index]} {new}\n")
                    paths[index] = new
            data = _file(index, f"Sửa lần {number}")
            stream.append(f"M 100644 inline {paths[index]}\ndata {len(data)}\n{data.decode()}\n")
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input="".join(stream).encode(), check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--commits", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder) / "portal"
        generate(repo, args.files, args.commits)
        start = time.perf_counter()
        subprocess.run(["git", "log", "--raw", "--no-abbrev", "-M", "--first-parent", "--", "content/"], cwd=repo, capture_output=True, check=True)
        baseline = time.perf_counter() - start
        start = time.perf_counter()
        revisions = history.read(repo)
        measured = time.perf_counter() - start
        tracemalloc.start()  # a second run for memory: tracemalloc slows Python down
        history.read(repo)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    count = sum(len(r) for r in revisions.values())
    print(f"history extraction: {args.files} files, {args.commits} commits, {count} revisions of {len(revisions)} files")
    print(f"  git log --raw (baseline): {baseline:6.2f} s")
    print(f"  cchc.history.read:        {measured:6.2f} s  ({measured / baseline:.2f} × baseline; target 5 s), Python peak {peak:.0f} MiB")


if __name__ == "__main__":
    main()
