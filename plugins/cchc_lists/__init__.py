"""Section, tag and author pages in linear time.

For each section, tag and author, Pelican keeps the items of `dates` that the page lists
with `[a for a in self.dates if a in articles]`: a scan of a list for every item, about
25 million comparisons at 5,000 items (0.4 s). Once the lists are complete, each one is
replaced by a `Members` list that answers `in` from a set of identities, which is
what list membership means for items (Pelican's content objects compare by identity).
"""

from pelican import signals


class Members(list):
    """A list of items that answers `in` in constant time. Changing which items it holds
    would leave its set behind, so that raises; reordering it (sort, reverse) is allowed."""

    def __init__(self, items):
        super().__init__(items)
        self._ids = frozenset(map(id, self))

    def __contains__(self, item):
        return id(item) in self._ids

    def __reduce__(self):  # copies and pickles rebuild the set (unpickling would append)
        return Members, (list(self),)

    def _frozen(self, *args, **kwargs):
        raise TypeError("danh sách mục của một chuyên mục, thẻ hay tác giả không được sửa sau khi đã lập")

    append = extend = insert = remove = pop = clear = __setitem__ = __delitem__ = __iadd__ = __imul__ = _frozen


def freeze_lists(generator):
    """In place, so the context (which holds the same dict and lists) sees the same lists."""
    for index, (name, items) in enumerate(generator.categories):
        generator.categories[index] = (name, Members(items))
    for index, (name, items) in enumerate(generator.authors):
        generator.authors[index] = (name, Members(items))
    for name, items in generator.tags.items():
        generator.tags[name] = Members(items)


def connect(build):
    build.on(signals.article_generator_finalized, freeze_lists)
