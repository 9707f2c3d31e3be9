"""The people in the content: personal data as Luật 91/2025/QH15 defines it, and the text
of attachments read by the gate and the production build (real PDF, DOCX and scans)."""

import io
import json
from pathlib import Path

import pytest
from cchc import check, extract
from cchc.normalise import extracted
from conftest import article, cchc, copy_portal, git_portal, write

FIELD_DIR = "content/tin-bai/cai-cach-the-che/2024"
QUESTION_DIR = "content/hoi-dap/cai-cach-thu-tuc-hanh-chinh/2024"
LONG_BODY = " ".join(["Đoàn công tác của Ban Chỉ đạo cải cách hành chính tỉnh đã làm việc với Sở Nội vụ về kết quả cải cách thủ tục hành chính."] * 5)
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


@pytest.fixture
def portal(tmp_path):
    return copy_portal(tmp_path / "portal", with_content=False)


def news(body: str = "", extra_front: str = "") -> str:
    text = article()
    closing = text.index("---", 3)
    return text[:closing] + extra_front + text[closing:] + LONG_BODY + "\n" + body


def question(text: str, asker: str = "Ẩn danh") -> str:
    return f"""---
title: Hỏi về thủ tục cấp đổi giấy phép lái xe
unit: so-noi-vu
authors: [phong-cchc-snv]
source: Hộp thư góp ý của Cổng
classification: public
summary: Người dân hỏi về thủ tục cấp đổi giấy phép lái xe.
question: "{text}"
asked_date: 2024-05-02
asker: "{asker}"
forwarded_to: Sở Giao thông vận tải
---

{LONG_BODY}
"""


def findings(portal: Path, text: str, name: str = "tin.md", folder: str = FIELD_DIR):
    target = write(portal / folder / name, text)
    return check.run(portal, [target]).findings


# --- personal data ---------------------------------------------------------------------

REFUSED = [
    ("Tôi là Nguyễn Văn Bình, sinh ngày 12/03/1980, ở số nhà 15, tổ 3, phường Cốc Lếu, xin hỏi thủ tục cấp đổi.", "ngày, năm sinh"),
    ("Mẹ tôi là bà Trần Thị Hoa bị ung thư, theo đạo Công giáo, xin hỏi chế độ bảo hiểm.", "sức khoẻ"),
    ("Ong Nguyen Van Binh sinh nam 1980 o so nha 15, to 3, phuong Coc Leu hoi thu tuc.", "Nguyen Van Binh"),  # no diacritics
    ("Ông **Nguyễn\u200b Văn Bình** sinh năm 1980 hỏi về thủ tục.", "Nguyễn Văn Bình"),  # markup and an invisible character
    ("Chị Lò Thị Mai, bản Nậm Cang, xã Sa Pa hỏi về đăng ký kinh doanh.", "địa chỉ nơi ở"),
    ("Anh Giàng A Páo từng có tiền án, nay hỏi thủ tục xin việc.", "tiền án"),
    ("Tôi ở số nhà 15, tổ 3, phường Cốc Lếu, xin hỏi thủ tục.", "địa chỉ nơi ở"),
    ("Số CCCD của tôi: 001 203 004 567.", "số định danh"),
    ("CCCD: 001.203.004.567", "số định danh"),
    ("Căn cước công dân số 001-203-004-567", "số định danh"),
]


@pytest.mark.parametrize("text, named", REFUSED)
def test_personal_data_in_a_question_is_refused_naming_what_was_found(portal, text, named):
    found = [f for f in findings(portal, question(text), "hoi.md", QUESTION_DIR) if f.severity == "error"]
    assert [f.rule for f in found][:1] == ["personal-data"], found
    assert found[0].line == 8 and named in found[0].message and "[personal-data]" in found[0].text()


@pytest.mark.parametrize("text, named", REFUSED[:6])
def test_personal_data_in_an_article_body_is_refused(portal, text, named):
    found = findings(portal, news("\n" + text + "\n"))
    assert [f.rule for f in found] == ["personal-data"] and named in found[0].message


