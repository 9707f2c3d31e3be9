#!/usr/bin/env python3
"""Benchmark of revision-history extraction (`cchc.history.read`).

The repository is the one `cchc bench` generates: N items over M commits (creations,
edits with change notes, a rename every 50th commit, a withdrawal). Baseline, timed in
the same run: `git log --raw` over the same history, the least any Git-based history
can cost. Usage: scripts/bench_history.py [--files 5000] [--commits 20000]
"""

import argparse
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cchc import history  # noqa: E402
from cchc.bench import generate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--commits", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        repo = generate(Path(folder), args.files, args.commits)
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
