"""Both cores for writing: item pages and list pages.

Pelican writes every page one after the other. From a few hundred items on, a forked
copy of the process shares the item pages with this one: each takes the next piece of
work from a shared pipe until none is left, so both stay busy to the end whatever a page
costs (a page rendered costs ten times a page linked from the previous release). The
pieces are the writing tasks other plugins hand over (`BuildState.writing_tasks`: the
open data, for one), then chunks of items. Then the fork writes the tag, section and
author lists, while this process, which wrote the home page and archives first, goes on
with the standing pages and the other generators. The fork inherits the whole context,
so both write exactly what Pelican would. The build waits for the fork before Pelican
finishes (`finalized`); a failure in the fork, or a file both wrote, fails it.

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
CHUNK = 25  # items taken at a time (more when there would be over 1,000 chunks)


class _Work:
    """The pieces of work still to do, as numbers in a pipe both processes read: -1-k for
    task k, n for the n-th chunk of items.

    Filled and closed for writing before the fork; a read of one number (4 bytes) is
    atomic, and an empty pipe reads as the end. No lock to leave held: a process that
    dies takes nothing more (and its exit status fails the build).
    """

    def __init__(self, items: int, tasks: int = 0):
        # At most 1,000 chunks and a few tasks: under 4 KiB of numbers, which any pipe
        # holds (the writer fills it before anyone reads).
        self.size = max(CHUNK, -(-items // 1000))
        numbers = [-1 - k for k in range(tasks)] + list(range(-(-items // self.size)))
        self._pipe, filler = os.pipe()
        with os.fdopen(filler, "wb") as out:
            out.write(b"".join(n.to_bytes(4, "little", signed=True) for n in numbers))

    def __iter__(self):
        """("task", k) or ("items", start, end), until none is left."""
        while taken := os.read(self._pipe, 4):
            number = int.from_bytes(taken, "little", signed=True)
            yield ("task", -1 - number) if number < 0 else ("items", number * self.size, (number + 1) * self.size)

    def close(self):
        os.close(self._pipe)


def _write_shared(generator, write, items, work, tasks):
    for kind, *where in work:
        if kind == "task":
            tasks[where[0]]()
            continue
        start, end = where
        for article in items[start:end]:
            _write_one(generator, write, article)


def _write_one(generator, write, article):
    signals.article_generator_write_article.send(generator, content=article)
    write(article.save_as, generator.get_template(article.template), generator.context, article=article,
          category=getattr(article, "category", None), override_output=True, url=article.url, blog=True)


def generate_pages(self, writer):
    """ArticlesGenerator.generate_pages, on two processes."""
    write = partial(writer.write_file, relative_urls=self.settings["RELATIVE_URLS"])
    items = list(chain(self.translations, self.articles, self.hidden_translations, self.hidden_articles))
    build = getattr(writer, "build", None)  # the writer of `cchc build` carries its BuildState
    if build is None:
        return _generate_pages(self, writer)
    # Tasks other plugins handed over: each writes files of its own from the finished
    # context, once, in whichever writing process is free first.
    tasks, build.tasks_taken = list(build.writing_tasks), True
    if len(items) < self.settings.get("PARALLEL_MIN_ITEMS", MIN_ITEMS) or (os.cpu_count() or 1) < 2:
        for article in items:
            _write_one(self, write, article)
        for step in (self.generate_period_archives, self.generate_direct_templates, self.generate_tags,
                     self.generate_categories, self.generate_authors, self.generate_drafts):
            step(write)
        for task in tasks:
            task()
        return
    work = _Work(len(items), len(tasks))
    handoff = tempfile.NamedTemporaryFile(prefix="cchc-writer-", delete=False)
    handoff.close()
    child = os.fork()
    if child == 0:
        status = 0
        written_before = set(writer._written_files)
        try:
            if hasattr(writer, "begin_handoff"):
                writer.begin_handoff()
            _write_shared(self, write, items, work, tasks)
            for step in (self.generate_tags, self.generate_categories, self.generate_authors):
                step(write)
            with open(handoff.name, "wb") as handle:  # what it wrote and recorded goes to the parent
                pickle.dump((writer._written_files - written_before, writer.export_state() if hasattr(writer, "export_state") else None), handle)
        except BaseException:  # noqa: BLE001 - reported to the parent through the exit status
            traceback.print_exc()
            status = 1
        os._exit(status)
    build.forks.append((child, handoff.name, writer))
    for step in (self.generate_period_archives, self.generate_direct_templates, self.generate_drafts):
        step(write)
    try:
        _write_shared(self, write, items, work, tasks)
    finally:
        work.close()


def join_forks(build):
    """Wait for the fork; take over what it recorded; refuse a file written by both."""
    while build.forks:
        child, handoff, writer = build.forks.pop()
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


_generate_pages = ArticlesGenerator.generate_pages  # Pelican's own, for a writer outside `cchc build`


def connect(build):
    ArticlesGenerator.generate_pages = generate_pages  # once per process; the build is found through its writer
    build.on(signals.all_generators_finalized, check_addresses)
    build.on(signals.finalized, lambda pelican: join_forks(build))
