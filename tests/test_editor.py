"""The contributors' editor: Decap CMS at /admin/ in real Chromium, with a real
decap-server on loopback writing into a temporary Git repository."""

import os
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from cchc import registries, schemas
from cchc.editor import HIDDEN, required_fields
from cchc.model import TYPES
from cchc.portal import Portal
from conftest import REPO, cchc, git, git_portal, serve

ADMIN = REPO / "theme/admin"
SCHEMAS = schemas.at(REPO / "schemas")
QUALITY = Portal.at(REPO).quality()
DECAP_SERVER = ADMIN / "node_modules/decap-server/dist/index.js"


def test_generated_configuration_is_not_stale():
    result = cchc("editor-config", "--check", "--repo", str(REPO))
    assert result.returncode == 0, result.stderr


def test_staleness_is_caught(tmp_path):
    changed = git_portal(tmp_path / "portal", with_content=False)
    units = changed / "content/data/units.yml"
    units.write_text(units.read_text("utf-8") + "  - id: so-tai-chinh\n    name: Sở Tài chính tỉnh Lào Cai\n", "utf-8")
    result = cchc("editor-config", "--check", "--repo", str(changed))
    assert result.returncode == 1 and "[schema]" in result.stderr and "cchc editor-config" in result.stderr


def _by_name(fields: list[dict]) -> dict:
    return {f["name"]: f for f in fields}


def _walk(schema_props: dict, required: set, fields: dict, trail: str):
    """Every schema property has a field of the right kind; required carries over."""
    for name, prop in schema_props.items():
        assert name in fields, f"{trail}{name} has no widget"
        field, prop = fields[name], SCHEMAS.inline(prop)
        if field["widget"] == "hidden":
            continue
        assert field["required"] == (name in required), f"{trail}{name}: required"
        assert field["label"] == prop["title"], f"{trail}{name}: label"
        if prop.get("format") in ("date", "vn-datetime"):
            assert field["widget"] == "vn-date" and field["time"] == (prop["format"] == "vn-datetime")
        elif "enum" in prop or "oneOf" in prop or name in ("unit", "field", "authors"):
            assert field["widget"] == "select"
        elif prop.get("type") == "array":
            assert field["widget"] == "list"
            items = SCHEMAS.inline(prop["items"])
            if items.get("type") == "object":
                _walk(items["properties"], set(items.get("required", [])), _by_name(field["fields"]), f"{trail}{name}.")
        elif prop.get("type") == "integer":
            assert field["widget"] == "number"
        if prop.get("pattern") and prop["pattern"] not in (r"\S", "^media/[A-Za-z0-9._/-]+$") and field["widget"] in ("string", "text"):
            assert field["pattern"][0] == prop["pattern"]


def test_configuration_covers_every_property_of_every_content_schema():
    config = yaml.safe_load((ADMIN / "config.yml").read_text("utf-8"))
    collections = {c["name"]: c for c in config["collections"]}
    assert set(collections) == {t.folder for t in TYPES}
    regs = registries.load(REPO)
    for ctype in TYPES:
        schema = SCHEMAS.schema(ctype.name)
        collection = collections[ctype.folder]
        fields = _by_name(collection["fields"])
        required = required_fields(ctype, SCHEMAS)
        _walk(schema["properties"], required, fields, f"{ctype.folder}.")
        assert set(fields) - set(schema["properties"]) == {"body"}
        assert collection["folder"] == f"content/{ctype.folder}"
        assert collection["path"] == ("{{field}}/{{year}}/{{slug}}" if ctype.has_field else "{{slug}}")
        if "unit" in fields:
            assert [o["value"] for o in fields["unit"]["options"]] == [i for i, u in regs.units.items() if not u.get("valid_until")]  # a ceased unit takes no new items
    assert config["publish_mode"] == "editorial_workflow" and config["locale"] == "vi"
    assert (config["media_folder"], config["public_folder"]) == ("content/media", "/media")
    article = _by_name(collections["tin-bai"]["fields"])
    assert [o["value"] for o in article["category"]["options"]] == ["chu-truong-chinh-sach", "hoat-dong-chi-dao", "kinh-nghiem-mo-hinh", "xu-huong-hanh-chinh-cong"]
    image = _by_name(article["images"]["fields"])
    assert image["alt"]["required"] is True and image["src"]["widget"] == "image"
    assert _by_name(article["attachments"]["fields"])["file"]["widget"] == "file"


