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
from cchc.model import TYPES
from conftest import REPO, cchc, git, git_portal, serve

ADMIN = REPO / "theme/admin"
SCHEMAS = schemas.at(REPO / "schemas")
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
            assert field["widget"] == "datetime" and field["format"].startswith("YYYY-MM-DD")
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
        required = set(schema["required"]) | ({"field"} if ctype.has_field else set())
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


def _fill_common(page, title: str, source: str, summary: str):
    """The fields every item has: title, field, unit, author, source, summary."""
    page.get_by_label("Tiêu đề", exact=True).fill(title)
    _choose(page, "Lĩnh vực", "Cải cách thể chế")
    _choose(page, "Đơn vị gửi tin", "Sở Nội vụ tỉnh Lào Cai")
    _choose(page, "Tác giả", "Phòng Cải cách hành chính, Sở Nội vụ")
    page.get_by_label("Nguồn tin", exact=True).fill(source)
    page.locator("label", has_text=re.compile("^Tóm tắt")).first.click()
    page.keyboard.type(summary)


def _type_body(page, text: str):
    body = page.locator("[data-slate-editor]").first
    body.click()
    body.type(text)


def _save_and_check(page, repo: Path, branch_prefix: str) -> tuple[str, str]:
    page.get_by_role("button", name="Lưu").click()
    deadline = time.time() + 30
    branches, files = [], []
    # decap-server makes the branch, then commits to it: wait for the commit, not only the branch.
    while time.time() < deadline and not files:
        branches = [b.strip() for b in git(repo, "branch", "--list", f"{branch_prefix}/*").split() if b.strip() not in ("*",)]
        files = git(repo, "diff", "--name-only", f"main...{branches[0]}").split() if len(branches) == 1 else []
        time.sleep(0.3)
    if not files:
        page.screenshot(path=str(repo.parent / "khong-luu-duoc.png"), full_page=True)
    assert files, f"the editor did not save the item on a branch ({branches}); screenshot in {repo.parent}"
    (branch,) = branches
    git(repo, "checkout", "-q", branch)
    result = cchc("check", "--base", "main", "--repo", str(repo))
    git(repo, "checkout", "-q", "main")
    assert result.returncode == 0, result.stdout + result.stderr
    return branch, "\n".join(files)


def test_a_contributor_sends_an_article_through_the_form(editor_site, browser):
    repo, url = editor_site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _open(page, url, "tin-bai")
    assert page.get_by_text("Đang viết trong bộ sưu tập Tin, bài").is_visible()  # the Vietnamese interface
    _fill_common(page, "Đảng ủy khối triển khai cải cách hành chính năm 2025", "Văn phòng Đảng ủy khối các cơ quan tỉnh",
                 "Đảng ủy khối triển khai nhiệm vụ cải cách hành chính năm 2025.")
    _choose(page, "Chuyên mục", "Hoạt động chỉ đạo, điều hành CCHC")
    _type_body(page, "Đảng ủy khối các cơ quan tỉnh tổ chức hội nghị triển khai nhiệm vụ cải cách hành chính, nâng cao chất lượng phục vụ người dân. " * 5)
    branch, files = _save_and_check(page, repo, "cms/tin-bai")
    page.close()
    assert re.fullmatch(r"content/tin-bai/cai-cach-the-che/20\d\d/dang-uy-khoi-trien-khai-cai-cach-hanh-chinh-nam-2025\.md", files), files
    text = git(repo, "show", f"{branch}:{files}")
    assert "title: Đảng ủy khối triển khai cải cách hành chính năm 2025" in text and "field: cai-cach-the-che" in text


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
    page.locator(f"[id='{date_input}']").fill("2025-02-01")
    page.get_by_role("button", name=re.compile("tệp đính kèm", re.I)).first.click()
    page.get_by_role("button", name="Chọn một tập tin").first.click()
    page.locator("input[type=file]").first.set_input_files(str(pdf))  # the media library's "Tải lên"
    page.get_by_text("ke-hoach-cai-cach-2025.pdf").first.wait_for()  # uploaded, and selected
    page.get_by_role("button", name="Lấy những cái đã chọn").click()
    page.get_by_label("Tên tệp hiển thị", exact=True).fill("Toàn văn Kế hoạch (PDF)")
    _type_body(page, "Kế hoạch đề ra mục tiêu, nhiệm vụ cải cách hành chính năm 2025 của tỉnh. " * 3)
    branch, files = _save_and_check(page, repo, "cms/van-ban")
    page.close()
    assert "content/media/ke-hoach-cai-cach-2025.pdf" in files.split()
    document = next(f for f in files.split() if f.endswith(".md"))
    text = git(repo, "show", f"{branch}:{document}")
    assert "file: media/ke-hoach-cai-cach-2025.pdf" in text and "number: 250/KH-UBND" in text and "issued_date: 2025-02-01" in text
