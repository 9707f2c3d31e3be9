"""What a written page depends on, as one digest: equal digests mean an equal page.

A rebuild renders again only the pages whose digest changed; the others are hard links
to the previous release (see the cchc_reuse plugin). A digest is made of:

- the site's digest: the code, theme, plugins, settings files and settings, the content
  cache's fingerprint (schemas, registries, renderer and its libraries), the standing pages that
  every menu shows, and the notices active at build time;
- the page's own inputs: the template, the output name, and for an item its every
  attribute and its HTML; for a list page its wrapper (section, tag, author) and, per
  item listed, the item's digest.

Templates read the site's context by name. A template that reads a name this module
does not account for (say `all_articles`) is never skipped: `template_inputs_known`
checks every template, with what it includes and extends, before the first skip. The
clock (`BUILD_TIME`) counts only through consultation and survey windows and notices:
a skippable template that shows it in another way must leave SKIPPABLE_TEMPLATES.
"""

import dataclasses
import functools
import hashlib
import json
import os
import pickle
import re
from datetime import date, datetime
from pathlib import Path

import jinja2
import pelican
from jinja2 import meta, nodes

from . import filters
from .code import package_digest, tree_digest

# Names a skippable template may read, besides settings (all in the site's digest) and
# the registries' names: the page's own inputs and what the site's digest covers.
PAGE_INPUTS = {"article", "page", "category", "tag", "author", "page_name", "output_file",
               "articles_page", "articles_paginator", "articles_previous_page", "articles_next_page",
               "number", "count", "revision", "revision_meta", "revision_body"}  # a revision page (cchc_history)
PARTIAL_LOCALS = {"item", "items", "level"}  # set by a template for the partial it includes
SITE_INPUTS = {"pages", "notices", "standing_pages"}
# Templates whose pages depend on many items or on the clock in ways a digest would
# not follow (home page, archives, register, statistics, board): always rendered.
SKIPPABLE_TEMPLATES = {"article", "document", "consultation", "question", "survey", "category", "tag", "author", "revision"}
_IGNORED_ATTRIBUTES = {"settings", "_context", "_content", "metadata"}
_VOLATILE_SETTINGS = {"BUILD_TIME", "OUTPUT_PATH", "JINJA_ENVIRONMENT"}  # the clock, the staging folder, the template cache object


@functools.cache
def _dataclass_fields(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind)) if dataclasses.is_dataclass(kind) else ()


