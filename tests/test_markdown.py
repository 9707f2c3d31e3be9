"""Every Markdown construct contributors use, rendered as GitHub renders it (GFM).

The HTML is parsed into a tree and its structure asserted, so a renderer that silently
loses a construct (as Python-Markdown did, without its extensions) fails here.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from cchc import markdown_gfm
from conftest import REPO, article, cchc, copy_portal, serve, write

VOID = {"br", "img", "hr", "input", "wbr", "col", "area"}


class Node:
    def __init__(self, tag, attrs=None, parent=None):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs or {}), parent, []

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    @property
    def elements(self) -> list["Node"]:
        return [c for c in self.children if isinstance(c, Node)]

    def iter(self, tag=None):
        for child in self.elements:
            if tag is None or child.tag == tag:
                yield child
            yield from child.iter(tag)

    def all(self, tag) -> list["Node"]:
        return list(self.iter(tag))

    def one(self, tag) -> "Node":
        found = self.all(tag)
        assert len(found) == 1, f"expected one <{tag}>, found {len(found)}"
        return found[0]

    def ancestors(self) -> list[str]:
        node, tags = self.parent, []
        while node is not None and node.tag != "#root":
            tags.append(node.tag)
            node = node.parent
        return tags


class _Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#root")

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node.tag != tag and node.parent is not None:
            node = node.parent
        if node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Node:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    return tree.root


def tree(markdown_text: str) -> Node:
    return parse(markdown_gfm.render(markdown_text))


def items(list_node: Node) -> list[str]:
    """The first line of text of each item of a list."""
    return [(li.children[0] if li.children and isinstance(li.children[0], str) else li.text).strip().split("\n")[0]
            for li in list_node.elements if li.tag == "li"]


# Lists ---------------------------------------------------------------------------------

@pytest.mark.parametrize("indent", [2, 4])
@pytest.mark.parametrize("bullet", ["*", "-"])
def test_a_list_nested_by_two_or_four_spaces_nests(indent, bullet):
    pad = " " * indent
    root = tree(f"{bullet} Sở Nội vụ\n{pad}{bullet} Phòng CCHC\n{pad}{pad}{bullet} Tổ một cửa\n{bullet} Văn phòng UBND\n")
    outer = root.elements[0]
    assert outer.tag == "ul" and items(outer) == ["Sở Nội vụ", "Văn phòng UBND"]
    inner = [e for e in outer.elements[0].elements if e.tag == "ul"][0]
    assert items(inner) == ["Phòng CCHC"]
    innermost = [e for e in inner.elements[0].elements if e.tag == "ul"][0]
    assert items(innermost) == ["Tổ một cửa"] and innermost.ancestors()[:4] == ["li", "ul", "li", "ul"]


def test_star_and_dash_bullets_are_both_lists():
    root = tree("* một\n* hai\n\n- ba\n- bốn\n")
    lists = root.all("ul")
    assert [items(u) for u in lists] == [["một", "hai"], ["ba", "bốn"]]
    assert "*" not in root.text and "- " not in root.text


def test_an_ordered_list_keeps_its_first_number():
    root = tree("3. Điều ba\n4. Điều bốn\n\nđoạn\n\n1. một\n2. hai\n")
    first, second = root.all("ol")
    assert first.attrs.get("start") == "3" and items(first) == ["Điều ba", "Điều bốn"]
    assert "start" not in second.attrs


def test_an_ordered_list_nested_in_a_bullet_list():
    root = tree("- Khoản 1\n  1. điểm a\n  2. điểm b\n")
    ol = root.one("ol")
    assert ol.ancestors()[:2] == ["li", "ul"] and items(ol) == ["điểm a", "điểm b"]


def test_task_list_items_are_text_boxes_never_form_controls():
    root = tree("- [ ] Gửi dự thảo\n- [x] Lấy ý kiến\n")
    assert root.all("input") == []
    boxes = root.all("span")
    assert [(b.text, b.attrs["title"]) for b in boxes] == [("☐", "Chưa xong"), ("☑", "Đã xong")]
    assert [li.attrs.get("class") for li in root.all("li")] == ["task-list-item", "task-list-item"]
    assert "[ ]" not in root.text and "[x]" not in root.text


# Tables --------------------------------------------------------------------------------

def test_a_table_keeps_its_header_and_column_alignment_without_style():
    html = markdown_gfm.render("| Đơn vị | Số tin | Tỷ lệ |\n|:--|:-:|--:|\n| Sở Nội vụ | 12 | 80% |\n| Sở Tư pháp | 3 | 20% |\n")
    root = parse(html)
    table = root.one("table")
    headers = table.one("thead").all("th")
    assert [th.text for th in headers] == ["Đơn vị", "Số tin", "Tỷ lệ"]
    assert [th.attrs.get("align") for th in headers] == ["left", "center", "right"]
    rows = table.one("tbody").all("tr")
    assert [[td.text for td in tr.all("td")] for tr in rows] == [["Sở Nội vụ", "12", "80%"], ["Sở Tư pháp", "3", "20%"]]
    assert [td.attrs.get("align") for td in rows[0].all("td")] == ["left", "center", "right"]
    assert "style=" not in html and "|" not in root.text


# Blocks and inline ---------------------------------------------------------------------

def test_a_block_quote():
    quote = tree("> Câu hỏi của người dân.\n> Dòng tiếp.\n").one("blockquote")
    assert quote.one("p").text.split() == ["Câu", "hỏi", "của", "người", "dân.", "Dòng", "tiếp."]


def test_fenced_code_is_kept_verbatim():
    root = tree("```python\nif a < b and c:\n    **x** = 1\n```\n")
    code = root.one("pre").one("code")
    assert code.text == "if a < b and c:\n    **x** = 1\n" and code.attrs.get("class") == "language-python"
    assert root.all("strong") == []


def test_inline_code_is_not_markdown():
    code = tree("Trường `withdrawn_*_date` ghi ngày.").one("code")
    assert code.text == "withdrawn_*_date" and code.all("em") == []


def test_an_image_keeps_its_alt_text():
    img = tree("![Hội nghị cải cách hành chính](/media/2024/hoi-nghi.jpg)").one("img")
    assert img.attrs == {"src": "/media/2024/hoi-nghi.jpg", "alt": "Hội nghị cải cách hành chính"}


def test_links_to_other_items_keep_pelicans_placeholders():
    root = tree("Xem [Quy chế]({filename}/trang/quy-che.md#dieu-4-nguyen-tac) và ![Sơ đồ]({static}/media/so-do.png) "
                "và [tệp](|filename|/van-ban/a.md).")
    assert [a.attrs["href"] for a in root.all("a")] == ["{filename}/trang/quy-che.md#dieu-4-nguyen-tac", "|filename|/van-ban/a.md"]
    assert root.one("img").attrs["src"] == "{static}/media/so-do.png"


def test_strikethrough():
    root = tree("Mức phí ~~50.000 đồng~~ 30.000 đồng.")
    assert root.one("del").text == "50.000 đồng" and "~" not in root.text


def test_bare_addresses_become_links():
    links = tree("Xem https://dichvucong.gov.vn/p/home, www.laocai.gov.vn hoặc thư phongcchc-snv@laocai.gov.vn.").all("a")
    assert [(a.attrs["href"], a.text) for a in links] == [
        ("https://dichvucong.gov.vn/p/home", "https://dichvucong.gov.vn/p/home"),
        ("http://www.laocai.gov.vn", "www.laocai.gov.vn"),
        ("mailto:phongcchc-snv@laocai.gov.vn", "phongcchc-snv@laocai.gov.vn")]


def test_footnotes_have_a_vietnamese_heading_and_back_links():
    html = markdown_gfm.render("Theo Nghị định[^1] và Luật[^luật].\n\n[^1]: Nghị định 42/2022/NĐ-CP.\n[^luật]: Luật Tiếp cận thông tin.\n")
    root = parse(html)
    refs = [sup.one("a") for sup in root.all("sup")]
    assert [(a.attrs["href"], a.attrs["id"], a.text) for a in refs] == [("#fn-1", "fnref-1", "1"), ("#fn-luật", "fnref-luật", "2")]
    section = root.one("section")
    assert section.attrs.get("class") == "footnotes" and section.one("h2").text == "Chú thích"
    notes = section.one("ol").all("li")
    assert [li.attrs["id"] for li in notes] == ["fn-1", "fn-luật"]  # every reference's target exists
    back = [li.one("a") for li in notes]
    assert [a.attrs["href"] for a in back] == ["#fnref-1", "#fnref-luật"]
    assert all(a.attrs["aria-label"].startswith("Quay lại nội dung") for a in back)
    assert "Back to" not in html and "[^" not in root.text


def test_headings_are_anchored_with_vietnamese_slugs_unique_on_the_page():
    root = tree("## Điều 4. Nguyên tắc\n\n### Đối tượng áp dụng\n\n## Điều 4. Nguyên tắc\n\n## Điều 4. Nguyên tắc\n\n"
                "## Nội dung\n\n#### `Mã` *và* đường dẫn\n")
    assert [h.attrs.get("id") for h in root.iter() if h.tag in ("h2", "h3", "h4")] == [
        "dieu-4-nguyen-tac", "doi-tuong-ap-dung", "dieu-4-nguyen-tac-2", "dieu-4-nguyen-tac-3", "noi-dung-2", "ma-va-duong-dan"]


def test_the_ids_kept_from_headings_are_every_id_the_theme_uses():
    templates = (REPO / "theme/templates").glob("*.html")
    used = {m for path in templates for m in re.findall(r'\bid="([^"{]+)"', path.read_text("utf-8"))}
    assert used <= markdown_gfm.THEME_IDS


def test_a_backslash_at_the_end_of_a_line_breaks_it():
    p = tree("**CHỦ TỊCH UBND TỈNH**\\\n**Trịnh Xuân Trường**\n").one("p")
    assert [c.tag for c in p.elements] == ["strong", "br", "strong"]
    assert [s.text for s in p.all("strong")] == ["CHỦ TỊCH UBND TỈNH", "Trịnh Xuân Trường"] and "\\" not in p.text


def test_a_soft_line_break_joins_the_lines_as_github_does():
    p = tree("Dòng một\nDòng hai\n").one("p")
    assert p.all("br") == [] and p.text.split() == ["Dòng", "một", "Dòng", "hai"]


def test_contributors_html_figure_is_kept():
    figure = tree('<figure><img src="/media/a.jpg" alt="Ảnh"><figcaption>Chú thích ảnh</figcaption></figure>\n').one("figure")
    assert figure.one("img").attrs["alt"] == "Ảnh" and figure.one("figcaption").text == "Chú thích ảnh"


# Sanitising ----------------------------------------------------------------------------

def test_scripts_event_handlers_and_javascript_links_are_gone():
    html = markdown_gfm.render('Chào\n\n<script>alert("x")</script>\n\n<img src="/media/a.jpg" alt="a" onerror="alert(1)">\n\n'
                               '[bấm](javascript:alert(1)) <a href="javascript:alert(2)">nữa</a> <iframe src="https://x.example"></iframe>\n')
    root = parse(html)
    assert root.all("script") == [] and root.all("iframe") == [] and "alert" not in root.text
    assert all(not name.startswith("on") for node in root.iter() for name in node.attrs)
    assert all("javascript" not in value.lower() for node in root.iter() for value in node.attrs.values())
    assert [a.text for a in root.all("a")] == ["bấm", "nữa"]


def test_no_style_attribute_or_form_control_survives():
    root = tree('<p style="color:red">đỏ</p>\n\n<input type="checkbox" checked>\n')
    assert root.all("input") == [] and all("style" not in node.attrs for node in root.iter())


# The real build ------------------------------------------------------------------------

BUILT_BODY = """Kết quả triển khai của các đơn vị[^nguồn]:

