"""Section pages Pelican does not write by itself.

- every section (content type) has its page, even before its first item: a citizen
  who follows the menu to "Hỏi đáp" must find the section, not a 404;
- each chuyên mục of Điều 6.1 a–d has its list and its Atom feed;
- the document register (/van-ban/tra-cuu/): every document in one filterable table.
"""

from pelican import signals
from pelican.generators import Generator
from pelican.urlwrappers import Category


class Listing(Category):
    """A list page at a fixed address (an empty section, a chuyên mục)."""

    def __init__(self, label: str, slug: str, url: str, settings):
        super().__init__(label, settings)
        self.slug = slug
        self._address = url

    url = property(lambda self: self._address)
    save_as = property(lambda self: self._address + "index.html")
    page_name = property(lambda self: self._address.rstrip("/"))


class SectionsGenerator(Generator):
    def generate_output(self, writer):
        articles = self.context.get("articles", [])
        used = {category.slug for category, _ in self.context.get("categories", [])}
        for section in self.settings["SECTIONS"]:
            if section["folder"] not in used:
                category = self._category(section["label"], section["folder"])
                writer.write_file(category.save_as, self.get_template("category"), self.context,
                                  category=category, articles=[], dates=[], page_name=category.page_name)
                if self.settings.get("CATEGORY_FEED_ATOM"):  # a stable feed address, empty until the first item
                    writer.write_feed([], self.context, self.settings["CATEGORY_FEED_ATOM"].format(slug=section["folder"]), feed_title=section["label"])
        for chuyen_muc in self.settings["CHUYEN_MUC"]:
            items = [a for a in articles if getattr(a, "chuyen_muc", None) == chuyen_muc["slug"]]
            category = self._category(chuyen_muc["label"], chuyen_muc["slug"], "tin-bai/{slug}/")
            writer.write_file(category.save_as, self.get_template("category"), self.context, category=category,
                              articles=items, dates=items, paginated={"articles": items, "dates": items},
                              template_name="category", page_name=category.page_name, url=category.url)
            if self.settings.get("FEED_ALL_ATOM"):
                writer.write_feed(items, self.context, f"feeds/chuyen-muc-{chuyen_muc['slug']}.atom.xml", feed_title=chuyen_muc["label"])
        documents = sorted((a for a in articles if getattr(a, "type", None) == "document"), key=lambda d: d.issued_date, reverse=True)
        writer.write_file("van-ban/tra-cuu/index.html", self.get_template("register"), self.context, documents=documents, page_name="van-ban/tra-cuu/index")

    def _category(self, label: str, slug: str, url: str = "{slug}/") -> Listing:
        return Listing(label, slug, url.format(slug=slug), self.settings)


def connect(build):
    build.on(signals.get_generators, lambda pelican: SectionsGenerator)