def _plain(value):
    """JSON stand-in for what json cannot write; by value, so equal inputs give equal text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    kind = type(value)
    names = _dataclass_fields(kind)
    if names:  # a revision, mostly: thousands of them, so a list rather than a dict
        return [kind.__name__, *[getattr(value, name) for name in names]]
    if isinstance(value, set | frozenset):
        return sorted(map(str, value))
    if hasattr(value, "source_path") and hasattr(value, "_content"):  # another item: named, not followed
        return {"@item": value.source_path}
    if hasattr(value, "slug") and hasattr(value, "name"):  # Pelican's section, tag and author wrappers
        return {"@": type(value).__name__, "name": value.name, "slug": value.slug, "url": getattr(value, "url", None)}
    if callable(value):
        return getattr(value, "__qualname__", type(value).__name__)
    if hasattr(value, "digest_value"):  # an object with caches filled as it is used: digested by what it is made of
        return {"@": type(value).__name__, **value.digest_value()}
    if hasattr(value, "__dict__"):
        return {"@": type(value).__name__, **{k: v for k, v in vars(value).items() if k not in _IGNORED_ATTRIBUTES}}
    return repr(value)


def _digest(value) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=_plain)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class ItemDigests:
    """Digest of each item, computed once however many pages list it."""

    def __init__(self, build_time: datetime, intrasite_link: re.Pattern):
        self._build_time = build_time
        self._intrasite_link = intrasite_link
        self._known: dict[int, str] = {}

    def __call__(self, item) -> str:
        known = self._known.get(id(item))
        if known is None:
            known = self._known[id(item)] = self._compute(item)
        return known

    def _compute(self, item) -> str:
        attributes = {k: v for k, v in vars(item).items() if k not in _IGNORED_ATTRIBUTES}
        html = item._content or ""
        # Links to other files ({filename}…) resolve against the whole site: the resolved
        # HTML then counts, so a renamed target renders the linking page again.
        attributes["@html"] = hashlib.sha1((item.content if self._intrasite_link.search(html) else html).encode("utf-8")).hexdigest()
        if getattr(item, "opens", None) and getattr(item, "closes", None):
            attributes["@window"] = filters.window_state(item, self._build_time)
        return _digest(attributes)


def page_digest(site: str, template_name: str, output_file: str, page_inputs: dict, items: ItemDigests) -> str:
    """Digest of one page from the site's digest and the page's own inputs."""
    parts = {"site": site, "template": template_name, "output": output_file}
    for name, value in page_inputs.items():
        if name == "articles_page":
            parts[name] = [value.number, [items(i) for i in value.object_list]]
        elif name == "articles_paginator":
            parts[name] = value.num_pages
        elif name in ("articles_previous_page", "articles_next_page"):
            parts[name] = value.url if value else None
        elif name in ("article", "page"):
            parts[name] = items(value)
        else:
            parts[name] = value
    return _digest(parts)


def site_digest(portal, settings: dict, context: dict, content_fingerprint: str) -> str:
    """Everything every page may show that is not its own: code, theme, settings, menu, notices."""
    code = hashlib.sha1(package_digest().encode())
    for folder in [settings["THEME"], *settings.get("PLUGIN_PATHS", [])]:
        code.update(tree_digest(Path(folder)).encode())
    for path in (portal.settings_file(False), portal.settings_file(True)):
        code.update(path.name.encode() + b"\0" + (path.read_bytes() if path.exists() else b""))
    shown_settings = {k: v for k, v in settings.items() if k.isupper() and k not in _VOLATILE_SETTINGS}
    pages = [{k: v for k, v in vars(p).items() if k not in _IGNORED_ATTRIBUTES} for p in context.get("pages", [])]
    notices = filters.active_notices(context.get("notices", []), settings["BUILD_TIME"])
    return _digest({"code": code.hexdigest(), "pelican": pelican.__version__, "settings": shown_settings,
                    "content": content_fingerprint, "pages": pages, "notices": notices})


def template_inputs_known(environment, template_name: str, allowed: set[str]) -> bool:
    """True when the template, with all it extends and includes, reads only `allowed`
    names from the context (a new name in a template turns skipping off for it)."""
    seen, pending, read = set(), [template_name], set()
    try:
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            names_read, names_imported, referenced = _template_facts(environment, name)
            read |= names_read
            allowed = allowed | names_imported
            if None in referenced:  # a template chosen at run time: its inputs cannot be known
                return False
            pending += referenced
        return read <= allowed | PARTIAL_LOCALS
    finally:
        _keep_new_facts(getattr(environment.bytecode_cache, "directory", None))


@functools.lru_cache(maxsize=256)
def _template_facts(environment, name: str) -> tuple[set, set, list]:
    """(names read from the context, macro names imported, templates included or extended).

    Parsing every template costs about 0.17 s a build, so the facts are kept beside the
    compiled templates (Jinja's bytecode cache folder, when there is one), keyed by the
    template's name and source and Jinja's version: an edited template is parsed again."""
    source = environment.loader.get_source(environment, name)[0]
    key = hashlib.sha1(f"{jinja2.__version__}\0{name}\0{source}".encode()).hexdigest()
    folder = getattr(environment.bytecode_cache, "directory", None)
    kept = _kept_facts(folder)
    if key not in kept:
        tree = environment.parse(source)
        imported = {n if isinstance(n, str) else n[-1] for node in tree.find_all(nodes.FromImport) for n in node.names}
        imported |= {node.target for node in tree.find_all(nodes.Import)}
        kept[key] = (meta.find_undeclared_variables(tree), imported, list(meta.find_referenced_templates(tree)))
        _new_facts.add(folder)
    return kept[key]


_FACTS_FILE = "template-facts.pickle"
_new_facts: set = set()  # folders whose kept facts grew since they were last written


@functools.cache
def _kept_facts(folder: str | None) -> dict:
    """One dict per folder, shared by Pelican's several Jinja environments."""
    if not folder:
        return {}
    try:
        with open(Path(folder) / _FACTS_FILE, "rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.PickleError, EOFError, ValueError, AttributeError):
        return {}


def _keep_new_facts(folder: str | None) -> None:
    """Written once per template checked, when something was parsed anew."""
    if not folder or folder not in _new_facts:
        return
    _new_facts.discard(folder)
    path = Path(folder) / _FACTS_FILE
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    with open(temporary, "wb") as handle:
        pickle.dump(_kept_facts(folder), handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)  # two writing processes: the last complete file wins
