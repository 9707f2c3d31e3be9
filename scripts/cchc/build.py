"""Running Pelican: a build that fails on any warning and never leaves a half-written site.

Pelican logs errors (a file it could not read, a page that overwrites another) and
still exits 0. Here every warning or error of the run is collected; any one of them
fails the build, and the new site replaces the old output folder only when the whole
run was clean.
"""

import dataclasses
import logging
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import boundary, dates, gitcmd, law, registries
from . import lock as output_lock
from .buildstate import BuildState
from .editor import install as install_editor
from .findings import ContentError, Finding
from .model import stray_files
from .portal import Portal
from .publish import Manifest, OutputTaken, check_output, previous_release, release, scan, verify
from .search import DELTA_PAGES, MAX_SHARD_PAGES, MIN_SHARD_PAGES, IndexRun, SearchIndexError

_NOT_PROCESSED = "Could not process "


@dataclass
class BuildReport:
    findings: list[Finding] = field(default_factory=list)  # from our reader, with positions
    messages: list[str] = field(default_factory=list)  # other warnings and errors of Pelican
    notices: list[str] = field(default_factory=list)  # printed, never fail the build
    timings: dict = field(default_factory=dict)  # seconds per stage, for the benchmark
    pages: int = 0  # HTML pages in the released site
    pages_linked: int = 0  # of which unchanged, hard links to the previous release

    @property
    def ok(self) -> bool:
        return not self.findings and not self.messages

    def lines(self) -> list[str]:
        return [f.text() for f in sorted(set(self.findings))] + self.messages


class BuildFailed(Exception):
    def __init__(self, report: BuildReport):
        self.report = report
        super().__init__("\n".join(report.lines()))


class _Collector(logging.Handler):
    """Keeps every WARNING and above that Pelican, its plugins or our reader log."""

    def __init__(self, report: BuildReport):
        super().__init__(logging.WARNING)
        self.report = report

    def emit(self, record):
        if getattr(record, "notice", False):  # said, but does not fail the build
            self.report.notices.append(record.getMessage())
            return
        finding = getattr(record, "finding", None)
        if finding is not None:
            self.report.findings.append(finding)
            return
        text = record.getMessage()
        if text.startswith(_NOT_PROCESSED):
            # Pelican names the file relative to content/. Our reader already said why,
            # with line and column; only a failure it did not explain is added.
            shown = "content/" + text[len(_NOT_PROCESSED):].strip()
            if not any(f.path == shown for f in self.report.findings):
                self.report.messages.append(f"{shown}: lỗi [schema] Pelican không đọc được tệp này")
            return
        self.report.messages.append(f"lỗi [build] Pelican báo: {text}")


def settings_for(portal: Portal, production: bool, output: Path) -> dict:
    from jinja2 import FileSystemBytecodeCache
    from pelican.settings import read_settings

    override = {"OUTPUT_PATH": str(output), "PATH": str(portal.content), "BUILD_TIME": dates.now()}
    settings = read_settings(str(portal.settings_file(production)), override=override)
    templates = portal.cache / "templates"  # compiled once, kept between builds (keyed by each template's source)
    templates.mkdir(parents=True, exist_ok=True)
    settings["JINJA_ENVIRONMENT"] = {**settings["JINJA_ENVIRONMENT"], "bytecode_cache": FileSystemBytecodeCache(str(templates))}
    return settings


def run_pelican(settings: dict, state: BuildState) -> BuildReport:
    """Run Pelican once with these settings and this build's plugins; return what it complained about."""
    from pelican import Pelican

    report = BuildReport(findings=stray_files(Path(settings["PATH"])))
    collector = _Collector(report)
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        Pelican({**settings, "PLUGINS": state.plugins(settings["PLUGINS"])}).run()
    except ContentError as exc:
        report.findings.extend(exc.findings)
    except Exception as exc:  # Pelican stops on some problems (a page written twice)
        report.messages.append(f"lỗi [build] Pelican dừng: {exc}")
    finally:
        _join_writers(state)  # a writing fork, when Pelican stopped before waiting for it
        state.close()
        root.removeHandler(collector)
    return report


def _join_writers(state: BuildState) -> None:
    if state.forks:
        import cchc_parallel  # the portal's plugin that forked them (on sys.path since the build began)

        cchc_parallel.join_forks(state)


def gate_advice(portal: Portal, production: bool) -> list[str]:
    """The whole gate over all content, as advice for the development build. (In
    production the reader applies the harm rules to every file it reads and refuses to
    publish on any of them: a push that bypassed review still cannot leak.)"""
    if production:
        return []
    from .check import run

    return [f.text().replace(": lỗi [", ": cảnh báo [", 1) for f in run(portal, cache=portal.cache).findings if f.severity != "notice"]


