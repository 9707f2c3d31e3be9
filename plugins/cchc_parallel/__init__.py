"""Both cores for writing: item pages and list pages.

Pelican writes every page one after the other. From a few hundred items on, a forked
copy of the process writes part of the item pages and then the tag, section and author
lists, while this process writes the other item pages, the home page and archives, and
goes on with the standing pages and the other generators. The fork inherits the whole
context, so both write exactly what Pelican would. The build waits for the fork before
Pelican finishes (`finalized`); a failure in the fork, or a file both wrote, fails it.

Because the reader fixes each item's `save_as` (see cchc_reader), Pelican no longer
warns when two items claim the same address; `check_addresses` does, before writing.
"""

import logging
import os
import pickle
import tempfile
import traceback
from functools import partial
from itertools import chain

from pelican import signals
from pelican.generators import ArticlesGenerator

logger = logging.getLogger("cchc.parallel")
MIN_ITEMS = 400  # below this, forking costs more than it saves (setting PARALLEL_MIN_ITEMS)
# Share of the item pages this process writes: the fork also writes the list pages,
# this one the home page, archives, standing pages and everything after.
OWN_SHARE = 0.55
_forks = []  # (pid, hand-off file, writer) to wait for at `finalized`


def _write_one(generator, write, article):
    signals.article_generator_write_article.send(generator, content=article)
    write(article.save_as, generator.get_template(article.template), generator.context, article=article,
          category=getattr(article, "category", None), override_output=True, url=article.url, blog=True)


def generate_pages(self, writer):
    """ArticlesGenerator.generate_pages, on two processes."""
    write = partial(writer.write_file, relative_urls=self.settings["RELATIVE_URLS"])
    items = list(chain(self.translations, self.articles, self.hidden_translations, self.hidden_articles))
    if len(items) < self.settings.get("PARALLEL_MIN_ITEMS", MIN_ITEMS) or (os.cpu_count() or 1) < 2:
        for article in items:
            _write_one(self, write, article)
        for step in (self.generate_period_archives, self.generate_direct_templates, self.generate_tags,
                     self.generate_categories, self.generate_authors, self.generate_drafts):
            step(write)
        return
    cut = int(len(items) * OWN_SHARE)
    handoff = tempfile.NamedTemporaryFile(prefix="cchc-writer-", delete=False)
    handoff.close()
    child = os.fork()
    if child == 0:
        status = 0
        written_before = set(writer._written_files)
        try:
            if hasattr(writer, "begin_handoff"):
                writer.begin_handoff()
            for article in items[cut:]:
                _write_one(self, write, article)
            for step in (self.generate_tags, self.generate_categories, self.generate_authors):
                step(write)
            with open(handoff.name, "wb") as handle:  # what it wrote and recorded goes to the parent
                pickle.dump((writer._written_files - written_before, writer.export_state() if hasattr(writer, "export_state") else None), handle)
        except BaseException:  # noqa: BLE001 - reported to the parent through the exit status
            traceback.print_exc()
            status = 1
        os._exit(status)
    _forks.append((child, handoff.name, writer))
    for article in items[:cut]:
        _write_one(self, write, article)
    for step in (self.generate_period_archives, self.generate_direct_templates, self.generate_drafts):
        step(write)


def join_forks(pelican):
    """Wait for the fork; take over what it recorded; refuse a file written by both."""
    while _forks:
        child, handoff, writer = _forks.pop()
        _, wait_status = os.waitpid(child, 0)
        try:
            if os.waitstatus_to_exitcode(wait_status) != 0:
                logger.error("lỗi [build] không ghi được một phần các trang (xem lỗi ở trên)")
                continue
            with open(handoff, "rb") as handle:
                written, state = pickle.load(handle)
            for path in sorted(written & writer._written_files):
                logger.error(f"lỗi [build] hai trang cùng ghi vào một tệp: {os.path.relpath(path, writer.output_path)}")
            writer._written_files |= written
            if state is not None:
                writer.import_state(state)
        finally:
            os.unlink(handoff)


def check_addresses(generators):
    """Two items at one address would silently overwrite each other: refuse."""
    seen = {}
    for generator in generators:
        for item in getattr(generator, "articles", []) + getattr(generator, "hidden_articles", []) + getattr(generator, "pages", []):
            if item.save_as in seen:
                logger.error(f"lỗi [scope] {item.source_path} và {seen[item.save_as]} cùng địa chỉ /{item.url}; đổi tên một tệp")
            seen[item.save_as] = item.source_path


def register():
    ArticlesGenerator.generate_pages = generate_pages
    signals.all_generators_finalized.connect(check_addresses)
    signals.finalized.connect(join_forks)