def _collections() -> dict:
    config = yaml.safe_load((ADMIN / "config.yml").read_text("utf-8"))
    return {c["name"]: c for c in config["collections"]}


def _all_fields(fields: list[dict], trail: str = ""):
    for field in fields:
        yield f"{trail}{field['name']}", field
        yield from _all_fields(field.get("fields", []), f"{trail}{field['name']}.")


def test_the_form_requires_what_the_gate_requires():
    """Schema `required`, the field (it names the folder) and, but for pages, the summary
    (rules/quality.py); the body with the type's minimum of words; the title's limit."""
    for ctype in TYPES:
        schema = SCHEMAS.schema(ctype.name)
        fields = _by_name(_collections()[ctype.folder]["fields"])
        required = {n for n, f in fields.items() if f["required"]}
        expected = set(schema["required"]) | {"body"} | ({"field"} if ctype.has_field else set()) | ({"summary"} if ctype.name != "page" else set())
        assert required == expected, ctype.name
        assert f"Ít nhất {QUALITY['min_body_words'][ctype.name]} từ" in fields["body"]["hint"]
        limit = min(QUALITY["max_title_chars"], schema["properties"]["title"]["maxLength"])
        pattern, message = fields["title"]["pattern"]
        assert re.fullmatch(pattern, "a" * limit) and not re.fullmatch(pattern, "a" * (limit + 1))
        assert message == f"tối đa {limit} ký tự"
        for name, prop in schema["properties"].items():
            if "maxLength" in prop and name != "title" and fields[name]["widget"] == "string":
                assert not re.fullmatch(fields[name]["pattern"][0], "a" * (prop["maxLength"] + 1)), name
        assert {n for n, f in fields.items() if f["widget"] == "hidden"} == HIDDEN & set(schema["properties"])


def test_required_fields_come_first_and_internal_ones_are_hidden():
    for name, collection in _collections().items():
        for trail, field in [("", {"fields": collection["fields"]})] + list(_all_fields(collection["fields"])):
            shown = [f["required"] for f in field.get("fields", []) if f["widget"] != "hidden"]
            assert shown == sorted(shown, reverse=True), f"{name}.{trail}: a required field after an optional one"
        assert [f["name"] for f in collection["fields"][:2]] == (["title", "field"] if name != "trang" else ["title", "classification"])
        hidden = {f["name"] for f in collection["fields"] if f["widget"] == "hidden"}
        assert {"date", "modified", "verification", "withdrawn"} <= hidden


