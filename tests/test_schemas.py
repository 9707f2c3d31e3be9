"""The content model: every schema accepts the sample content and rejects broken input."""

import json
import re

import pytest
from cchc import registries, schemas
from cchc.content import read_item
from cchc.findings import ContentError
from cchc.frontmatter import parse, read_yaml_file
from cchc.model import TYPES
from cchc.portal import Portal
from conftest import REPO, article, cchc, copy_portal

CONTENT = REPO / "content"
SCHEMAS = schemas.at(REPO / "schemas")
CONTENT_TYPES = [t.name for t in TYPES]
REGISTRIES = list(registries.REGISTRY_KEYS)


def test_there_is_one_schema_per_type_and_registry_and_they_are_valid_2020_12():
    names = {p.name.removesuffix(".schema.json") for p in (REPO / "schemas").glob("*.schema.json")}
    assert names == set(CONTENT_TYPES) | set(REGISTRIES) | set(registries.OPTIONAL_DATA) | {"common"}
    for name in names:
        schema = SCHEMAS.schema(name)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        schemas.Draft202012Validator.check_schema(schema)


def _properties(node, trail=""):
    """Every (trail, property schema) pair in a schema, nested ones included."""
    for name, prop in node.get("properties", {}).items():
        yield f"{trail}/{name}", prop
        yield from _properties(prop, f"{trail}/{name}")
        if isinstance(prop.get("items"), dict):
            yield from _properties(prop["items"], f"{trail}/{name}[]")
    for name, definition in node.get("$defs", {}).items():
        yield from _properties(definition, f"{trail}#{name}")


@pytest.mark.parametrize("name", CONTENT_TYPES + REGISTRIES + list(registries.OPTIONAL_DATA) + ["common"])
def test_every_property_has_a_vietnamese_title_and_description(name):
    schema = json.loads((REPO / f"schemas/{name}.schema.json").read_text("utf-8"))
    found = list(_properties(schema))
    assert found
    for trail, prop in found:
        assert prop.get("title") and prop.get("description"), f"{name}{trail}"


@pytest.mark.parametrize("type_name", [t.name for t in TYPES if t.folder in {"van-ban", "trang"}])
def test_sample_content_of_each_type_passes_its_schema(type_name):
    regs = registries.load(CONTENT.parent)
    folder = next(t.folder for t in TYPES if t.name == type_name)
    files = list((CONTENT / folder).rglob("*.md"))
    assert files
    for file_path in files:
        assert read_item(file_path, Portal.at(CONTENT.parent), regs).location.type.name == type_name


@pytest.mark.parametrize("name", REGISTRIES)
def test_sample_registries_pass_their_schema(name):
    data, positions = read_yaml_file(CONTENT / f"data/{name}.yml")
    assert SCHEMAS.findings(data, name, name, lambda *k: (1, 1)) == []


VALID = {
    "article": {"category": "hoat-dong-chi-dao", "event_date": "2024-05-10 08:00"},
    "document": {"number": "399/QĐ-BCĐ", "doc_type": "Quyết định", "issuer": "Ban Chỉ đạo CCHC tỉnh", "issued_date": "2024-03-04"},
    "consultation": {"opens": "2024-05-01", "closes": "2024-05-31", "comment_to": "phongcchc-snv@laocai.gov.vn"},
    "question": {"question": "Thủ tục cấp đổi giấy phép lái xe?", "asked_date": "2024-05-02", "asker": "Ẩn danh", "forwarded_to": "Sở Giao thông vận tải"},
    "survey": {"kind": "do-luong-hai-long", "opens": "2024-06-01", "closes": "2024-06-30"},
    "page": {},
}
BASE = {"title": "Tiêu đề", "unit": "so-noi-vu", "authors": ["phong-cchc-snv"], "source": "Sở Nội vụ", "classification": "public"}
BROKEN = {
    "article": ("category", "tin-hay", "oneOf"),
    "document": ("issued_date", "04/03/2024", "sửa thành “2024-03-04”"),
    "consultation": ("comment_to", "không phải thư", "sai định dạng"),
    "question": ("asked_date", "2024-02-30", "ngày phải viết dạng NĂM-THÁNG-NGÀY"),
    "survey": ("kind", "bau-cu", "chọn một trong"),
    "page": ("template", "tu-do", "chọn một trong"),
}