NEAR_MISSES = [
    "Giám đốc Sở Nội vụ Nguyễn Văn A sinh năm 1975 chủ trì hội nghị về thủ tục.",
    "Đồng chí Hoàng Quốc Khánh, Chủ tịch UBND tỉnh, đã điều trị dứt điểm các điểm nghẽn về thủ tục.",
    "Trụ sở Sở Nội vụ: số 10 đường Hoàng Liên, phường Cốc Lếu.",
    "Tổ công tác số 5 làm việc tại xã Bát Xát về tôn giáo và tín ngưỡng.",
    "Năm 2024 tỉnh tiếp nhận 1.234 hồ sơ, thu phí 5.000.000 đồng; 12 người dân tộc Mông được hỗ trợ.",
    "Khi đăng ký khai sinh, người dân cần ghi ngày sinh của trẻ trong tờ khai.",
    "Ban Chỉ đạo cải cách hành chính làm việc với thôn Lùng Thàng, xã Bát Xát.",
    "Mã hồ sơ 000.00.00.H37-240304-0001; Quyết định số 399/QĐ-BCĐ năm 2024.",
]


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_officials_offices_and_statistics_pass(portal, text):
    assert findings(portal, news("\n" + text + "\n")) == []


@pytest.mark.parametrize("asker", ["Ẩn danh", "An danh", "Công dân xã Bát Xát", "Ông N.V.A., xã Bát Xát", "Chị L.T.M., phường Cốc Lếu",
                                   "Người dân phường Cốc Lếu", "Doanh nghiệp"])
def test_anonymised_askers_pass(portal, asker):
    assert findings(portal, question("Xin hỏi thủ tục cấp đổi giấy phép lái xe?", asker), "hoi.md", QUESTION_DIR) == []


@pytest.mark.parametrize("asker", ["Nguyễn Văn Bình", "Ông Nguyễn Văn Bình, xã Bát Xát", "Nguyen Van Binh", "Bà T.T.H., số nhà 5, tổ 3"])
def test_a_named_asker_is_refused_with_the_form_to_use(portal, asker):
    found = findings(portal, question("Xin hỏi thủ tục cấp đổi giấy phép lái xe?", asker), "hoi.md", QUESTION_DIR)
    assert [(f.rule, f.line) for f in found] == [("personal-data", 10)]
    assert "Ẩn danh" in found[0].message and "Ông N.V.A., xã X" in found[0].message


def test_the_schema_says_the_asker_form():
    schema = json.loads((Path(__file__).resolve().parents[1] / "schemas/question.schema.json").read_text("utf-8"))
    assert "Ông N.V.A., xã X" in schema["properties"]["asker"]["description"]


# --- attachments --------------------------------------------------------------------------