def confirmation_lines(regs, portal: Portal | None = None) -> list[str]:
    """What awaits the board's confirmation, said on every build (development and
    production alike) and never failing it: the fact shown stays the last known one, and
    refusing to publish would only keep a stale site online. Units one line each (their
    contacts are on every page); legal sources in one line."""
    notices = law.confirmation_notices(regs, portal)
    lines = [f.text() for f in notices if f.path.endswith("units.yml")]
    sources = [f for f in notices if f.path.endswith("legal-sources.yml")]
    if sources:
        names = ", ".join(f.message.split("”", 1)[0].lstrip("“") for f in sources)
        lines.append(f"content/data/legal-sources.yml:1:1: lưu ý [confirm] {len(sources)} nguồn pháp lý có dữ kiện đang chờ Ban Biên tập "
                     f"đối chiếu với văn bản gốc (xem confirm của từng mục): {names}")
    return lines


def build(portal: Portal | Path, production: bool = False, output: Path | None = None) -> BuildReport:
    """Build, verify and release the portal's site at `output` (default <portal>/output).

    Raise BuildFailed on any problem; the live site is then exactly as it was. The
    report returned carries the notices to show (advice that did not fail the build).
    """
    portal = Portal.of(portal)
    output = Path(output or portal.output).absolute()
    try:
        check_output(output)  # before anything is built: never take over a folder cchc did not make
    except OutputTaken as exc:
        raise BuildFailed(BuildReport(messages=[str(exc)])) from None
    output.parent.mkdir(parents=True, exist_ok=True)
    try:  # one build per output at a time; removes the staging folders of killed builds (cchc.lock)
        held = output_lock.OutputLock(output)
    except output_lock.Busy as exc:
        raise BuildFailed(BuildReport(messages=[str(exc)])) from None
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.building-", dir=output.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; the web server must read it
    try:
        settings = settings_for(portal, production, staging)
        try:
            regs = registries.load(portal)
        except ContentError as exc:  # a registry could not be read: nothing else can be built
            raise BuildFailed(BuildReport(findings=exc.findings)) from None
        links = boundary.symlink_findings(portal.content)
        if links:  # Pelican walks into linked folders and copies linked files' targets: it does not start
            raise BuildFailed(BuildReport(findings=links))
        # Pages whose inputs did not change are linked from the live release (cchc_reuse).
        previous = previous_release(output)
        state = BuildState(portal, production, settings["BUILD_TIME"], regs, settings, previous)
        clock = time.perf_counter()
        advice = gate_advice(portal, production)
        gate_s, clock = time.perf_counter() - clock, time.perf_counter()
        report = run_pelican(settings, state)
        report.timings.update(gate_s=gate_s, pelican_s=time.perf_counter() - clock)
        report.notices += advice + confirmation_lines(regs, portal)
        if production:  # a rule citing a law no longer in force does not publish (in development: the gate's advice)
            report.findings += [dataclasses.replace(f, severity="error") for f in law.citation_findings(portal, regs, settings["BUILD_TIME"].date())]
        if report.ok and not install_editor(portal, staging):
            report.notices.append("lưu ý: chưa cài Decap CMS (npm ci --prefix theme/admin): trang /admin/ không được dựng")
        manifest = Manifest()
        if report.ok:  # the search index (Pagefind, its own processes) and link checks at once
            clock = time.perf_counter()
            scanned = scan(staging, previous)
            indexing = IndexRun(staging, scanned, previous, settings.get("SEARCH_SHARD_PAGES", MIN_SHARD_PAGES),
                                settings.get("SEARCH_DELTA_PAGES", DELTA_PAGES), settings.get("SEARCH_MAX_SHARD_PAGES", MAX_SHARD_PAGES))
            report.messages += verify(staging, settings["SITEURL"], scanned)
            report.timings["verify_s"] = time.perf_counter() - clock
            try:
                indexing.wait()
            except SearchIndexError as exc:
                report.messages.append(str(exc))
            report.timings["search_s"] = time.perf_counter() - clock
            writer = state.writer
            manifest = Manifest(getattr(writer, "digests", {}), scanned.pages, indexing.bundles)
            report.pages, report.pages_linked = len(scanned.pages), getattr(writer, "counts", {}).get("linked", 0)
            report.timings.update(pages=report.pages, pages_linked=report.pages_linked, shards_reused=len(indexing.reused),
                                   search_delta_pages=indexing.delta)
        if not report.ok:
            raise BuildFailed(report)
        release(staging, output, manifest)
        if production:
            tag_publication(portal.root)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
        held.release()
    return report


def tag_publication(repo: Path) -> str | None:
    """Tag the published commit `publish/YYYY-MM-DDTHHMM` (Asia/Ho_Chi_Minh)."""
    name = "publish/" + dates.now().strftime("%Y-%m-%dT%H%M")
    return name if gitcmd.succeeds(repo, "tag", name, "HEAD") else None