@pytest.mark.parametrize("type_name", CONTENT_TYPES)
def test_each_schema_accepts_a_valid_example_and_rejects_a_broken_one(type_name):
    valid = {**BASE, **VALID[type_name]}
    assert SCHEMAS.findings(valid, type_name, "x.md", lambda *k: (1, 1)) == []
    key, bad_value, words = BROKEN[type_name]
    found = SCHEMAS.findings({**valid, key: bad_value}, type_name, "x.md", lambda *k: (7, 3) if k == (key,) else (1, 1))
    assert len(found) == 1
    assert (found[0].line, found[0].column, found[0].rule) == (7, 3, "schema")
    assert f"“{key}”" in found[0].message
    assert words in found[0].message or words == "oneOf"


def test_misspelt_key_gets_a_suggestion_and_its_position():
    source = parse("---\ntitle: A\nunit: so-noi-vu\nauthors: [a]\nsource: b\nclassification: public\ncategory: hoat-dong-chi-dao\nsumary: tóm tắt\n---\n", "x.md")
    found = SCHEMAS.findings(source.meta, "article", "x.md", source.position)
    assert len(found) == 1
    assert "“sumary” (có phải “summary”?)" in found[0].message


def test_yaml_11_booleans_do_not_slip_through_a_string_field(tmp_path):
    # With YAML 1.1 typing `source: NO` would be False and fail as "not a string";
    # with 1.2 it is the text "NO" and the schema accepts it as written.
    source = parse(article().replace("source: Văn phòng Sở Nội vụ", "source: NO"), "x.md")
    assert source.meta["source"] == "NO"
    assert SCHEMAS.findings(source.meta, "article", "x.md", source.position) == []


def test_registry_with_a_duplicate_id_is_refused(tmp_path):
    repo = copy_portal(tmp_path / "portal", with_content=False)
    units = repo / "content/data/units.yml"
    units.write_text(units.read_text("utf-8") + "  - id: so-noi-vu\n    name: Trùng\n", "utf-8")
    with pytest.raises(ContentError) as excinfo:
        registries.load(repo)
    assert any("bị trùng" in f.message and f.path.endswith("units.yml") for f in excinfo.value.findings)


def test_cchc_new_writes_a_file_that_passes_the_schema_and_builds(tmp_path):
    repo = copy_portal(tmp_path / "portal", with_content=False)
    result = cchc("new", "article", "--no-input", "--repo", str(repo), "--title", "Đảng ủy khối triển khai cải cách hành chính",
                  "--field", "cai-cach-the-che", "--set", "unit=so-noi-vu", "--set", "authors=phong-cchc-snv",
                  "--set", "source=Văn phòng Đảng ủy", "--set", "category=hoat-dong-chi-dao", "--set", "summary=Đảng ủy khối triển khai nhiệm vụ.",
                  "--body", BODY)
    assert result.returncode == 0, result.stderr
    written = repo / result.stdout.strip()
    assert written.name == "dang-uy-khoi-trien-khai-cai-cach-hanh-chinh.md"
    item = read_item(written, Portal.at(repo), registries.load(repo))
    assert item.meta["classification"] == "public" and item.meta["authors"] == ["phong-cchc-snv"]
    assert cchc("build", "--repo", str(repo)).returncode == 0


def test_cchc_new_asks_for_what_is_missing_in_vietnamese(tmp_path):
    repo = copy_portal(tmp_path / "portal", with_content=False)
    # unit (a wrong one first: asked again), authors, source, then the document's own fields
    answers = "\n".join(["so-noi", "so-noi-vu", "phong-cchc-snv", "Văn phòng Ban Chỉ đạo", "399/QĐ-BCĐ", "Quyết định", "Ban Chỉ đạo CCHC tỉnh",
                         "31/02/2024", "04/3/2024", "Quy chế hoạt động của Cổng.", BODY, ""]) + "\n"
    result = cchc("new", "document", "--repo", str(repo), "--title", "Quyết định ban hành Quy chế", "--field", "cai-cach-the-che", input=answers)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Số ký hiệu" in result.stdout and "Cơ quan ban hành" in result.stdout
    assert "“so-noi” không hợp lệ" in result.stderr
    assert "không phải ngày hợp lệ" in result.stderr and "15/01/2025" in result.stderr  # the form is said, then asked again
    assert result.stdout.count("Số ký hiệu:") == 1  # each label once (the hint is its own line)
    written = repo / re.findall(r"content/\S+\.md", result.stdout)[-1]
    item = read_item(written, Portal.at(repo), registries.load(repo))
    assert item.meta["number"] == "399/QĐ-BCĐ" and item.meta["issued_date"] == "2024-03-04"


