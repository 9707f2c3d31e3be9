"""A rebuild renders only the pages whose inputs changed; the rest are hard links.

Every item page and every list page of a section, tag or author is written with its
digest (`cchc.page_keys`). When the previous release holds the same output with the
same digest, the new page is a hard link to that file instead of a new rendering: no
template runs and no byte is written. Everything else (home page, archives, register,
statistics, standing pages, feeds) is rendered every time.

A hard-linked file is shared with the previous release, so no file is ever written in
place: a path about to be written is unlinked first.
"""

import logging
import os
import pickle
import re

from cchc import page_keys
from pelican import signals
from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

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
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        previous = settings.get("PREVIOUS_RELEASE") or {}
        self.previous_folder = previous.get("folder")
        self.previous_digests = previous.get("digests", {})
        self.digests: dict[str, str] = {}
        self.pending: dict[str, str] = {}  # output path -> previous release's file to link
        self.items = page_keys.ItemDigests(settings["BUILD_TIME"], re.compile(settings["INTRASITE_LINK_REGEX"]))
        self.counts = {"rendered": 0, "linked": 0}
        self._site = None
        self._skippable: dict[str, bool] = {}
        settings["RENDER_STATE"] = self

    def site_digest(self, context) -> str:
        if self._site is None:
            self._site = page_keys.site_digest(self.settings, context, self.settings["CONTENT_CACHE"]["fingerprint"])
        return self._site

    def previous_file(self, name: str, digest: str) -> str | None:
        if self.previous_folder is None or self.previous_digests.get(name) != digest:
            return None
        path = os.path.join(self.previous_folder, name)
        return path if os.path.isfile(path) else None

    def write_file(self, name, template, context, *args, **kwargs):
        if self._can_skip(template, context):
            template = _DigestedTemplate(self, template)
        return super().write_file(name, template, context, *args, **kwargs)

    def _can_skip(self, template, context) -> bool:
        stem = template.name.rsplit(".", 1)[0]
        if stem not in self._skippable:
            allowed = page_keys.PAGE_INPUTS | page_keys.SITE_INPUTS | {k for k in self.settings if k.isupper()}
            allowed |= set(self.settings["REGISTRIES"].as_context())
            known = page_keys.template_inputs_known(template.environment, template.name, allowed)
            self._skippable[stem] = stem in page_keys.SKIPPABLE_TEMPLATES and known
            if stem in page_keys.SKIPPABLE_TEMPLATES and not known:
                logger.info("cchc_reuse: %s reads names outside its digest; always rendered", template.name)
        return self._skippable[stem]

    def _open_w(self, filename, encoding, override=False):
        previous = self.pending.pop(filename, None)
        if previous is None:
            if os.path.lexists(filename):  # perhaps a link into the previous release: never write through it
                os.unlink(filename)
            self.counts["rendered"] += 1
            return super()._open_w(filename, encoding, override)
        # Pelican's rules for a second write to one path, then the link.
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" a second time')
            return open(os.devnull, "w", encoding=encoding)
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" as Pelican has already written to it previously')
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        if os.path.lexists(filename):
            os.unlink(filename)
        os.link(previous, filename)
        self.counts["linked"] += 1
        return open(os.devnull, "w", encoding=encoding)

    # A forked writer (cchc_parallel) hands back what it recorded after the fork.
    def begin_handoff(self) -> None:
        self.digests, self.counts = {}, {"rendered": 0, "linked": 0}

    def export_state(self, path: str) -> None:
        with open(path, "wb") as handle:
            pickle.dump((self.digests, self.counts), handle)

    def import_state(self, path: str) -> None:
        with open(path, "rb") as handle:
            digests, counts = pickle.load(handle)
        self.digests.update(digests)
        for key, value in counts.items():
            self.counts[key] += value


def get_writer(pelican):
    return ReusingWriter


def register():
    signals.get_writer.connect(get_writer)
