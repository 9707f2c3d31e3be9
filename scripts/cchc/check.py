"""`cchc check`: the submission gate. Runs every rule over the files a change touches.

Targets: the files named, or what the branch changes against `--base`, or the whole
content tree. "Already published" (for duplicates and the archive) is the base branch
with `--base`, otherwise every other content file of the working tree.
"""

import functools
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from . import boundary, dates, gitcmd, law, media, registries
from .change import Change, branch_change, files_at
from .content import inspect_item
from .duplicates import DuplicateIndex
from .findings import ContentError, Finding
from .gate_cache import Entry as GateEntry
from .gate_cache import GateCache, is_own
from .frontmatter import Source, decode, parse, peek
from .model import (
    NON_CONTENT_FOLDERS,
    TYPE_BY_FOLDER,
    is_stray,
    stray_files,
    stray_finding,
)
from .portal import Portal
from .rules import CHANGE_CHECKS, HARM_RULES, ITEM_CHECK_RULES, ITEM_CHECKS, ORDER

# Addresses the build writes besides content pages.
GENERATED_PREFIXES = {"tu-khoa", "tac-gia", "luu-tru", "feeds", "theme", "media", "du-lieu", "tim-kiem", "thong-ke", "pagefind", "sitemap.xml", "robots.txt"}
FIXED_SECTION_PAGES = {"tra-cuu", "trang"}


@dataclass
class Context:
    """What the rules may consult besides the item itself."""

    portal: Portal
    registries: registries.Registries
    quality: dict
    now: datetime
    duplicates: DuplicateIndex
    change: Change | None = None
    base_versions: dict[str, Source] = field(default_factory=dict)  # base versions of the files this change touches
    published: set[str] = field(default_factory=set)  # content files on the base branch
    content_paths: set[str] = field(default_factory=set)  # content/… files in the working tree
    # When the server received each commit (the pre-receive hook's clock, its push log):
    # revocations are judged then, never by the dates a commit claims.
    received: dict[str, datetime] = field(default_factory=dict)

    @property
    def repo(self) -> Path:
        return self.portal.root

    @property
    def content_dir(self) -> Path:
        return self.portal.content

    @functools.cached_property
    def section_pages(self) -> set[str]:
        """Addresses under a section that are lists, not items: the register, pagination, chuyên mục."""
        categories = self.portal.schemas.schema("article")["properties"]["category"]["oneOf"]
        return FIXED_SECTION_PAGES | {option["const"] for option in categories}

    def is_new(self, path: str) -> bool:
        return self.change is not None and path in self.change.paths("A")

    def base_version_of(self, path: str) -> Source | None:
        """The published version of a file this change edits (or renamed from), if any."""
        if self.change is None:
            return None
        for change in self.change.files:
            if change.path == path and change.status in "MR":
                return self.base_versions.get(change.old_path or path)
        return None

    def not_duplicates_of(self, path: str) -> set[str]:
        """An edit or rename is not a duplicate of its own earlier version."""
        if self.change is None:
            return {path}
        return {path} | {c.old_path for c in self.change.files if c.path == path and c.old_path}

    def url_exists(self, url: str) -> bool:
        parts = [p for p in url.strip("/").split("/") if p]
        if not parts or parts[0] in GENERATED_PREFIXES:
            return True
        if parts[0] in TYPE_BY_FOLDER and TYPE_BY_FOLDER[parts[0]].has_field:
            if len(parts) == 1 or parts[1] in self.section_pages:
                return True
            return len(parts) == 3 and any(p.startswith(f"content/{parts[0]}/") and p.endswith(f"/{parts[1]}/{parts[2]}.md") for p in self.content_paths)
        return len(parts) in (1, 2) and f"content/trang/{'/'.join(parts)}.md" in self.content_paths


