"""Pelican reader for the portal's Markdown + YAML front matter files.

Replaces Pelican's Markdown reader for `.md`. Parsing, the content model and the schemas
live in the `cchc` package (the gate uses the same code); this module turns an item
into what Pelican wants: HTML and a metadata dict of Pelican objects. What it reads is
kept in `cchc.content_cache` (keyed by file content and everything else it depends on),
and a cold cache is filled on every core before Pelican starts reading.
"""

import functools
import html
import logging
import string
from dataclasses import dataclass
from pathlib import Path

from cchc import boundary, content_cache, markdown_gfm
from cchc.check import Context, harm_findings
from cchc.content import Item, read_item
from cchc.duplicates import DuplicateIndex
from cchc.findings import ContentError, Finding
from cchc.frontmatter import Source
from cchc.filters import ResultsError, read_results
from cchc.model import NON_CONTENT_FOLDERS, TYPE_BY_NAME, Location
from pelican import signals
from pelican.cache import FileStampDataCacher
from pelican.readers import BaseReader
from pelican.urlwrappers import Author, Category, Tag

logger = logging.getLogger("cchc.reader")


def _renderer(build):
    """read file -> cache entry: front matter, HTML (GFM, `cchc.markdown_gfm`, sanitised)
    and the harm rules' findings, all from one parse of the file."""
    portal, registries = build.portal, build.registries
    context = Context(portal, registries, {}, build.now, DuplicateIndex())

    def render(path: Path) -> content_cache.Entry:
        item = read_item(path, portal, registries)
        body = "" if item.meta.get("withdrawn") else markdown_gfm.render(item.source.body)
        loc = item.location
        item_dir = str(Path(item.path).parent.relative_to("content"))
        escapes = boundary.html_findings(body, item.path, item_dir, portal.content, item.source.body_line)
        if escapes:  # a spelling the source scan of read_item missed: the HTML is what Pelican resolves
            raise ContentError(escapes)
        return content_cache.Entry(item.meta, loc.type.name, loc.field, loc.year, loc.slug, body, item.source.body_line,
                                   item.source.non_nfc_line, tuple(harm_findings(item, context)))

    return render


@dataclass
class CacheState:
    """The content cache of one build: entries by file SHA-1, and what this build read."""

    entries: dict  # sha1 -> content_cache.Entry
    shas: dict  # file path -> sha1
    file: Path
    fingerprint: str
    render: object  # path -> Entry, for files new since the start
    loaded: frozenset  # the entries the cache file held


def prepare(build):
    """Load the cache and read, in parallel, every file it does not hold yet."""
    content_dir = build.portal.content
    cache_file = build.portal.cache / "content.pickle"
    fingerprint = content_cache.fingerprint(build.portal)
    cache = content_cache.load(cache_file, fingerprint)
    loaded = frozenset(cache)
    files = [p for p in content_dir.rglob("*.md") if p.relative_to(content_dir).parts[0] not in NON_CONTENT_FOLDERS]
    render = _renderer(build)
    shas = content_cache.prefill(files, cache, render)
    build.content = CacheState(cache, shas, cache_file, fingerprint, render, loaded)


def save(build):
    state = build.content
    if state:
        live = {sha: state.entries[sha] for sha in state.shas.values() if sha in state.entries}
        if set(live) == state.loaded:  # nothing read anew, nothing gone: the file on disk is this cache
            return
        content_cache.save(state.file, state.fingerprint, live)


