"""sitemap.xml and robots.txt: every listed item and page, never a withdrawn or held one,
and the section pages a reader starts from (each section, each chuyên mục, the register,
the archive, the statistics)."""

import xml.etree.ElementTree as ElementTree
from pathlib import Path

from pelican import signals

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
STANDING = ["van-ban/tra-cuu/", "luu-tru/", "thong-ke/"]


def section_pages(settings, output: Path) -> list[str]:
    """The section pages that were written, in the menu's order."""
    wanted = ([f"{s['folder']}/" for s in settings.get("SECTIONS", [])]
              + [f"tin-bai/{c['slug']}/" for c in settings.get("CHUYEN_MUC", [])] + STANDING)
    return [address for address in wanted if (output / address / "index.html").is_file()]


def write(pelican, listed: list):
    settings = pelican.settings
    site_url = settings["SITEURL"] or "http://localhost:8000"
    root = ElementTree.Element("urlset", xmlns=NAMESPACE)
    home = ElementTree.SubElement(root, "url")
    ElementTree.SubElement(home, "loc").text = f"{site_url}/"
    output = Path(pelican.output_path)
    for address in section_pages(settings, output):
        ElementTree.SubElement(ElementTree.SubElement(root, "url"), "loc").text = f"{site_url}/{address}"
    for item in sorted(listed, key=lambda i: i.url):
        entry = ElementTree.SubElement(root, "url")
        ElementTree.SubElement(entry, "loc").text = f"{site_url}/{item.url}"
        changed = getattr(item, "modified", None) or getattr(item, "date", None)
        if changed:
            ElementTree.SubElement(entry, "lastmod").text = changed.date().isoformat()
    ElementTree.ElementTree(root).write(output / "sitemap.xml", encoding="utf-8", xml_declaration=True)
    (output / "robots.txt").write_text(f"User-agent: *\nAllow: /\nSitemap: {site_url}/sitemap.xml\n", "utf-8")


def connect(build):
    listed = []

    def collect(generators):
        listed[:] = [item for g in generators for item in getattr(g, "articles", []) + getattr(g, "pages", [])]

    build.on(signals.all_generators_finalized, collect)
    build.on(signals.finalized, lambda pelican: write(pelican, listed))