@dataclass
class Report:
    findings: list[Finding]
    checked: list[str]
    uncommitted: set[str] = field(default_factory=set)  # checked as the working tree holds them (`--base` before a commit)
    base: str | None = None  # the base the change was read against

    @property
    def accepted(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)


def harm_findings(item, context: Context) -> list[Finding]:
    """The harm rules' errors about one readable item (time-independent: no notices)."""
    found = []
    for check, rule_ids in ITEM_CHECK_RULES.items():
        if rule_ids & HARM_RULES:
            found += [f for f in check(item, context) if f.rule in HARM_RULES and f.severity == "error"]
    return found


def media_text_findings(shown: str, context: Context) -> list[Finding]:
    """The text rules (`secret`, `not-public`, `personal-data`) on one file of content/media/."""
    from .extract import extract, where
    from .rules import personal_data, secret

    found = []
    relative = shown.removeprefix("content/")
    for page in extract(context.content_dir / relative, context.portal.cache):
        for number, line in enumerate(page.text.split("\n"), 1):
            rule = secret._stamp_loose(line.strip(" \t*_-[](){}.:;!|"))
            if rule:
                found.append(rule.at(shown, (page.number, 1), f"{where(relative, page, number)}: dòng “{line.strip()}” là dấu chỉ mức độ mật hoặc phạm vi lưu hành; "
                                                              "tài liệu có dấu này không được đăng công khai"))
        for offset, message in personal_data.findings(page.text, context.registries, markup=False):
            number = page.text.count("\n", 0, offset) + 1
            found.append(personal_data.PERSONAL_DATA.at(shown, (page.number, 1), f"{where(relative, page, number)}: {message}"))
    return found


def _order(finding: Finding):
    return (finding.path, finding.line, finding.column, ORDER.index(finding.rule) if finding.rule in ORDER else 99, finding.message)


def media_findings(relatives: list[str], context: Context) -> list[Finding]:
    """Findings about files of content/media/ (relative to content/): type, size, bytes."""
    found = []
    for relative in relatives:
        problem = media.file_problem(relative, context.content_dir, context.quality)
        if problem:
            found.append(Finding(f"content/{relative}", 1, 1, problem[0], "error", problem[1]))
    return found


def committed_symlinks(repo: Path, ref: str = "HEAD") -> set[str]:
    """Paths under content/ that Git stores as symbolic links (mode 120000) at `ref`."""
    listing = gitcmd.run(repo, "ls-tree", "-r", "-z", ref, "--", "content/", check=False)
    return {entry.split("\t", 1)[1] for entry in listing.split("\0") if entry.startswith("120000 ")}


def _content_files(content_dir: Path) -> list[Path]:
    return sorted(p for p in content_dir.rglob("*.md") if p.relative_to(content_dir).parts[0] not in NON_CONTENT_FOLDERS)


def _parse_quietly(data: bytes, shown: str) -> Source | None:
    try:
        return parse(decode(data, shown), shown)
    except ContentError:
        return None  # an unreadable published file is the audit's business, not this change's


def _peeked(data: bytes, shown: str) -> tuple | None:
    """A published file's title and number, for the duplicate index (reading nothing else)."""
    try:
        return peek(decode(data, shown), shown, ("title", "number"))
    except ContentError:
        return None


def _index(index: DuplicateIndex, data: bytes, shown: str) -> None:
    """Add a published file to the duplicate index, reading only title and number."""
    peeked = _peeked(data, shown)
    if peeked is not None:
        index.add(shown, *peeked)


def _checked_item(target: Path, shown: str, portal: Portal, regs, context: Context, known: dict, gate) -> list[Finding]:
    """Every finding of reading one file and of the item rules; with the whole-tree cache
    (cchc.gate_cache), what depends on the file alone is read from it or kept in it."""
    if gate is None or target not in known:
        item, problems = inspect_item(target, portal, regs, shown)
        return problems + ([f for check in ITEM_CHECKS for f in check(item, context)] if item is not None else [])
    key, entry, peeked = known[target]
    if entry is None:
        item, problems = inspect_item(target, portal, regs, shown)
        own = [f for check in ITEM_CHECKS if is_own(check) for f in check(item, context)] if item is not None else []
        entry = GateEntry(item, problems, peeked, own)
        gate.put(key, entry)
    found = list(entry.reading) + list(entry.own)
    if entry.item is not None:
        found += [f for check in ITEM_CHECKS if not is_own(check) for f in check(entry.item, context)]
    return found