def text_pdf(lines: list[str], spaced: bool = False) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", fname=FONT)
    pdf.set_font("DejaVu", size=14)
    pdf.add_page()
    for line in lines:
        if spaced:
            pdf.set_char_spacing(4)
        pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def scanned_pdf(lines: list[str]) -> bytes:
    """A PDF whose only page is a picture of text (no text layer), as a scanner makes."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (1700, 300 + 120 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 64)
    for number, line in enumerate(lines):
        draw.text((120, 120 + 120 * number), line, fill="black", font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(buffer.getvalue()), x=0, y=0, w=210)
    return bytes(pdf.output())


def docx_file(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def with_attachment(portal: Path, name: str, data: bytes) -> str:
    write(portal / "content/media/2024" / name, data)
    return news(extra_front=f"attachments:\n  - title: Văn bản kèm theo\n    file: media/2024/{name}\n")


def test_a_pdf_with_a_text_layer_is_read_and_its_stamp_refused(portal):
    text = with_attachment(portal, "ke-hoach.pdf", text_pdf(["TUYỆT MẬT", "Kế hoạch cải cách hành chính năm 2024"]))
    found = findings(portal, text)
    assert [f.rule for f in found] == ["secret"]
    assert "media/2024/ke-hoach.pdf" in found[0].message and "trang 1" in found[0].message
    assert found[0].line == text.split("\n").index("    file: media/2024/ke-hoach.pdf") + 1
    assert list((portal / ".cchc-cache/extract").glob("*.json"))  # cached by the file's SHA-1


def test_extraction_artefacts_are_normalised():
    # one normalisation for the rules and the extracted text (cchc.normalise)
    assert extracted("T U Y Ệ T   M Ậ T").split() == ["TUYỆT", "MẬT"]
    assert extracted("T\tU\tY\tỆ\tT\t\tM\tẬ\tT").split() == ["TUYỆT", "MẬT"]
    assert extracted("TUY\u200bỆT MÂ\u0323T") == "TUYỆT MẬT"  # invisible character, decomposed tone
    assert extracted("Kế hoạch số 12\nA B") == "Kế hoạch số 12\nA B"
    from cchc.rules import secret

    assert secret._stamp_loose("TUY Ệ T M Ậ T") is secret.SECRET
    assert secret._stamp_loose("MẶT TRẬN") is None


def test_a_spaced_out_stamp_in_a_pdf_is_refused(portal):
    found = findings(portal, with_attachment(portal, "gian-cach.pdf", text_pdf(["T U Y Ệ T   M Ậ T", "Nội dung kế hoạch"])))
    assert [f.rule for f in found] == ["secret"]


def test_a_pdf_without_a_text_layer_is_read_by_ocr(portal):
    data = scanned_pdf(["TUYỆT MẬT", "KẾ HOẠCH"])
    assert extract.extract_bytes(data, "scan.pdf"), "no text from the scanned page: is tesseract-ocr-vie installed (make ocr)?"
    found = findings(portal, with_attachment(portal, "scan.pdf", data))
    assert "secret" in [f.rule for f in found]


def test_a_docx_with_personal_data_and_a_plain_one(portal):
    found = findings(portal, with_attachment(portal, "danh-sach.docx", docx_file(["Danh sách", "Ông Nguyễn Văn Bình, sinh năm 1980, số nhà 15, tổ 3, phường Cốc Lếu."])))
    assert [f.rule for f in found] == ["personal-data"] and "danh-sach.docx" in found[0].message
    assert findings(portal, with_attachment(portal, "bao-cao.docx", docx_file(["Báo cáo kết quả cải cách hành chính năm 2024."]))) == []


@pytest.mark.parametrize("lines", [
    ["Mặt trận Tổ quốc tỉnh Lào Cai", "Kế hoạch năm 2024"],  # MẶT, not MẬT
    ["Luật Bảo vệ bí mật nhà nước năm 2025", "Hướng dẫn thực hiện"],  # talks about secrets, no stamp
    ["Giám đốc Sở Nội vụ Nguyễn Văn A sinh năm 1975 chủ trì hội nghị.", "Trụ sở: số 10 đường Hoàng Liên, phường Cốc Lếu."],
    ["Năm 2024 tiếp nhận 1.234 hồ sơ, thu phí 5.000.000 đồng."],
])
def test_near_misses_in_a_pdf_pass(portal, lines):
    assert findings(portal, with_attachment(portal, "ke-hoach.pdf", text_pdf(lines))) == []


def test_personal_data_in_a_pdf_names_the_attachment_and_page(portal):
    found = findings(portal, with_attachment(portal, "don.pdf", text_pdf(["Đơn đề nghị", "Tôi là Nguyễn Văn Bình, sinh ngày 12/03/1980, CCCD 001203004567."])))
    assert {f.rule for f in found} == {"personal-data"}
    assert all("media/2024/don.pdf" in f.message and "trang 1" in f.message for f in found)


def test_a_scanned_page_and_an_image_are_read_by_ocr_near_misses_pass(portal):
    plain = scanned_pdf(["KẾ HOẠCH", "CẢI CÁCH HÀNH CHÍNH"])
    assert "HOẠCH" in extract.extract_bytes(plain, "scan.pdf")[0].text  # read, in Vietnamese
    assert findings(portal, with_attachment(portal, "scan.pdf", plain)) == []
    stamped = scanned_pdf(["MẬT", "BÁO CÁO"])
    assert "secret" in [f.rule for f in findings(portal, with_attachment(portal, "scan-mat.pdf", stamped))]
    from PIL import Image

    picture = io.BytesIO()
    Image.open(io.BytesIO(extract_image_of(stamped))).save(picture, format="PNG")
    write(portal / "content/media/2024/anh.png", picture.getvalue())
    text = news(extra_front="images:\n  - src: media/2024/anh.png\n    alt: Ảnh văn bản\n")
    assert "secret" in [f.rule for f in findings(portal, text)]


def test_a_stamp_in_a_docx_header_is_refused(portal):
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "TUYỆT MẬT"
    document.add_paragraph("Báo cáo kết quả cải cách hành chính.")
    buffer = io.BytesIO()
    document.save(buffer)
    assert [f.rule for f in findings(portal, with_attachment(portal, "bao-cao.docx", buffer.getvalue()))] == ["secret"]


def extract_image_of(pdf: bytes) -> bytes:
    """The picture inside a scanned PDF (its only page), as PNG bytes."""
    from pypdf import PdfReader

    [picture] = PdfReader(io.BytesIO(pdf)).pages[0].images
    buffer = io.BytesIO()
    picture.image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_xlsx_and_csv_are_read(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Họ tên", "Số CCCD"])
    workbook.active.append(["Nguyễn Văn Bình", "001203004567"])
    workbook.save(tmp_path / "ds.xlsx")
    assert "001203004567" in extract.extract(tmp_path / "ds.xlsx")[0].text
    write(tmp_path / "ds.csv", "ten,so\nA,LƯU HÀNH NỘI BỘ\n")
    assert "LƯU HÀNH NỘI BỘ" in extract.extract(tmp_path / "ds.csv")[0].text


def test_the_gate_reads_a_changed_media_file_with_base(tmp_path):
    from conftest import git

    repo = git_portal(tmp_path / "portal", with_content=False)
    git(repo, "checkout", "-qb", "tep-moi")
    write(repo / "content/media/2024/mat.pdf", text_pdf(["TỐI MẬT", "Nội dung"]))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Thêm tệp")
    report = check.run(repo, base="main")
    found = [(f.path, f.rule) for f in report.findings if f.severity == "error" and f.rule != "account"]  # the test's committer is no contributor
    assert found == [("content/media/2024/mat.pdf", "secret")]


def test_production_build_refuses_a_secret_attachment_and_indexes_a_plain_one(tmp_path):
    repo = git_portal(tmp_path / "portal", with_content=False)
    write(repo / FIELD_DIR / "tin.md", with_attachment(repo, "ke-hoach.pdf", text_pdf(["TUYỆT MẬT", "Kế hoạch"])))
    result = cchc("build", "--production", "--repo", str(repo))
    assert result.returncode == 1 and "[secret]" in result.stderr and "ke-hoach.pdf" in result.stderr
    write(repo / "content/media/2024/ke-hoach.pdf", text_pdf(["Kế hoạch cải cách hành chính", "Chỉ số hài lòng Zyxwquvt"]))
    result = cchc("build", "--repo", str(repo))
    assert result.returncode == 0, result.stderr
    page = (repo / "output/tin-bai/2024/tin/index.html").read_text("utf-8")
    assert 'data-cchc-attachment="media/2024/ke-hoach.pdf"' in page and "Zyxwquvt" in page
    region = page[page.index("data-pagefind-body"):page.index("<!--cchc:search-alias-->") if "<!--cchc:search-alias-->" in page else None]
    assert "Zyxwquvt" in region.split('<section aria-labelledby="tep-dinh-kem">')[0]  # inside the indexed region, before the list of files


# --- withdrawal removes -------------------------------------------------------------------

def test_withdrawal_removes_the_item_from_every_public_output(tmp_path):
    from conftest import git

    repo = git_portal(tmp_path / "portal", with_content=False)
    write(repo / "content/media/2024/tra-loi.pdf", text_pdf(["Văn bản trả lời Qwertzuiop"]))
    write(repo / "content/media/2024/chung.pdf", text_pdf(["Văn bản dùng chung"]))
    text = question("Xin hỏi thủ tục Asdfghjkl cấp đổi giấy phép lái xe?").replace(
        "---\n\n", "answered_by: Sở Giao thông vận tải\nanswered_date: 2024-05-09\nattachments:\n  - title: Văn bản trả lời\n    file: media/2024/tra-loi.pdf\n"
                   "  - title: Văn bản chung\n    file: media/2024/chung.pdf\n---\n\n", 1)
    write(repo / QUESTION_DIR / "hoi.md", text)
    write(repo / FIELD_DIR / "tin.md", with_attachment(repo, "chung.pdf", text_pdf(["Văn bản dùng chung"])))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Đăng câu hỏi")
    result = cchc("withdraw", str(repo / QUESTION_DIR / "hoi.md"), "--decision", "15/QĐ-BCĐ", "--date", "2024-06-01", "--reason", "Lộ thông tin người hỏi")
    assert result.returncode == 0, result.stderr
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Gỡ câu hỏi", when="2024-06-01T10:00:00+07:00")
    result = cchc("build", "--production", "--repo", str(repo))
    assert result.returncode == 0, result.stderr
    output = repo / "output"
    page = (output / "hoi-dap/2024/hoi/index.html").read_text("utf-8")
    assert "15/QĐ-BCĐ" in page and "Lộ thông tin người hỏi" in page
    assert '<meta name="robots" content="noindex' in page
    for gone in ("Asdfghjkl", "Người dân hỏi về thủ tục", "tra-loi.pdf", "Qwertzuiop", 'id="lich-su"', "data-pagefind-body"):
        assert gone not in page, gone
    data = json.loads((output / "du-lieu/hoi-dap.json").read_text("utf-8"))
    [record] = data["items"]
    assert set(record) <= {"url", "slug", "type", "section", "withdrawn"}
    assert record["withdrawn"] == {"decision": "15/QĐ-BCĐ", "date": "2024-06-01", "reason": "Lộ thông tin người hỏi"}
    assert not (output / "media/2024/tra-loi.pdf").exists()  # used only by the withdrawn item
    assert (output / "media/2024/chung.pdf").exists()  # still used by a published item
    for built in output.rglob("*"):
        if built.is_file() and built.suffix in {".html", ".xml", ".json", ".txt"}:
            assert "Asdfghjkl" not in built.read_text("utf-8", "replace"), built


# --- revisions published by the site; registries stay private -------------------------------

def test_no_git_identity_of_the_registries_is_ever_published(tmp_path):
    """Every e-mail and Git username of contributors.yml and board.yml, given real values
    here, is looked for in every file of a production build with history and approvals."""
    import yaml
    from conftest import git

    repo = git_portal(tmp_path / "portal")
    identities = []
    for name, key in (("contributors.yml", "contributors"), ("board.yml", "members")):
        path = repo / "content/data" / name
        data = yaml.safe_load(path.read_text("utf-8"))
        for number, entry in enumerate(data[key]):
            entry["git"] = {"username": f"taikhoan-{key}-{number}", "email": f"hop-thu-{key}-{number}@laocai.gov.vn"}
            identities += [entry["git"]["username"], entry["git"]["email"]]
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Tài khoản", email=identities[1])
    git(repo, "checkout", "-qb", "sua")
    target = next(p for p in sorted((repo / "content/van-ban").rglob("*.md")) if "change_note" not in p.read_text("utf-8"))
    target.write_text(target.read_text("utf-8").replace("---\n\n", "change_note: Sửa lỗi chính tả\n---\n\n", 1), "utf-8")
    git(repo, "commit", "-qam", "Sửa", email=identities[1])
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "--no-ff", "-q", "sua", "-m", f"Duyệt\n\nApproved-by: Giám đốc Sở Nội vụ <{identities[-1]}>", email=identities[-1])
    result = cchc("build", "--production", "--repo", str(repo))
    assert result.returncode == 0, result.stderr
    built = [p for p in (repo / "output").rglob("*") if p.is_file() and not p.is_symlink()]
    assert any("phien-ban" in p.parts for p in built)  # revision pages were written and are searched too
    for path in built:
        data = path.read_bytes()
        for identity in identities:
            assert identity.encode() not in data, (path, identity)


def test_revision_pages_take_part_in_page_reuse(tmp_path):
    """A rebuild links the revision pages of unchanged items from the live release; the
    edited item gets its new revision page; a withdrawal after the release removes the
    item's revision pages; a revision failing the harm rules never gets a page."""
    from conftest import git
    from test_incremental import ARTICLE_FILE, ARTICLE_PAGE, inode, rebuild
    from test_portal import build_portal

    repo = build_portal(tmp_path / "portal")
    article_file = repo / ARTICLE_FILE
    item = ARTICLE_PAGE.removesuffix("index.html")
    first = rebuild(repo)
    before = (repo / "output").resolve()
    revisions = sorted(p.relative_to(before).as_posix() for p in before.glob("*/*/*/phien-ban/*/index.html"))
    assert f"{item}phien-ban/1/index.html" in revisions and len(revisions) >= 3, revisions
    # an edit of one item: its page and its revision pages are rendered, the others linked
    write(article_file, article_file.read_text("utf-8").replace("---\n\n", "change_note: Bổ sung kết quả\n---\n\n", 1) + "\nHội nghị số 7319 tiếp theo.\n")
    git(repo, "commit", "-qam", "Sửa tin", when="2024-06-11T10:00:00+07:00")
    second = rebuild(repo)
    after = (repo / "output").resolve()
    for revision in revisions:
        if not revision.startswith(item):
            assert inode(after / revision) == inode(before / revision), revision  # unchanged: the same file
    assert inode(after / f"{item}phien-ban/1/index.html") != inode(before / f"{item}phien-ban/1/index.html")  # shows the count of revisions
    new_page = (after / f"{item}phien-ban/2/index.html").read_text("utf-8")
    assert "7319" in new_page and "Bổ sung kết quả" in new_page and "phiên bản 2/2" in new_page
    assert "7319" not in (after / f"{item}phien-ban/1/index.html").read_text("utf-8")
    assert second["pages_linked"] > first["pages_linked"]
    # a revision whose text breaks a harm rule is listed without a page; the next one has one
    write(article_file, article_file.read_text("utf-8").replace("change_note: Bổ sung kết quả", "change_note: Thêm liên hệ") + "\nLiên hệ anh Tùng 0912 345 678.\n")
    git(repo, "commit", "-qam", "Lỡ đăng số điện thoại", when="2024-06-12T10:00:00+07:00")
    write(article_file, article_file.read_text("utf-8").replace("change_note: Thêm liên hệ", "change_note: Bỏ số điện thoại").replace("\nLiên hệ anh Tùng 0912 345 678.\n", "\n"))
    git(repo, "commit", "-qam", "Bỏ số điện thoại", when="2024-06-12T11:00:00+07:00")
    rebuild(repo)
    third = (repo / "output").resolve()
    assert not (third / f"{item}phien-ban/3").exists()
    assert (third / f"{item}phien-ban/4/index.html").is_file()
    for built in third.rglob("*"):
        if built.is_file() and built.suffix in {".html", ".xml", ".json"}:
            assert "0912 345 678" not in built.read_text("utf-8", "replace"), built
    # withdrawn after the live release: no revision page of it in the next one
    result = cchc("withdraw", str(article_file), "--decision", "16/QĐ-BCĐ", "--date", "2024-06-13", "--reason", "Thông tin chưa chính xác")
    assert result.returncode == 0, result.stderr
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Gỡ tin", when="2024-06-13T10:00:00+07:00")
    rebuild(repo)
    fourth = (repo / "output").resolve()
    assert not (fourth / item / "phien-ban").exists()
    assert "phien-ban" not in (fourth / ARTICLE_PAGE).read_text("utf-8")
    others = [r for r in revisions if not r.startswith(item)]
    assert others and all((fourth / r).is_file() for r in others)


