#!/usr/bin/env python3
"""Benchmark of the gate: `cchc check --base` for one changed file against N published items.

The repository is the one `cchc bench` generates (articles, documents, questions,
consultations over all six fields) with a branch adding one article; the real command
runs in a new process, as CI runs it. The baseline, timed in the same run, is the same
check against an empty published corpus: the fixed cost of starting Python and reading
the registries. Usage: scripts/bench_check.py [--items 5000] [--runs 3]
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cchc.bench import generate, submit_branch  # noqa: E402


def time_check(repo: Path, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "cchc", "check", "--base", "main", "--repo", str(repo)], capture_output=True, text=True)
        samples.append(time.perf_counter() - start)
        if result.returncode != 0:
            sys.exit(f"check failed:\n{result.stdout}{result.stderr}")
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    timings = {}
    for size in (0, args.items):
        with tempfile.TemporaryDirectory() as folder:
            repo = generate(Path(folder), size, size)
            submit_branch(repo)
            timings[size] = time_check(repo, args.runs)
    baseline, measured = timings[0], timings[args.items]
    print(f"cchc check --base, 1 changed file, median of {args.runs} runs")
    print(f"  empty corpus (baseline):      {baseline:6.2f} s")
    print(f"  {args.items:>5} published items:        {measured:6.2f} s  ({measured / baseline:.2f} × baseline; target 1.5 s)")


if __name__ == "__main__":
    main()