def _registry_paths(portal: Portal, paths: list[Path] | None) -> tuple[list[Path], list[Path] | None]:
    """The named files of content/data/ (or the folder itself: every registry), apart:
    they are checked against their registry's schema, not as content."""
    if not paths:
        return [], paths
    data, registry_files, others = Path(os.path.abspath(portal.data)), [], []
    for given in paths:
        given = Path(os.path.abspath(given))
        if given == data:
            registry_files += [data / f"{name}.yml" for name in registries.REGISTRY_KEYS]
        elif given.parent == data and given.is_file():
            registry_files.append(given)
        else:
            others.append(given)
    return list(dict.fromkeys(registry_files)), others


def run(portal: Portal | Path, paths: list[Path] | None = None, base: str | None = None, now: datetime | None = None,
        received: dict[str, datetime] | None = None, working_tree: bool = False, cache: Path | None = None) -> Report:
    """The gate's report. With `base`, what the branch changes; `working_tree` adds what
    is not committed yet (edits, new untracked files under content/), as `cchc check` does.
    `cache` (a folder): keep and reuse, for a run over the whole tree, what each file's
    own rules found (cchc.gate_cache); ignored with paths or base."""
    portal = Portal.of(portal)
    gate, known = None, {}
    repo, content_dir = portal.root, portal.content
    named_registries, paths = _registry_paths(portal, paths)
    registry_findings = [f for given in named_registries
                         for f in registries.file_findings(portal, given, portal.shown(given))]
    registry_checked = [portal.shown(given) for given in named_registries]
    try:
        regs = registries.load(portal)
    except ContentError as exc:  # the content rules need the registries; the tree's own stages do not
        found = set(exc.findings) | set(registry_findings)
        if not named_registries:
            found.add(Finding("content/data/", 1, 1, "schema", "notice",
                              "danh mục trong content/data/ có lỗi nên chưa kiểm tra được các tệp nội dung; sửa lỗi danh mục rồi chạy lại cchc check"))
        if not paths and base is None:
            found |= set(stray_files(content_dir)) | set(boundary.symlink_findings(content_dir))
            found |= {Finding(f"content/{m}", 1, 1, problem[0], "error", problem[1])
                      for m in media.all_files(content_dir) if (problem := media.file_problem(m, content_dir, portal.quality()))}
        return Report(sorted(found, key=_order), registry_checked, base=base)
    if named_registries and not paths:
        return Report(sorted(set(registry_findings), key=_order), registry_checked)
    context = Context(portal, regs, portal.quality(), now or dates.now(), DuplicateIndex(), received=dict(received or {}))
    context.content_paths = {f"content/{p.relative_to(content_dir).as_posix()}" for p in _content_files(content_dir)}
    # The rules and registries citing a law no longer in force: warnings here, a refusal
    # in the production build (cchc.build).
    findings: list[Finding] = law.citation_findings(portal, regs, context.now.date())

    if base is not None:
        context.change = branch_change(repo, base, working_tree=working_tree)
        changed = [c for c in context.change.files if c.status != "D"]
        targets = [repo / c.path for c in changed if c.path.endswith(".md") and c.path.split("/")[1] not in NON_CONTENT_FOLDERS]
        links = committed_symlinks(repo) | {p for p in context.change.uncommitted if (repo / p).is_symlink()}
        findings += [boundary.symlink_finding(path) for path in sorted(links)]
        targets = [t for t in targets if t.relative_to(repo).as_posix() not in links]
        for c in changed:
            if c.path in links:
                continue
            if c.path.startswith("content/media/"):
                problems = media_findings([c.path.removeprefix("content/")], context)
                findings += problems
                if not problems:  # what the file says, whichever item attaches it (or none yet)
                    findings += media_text_findings(c.path, context)
            elif is_stray(PurePosixPath(c.path.removeprefix("content/"))):
                findings.append(stray_finding(c.path))
        touched = {c.old_path or c.path for c in context.change.files if c.status in "MRD"}
        for path, data in files_at(repo, context.change.base).items():
            if path.split("/")[1] in NON_CONTENT_FOLDERS:
                continue
            context.published.add(path)
            if path in touched:  # the versions this change edits, renames or deletes
                source = _parse_quietly(data, path)
                if source is not None:
                    context.base_versions[path] = source
            else:
                _index(context.duplicates, data, path)
    else:
        if paths:
            targets = []
            for given in paths:
                given = Path(os.path.abspath(given))  # not resolved: a symlink is judged as itself
                if not given.is_relative_to(repo):  # named through a link to the portal's own folder
                    given = given.resolve()
                if given.is_relative_to(content_dir) and boundary.in_symlink(given, content_dir):
                    findings.append(boundary.symlink_finding(given.relative_to(repo).as_posix()))
                    continue
                if given.is_dir():
                    if given.is_relative_to(content_dir):
                        findings += boundary.symlink_findings(content_dir, given)
                        findings += media_findings(media.all_files(content_dir) if given == content_dir else
                                                   [m for m in media.all_files(content_dir)
                                                    if (content_dir / m).is_relative_to(given)], context)
                    targets += _content_files(given)
                elif given.is_relative_to(content_dir / "media"):
                    findings += media_findings([given.relative_to(content_dir).as_posix()], context)
                else:
                    targets.append(given)
        else:
            targets = _content_files(content_dir)
            findings += stray_files(content_dir)
            links = boundary.symlink_findings(content_dir)  # every mode refuses them: the build would publish their targets
            findings += links
            findings += media_findings(media.all_files(content_dir), context)
            if cache is not None and not links:  # a linked file is read through its link: never cached
                gate = GateCache(cache, portal, context.now.date().isoformat())
            for name in registries.OPTIONAL_DATA:  # the optional data files, when present, are checked with the tree
                if (portal.data / f"{name}.yml").exists():
                    findings += registries.file_findings(portal, portal.data / f"{name}.yml", f"content/data/{name}.yml")
        for file_path in _content_files(content_dir):
            shown, data = f"content/{file_path.relative_to(content_dir).as_posix()}", file_path.read_bytes()
            if gate is None:
                _index(context.duplicates, data, shown)
                continue
            key = gate.file_key(shown, data)
            entry = gate.get(key)
            peeked = entry.peeked if entry is not None else _peeked(data, shown)
            if peeked is not None:
                context.duplicates.add(shown, *peeked)
            known[file_path] = (key, entry, peeked)
        if len(targets) > 50:
            context.duplicates.index_anchors()

    checked = list(registry_checked)
    findings += registry_findings
    for target in targets:
        shown = target.relative_to(repo).as_posix() if target.is_relative_to(repo) else str(target)
        checked.append(shown)
        if not target.is_relative_to(content_dir):
            findings.append(Finding(shown, 1, 1, "scope", "error", "tệp không nằm trong thư mục content/ nên không phải nội dung của Cổng"))
            continue
        findings += _checked_item(target, shown, portal, regs, context, known, gate)
    if gate is not None:
        gate.save()
    if context.change is not None:
        for check in CHANGE_CHECKS:
            findings += check(context.change, context)
    uncommitted = set(context.change.uncommitted) & set(checked) if context.change else set()
    return Report(sorted(set(findings), key=_order), checked, uncommitted, base)
