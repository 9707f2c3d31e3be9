"""`cchc bench`: how the portal's build, gate and history scale, against plain Pelican.

Generates, in a temporary folder, a Git repository with N items over every content
type and field and M commits of history (creations, edits with change notes, renames,
one withdrawal), then measures, each as wall time and peak memory of its own process:
the full production build (Pelican and the search index timed separately), a rebuild
after editing one item, `cchc check --base` for one changed file, and history
extraction alone, and the development build twice (its whole-tree gate cold, then after
an edit). In the same run it builds the same items with plain Pelican 4.12 and
pelican-yaml-metadata (PLUGINS set explicitly), first and last, runs Pagefind alone over
the published pages, and prints our figures as ratios to the faster of those two
baseline runs (the search step to the plain Pagefind run). Each corpus layout (items
over five years, all in one year) is one such run with its own baseline.
"""

import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from . import gitcmd, search
from .portal import Portal
from .publish import previous_release

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


# How the items fall over the years: five years, or all in one (one year of many items
# is the case that made one search bundle, and one Pagefind process, too large).
LAYOUTS = {"years": 5, "one-year": 1}


def _item(number: int, rng: random.Random, note: str | None = None, years: int = 5) -> tuple[str, str]:
    """(path, text) of the item with this number; the type follows the number."""
    kind = number % 10
    field = FIELDS[number % 6]
    year = 2024 - years + 1 + number % years
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


def generate(folder: Path, items: int, commits: int, portal: Portal | None = None, years: int = 5) -> Path:
    """A repository of `items` items over `commits` commits on main, the items spread
    over `years` years, with the settings, theme, plugins, schemas, registries and
    standing pages of `portal` (default: the portal of the current folder)."""
    portal = portal or Portal.find()
    repo = folder / "portal"
    repo.mkdir(parents=True)
    for part in ("pelicanconf.py", "publishconf.py", "theme", "plugins", "schemas"):
        source = portal.root / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, repo / part, **({"ignore": shutil.ignore_patterns("__pycache__", "node_modules")} if source.is_dir() else {}))
    shutil.copytree(portal.data, repo / "content/data")
    shutil.copytree(portal.content / "trang", repo / "content/trang")
    if (portal.content / "media").is_dir():  # what the standing pages show (the manuals' screenshots)
        shutil.copytree(portal.content / "media", repo / "content/media")
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
            path, text = _item(number, rng, years=years)
            paths[number] = path
        else:
            target = rng.randrange(items)
            path, text = _item(target, rng, f"Cập nhật lần {number}", years)
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


# Each measured command runs under this small launcher, a fresh process: a child started
# straight from the benchmark (fork or vfork, then exec) would inherit the benchmark's
# own high-water mark in ru_maxrss, so every step would report at least the memory the
# benchmark used to generate the repository.
#
# Peak memory counts every process the command starts. The figure compared with the
# target is the kernel's: RUSAGE_CHILDREN's ru_maxrss is the largest peak resident size
# of any process of the tree that was waited for (the kernel carries each child's mark,
# and its children's, up to its parent), Pagefind and the writing forks included. It
# misses nothing between two samples and needs no dependency (psutil is not one). It does
# not say which process it was, so the launcher also reads the peak (VmHWM) of every
# process of the tree from /proc every 50 ms and keeps the largest per program name.
_LAUNCHER = r"""
import json, os, resource, subprocess, sys, threading, time

def tree(root):
    children = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as handle:
                    children.setdefault(int(handle.read().rsplit(")", 1)[1].split()[1]), []).append(int(name))
            except (OSError, IndexError, ValueError):
                pass
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found

def poll(root, stop, peaks):
    while not stop.is_set():
        for pid in tree(root):
            try:
                with open(f"/proc/{pid}/status") as handle:
                    status = handle.read()
                name = status.split("Name:", 1)[1].split()[0]
                peak = int(status.split("VmHWM:", 1)[1].split()[0])
            except (OSError, IndexError, ValueError):
                continue
            peaks[name] = max(peaks.get(name, 0), peak)
        stop.wait(0.05)

start = time.perf_counter()
process = subprocess.Popen(sys.argv[2:])
stop, peaks = threading.Event(), {}
watcher = threading.Thread(target=poll, args=(process.pid, stop, peaks), daemon=True)
watcher.start()
code = process.wait()
elapsed = time.perf_counter() - start
stop.set()
watcher.join()
with open(sys.argv[1], "w") as out:
    json.dump({"elapsed": elapsed, "peak_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "by_name_kib": peaks}, out)
sys.exit(code)
"""


@dataclass
class Measured:
    seconds: float
    peak_mib: float  # the largest process of the command's tree (the kernel's figure)
    by_name_mib: dict  # program name -> its largest process's peak, as sampled


