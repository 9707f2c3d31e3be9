"""Both cores for the longest part of writing: the item pages.

Pelican renders every item page one after the other. From a few hundred items on, the
second half is rendered by a forked copy of the process while this one renders the
first half; the fork inherits the whole context, so both write exactly what Pelican
would. A failure in the fork fails the build.

Because the reader fixes each item's `save_as` (see cchc_reader), Pelican no longer
warns when two items claim the same address; `check_addresses` does, before writing.
"""

import logging
import os
import tempfile
import traceback
from itertools import chain

from pelican import signals
from pelican.generators import ArticlesGenerator

logger = logging.getLogger("cchc.parallel")
MIN_ITEMS = 400


def _write_one(generator, write, article):
    signals.article_generator_write_article.send(generator, content=article)
    write(article.save_as, generator.get_template(article.template), generator.context, article=article,
          category=getattr(article, "category", None), override_output=True, url=article.url, blog=True)


def generate_articles(self, write):
    items = list(chain(self.translations, self.articles, self.hidden_translations, self.hidden_articles))
    if len(items) < MIN_ITEMS or (os.cpu_count() or 1) < 2:
        for article in items:
            _write_one(self, write, article)
        return
    half = len(items) // 2
    writer = getattr(getattr(write, "func", write), "__self__", None)  # Pelican hands a partial of writer.write_file
    handoff = tempfile.NamedTemporaryFile(prefix="cchc-writer-", delete=False)
    handoff.close()
    child = os.fork()
    if child == 0:
        status = 0
        try:
            if hasattr(writer, "begin_handoff"):
                writer.begin_handoff()
            for article in items[half:]:
                _write_one(self, write, article)
            if hasattr(writer, "export_state"):  # what it recorded (page digests) goes to the parent
                writer.export_state(handoff.name)
        except BaseException:  # noqa: BLE001 - reported to the parent through the exit status
            traceback.print_exc()
            status = 1
        os._exit(status)
    try:
        for article in items[:half]:
            _write_one(self, write, article)
    finally:
        _, wait_status = os.waitpid(child, 0)
    try:
        if os.waitstatus_to_exitcode(wait_status) != 0:
            logger.error("lỗi [build] không ghi được một phần các trang tin, bài (xem lỗi ở trên)")
        elif hasattr(writer, "import_state"):
            writer.import_state(handoff.name)
    finally:
        os.unlink(handoff.name)


def check_addresses(generators):
    """Two items at one address would silently overwrite each other: refuse."""
    seen = {}
    for generator in generators:
        for item in getattr(generator, "articles", []) + getattr(generator, "hidden_articles", []) + getattr(generator, "pages", []):
            if item.save_as in seen:
                logger.error(f"lỗi [scope] {item.source_path} và {seen[item.save_as]} cùng địa chỉ /{item.url}; đổi tên một tệp")
            seen[item.save_as] = item.source_path


def register():
    ArticlesGenerator.generate_articles = generate_articles
    signals.all_generators_finalized.connect(check_addresses)