* Sở Nội vụ
  * Phòng Cải cách hành chính
  * Văn phòng Sở
* Sở Tư pháp

| Đơn vị | Số tin | Tỷ lệ |
|:--|:-:|--:|
| Sở Nội vụ | 12 | 80% |
| Sở Tư pháp | 3 | 20% |

- [x] Tổng hợp số liệu
- [ ] Báo cáo Ban Chỉ đạo

Xem [Quy chế]({filename}/trang/quy-che.md).

[^nguồn]: Số liệu của Văn phòng Sở Nội vụ.
"""


@pytest.fixture(scope="module")
def gfm_page(tmp_path_factory) -> Path:
    """A copy of the sample portal with one article using GFM, built for real."""
    repo = copy_portal(tmp_path_factory.mktemp("gfm") / "portal")
    text = article("Kết quả cải cách hành chính quý I").replace("Nội dung tin về hoạt động cải cách hành chính của tỉnh Lào Cai.\n", BUILT_BODY)
    write(repo / "content/tin-bai/cai-cach-the-che/2024/ket-qua-quy-1.md", text)
    result = cchc("build", "--repo", str(repo))
    assert result.returncode == 0, result.stderr
    return next((repo / "output").rglob("ket-qua-quy-1/index.html"))


def test_a_built_page_shows_a_nested_list_and_a_table(gfm_page):
    root = parse(gfm_page.read_text("utf-8"))
    nested = [ul for ul in root.all("ul") if ul.parent.tag == "li" and "Phòng Cải cách hành chính" in ul.text]
    assert len(nested) == 1 and items(nested[0]) == ["Phòng Cải cách hành chính", "Văn phòng Sở"]
    assert items(nested[0].parent.parent) == ["Sở Nội vụ", "Sở Tư pháp"]
    table = root.one("table")
    assert [th.text for th in table.all("th")] == ["Đơn vị", "Số tin", "Tỷ lệ"]
    assert [th.attrs["align"] for th in table.all("th")] == ["left", "center", "right"]
    assert [[td.text for td in tr.all("td")] for tr in table.one("tbody").all("tr")] == [["Sở Nội vụ", "12", "80%"], ["Sở Tư pháp", "3", "20%"]]
    assert [a.attrs["href"] for a in root.all("a") if a.text == "Quy chế" and a.parent.tag == "p"] == ["/quy-che/"]
    assert root.one("section").one("h2").text == "Chú thích" and root.all("input") == []


def test_in_the_browser_columns_align_footnotes_link_and_tasks_have_no_bullets(browser, gfm_page):
    output = next(p for p in gfm_page.parents if p.name == "output")
    with serve(output) as address:
        page = browser.new_page(viewport={"width": 1024, "height": 800})
        page.goto(address + "/" + gfm_page.parent.relative_to(output).as_posix() + "/")
        align = page.evaluate("[...document.querySelectorAll('.prose tbody tr:first-child td')].map(td => getComputedStyle(td).textAlign)")
        assert align == ["left", "center", "right"]
        bullets = page.evaluate("[...document.querySelectorAll('.task-list-item')].map(li => getComputedStyle(li).listStyleType)")
        assert bullets == ["none", "none"]
        page.locator("sup.footnote-ref a").click()
        assert page.evaluate("document.querySelector(':target') && document.querySelector(':target').id") == "fn-nguồn"
        page.locator(".footnote-backref").click()
        assert page.evaluate("document.querySelector(':target').id") == "fnref-nguồn"
        page.close()


def test_the_sample_decisions_signature_keeps_its_two_lines(sample_site):
    page = next(sample_site.rglob("quyet-dinh-399-qd-bcd/index.html"))
    signature = [p for p in parse(page.read_text("utf-8")).all("p") if "Trịnh Xuân Trường" in p.text]
    assert len(signature) == 1 and [c.tag for c in signature[0].elements] == ["strong", "br", "strong"]
