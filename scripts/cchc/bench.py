"""`cchc bench`: how the portal's build, gate and history scale, against plain Pelican.

Generates, in a temporary folder, a Git repository with N items over every content
type and field and M commits of history (creations, edits with change notes, renames,
one withdrawal), then measures, each as wall time and peak memory of its own process:
the full production build (Pelican and the search index timed separately), a rebuild
after editing one item, `cchc check --base` for one changed file, and history
extraction alone. In the same run it builds the same items with plain Pelican 4.12 and
pelican-yaml-metadata (PLUGINS set explicitly), first and last, and prints our figures as
ratios to the faster of those two baseline runs.
"""

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import gitcmd
from .portal import Portal

FIELDS = ["cai-cach-the-che", "cai-cach-thu-tuc-hanh-chinh", "cai-cach-to-chuc-bo-may", "cai-cach-che-do-cong-vu",
          "cai-cach-tai-chinh-cong", "chinh-phu-dien-tu-chinh-phu-so"]
WORDS = ("cải cách hành chính thủ tục một cửa liên thông chuyển đổi số chính quyền điện tử cán bộ công chức viên chức người dân "
         "doanh nghiệp hài lòng dịch vụ công trực tuyến tỉnh Lào Cai huyện xã sở ngành kế hoạch kết quả kiểm tra đánh giá chỉ số "
         "năm tháng quý hội nghị triển khai nhiệm vụ giải pháp nâng cao chất lượng phục vụ").split()
CATEGORIES = ["chu-truong-chinh-sach", "hoat-dong-chi-dao", "kinh-nghiem-mo-hinh", "xu-huong-hanh-chinh-cong"]
AUTHOR_EMAIL = "bench@laocai.gov.vn"
BASELINE_CONF = """
PATH = "content"
ARTICLE_PATHS = ["tin-bai", "van-ban", "du-thao", "hoi-dap", "khao-sat"]
PAGE_PATHS = ["trang"]
ARTICLE_EXCLUDES = PAGE_EXCLUDES = ["data", "media"]
PLUGINS = ["pelican.plugins.yaml_metadata"]
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
SITEURL = "https://cchc.laocai.gov.vn"
RELATIVE_URLS = False
SLUGIFY_SOURCE = "basename"
ARTICLE_URL = "{category}/{slug}/"
ARTICLE_SAVE_AS = "{category}/{slug}/index.html"
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
DEFAULT_PAGINATION = 20
CACHE_CONTENT = False
"""