# --- intake and dates ---------------------------------------------------------------------

REPO_ROOT = Path(__file__).resolve().parents[1]


def test_no_public_issue_form_for_questions_and_a_privacy_notice_in_every_footer(sample_site):
    import yaml

    forms = REPO_ROOT / ".github/ISSUE_TEMPLATE"
    assert sorted(p.name for p in forms.iterdir()) == ["config.yml"]
    config = yaml.safe_load((forms / "config.yml").read_text("utf-8"))
    assert config["blank_issues_enabled"] is False
    assert {"https://cchc.laocai.gov.vn/gui-cau-hoi-gop-y/", "https://cchc.laocai.gov.vn/chinh-sach-bao-ve-du-lieu-ca-nhan/"} <= {c["url"] for c in config["contact_links"]}
    notice = (sample_site / "chinh-sach-bao-ve-du-lieu-ca-nhan/index.html").read_text("utf-8")
    assert "91/2025/QH15" in notice and "356/2025/NĐ-CP" in notice and "xoá" in notice
    channels = (sample_site / "gui-cau-hoi-gop-y/index.html").read_text("utf-8")
    assert "Issues" not in channels.split("Cổng không nhận")[0] if "Cổng không nhận" in channels else True
    assert "Khiếu nại, tố cáo" in channels and "/chinh-sach-bao-ve-du-lieu-ca-nhan/" in channels
    for page in sample_site.rglob("index.html"):
        text = page.read_text("utf-8")
        if '<footer class="site-footer">' in text:
            assert "/chinh-sach-bao-ve-du-lieu-ca-nhan/" in text.split('<footer class="site-footer">', 1)[1], page


