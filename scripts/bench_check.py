#!/usr/bin/env python3
"""Benchmark of the gate: `cchc check --base` for one changed file against N published items.

Builds, in a temporary folder, a Git repository with N published items (articles and
documents over all six fields), a branch adding one article, and times the real
command (a new process, as CI runs it). The baseline, timed in the same run, is the
same check against an empty published corpus: the fixed cost of starting Python and
reading the registries. Usage: scripts/bench_check.py [--items 5000] [--runs 3]
"""

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIELDS = ["cai-cach-the-che", "cai-cach-thu-tuc-hanh-chinh", "cai-cach-to-chuc-bo-may", "cai-cach-che-do-cong-vu", "cai-cach-tai-chinh-cong", "chinh-phu-dien-tu-chinh-phu-so"]
WORDS = ("cải cách hành chính thủ tục một cửa liên thông chuyển đổi số chính quyền điện tử cán bộ công chức viên chức "
         "người dân doanh nghiệp hài lòng dịch vụ công trực tuyến tỉnh Lào Cai huyện xã sở ngành kế hoạch kết quả").split()


def body(rng: random.Random, words: int = 250) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)) + "."


def article(number: int, rng: random.Random) -> str:
    return (f"---\ntitle: Tin cải cách hành chính số {number}\ncategory: hoat-dong-chi-dao\nunit: so-noi-vu\n"
            f"authors: [phong-cchc-snv]\nsource: Sở Nội vụ\nclassification: public\nsummary: Tin số {number}.\n"
            f"date: 2024-{1 + number % 12:02d}-{1 + number % 28:02d} 08:00\n---\n\n{body(rng)}\n")


def document(number: int, rng: random.Random) -> str:
    return (f"---\ntitle: Quyết định số {number} về cải cách hành chính\nnumber: {number}/QĐ-UBND\ndoc_type: Quyết định\n"
            f"issuer: UBND tỉnh Lào Cai\nissued_date: 2024-{1 + number % 12:02d}-{1 + number % 28:02d}\nunit: so-noi-vu\n"
            f"authors: [phong-cchc-snv]\nsource: UBND tỉnh Lào Cai\nclassification: public\nsummary: Quyết định số {number}.\n---\n\n{body(rng, 120)}\n")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Bench", "-c", "user.email=cchc@laocai.gov.vn", *args], cwd=repo, check=True, capture_output=True)


def make_repo(folder: Path, items: int) -> Path:
    repo = folder / f"portal-{items}"
    repo.mkdir(parents=True)
    for part in ("pelicanconf.py", "publishconf.py", "schemas", "theme", "plugins"):
        source = REPO / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, repo / part)
    shutil.copytree(REPO / "content/data", repo / "content/data")
    contributors = repo / "content/data/contributors.yml"
    contributors.write_text(contributors.read_text("utf-8").rstrip() + "\n    git: {username: bench, email: cchc@laocai.gov.vn}\n", "utf-8")
    rng = random.Random(items)
    for number in range(items):
        kind, make = ("van-ban", document) if number % 5 == 0 else ("tin-bai", article)
        target = repo / f"content/{kind}/{FIELDS[number % 6]}/2024/muc-{number}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(make(number, rng), "utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "published")
    git(repo, "checkout", "-q", "-b", "gui-tin")
    new = repo / f"content/tin-bai/{FIELDS[0]}/2024/tin-moi.md"
    new.parent.mkdir(parents=True, exist_ok=True)
    new.write_text(article(10**6, random.Random(1)).replace("Tin cải cách hành chính số 1000000", "Tin mới về một cửa"), "utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "new item")
    return repo


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
    with tempfile.TemporaryDirectory() as folder:
        baseline = time_check(make_repo(Path(folder), 0), args.runs)
        measured = time_check(make_repo(Path(folder), args.items), args.runs)
    print(f"cchc check --base, 1 changed file, median of {args.runs} runs")
    print(f"  empty corpus (baseline):      {baseline:6.2f} s")
    print(f"  {args.items:>5} published items:        {measured:6.2f} s  ({measured / baseline:.2f} × baseline; target 1.5 s)")


if __name__ == "__main__":
    main()