def _body(rng: random.Random, words: int) -> str:
    paragraphs = []
    for _ in range(words // 60):
        paragraphs.append(" ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + ".")
    return "\n\n".join(paragraphs)


def _item(number: int, rng: random.Random, note: str | None = None) -> tuple[str, str]:
    """(path, text) of the item with this number; the type follows the number."""
    kind = number % 10
    field = FIELDS[number % 6]
    year = 2020 + number % 5
    day = f"{year}-{1 + number % 12:02d}-{1 + number % 28:02d}"
    common = f"unit: so-noi-vu\nauthors: [phong-cchc-snv]\nsource: Sở Nội vụ tỉnh Lào Cai\nclassification: public\nsummary: Nội dung số {number} về cải cách hành chính.\n"
    common += f"change_note: {note}\n" if note else ""
    if kind < 6:
        folder, front = "tin-bai", f"title: Tin cải cách hành chính số {number}\ncategory: {CATEGORIES[number % 4]}\ndate: {day} 08:00\n"
    elif kind < 8:
        folder, front = "van-ban", (f"title: Quyết định số {number} về cải cách hành chính\nnumber: {number}/QĐ-UBND\ndoc_type: Quyết định\n"
                                    f"issuer: UBND tỉnh Lào Cai\nissued_date: {day}\ndate: {day} 10:00\n")
    elif kind == 8:
        folder, front = "hoi-dap", (f"title: Hỏi về thủ tục hành chính số {number}\nquestion: Thủ tục số {number} giải quyết trong bao lâu?\n"
                                    f"asked_date: {day}\nasker: Ẩn danh\nforwarded_to: Sở Nội vụ\nanswered_by: Sở Nội vụ\nanswered_date: {day}\ndate: {day} 15:00\n")
    else:
        folder, front = "du-thao", (f"title: Dự thảo kế hoạch số {number}\nopens: {day}\ncloses: {year}-12-31\n"
                                    f"comment_to: phongcchc-snv@laocai.gov.vn\ndate: {day} 09:00\n")
    return f"content/{folder}/{field}/{year}/muc-{number}.md", f"---\n{front}{common}---\n\n{_body(rng, 240)}\n"


def _git(repo: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL=AUTHOR_EMAIL, GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL=AUTHOR_EMAIL)
    return gitcmd.run(repo, *args, env=env)


def generate(folder: Path, items: int, commits: int, portal: Portal | None = None) -> Path:
    """A repository of `items` items over `commits` commits on main, with the settings,
    theme, plugins, schemas, registries and standing pages of `portal` (default: the
    portal of the current folder)."""
    portal = portal or Portal.find()
    repo = folder / "portal"
    repo.mkdir(parents=True)
    for part in ("pelicanconf.py", "publishconf.py", "theme", "plugins", "schemas"):
        source = portal.root / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, repo / part, **({"ignore": shutil.ignore_patterns("__pycache__", "node_modules")} if source.is_dir() else {}))
    shutil.copytree(portal.data, repo / "content/data")
    shutil.copytree(portal.content / "trang", repo / "content/trang")
    contributors = repo / "content/data/contributors.yml"
    contributors.write_text(contributors.read_text("utf-8").rstrip() + f"\n    git: {{username: bench, email: {AUTHOR_EMAIL}}}\n", "utf-8")
    _git(repo, "init", "-q", "-b", "main")
    # No automatic gc or maintenance: git runs them detached, in the background, where
    # they would compete with the timings and write into a folder being deleted.
    _git(repo, "config", "gc.auto", "0")
    _git(repo, "config", "maintenance.auto", "false")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "Khung Cổng Thông tin")
    rng = random.Random(20240304)
    paths = {}
    stream = []
    start = 1_700_000_000
    for number in range(max(commits, items)):
        when = start + number * 600
        stream.append(f"commit refs/heads/main\ncommitter Bench <{AUTHOR_EMAIL}> {when} +0700\ndata 4\nbenc\n")
        stream.append("from refs/heads/main^0\n" if number == 0 else "")
        if number < items:
            path, text = _item(number, rng)
            paths[number] = path
        else:
            target = rng.randrange(items)
            path, text = _item(target, rng, f"Cập nhật lần {number}")
            if number % 50 == 0:  # a move to another field keeps the address
                parts = paths[target].split("/")
                moved = "/".join(parts[:2] + [FIELDS[(FIELDS.index(parts[2]) + 1) % 6]] + parts[3:])
                stream.append(f"R {paths[target]} {moved}\n")
                paths[target] = moved
            path = paths[target]
            if number == max(commits, items) - 1:  # the last commit withdraws an item
                text = text.replace("---\n\n", "withdrawn:\n  decision: 01/QĐ-BCĐ\n  date: 2024-12-01\n  reason: Thông tin đã thay thế\n---\n\n", 1)
        data = text.encode("utf-8")
        stream.append(f"M 100644 inline {path}\ndata {len(data)}\n")
        stream.append(text + "\n")
    payload = "".join(stream).encode("utf-8")
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input=payload, check=True)
    _git(repo, "reset", "-q", "--hard", "main")
    return repo