def measure(command: list[str], cwd: Path, env: dict | None = None) -> Measured:
    """Wall time and peak resident memory of one command, each process of it counted."""
    with tempfile.NamedTemporaryFile("r", suffix=".usage") as usage:
        process = subprocess.run([sys.executable, "-c", _LAUNCHER, usage.name, *command], cwd=cwd, env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        if process.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{process.stderr.decode()[-3000:]}")
        figures = json.loads(usage.read())
    return Measured(figures["elapsed"], figures["peak_kib"] / 1024, {name: kib / 1024 for name, kib in figures["by_name_kib"].items()})


def _edit(repo: Path, number: int, message: str) -> None:
    """Edit the `number`-th article (a change note and one sentence more) and commit it."""
    edited = sorted((repo / "content/tin-bai").rglob("*.md"))[number]
    kept = "".join(line for line in edited.read_text("utf-8").splitlines(keepends=True) if not line.startswith("change_note:"))
    edited.write_text(kept.replace("---\n\n", f"change_note: {message}\n---\n\n", 1) + f"\n{message}.\n", "utf-8")
    _git(repo, "commit", "-qam", message)


def run_layout(folder: Path, items: int, commits: int, portal: Portal | None, years: int) -> dict:
    """Every figure for one corpus, with its own baseline runs, in this one call."""
    cchc = [sys.executable, "-m", "cchc"]
    repo = generate(folder, items, commits, portal, years)
    plain = baseline_project(repo, folder)
    baseline = [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-q", "-o"]  # each run into a new folder
    steps: dict[str, Measured] = {}
    steps["baseline_first"] = measure([*baseline, "output"], plain)
    timings = folder / "timings.json"

    def build(name: str, *options: str) -> dict:
        steps[name] = measure([*cchc, "build", *options, "--repo", str(repo), "--timings", str(timings)], repo)
        return json.loads(timings.read_text())

    full = build("full", "--production")
    # Pagefind alone over the same published pages, into a folder of its own: what our
    # search step is compared with.
    steps["pagefind_plain"] = measure([search._executable(), "--site", str((repo / "output").resolve()), "--output-path", str(folder / "pagefind-plain"), "--silent"], repo)
    _edit(repo, 0, "Sửa lỗi chính tả")
    rebuild = build("rebuild", "--production")
    # The development build: the gate over the whole tree as advice, then Pelican. The
    # first fills the gate's cache; the one after an edit is what a contributor waits for.
    dev_output = folder / "output-dev"
    dev_cold = build("dev_cold", "--output", str(dev_output))
    _edit(repo, 1, "Bổ sung số liệu")
    dev = build("dev", "--output", str(dev_output))
    submit_branch(repo)
    steps["check"] = measure([*cchc, "check", "--base", "main", "--repo", str(repo)], repo)
    steps["history"] = measure([sys.executable, "-c", "import sys; from pathlib import Path; from cchc import history; history.read(Path(sys.argv[1]))", str(repo)], repo)
    # The baseline once more, last: the faster of its two runs is the one compared
    # against, so a disk that was slow at the start cannot flatter our figures.
    steps["baseline_last"] = measure([*baseline, "output-last"], plain)
    ours = ("full", "rebuild", "dev_cold", "dev", "check", "history")
    by_name: dict[str, float] = {}
    for name in ours:
        for program, mib in steps[name].by_name_mib.items():
            by_name[program] = max(by_name.get(program, 0), mib)
    return {"years": years, "indexed_pages": sum(_shard_sizes(repo).values()), "shards": _shard_sizes(repo),
            "baseline_full_s": min(steps["baseline_first"].seconds, steps["baseline_last"].seconds),
            "baseline_runs_s": [steps["baseline_first"].seconds, steps["baseline_last"].seconds], "baseline_peak_mib": steps["baseline_first"].peak_mib,
            "full_s": steps["full"].seconds, "pelican_s": full["pelican_s"], "search_s": full["search_s"], "verify_s": full["verify_s"],
            "pagefind_plain_s": steps["pagefind_plain"].seconds, "pagefind_plain_peak_mib": steps["pagefind_plain"].peak_mib,
            "rebuild_one_s": steps["rebuild"].seconds, "rebuild_pelican_s": rebuild["pelican_s"], "rebuild_search_s": rebuild["search_s"],
            "rebuild_pages": rebuild["pages"], "rebuild_pages_linked": rebuild["pages_linked"], "rebuild_shards_reused": rebuild["shards_reused"],
            "rebuild_search_delta_pages": rebuild["search_delta_pages"],
            "dev_cold_s": steps["dev_cold"].seconds, "dev_cold_gate_s": dev_cold["gate_s"], "dev_s": steps["dev"].seconds, "dev_gate_s": dev["gate_s"],
            "check_one_s": steps["check"].seconds, "history_s": steps["history"].seconds,
            "peak_mib": max(steps[name].peak_mib for name in ours),
            "peak_by_step_mib": {name: steps[name].peak_mib for name in ours}, "peak_by_program_mib": by_name}


def _shard_sizes(repo: Path) -> dict[str, int]:
    """Pages in each search bundle of the live release (from its manifest)."""
    release = previous_release(repo / "output")
    return {name: len(bundle.pages) for name, bundle in release[1].shards.items()} if release else {}


def machine() -> dict:
    """What the figures were measured on."""
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "?")
    memory = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), 0)
    return {"cores": os.cpu_count(), "cpu": model, "memory_mib": memory, "kernel": platform.release(), "python": platform.python_version(),
            "pelican": metadata.version("pelican"), "pagefind": metadata.version("pagefind")}