def commit_file(repo: Path, path: str, text: str, when: str, message: str = "Gửi") -> None:
    from conftest import git

    write(repo / path, text)
    git(repo, "add", "-A", when=when)
    git(repo, "commit", "-qm", message, when=when)


def test_an_unanswered_question_is_not_published_and_the_report_lists_it(tmp_path):
    import os
    import subprocess
    import sys

    repo = git_portal(tmp_path / "portal", with_content=False)
    waiting = question("Xin hỏi thủ tục cấp đổi giấy phép lái xe?").replace("---\n\n", "due_date: 2024-05-20\n---\n\n", 1)
    commit_file(repo, f"{QUESTION_DIR}/cho-tra-loi.md", waiting, "2024-05-03T08:00:00+07:00")
    answered = question("Xin hỏi thủ tục đăng ký hộ kinh doanh?").replace("Hỏi về thủ tục cấp đổi giấy phép lái xe", "Hỏi về đăng ký hộ kinh doanh").replace(
        "---\n\n", "answered_by: Sở Tài chính\nanswered_date: 2024-05-09\n---\n\n", 1)
    commit_file(repo, f"{QUESTION_DIR}/da-tra-loi.md", answered, "2024-05-10T08:00:00+07:00")
    result = cchc("build", "--repo", str(repo))
    assert result.returncode == 0, result.stderr
    assert (repo / "output/hoi-dap/2024/da-tra-loi/index.html").exists()
    assert not (repo / "output/hoi-dap/2024/cho-tra-loi").exists()
    assert "cho-tra-loi" not in (repo / "output/du-lieu/hoi-dap.json").read_text("utf-8")
    env = dict(os.environ, CCHC_NOW="2024-06-01 09:00")
    out = subprocess.run([sys.executable, "-m", "cchc", "report", "questions", "--format", "json", "--repo", str(repo)], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert [q["path"] for q in data["overdue"]] == [f"{QUESTION_DIR}/cho-tra-loi.md"] and data["overdue"][0]["days_overdue"] == 12
    assert [q["path"] for q in data["unanswered"]] == [f"{QUESTION_DIR}/cho-tra-loi.md"]


def test_the_published_date_is_when_the_item_reached_main_not_the_typed_one(tmp_path):
    repo = git_portal(tmp_path / "portal", with_content=False)
    commit_file(repo, f"{FIELD_DIR}/tin.md", news(), "2024-05-12T15:30:00+07:00")  # types date: 2024-05-10 09:00
    result = cchc("build", "--repo", str(repo))
    assert result.returncode == 0, result.stderr
    page = (repo / "output/tin-bai/2024/tin/index.html").read_text("utf-8")
    assert 'datetime="2024-05-12T15:30:00+07:00"' in page and 'datetime="2024-05-10T09:00:00+07:00"' not in page


def test_a_date_typed_before_the_branch_began_is_refused_with_base(tmp_path):
    from conftest import git

    repo = git_portal(tmp_path / "portal", with_content=False)
    git(repo, "checkout", "-qb", "gui-tin")
    late = news().replace("date: 2024-05-10 09:00", "event_date: 2024-05-08 09:00\ndate: 2024-05-09 06:30")  # 49 h after the event, typed as 21 h
    commit_file(repo, f"{FIELD_DIR}/tin.md", late, "2024-05-10T10:00:00+07:00")
    found = [f for f in check.run(repo, base="main").findings if f.rule == "timeliness"]
    assert [(f.severity, f.line) for f in found] == [("error", 9)] and "date" in found[0].message
    commit_file(repo, f"{FIELD_DIR}/tin.md", late.replace("date: 2024-05-09 06:30", "date: 2024-05-10 11:00"), "2024-05-10T10:30:00+07:00")
    assert [f.severity for f in check.run(repo, base="main").findings if f.rule == "timeliness"] == ["warning"]  # late, and honestly so
    commit_file(repo, f"{FIELD_DIR}/tin.md", news().replace("date: 2024-05-10 09:00", "date: 2024-05-01 09:00"), "2024-05-10T11:00:00+07:00")
    assert [f for f in check.run(repo, base="main").findings if f.rule == "timeliness"] == []  # no deadline measured: Git dates it


def test_timeliness_report_measures_both_stages_from_git(tmp_path):
    import os
    import subprocess
    import sys
    from conftest import git

    repo = git_portal(tmp_path / "portal", with_content=False)
    git(repo, "checkout", "-qb", "gui-tin")
    text = news().replace("date: 2024-05-10 09:00\n", "event_date: 2024-05-10 08:00\n")
    commit_file(repo, f"{FIELD_DIR}/tin.md", text, "2024-05-10T14:00:00+07:00")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "--no-ff", "-q", "gui-tin", "-m", "Duyệt", when="2024-05-11T10:00:00+07:00")
    env = dict(os.environ, CCHC_NOW="2024-06-01 09:00")
    out = subprocess.run([sys.executable, "-m", "cchc", "report", "timeliness", "--from", "2024-05-01", "--to", "2024-05-31", "--format", "json",
                          "--repo", str(repo)], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    [stage] = json.loads(out.stdout)["stages"]
    assert stage["event_to_receipt_hours"] == 6.0 and stage["receipt_to_publication_hours"] == 20.0 and stage["total_hours"] == 26


def test_without_tesseract_a_scan_is_refused_not_passed_unread(portal, monkeypatch):
    monkeypatch.setattr(extract, "tesseract_available", lambda: False)  # as on a machine where `make ocr` was not run
    found = findings(portal, with_attachment(portal, "scan.pdf", scanned_pdf(["KẾ HOẠCH"])))
    assert [f.rule for f in found] == ["secret"] and "tesseract-ocr-vie" in found[0].message
    assert findings(portal, with_attachment(portal, "ke-hoach.pdf", text_pdf(["Kế hoạch năm 2024"]))) == []  # a text layer needs no OCR