def test_hints_name_no_file_folder_or_git():
    """What the form says is for officials: no paths, registries' files, Git or commits."""
    for name, collection in _collections().items():
        for trail, field in _all_fields(collection["fields"]):
            hint = field.get("hint", "")
            assert hint, f"{name}.{trail} has no hint"
            for word in ("content/", ".yml", "git", "commit", "cchc "):
                assert word not in hint.lower(), f"{name}.{trail}: “{hint}”"
            assert re.search("[àáảãạăâđèéêìíòóôơùúưỳý]", hint.lower()), f"{name}.{trail}: not Vietnamese: “{hint}”"
            assert not re.search(r"\d{4}-\d\d-\d\d", hint), f"{name}.{trail}: the form takes dd/mm/yyyy: “{hint}”"
            assert not re.search(r"\([a-z]+_[a-z_]+\)", hint), f"{name}.{trail}: names a field's key: “{hint}”"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def editor_site(tmp_path):
    """A portal repository, its built site with /admin/, decap-server in Git mode on it."""
    if not DECAP_SERVER.exists():
        pytest.fail("decap-server is not installed: npm ci --prefix theme/admin (make install does it)")
    repo = git_portal(tmp_path / "portal")
    contributors = repo / "content/data/contributors.yml"
    contributors.write_text(contributors.read_text("utf-8").rstrip() + "\n    git: {username: ctv-snv, email: ctv-snv@laocai.gov.vn}\n", "utf-8")
    git(repo, "commit", "-qam", "Tài khoản Git của cộng tác viên")
    subprocess.run(["git", "config", "user.email", "ctv-snv@laocai.gov.vn"], cwd=repo, check=True)
    subprocess.run(["git", "config", "user.name", "Phòng CCHC"], cwd=repo, check=True)
    assert cchc("build", "--repo", str(repo), "--output", str(tmp_path / "site")).returncode == 0
    decap_port = _free_port()
    config = tmp_path / "site/admin/config.yml"
    config.write_text(config.read_text("utf-8").replace("localhost:8081", f"localhost:{decap_port}"), "utf-8")
    index = tmp_path / "site/admin/index.html"
    index.write_text(index.read_text("utf-8").replace("localhost:8081", f"localhost:{decap_port}"), "utf-8")
    env = dict(os.environ, MODE="git", GIT_REPO_DIRECTORY=str(repo), PORT=str(decap_port), BIND_HOST="127.0.0.1", LOG_LEVEL="warn")
    log = open(tmp_path / "decap-server.log", "wb")
    server_process = subprocess.Popen(["node", str(DECAP_SERVER)], env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 20
    while time.time() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", decap_port)) == 0:
                break
        time.sleep(0.2)
    with serve(tmp_path / "site") as address:
        yield repo, address
    server_process.terminate()
    server_process.wait(timeout=10)


def _choose(page, label: str, option: str):
    control = page.locator("label", has_text=re.compile("^" + re.escape(label))).first.get_attribute("for")
    box = page.locator(f"[id='{control}']")
    box.click()
    box.type(option)
    page.get_by_text(option, exact=True).last.click()


def _open(page, url: str, collection: str):
    page.goto(f"{url}/admin/")
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{url}/admin/#/collections/{collection}/new")
    page.get_by_label("Tiêu đề", exact=True).wait_for()


def _fill_common(page, title: str, source: str, summary: str | None):
    """The fields every item has: title, field, unit, author, source, summary (None: left empty)."""
    page.get_by_label("Tiêu đề", exact=True).fill(title)
    _choose(page, "Lĩnh vực", "Cải cách thể chế")
    _choose(page, "Đơn vị gửi tin", "Sở Nội vụ tỉnh Lào Cai")
    _choose(page, "Tác giả", "Phòng Cải cách hành chính, Sở Nội vụ")
    page.get_by_label("Nguồn tin", exact=True).fill(source)
    if summary is not None:
        _fill_summary(page, summary)


def _fill_summary(page, summary: str):
    page.locator("label", has_text=re.compile("^Tóm tắt")).first.click()
    page.keyboard.type(summary)


OPTIONAL = " (không bắt buộc)"  # what Decap adds to the label of a field that is not required
# English words Decap shows where its Vietnamese locale has a gap (checked as whole words).
ENGLISH = ("Add", "Delete", "Remove", "Publish", "Save", "Cancel", "Choose", "Insert", "Replace", "Toggle", "Expand", "Collapse",
           "Bold", "Italic", "Code", "Link", "Headings", "Quote", "List", "Component", "Rich", "Now", "Clear", "Optional", "Required",
           "Loading", "Entries", "Entry", "Draft", "Review", "Ready", "Notes", "January", "February", "March", "April", "May",
           "June", "July", "August", "September", "October", "November", "December", "Decap", "Netlify")


def _shown_texts(page) -> list[str]:
    """Every text the page shows a person: rendered text, and the names of controls
    (aria-label, title, placeholder, alt) of elements on screen."""
    return page.evaluate("""() => {
        const texts = [document.body.innerText, document.title];
        for (const el of document.querySelectorAll('[aria-label],[title],[placeholder],img[alt]')) {
            if (!el.getClientRects().length) continue;
            for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
                if (el.getAttribute(name)) texts.push(el.getAttribute(name));
            }
        }
        return texts;
    }""")


def _english(texts: list[str]) -> set[str]:
    return {word for text in texts for word in ENGLISH if re.search(rf"\b{word}\b", text, re.I)}


def _form_labels(page) -> list[str]:
    """The form's field labels, top to bottom, as written (not as styled)."""
    return page.locator("[class*=ControlContainer] > label, [class*=ControlContainer] label[for]").evaluate_all(
        "els => [...new Set(els)].map(e => e.textContent)")


def _type_body(page, text: str):
    body = page.locator("[data-slate-editor]").first
    body.click()
    body.type(text)


def _save_and_check(page, repo: Path, branch_prefix: str) -> tuple[str, str]:
    page.get_by_role("button", name="Lưu").click()
    deadline = time.time() + 30
    branches, files = [], []
    # decap-server makes the branch, then commits to it: wait for the commit, not only the branch.
    # It may commit more than once (a file, then the entry): wait for the entry and a still head.
    head = None
    while time.time() < deadline:
        branches = [b.strip() for b in git(repo, "branch", "--list", f"{branch_prefix}/*").split() if b.strip() not in ("*",)]
        files = git(repo, "diff", "--name-only", f"main...{branches[0]}").split() if len(branches) == 1 else []
        if any(f.endswith(".md") for f in files):
            now = git(repo, "rev-parse", branches[0]).strip()
            if now == head:
                break
            head = now
        time.sleep(0.5)
    if not files:
        page.screenshot(path=str(repo.parent / "khong-luu-duoc.png"), full_page=True)
    assert files, f"the editor did not save the item on a branch ({branches}); screenshot in {repo.parent}"
    (branch,) = branches
    git(repo, "checkout", "-q", branch)
    result = cchc("check", "--base", "main", "--repo", str(repo))
    git(repo, "checkout", "-q", "main")
    assert result.returncode == 0, result.stdout + result.stderr
    return branch, "\n".join(files)


def test_the_login_page_carries_the_portals_name(editor_site, browser):
    repo, url = editor_site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{url}/admin/")
    page.get_by_role("button", name="Đăng nhập").wait_for()
    logo = page.locator("img[src$='logo.svg']")
    assert logo.is_visible() and logo.evaluate("img => img.naturalWidth") > 0  # the portal's name, loaded
    assert "Cổng Thông tin CCHC Lào Cai" in page.title()
    texts = _shown_texts(page)
    assert not _english(texts), _english(texts)
    page.close()


def test_a_contributor_sends_an_article_through_the_form(editor_site, browser):
    """The form marks as required exactly what the gate requires: filled with those fields
    only, the item passes `cchc check` at once; without the summary, the form refuses."""
    repo, url = editor_site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _open(page, url, "tin-bai")
    assert page.get_by_text("Đang viết trong bộ sưu tập Tin, bài").is_visible()  # the Vietnamese interface
    page.wait_for_timeout(500)
    labels = _form_labels(page)
    required = [label for label in labels if not label.endswith(OPTIONAL)]
    assert required == ["Tiêu đề", "Lĩnh vực", "Đơn vị gửi tin", "Tác giả", "Nguồn tin", "Tóm tắt", "Độ mật, phạm vi phổ biến",
                        "Chuyên mục", "Nội dung"], labels
    assert labels[:len(required)] == required, labels  # required first
    for hidden in ("Ngày đăng", "Ngày cập nhật", "Trạng thái xác thực", "Quyết định gỡ bỏ"):
        assert not any(label.startswith(hidden) for label in labels), hidden
    texts = _shown_texts(page)
    assert not _english(texts), _english(texts)
    assert page.get_by_role("button", name=re.compile("^Thêm ảnh")).is_visible()  # not "Add ảnh"

    _fill_common(page, "Đảng ủy khối triển khai cải cách hành chính năm 2025", "Văn phòng Đảng ủy khối các cơ quan tỉnh", None)
    _choose(page, "Chuyên mục", "Hoạt động chỉ đạo, điều hành CCHC")
    _type_body(page, "Đảng ủy khối các cơ quan tỉnh tổ chức hội nghị triển khai nhiệm vụ cải cách hành chính, nâng cao chất lượng phục vụ người dân. " * 5)
    assert not _english(_shown_texts(page)), _english(_shown_texts(page))  # chosen values' controls too
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Tóm tắt bắt buộc nhập.").wait_for()  # the gate's rule, said by the form, in Vietnamese
    page.wait_for_timeout(1500)
    assert git(repo, "branch", "--list", "cms/*").strip() == "", "saved without a summary"

    _fill_summary(page, "Đảng ủy khối triển khai nhiệm vụ cải cách hành chính năm 2025.")
    branch, files = _save_and_check(page, repo, "cms/tin-bai")
    page.close()
    assert re.fullmatch(r"content/tin-bai/cai-cach-the-che/20\d\d/dang-uy-khoi-trien-khai-cai-cach-hanh-chinh-nam-2025\.md", files), files
    text = git(repo, "show", f"{branch}:{files}")
    assert "title: Đảng ủy khối triển khai cải cách hành chính năm 2025" in text and "field: cai-cach-the-che" in text
    front = yaml.safe_load(text.split("---")[1])
    assert set(front) == {"title", "field", "unit", "authors", "source", "summary", "classification", "category"}, text


def test_a_document_with_an_attachment_through_the_form(editor_site, browser, tmp_path):
    repo, url = editor_site
    pdf = tmp_path / "ke-hoach-cai-cach-2025.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% Ke hoach cai cach hanh chinh 2025\n")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _open(page, url, "van-ban")
    _fill_common(page, "Kế hoạch cải cách hành chính năm 2025 của tỉnh Lào Cai", "UBND tỉnh Lào Cai",
                 "Kế hoạch cải cách hành chính năm 2025 của UBND tỉnh Lào Cai.")
    page.get_by_label("Số ký hiệu", exact=True).fill("250/KH-UBND")
    _choose(page, "Loại văn bản", "Kế hoạch")
    page.get_by_label("Cơ quan ban hành", exact=True).fill("UBND tỉnh Lào Cai")
    date_input = page.locator("label", has_text=re.compile("^Ngày ban hành")).first.get_attribute("for")
    page.locator(f"[id='{date_input}']").fill("01/02/2025")  # as officials write dates
    page.get_by_role("button", name=re.compile("tệp đính kèm", re.I)).first.click()
    page.get_by_role("button", name="Chọn một tập tin").first.click()
    page.locator("input[type=file]").first.set_input_files(str(pdf))  # the media library's "Tải lên"
    page.get_by_text("ke-hoach-cai-cach-2025.pdf").first.wait_for()  # uploaded, and selected
    page.get_by_role("button", name="Lấy những cái đã chọn").click()
    assert not _english(_shown_texts(page)), _english(_shown_texts(page))  # a list item's own controls too
    page.get_by_label("Tên tệp hiển thị", exact=True).fill("Toàn văn Kế hoạch (PDF)")
    _type_body(page, "Kế hoạch đề ra mục tiêu, nhiệm vụ cải cách hành chính năm 2025 của tỉnh. " * 3)
    # The preview is the portal's page: its stylesheet, the title, summary, facts and body.
    preview = page.frame_locator("#preview-pane")
    preview.locator("h1", has_text="Kế hoạch cải cách hành chính năm 2025 của tỉnh Lào Cai").wait_for()
    assert preview.locator("link[href='/theme/css/site.css']").count() == 1
    facts = preview.locator("dl.facts").first.inner_text()
    assert "250/KH-UBND" in facts and "01/02/2025" in facts and "Kế hoạch" in facts, facts
    assert preview.locator("p.lead").inner_text() == "Kế hoạch cải cách hành chính năm 2025 của UBND tỉnh Lào Cai."
    assert "mục tiêu, nhiệm vụ cải cách" in preview.locator(".prose").inner_text()
    assert preview.locator("dl.facts dd", has_text="Sở Nội vụ tỉnh Lào Cai").count() == 1  # the unit's name, not its code
    branch, files = _save_and_check(page, repo, "cms/van-ban")
    # The editorial workflow's card dates the item as the portal does (not "2 December").
    page.goto(f"{url}/admin/#/workflow")
    card = page.locator("a[href*='/collections/van-ban/entries/']", has_text="Kế hoạch cải cách hành chính năm 2025").first
    card.wait_for()
    assert re.search(r"\b\d\d/\d\d/20\d\d\b", card.inner_text()), card.inner_text()
    assert not _english(_shown_texts(page)), _english(_shown_texts(page))
    page.close()
    assert "content/media/ke-hoach-cai-cach-2025.pdf" in files.split()
    document = next(f for f in files.split() if f.endswith(".md"))
    text = git(repo, "show", f"{branch}:{document}")
    assert "issued_date: 2025-02-01" in text, text  # kept as the schema says
    assert "file: media/ke-hoach-cai-cach-2025.pdf" in text and "number: 250/KH-UBND" in text and "issued_date: 2025-02-01" in text