def run(items: int, commits: int, portal: Portal | None = None, layouts: tuple[str, ...] = tuple(LAYOUTS)) -> dict:
    result = {"items": items, "commits": commits, "machine": machine(), "load_before": os.getloadavg(), "layouts": {}}
    for name in layouts:
        with tempfile.TemporaryDirectory(prefix="cchc-bench-", ignore_cleanup_errors=True) as tmp:
            result["layouts"][name] = run_layout(Path(tmp), items, commits, portal, LAYOUTS[name])
        result["layouts"][name]["load_after"] = os.getloadavg()
    result["load_after"] = os.getloadavg()
    return result


# (figure, what it is, measured value of a layout's figures, target, met?)
TARGETS = [
    ("pelican_s", "Pelican stage of the full build", lambda r: r["pelican_s"] / r["baseline_full_s"], "≤ 0.5 × baseline", lambda v: v <= 0.5),
    ("full_s", "full production build (search included)", lambda r: r["full_s"] / r["baseline_full_s"], "≤ 1.0 × baseline", lambda v: v <= 1.0),
    ("search_s", "search step / plain Pagefind run", lambda r: r["search_s"] / r["pagefind_plain_s"], "≤ 1.3 × Pagefind", lambda v: v <= 1.3),
    ("dev_gate_s", "development build's gate (after an edit)", lambda r: r["dev_gate_s"], "≤ 2 s", lambda v: v <= 2),
    ("peak_mib", "peak memory, largest process (MiB)", lambda r: r["peak_mib"], "≤ 500 MiB", lambda v: v <= 500),
    ("rebuild_one_s", "rebuild after editing one item", lambda r: r["rebuild_one_s"] / r["baseline_full_s"], "≤ 0.25 × baseline", lambda v: v <= 0.25),
]


def table(result: dict) -> str:
    machine_facts = result["machine"]
    lines = [f"{result['items']} items, {result['commits']} commits; {machine_facts['cores']} cores ({machine_facts['cpu']}), "
             f"Pelican {machine_facts['pelican']}, Pagefind {machine_facts['pagefind']}; load average before "
             f"{result['load_before'][0]:.2f}, after {result['load_after'][0]:.2f}"]
    for layout, r in result["layouts"].items():
        lines += ["", f"corpus: {layout} ({r['years']} year(s)); baseline plain Pelican {r['baseline_full_s']:.2f} s "
                      f"(faster of {r['baseline_runs_s'][0]:.2f} s first, {r['baseline_runs_s'][1]:.2f} s last), peak {r['baseline_peak_mib']:.0f} MiB; "
                      f"plain Pagefind {r['pagefind_plain_s']:.2f} s, peak {r['pagefind_plain_peak_mib']:.0f} MiB",
                  f"{'target':<44}{'measured':>10}{'ratio':>8}  {'goal':<18}met"]
        for key, label, ratio, goal, met in TARGETS:
            value = ratio(r)
            shown = f"{r[key]:.0f} MiB" if key == "peak_mib" else f"{r[key]:.2f} s"
            shown_ratio = f"{value:.2f}" if "×" in goal else ""  # an absolute goal has no ratio
            lines.append(f"{label:<44}{shown:>10}{shown_ratio:>8}  {goal:<18}{'yes' if met(value) else 'NO'}")
        lines += [f"  search step {r['search_s']:.2f} s (link checks alongside, {r['verify_s']:.2f} s); bundles: "
                  + ", ".join(f"{name} {pages}" for name, pages in r["shards"].items()),
                  f"  rebuild: Pelican {r['rebuild_pelican_s']:.2f} s ({r['rebuild_pages_linked']} of {r['rebuild_pages']} pages linked), "
                  f"search {r['rebuild_search_s']:.2f} s ({r['rebuild_shards_reused']} bundles reused, {r['rebuild_search_delta_pages']} page(s) in the delta)",
                  f"  development build {r['dev_s']:.2f} s after an edit; the first {r['dev_cold_s']:.2f} s, its gate {r['dev_cold_gate_s']:.2f} s (cold cache)",
                  f"  cchc check --base, one file {r['check_one_s']:.2f} s; history extraction {r['history_s']:.2f} s",
                  "  peak MiB by step: " + ", ".join(f"{k} {v:.0f}" for k, v in r["peak_by_step_mib"].items())
                  + "; by program: " + ", ".join(f"{k} {v:.0f}" for k, v in sorted(r["peak_by_program_mib"].items()))]
    return "\n".join(lines)
