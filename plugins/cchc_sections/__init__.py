"""Every section (content type) has its page, even before its first item is published.

Pelican writes a category page only for categories that have articles; a citizen who
follows the menu to "Hỏi đáp" must find the section, not a 404.
"""

from pelican import signals
from pelican.generators import Generator
from pelican.urlwrappers import Category


class EmptySectionsGenerator(Generator):
    def generate_output(self, writer):
        used = {category.slug for category, _ in self.context.get("categories", [])}
        for section in self.settings["SECTIONS"]:
            if section["folder"] in used:
                continue
            category = Category(section["label"], self.settings)
            category.slug = section["folder"]
            writer.write_file(
                category.save_as, self.get_template("category"), self.context,
                category=category, articles=[], dates=[], page_name=category.page_name,
            )


def get_generators(pelican):
    return EmptySectionsGenerator


def register():
    signals.get_generators.connect(get_generators)