class PortalReader(BaseReader):
    enabled = True
    file_extensions = ["md"]
    build = None  # the BuildState, set on the class bound to one build

    def read(self, source_path):
        state, registries = self.build.content, self.build.registries
        entry = state.entries.get(state.shas.get(str(source_path), ""))
        if entry is None:  # unreadable (reported here, with its place) or new since the start
            try:
                entry = state.render(Path(source_path))
            except ContentError as exc:
                for finding in exc.findings:
                    logger.error(finding.text(), extra={"finding": finding})
                raise
        if entry.harm and self.build.production:  # the last line of defence: never publish harm
            for finding in entry.harm:
                logger.error(finding.text(), extra={"finding": finding})
            raise ContentError(list(entry.harm))
        shown = f"content/{Path(source_path).relative_to(self.settings['PATH']).as_posix()}"
        item = Item(Source(shown, entry.meta, "", entry.body_line, {}, entry.non_nfc_line),
                    Location(TYPE_BY_NAME[entry.type_name], entry.field, entry.year, entry.slug))
        try:
            return entry.html, self._metadata(item, registries, source_path)
        except ResultsError as exc:
            finding = Finding(item.path, 1, 1, "quality", "error", f"tệp kết quả khảo sát: {exc}")
            logger.error(finding.text(), extra={"finding": finding})
            raise ContentError([finding]) from None

    def __init__(self, settings):
        super().__init__(settings)
        self._wrappers = {}

    def _wrapper(self, kind, name: str, slug: str | None = None):
        """One section, tag or author object per name for the whole build: Pelican would
        make one per item and slugify its name each time."""
        wrapper = self._wrappers.get((kind, name))
        if wrapper is None:
            wrapper = self._wrappers[(kind, name)] = kind(name, self.settings)
            if slug is not None:
                wrapper.slug = slug
        return wrapper

    def _metadata(self, item, registries, source_path) -> dict:
        meta, location, settings = item.meta, item.location, self.settings
        result = {key: value for key, value in meta.items() if key not in ("date", "modified", "tags", "authors", "summary", "category")}
        result.update(
            title=meta["title"],
            slug=location.slug,
            type=location.type.name,
            field=location.field,
            year=location.year,
            template=meta.get("template") or location.type.name,
            tags=[self._wrapper(Tag, tag) for tag in meta.get("tags", [])],
            chuyen_muc=meta.get("category"),
        )
        if meta.get("summary"):
            result["summary"] = html.escape(meta["summary"])
        # Without `date`, the history plugin dates the item from Git (else this date).
        result["source_file"] = str(source_path)
        if item.when("date"):
            result["date"] = item.when("date")
        elif item.published():
            result["type_date"] = item.published()
        if item.when("modified"):
            result["modified"] = item.when("modified")
        if location.type.has_field:
            result["category"] = self._wrapper(Category, location.type.label, slug=location.type.folder)
        names = [registries.contributors.get(a, {}).get("name", a) for a in meta.get("authors", [])]
        if names:
            result["authors"] = [self._wrapper(Author, name) for name in names]
        if location.type.name == "survey" and meta.get("results"):
            result["results_table"] = read_results(Path(settings["PATH"]) / meta["results"])
        if meta.get("withdrawn"):
            result["status"] = "hidden"  # stays at its address, leaves lists, feeds, sitemap and search
        if location.type.name == "question" and not meta.get("answered_date") and not meta.get("withdrawn"):
            result["status"] = "draft"  # an unanswered question is never published (Điều 8.3.c: published with its answer)
        embargo = item.when("publish_after")
        if embargo and embargo > settings["BUILD_TIME"]:
            result["status"] = "draft"  # held: drafts are never written (DRAFT_SAVE_AS = "")
        return result


_FAST_FIELDS = {"category", "year", "slug"}


@functools.cache
def _fields(pattern: str) -> frozenset:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None)


def _address(content, key: str) -> str:
    """The item's url or save_as as Pelican would expand it. Pelican's expansion copies
    the metadata and computes relative paths each time; a published item whose pattern
    uses only its section, year and slug is formatted directly."""
    pattern = content.settings.get(f"{type(content).__name__.upper()}_{key.upper()}")
    if (pattern is None or content.status != "published" or not content.in_default_lang or hasattr(content, f"override_{key}")
            or not _fields(pattern) <= _FAST_FIELDS):
        return getattr(content, key)
    category = content.category.slug if hasattr(content, "category") else ""
    return pattern.format(category=category, year=getattr(content, "year", ""), slug=getattr(content, "slug", ""))


def fix_addresses(content):
    """Compute url and save_as once: Pelican recomputes them on every access (82,000
    times in a 5,000-item build, a third of the writing time)."""
    content.override_url = _address(content, "url")
    content.override_save_as = _address(content, "save_as")


_pelican_stamp = FileStampDataCacher._get_file_stamp


def _stamp_only_for_a_cache_in_use(self, filename):
    """Pelican stamps every content file (a stat, twice per file) to compare it with its
    own cache even when that cache is off, as it is here (this reader's cache replaces
    it): the stamp is then compared with nothing, and None gives the same answers."""
    if not self._cache_data_policy and not self._cache:
        return None
    return _pelican_stamp(self, filename)


def connect(build):
    FileStampDataCacher._get_file_stamp = _stamp_only_for_a_cache_in_use  # once per process; the same for every build
    reader = build.bind(PortalReader)

    def add_reader(readers):
        readers.reader_classes["md"] = reader

    def forget_pelicans_markdown(generator):
        # Without Python-Markdown installed, Pelican keeps its own Markdown reader as
        # "disabled" and warns about every .md file, though this reader reads them all.
        readers = getattr(generator, "readers", None)
        if readers is not None:
            readers.disabled_readers.pop("md", None)

    build.on(signals.content_object_init, fix_addresses)
    build.on(signals.initialized, lambda pelican: prepare(build))
    build.on(signals.readers_init, add_reader)
    build.on(signals.generator_init, forget_pelicans_markdown)
    build.on(signals.finalized, lambda pelican: save(build))
