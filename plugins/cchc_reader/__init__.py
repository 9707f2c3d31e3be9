"""Pelican reader for the portal's Markdown + YAML front matter files.

Replaces Pelican's Markdown reader for `.md`. Parsing, the content model and the schemas
live in the `cchc` package (the gate uses the same code); this module only turns an
`Item` into what Pelican wants: HTML and a metadata dict of Pelican objects.
"""

import html
import logging
from pathlib import Path

from markdown import Markdown
from pelican import signals
from pelican.readers import BaseReader
from pelican.urlwrappers import Author, Category, Tag

from cchc import sanitize
from cchc.content import read_item
from cchc.findings import ContentError, Finding
from cchc.portal import ResultsError, read_results

logger = logging.getLogger("cchc.reader")


class PortalReader(BaseReader):
    enabled = True
    file_extensions = ["md"]

    def __init__(self, settings):
        super().__init__(settings)
        # One converter for every file of this reader; reset() between files.
        self._markdown = Markdown(**settings["MARKDOWN"])

    def read(self, source_path):
        registries = self.settings["REGISTRIES"]  # loaded by the cchc_registries plugin
        try:
            item = read_item(Path(source_path), Path(self.settings["PATH"]), registries)
        except ContentError as exc:
            for finding in exc.findings:
                logger.error(finding.text(), extra={"finding": finding})
            raise
        # A withdrawn item keeps its page, but not its body (the body stays in Git).
        body_html = "" if item.meta.get("withdrawn") else sanitize.clean(self._markdown.reset().convert(item.source.body))
        try:
            return body_html, self._metadata(item, registries, source_path)
        except ResultsError as exc:
            finding = Finding(item.path, *item.source.position("results"), "quality", "error", f"tệp kết quả khảo sát: {exc}")
            logger.error(finding.text(), extra={"finding": finding})
            raise ContentError([finding]) from None

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
            tags=[Tag(tag, settings) for tag in meta.get("tags", [])],
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
            section = Category(location.type.label, settings)
            section.slug = location.type.folder
            result["category"] = section
        names = [registries.contributors.get(a, {}).get("name", a) for a in meta.get("authors", [])]
        if names:
            result["authors"] = [Author(name, settings) for name in names]
        if location.type.name == "survey" and meta.get("results"):
            result["results_table"] = read_results(Path(self.settings["PATH"]) / meta["results"])
        if meta.get("withdrawn"):
            result["status"] = "hidden"  # stays at its address, leaves lists, feeds, sitemap and search
        embargo = item.when("publish_after")
        if embargo and embargo > settings["BUILD_TIME"]:
            result["status"] = "draft"  # held: drafts are never written (DRAFT_SAVE_AS = "")
        return result


def add_reader(readers):
    readers.reader_classes["md"] = PortalReader


def register():
    signals.readers_init.connect(add_reader)
