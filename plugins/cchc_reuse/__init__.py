"""A rebuild renders only the pages whose inputs changed; the rest are hard links.

Every item page and every list page of a section, tag or author is written with its
digest (`cchc.page_keys`). When the previous release holds the same output with the
same digest, the new page is a hard link to that file instead of a new rendering: no
template runs and no byte is written. Everything else (home page, archives, register,
statistics, standing pages, feeds) is rendered every time.

A hard-linked file is shared with the previous release, so no file is ever written in
place: a path about to be written is unlinked first. Two writes to one path fail the build.
"""

import logging
import os
import re

from cchc import page_keys
from pelican import signals
from pelican.utils import sanitised_join
from pelican.writers import Writer

logger = logging.getLogger("cchc.reuse")


class _DigestedTemplate:
    """Stands in for a Jinja template: digests the page first, renders only if needed."""

    def __init__(self, writer: "ReusingWriter", template):
        self._writer = writer
        self._template = template
        self.name = template.name

    def render(self, localcontext):
        writer = self._writer
        name = localcontext["output_file"]
        inputs = {key: localcontext[key] for key in page_keys.PAGE_INPUTS if key in localcontext and key != "output_file"}
        digest = page_keys.page_digest(writer.site_digest(localcontext), self.name, name, inputs, writer.items)
        writer.digests[name] = digest
        previous = writer.previous_file(name, digest)
        if previous is not None:
            writer.pending[sanitised_join(writer.output_path, name)] = previous
            return ""
        return self._template.render(localcontext)


class ReusingWriter(Writer):
    build = None  # the BuildState, set on the class bound to one build

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        folder, manifest = self.build.previous or (None, None)
        self.previous_folder = str(folder) if folder else None
        self.previous_digests = manifest.digests if manifest else {}
        self.digests: dict[str, str] = {}
        self.pending: dict[str, str] = {}  # output path -> previous release's file to link
        self.items = page_keys.ItemDigests(settings["BUILD_TIME"], re.compile(settings["INTRASITE_LINK_REGEX"]))
        self.counts = {"rendered": 0, "linked": 0}
        self._site = None
        self._skippable: dict[str, bool] = {}
        self.build.writer = self

    def site_digest(self, context) -> str:
        if self._site is None:
            self._site = page_keys.site_digest(self.build.portal, self.settings, context, self.build.content.fingerprint)
        return self._site

    def previous_file(self, name: str, digest: str) -> str | None:
        if self.previous_folder is None or self.previous_digests.get(name) != digest:
            return None
        path = os.path.join(self.previous_folder, name)
        return path if os.path.isfile(path) else None

    def _create_new_feed(self, feed_type, feed_title, context):
        """A feed with no entry is dated at build time (CCHC_NOW in tests), not by the
        wall clock: the same inputs give the same files; each feed has its own id."""
        feed = super()._create_new_feed(feed_type, feed_title, context)
        # Pelican names every feed by the site's address (<id>/</id>): a reader would take
        # the ten feeds for one. Each is named by its own address instead.
        feed.feed["id"] = self.feed_url
        latest = feed.latest_post_date
        feed.latest_post_date = lambda: latest() if feed.items else self.settings["BUILD_TIME"]
        return feed

    def write_file(self, name, template, context, *args, **kwargs):
        if self._can_skip(template):
            template = _DigestedTemplate(self, template)
        return super().write_file(name, template, context, *args, **kwargs)

    def _can_skip(self, template) -> bool:
        stem = template.name.rsplit(".", 1)[0]
        if stem not in self._skippable:
            allowed = page_keys.PAGE_INPUTS | page_keys.SITE_INPUTS | {k for k in self.settings if k.isupper()}
            allowed |= set(self.build.registries.as_context())
            known = page_keys.template_inputs_known(template.environment, template.name, allowed)
            self._skippable[stem] = stem in page_keys.SKIPPABLE_TEMPLATES and known
            if stem in page_keys.SKIPPABLE_TEMPLATES and not known:
                logger.info("cchc_reuse: %s reads names outside its digest; always rendered", template.name)
        return self._skippable[stem]

    def _open_w(self, filename, encoding, override=False):
        """Where Pelican writes a page: a new file, or a link to the previous release's.

        Pelican lets a page written with `override` replace another silently (a standing
        page with a section's address would hide the section); here any second write to
        one path fails the build."""
        if filename in self._written_files:
            logger.error(f"lỗi [build] hai trang cùng ghi vào một tệp: {os.path.relpath(filename, self.output_path)}")
            return open(os.devnull, "w", encoding=encoding)
        self._written_files.add(filename)
        if os.path.lexists(filename):  # written by the other writing process: never write through a link
            os.unlink(filename)
        previous = self.pending.pop(filename, None)
        if previous is None:
            self.counts["rendered"] += 1
            return open(filename, "w", encoding=encoding)
        os.link(previous, filename)
        self.counts["linked"] += 1
        return open(os.devnull, "w", encoding=encoding)

    # A forked writer (cchc_parallel) hands back what it recorded after the fork.
    def begin_handoff(self) -> None:
        self.digests, self.counts = {}, {"rendered": 0, "linked": 0}

    def export_state(self) -> tuple:
        return self.digests, self.counts

    def import_state(self, state: tuple) -> None:
        digests, counts = state
        self.digests.update(digests)
        for key, value in counts.items():
            self.counts[key] += value


def connect(build):
    writer = build.bind(ReusingWriter)
    build.on(signals.get_writer, lambda pelican: writer)