def test_cchc_new_refuses_an_invalid_value_and_writes_nothing(tmp_path):
    repo = copy_portal(tmp_path / "portal", with_content=False)
    result = cchc("new", "consultation", "--no-input", "--repo", str(repo), "--title", "Dự thảo", "--field", "cai-cach-the-che",
                  "--set", "unit=so-noi-vu", "--set", "authors=phong-cchc-snv", "--set", "source=Sở Nội vụ",
                  "--set", "opens=2024-05-01", "--set", "closes=31/13/2024", "--set", "comment_to=a@laocai.gov.vn")
    assert result.returncode == 2
    assert "closes" in result.stderr and "15/01/2025" in result.stderr  # names the field and the expected form
    assert not list((repo / "content").rglob("du-thao*"))
    result = cchc("new", "consultation", "--no-input", "--repo", str(repo), "--title", "Dự thảo", "--field", "cai-cach-the-che",
                  "--set", "unit=so-noi-vu", "--set", "authors=phong-cchc-snv", "--set", "source=Sở Nội vụ", "--set", "summary=Dự thảo.",
                  "--set", "opens=2024-05-01", "--set", "closes=31/05/2024", "--set", "comment_to=a@gmail", "--body", BODY)
    assert result.returncode == 1 and "[schema]" in result.stderr and "“comment_to”" in result.stderr
    assert not list((repo / "content").rglob("du-thao*"))


BODY = ("Đảng ủy khối các cơ quan tỉnh tổ chức hội nghị triển khai nhiệm vụ cải cách hành chính năm 2025, tập trung cải cách "
        "thủ tục hành chính, nâng cao chất lượng phục vụ người dân và doanh nghiệp, đẩy mạnh chuyển đổi số trong các cơ quan. ") * 3


def test_cchc_new_with_no_input_names_every_missing_field_at_once(tmp_path):
    repo = copy_portal(tmp_path / "portal", with_content=False)
    result = cchc("new", "document", "--no-input", "--repo", str(repo), "--title", "Quyết định")
    assert result.returncode == 2
    for key in ("field", "unit", "authors", "source", "number", "doc_type", "issuer", "issued_date", "summary", "body"):
        assert f"“{key}”" in result.stderr, key
    assert "thiếu 10 trường bắt buộc" in result.stderr


def test_cchc_new_takes_dates_as_officials_write_them_cuts_the_slug_between_words_and_passes_the_gate(tmp_path):
    repo = copy_portal(tmp_path / "portal", with_content=False)
    title = "Kế hoạch triển khai nhiệm vụ cải cách hành chính năm 2025 của Ủy ban nhân dân tỉnh Lào Cai và các sở, ban, ngành"
    result = cchc("new", "van-ban", "--no-input", "--repo", str(repo), "--title", title, "--field", "cai-cach-the-che",
                  "--set", "unit=so-noi-vu", "--set", "authors=phong-cchc-snv", "--set", "source=UBND tỉnh Lào Cai",
                  "--set", "number=15/KH-UBND", "--set", "doc_type=Kế hoạch", "--set", "issuer=UBND tỉnh Lào Cai",
                  "--set", "issued_date=15/01/2025", "--set", "summary=Kế hoạch cải cách hành chính năm 2025.", "--body", BODY)
    assert result.returncode == 0, result.stderr
    written = repo / result.stdout.strip().splitlines()[0]
    assert written.stem == "ke-hoach-trien-khai-nhiem-vu-cai-cach-hanh-chinh-nam-2025-cua-uy-ban-nhan-dan"  # ≤ 80 characters, whole words
    item = read_item(written, Portal.at(repo), registries.load(repo))
    assert item.meta["issued_date"] == "2025-01-15"
    assert cchc("check", str(written), "--repo", str(repo)).returncode == 0


def test_cchc_new_help_lists_the_types():
    result = cchc("new", "--help")
    assert result.returncode == 0
    for name in ("article", "tin-bai", "document", "van-ban", "question", "hoi-dap"):
        assert name in result.stdout