def submit_branch(repo: Path, branch: str = "gui-tin") -> None:
    """A branch off main that adds one new item: what `cchc check --base main` sees."""
    _git(repo, "checkout", "-q", "-b", branch)
    new_path, new_text = _item(10**6 + 2, random.Random(5))
    (repo / new_path).parent.mkdir(parents=True, exist_ok=True)
    (repo / new_path).write_text(new_text, "utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "Gửi tin mới")


def baseline_project(repo: Path, folder: Path) -> Path:
    """The same items as a plain Pelican project: default theme, pelican-yaml-metadata."""
    project = folder / "pelican-plain"
    shutil.copytree(repo / "content", project / "content", ignore=shutil.ignore_patterns("data", "media", "trang"))
    (project / "pelicanconf.py").write_text(BASELINE_CONF, "utf-8")
    return project


# Each measured command runs under this small launcher. A child started straight from
# the benchmark (fork or vfork, then exec) inherits the benchmark's own high-water mark
# in ru_maxrss, so every step would report at least the memory the benchmark used to
# generate the repository. The launcher is a fresh small process: what it reports is
# the command's own peak (or that of its largest descendant).
_LAUNCHER = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[2:])
elapsed = time.perf_counter() - start
with open(sys.argv[1], "w") as out:
    out.write(f"{elapsed} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
sys.exit(code)
"""


def measure(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float]:
    """Wall time (s) and peak resident memory (MiB) of one command in its own process."""
    with tempfile.NamedTemporaryFile("r", suffix=".usage") as usage:
        process = subprocess.run([sys.executable, "-c", _LAUNCHER, usage.name, *command], cwd=cwd, env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        if process.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{process.stderr.decode()[-3000:]}")
        elapsed, kib = usage.read().split()
    return float(elapsed), int(kib) / 1024


def run(items: int, commits: int, portal: Portal | None = None) -> dict:
    cchc = [sys.executable, "-m", "cchc"]
    with tempfile.TemporaryDirectory(prefix="cchc-bench-", ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp)
        repo = generate(folder, items, commits, portal)
        plain = baseline_project(repo, folder)
        baseline = [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-q", "-o"]  # each run into a new folder
        baseline_first_s, baseline_mib = measure([*baseline, "output"], plain)
        timings = folder / "timings.json"
        full_s, full_mib = measure([*cchc, "build", "--production", "--repo", str(repo), "--timings", str(timings)], repo)
        stages = json.loads(timings.read_text())
        edited = next(p for p in sorted((repo / "content/tin-bai").rglob("*.md")))
        kept = "".join(line for line in edited.read_text("utf-8").splitlines(keepends=True) if not line.startswith("change_note:"))
        edited.write_text(kept.replace("---\n\n", "change_note: Sửa lỗi chính tả\n---\n\n", 1) + "\nBổ sung một câu.\n", "utf-8")
        _git(repo, "commit", "-qam", "Sửa một tin")
        rebuild_s, rebuild_mib = measure([*cchc, "build", "--production", "--repo", str(repo), "--timings", str(timings)], repo)
        rebuild = json.loads(timings.read_text())
        submit_branch(repo)
        check_s, check_mib = measure([*cchc, "check", "--base", "main", "--repo", str(repo)], repo)
        history_s, history_mib = measure([sys.executable, "-c", "import sys; from pathlib import Path; from cchc import history; history.read(Path(sys.argv[1]))", str(repo)], repo)
        # The baseline once more, last: the faster of its two runs is the one compared
        # against, so a disk that was slow at the start cannot flatter our figures.
        baseline_last_s, _ = measure([*baseline, "output-last"], plain)
    baseline_s = min(baseline_first_s, baseline_last_s)
    return {"items": items, "commits": commits, "baseline_full_s": baseline_s, "baseline_runs_s": [baseline_first_s, baseline_last_s],
            "baseline_peak_mib": baseline_mib,
            "full_s": full_s, "pelican_s": stages["pelican_s"], "search_s": stages["search_s"], "gate_s": stages["gate_s"], "verify_s": stages["verify_s"],
            "rebuild_one_s": rebuild_s, "rebuild_pelican_s": rebuild["pelican_s"], "rebuild_search_s": rebuild["search_s"],
            "rebuild_pages": rebuild["pages"], "rebuild_pages_linked": rebuild["pages_linked"], "rebuild_shards_reused": rebuild["shards_reused"],
            "rebuild_search_delta_pages": rebuild["search_delta_pages"],
            "check_one_s": check_s, "history_s": history_s,
            "peak_mib": max(full_mib, rebuild_mib, check_mib, history_mib),
            "peak_by_step_mib": {"full": full_mib, "rebuild": rebuild_mib, "check": check_mib, "history": history_mib}}


TARGETS = [("pelican_s", "Pelican stage of the full build", lambda r: r["pelican_s"] / r["baseline_full_s"], "≤ 0.5 × baseline"),
           ("rebuild_one_s", "rebuild after editing one item", lambda r: r["rebuild_one_s"] / r["baseline_full_s"], "≤ 0.2 × baseline"),
           ("check_one_s", "cchc check --base, one file", lambda r: r["check_one_s"] / r["baseline_full_s"], "≤ 1.5 s"),
           ("history_s", "history extraction", lambda r: r["history_s"] / r["baseline_full_s"], "≤ 5 s")]


def table(result: dict) -> str:
    lines = [f"{result['items']} items, {result['commits']} commits; baseline: plain Pelican 4.12 + pelican-yaml-metadata",
             f"{'measure':<36}{'seconds':>9}{'× baseline':>12}  target",
             f"{'baseline full build':<36}{result['baseline_full_s']:>9.2f}{1:>12.2f}  (faster of {result['baseline_runs_s'][0]:.2f} s first, {result['baseline_runs_s'][1]:.2f} s last)",
             f"{'our full production build':<36}{result['full_s']:>9.2f}{result['full_s'] / result['baseline_full_s']:>12.2f}",
             f"{'  search index ∥ link checks':<36}{result['search_s']:>9.2f}{result['search_s'] / result['baseline_full_s']:>12.2f}",
             f"{'  (link checks alone)':<36}{result['verify_s']:>9.2f}{result['verify_s'] / result['baseline_full_s']:>12.2f}"]
    for key, label, ratio, target in TARGETS:
        lines.append(f"{label:<36}{result[key]:>9.2f}{ratio(result):>12.2f}  {target}")
        if key == "rebuild_one_s":
            lines.append(f"{'  Pelican stage of the rebuild':<36}{result['rebuild_pelican_s']:>9.2f}{result['rebuild_pelican_s'] / result['baseline_full_s']:>12.2f}"
                         f"  ({result['rebuild_pages_linked']} of {result['rebuild_pages']} pages linked, not rendered)")
            lines.append(f"{'  search index of the rebuild':<36}{result['rebuild_search_s']:>9.2f}{result['rebuild_search_s'] / result['baseline_full_s']:>12.2f}"
                         f"  ({result['rebuild_shards_reused']} search bundles reused, {result['rebuild_search_delta_pages']} page(s) in the delta)")
    lines.append(f"{'peak memory (MiB)':<36}{result['peak_mib']:>9.0f}{result['peak_mib'] / result['baseline_peak_mib']:>12.2f}  ≤ 500 MiB")
    return "\n".join(lines)
