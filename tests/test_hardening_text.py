"""Text the rules should have seen: stamps, personal data, dangerous links and duplicates
hidden by invisible characters, look-alike letters, spacing, markup or other spellings
(scripts/cchc/normalise.py), each with the near miss that must still pass."""

import pytest
from cchc import check
from cchc.normalise import contact_text, link_targets, rendering
from conftest import article, copy_portal, git, write

FIELD_DIR = "content/tin-bai/cai-cach-the-che/2024"
LONG_BODY = " ".join(["Đoàn công tác của Ban Chỉ đạo cải cách hành chính tỉnh đã làm việc với Sở Nội vụ về kết quả cải cách thủ tục hành chính."] * 5)


def news(body: str = "", title: str = "Hội nghị cải cách hành chính", text: str = LONG_BODY) -> str:
    return article(title) + text + "\n" + body


@pytest.fixture
def portal(tmp_path):
    return copy_portal(tmp_path / "portal", with_content=False)


def findings_for(portal, text: str, name: str = "tin.md"):
    target = write(portal / FIELD_DIR / name, text)
    return check.run(portal, [target]).findings


def line_of(text: str, needle: str) -> int:
    return text.split("\n").index(needle) + 1


# --- stamps ------------------------------------------------------------------------

HIDDEN_STAMPS = {
    "zero-width": "M\u200bẬ\u200dT",
    "soft hyphen": "TỐI\u00ad MẬT",
    "Cyrillic look-alikes": "ТỐI МẬТ",  # Т, М, Т are Cyrillic
    "Greek look-alikes": "ΤỐΙ ΜẬΤ",
    "Cyrillic base under Vietnamese marks": "M\u0410\u0323\u0302T",  # А + dot below + circumflex
    "spaced letters": "T U Y Ệ T  M Ậ T",
    "HTML emphasis": "<b>MẬT</b>",
    "HTML span in a paragraph": "<p><span>TỐI MẬT</span></p>",
    "Markdown emphasis inside": "TỐI **MẬT**",
    "table cell": "| Số 12 | MẬT | 2024 |",
    "image alt text": "![TUYỆT MẬT](https://laocai.gov.vn/dau.png)",
    "HTML alt text": '<img src="https://laocai.gov.vn/dau.png" alt="TỐI MẬT">',
    "quotes": "“MẬT”",
    "trailing number": "MẬT - Số 12/BC-UBND",
    "trailing number, en dash": "TỐI MẬT – số 3",
    "full-width letters": "ＭẬＴ",
}


@pytest.mark.parametrize("stamp", HIDDEN_STAMPS.values(), ids=HIDDEN_STAMPS.keys())
def test_hidden_stamp_is_refused_at_its_line(portal, stamp):
    text = news("\n" + stamp + "\n")
    found = findings_for(portal, text)
    assert [f.rule for f in found] == ["secret"], [f.text() for f in found]
    assert found[0].line == line_of(text, stamp)
    assert "[secret]" in found[0].text()


def test_stamp_column_points_into_the_file(portal):
    text = news("\n| Số 12 | MẬT |\n")
    (found,) = findings_for(portal, text)
    assert (found.line, found.column) == (line_of(text, "| Số 12 | MẬT |"), 11)  # the M of the cell


def test_link_to_a_file_named_after_a_stamp(portal):
    text = news("\nXem [báo cáo](media/2024/bao-cao-toi-mat.pdf) kèm theo.\n")
    found = findings_for(portal, text)
    assert "secret" in [f.rule for f in found]
    text = news("\nXem [Mặt trận](https://laocai.gov.vn/mat-tran-to-quoc.pdf) kèm theo.\n")
    assert findings_for(portal, text) == []


NOT_STAMPS = {
    "running text about the three levels": "Bí mật nhà nước có ba độ mật là Tuyệt mật, Tối mật và Mật, theo Luật Bảo vệ bí mật nhà nước.",
    "a heading Độ mật with its explanation": "## Độ mật\n\nMỗi tài liệu mật được đóng dấu độ mật theo quy định của pháp luật về bảo vệ bí mật nhà nước.",
    "a face, spaced": "M Ặ T",
    "emphasis on another word": "**MẶT TRẬN**",
    "a stamp word inside a longer phrase": "Mật độ dân số - số liệu năm 2024",
    "a table about passwords": "| Mục | Nội dung |\n|---|---|\n| Mật khẩu | đổi định kỳ |",
}


@pytest.mark.parametrize("body", NOT_STAMPS.values(), ids=NOT_STAMPS.keys())
def test_near_misses_of_stamps_pass(portal, body):
    assert findings_for(portal, news("\n" + body + "\n")) == []


def test_not_public_stamp_hidden_the_same_ways(portal):
    for stamp in ("<i>LƯU HÀNH NỘI BỘ</i>", "L\u200bƯU HÀNH NỘI BỘ", "| LƯU HÀNH NỘI BỘ |"):
        assert [f.rule for f in findings_for(portal, news("\n" + stamp + "\n"))] == ["not-public"], stamp


# --- personal data -----------------------------------------------------------------

PERSONAL = {
    "dotted mobile": "ĐT 0912.345.678",
    "grouped mobile": "Gọi 0912 345 678 để hỏi",
    "+84": "SĐT +84 912 345 678",
    "(+84)": "SĐT (+84) 912 345 678",
    "84 without plus": "SĐT 84912345678",
    "full-width digits": "SĐT ０９１２３４５６７８",
    "zero-width inside": "SĐT 0912\u200b345\u200b678",
    "[at]": "Thư: nguyenvana [at] gmail.com",
    "(at)": "Thư: nguyenvana(at)gmail.com",
    "full-width at": "Thư: nguyenvana＠gmail.com",
    "&#64;": "Thư: nguyenvana&#64;gmail.com",
    "%40": "Thư: nguyenvana%40gmail.com",
    "grouped citizen id": "Số CCCD 0012 0300 4567",
    "full-width citizen id": "Số CCCD ００１２０３００４５６７",
}


@pytest.mark.parametrize("snippet", PERSONAL.values(), ids=PERSONAL.keys())
def test_hidden_personal_data_is_refused(portal, snippet):
    text = news("\n" + snippet + "\n")
    found = findings_for(portal, text)
    assert [f.rule for f in found] == ["personal-data"], [f.text() for f in found]
    assert found[0].line == line_of(text, snippet)


@pytest.mark.parametrize("snippet", [
    "Tổng kinh phí là 123.456.789.012 đồng.",
    "Liên hệ phongcchc-snv@laocai.gov.vn hoặc 02143.845.455.",
    "Năm 2024 có 84 thủ tục, 912 hồ sơ.",
    "Mã hồ sơ 000.00.00.H37-240304-0001.",
])
def test_near_misses_of_personal_data_pass(portal, snippet):
    assert findings_for(portal, news("\n" + snippet + "\n")) == []


# --- dangerous links ---------------------------------------------------------------

@pytest.mark.parametrize("snippet", [
    "[bấm][1]\n\n[1]: javascript:alert(1)",
    "[bấm](jav&#x61;script:alert(1))",
    "[bấm](&#106;avascript:alert(1))",
    '<a href="jav&#x0A;ascript:alert(1)">a</a>',
    "[bấm][x]\n\n[x]: <vbscript:msgbox(1)>",
])
def test_dangerous_links_the_gate_now_sees(portal, snippet):
    found = findings_for(portal, news("\n" + snippet + "\n"))
    assert [f.rule for f in found] == ["unsafe-html"], [f.text() for f in found]


def test_reference_links_to_web_pages_pass(portal):
    assert findings_for(portal, news("\n[Cổng][1]\n\n[1]: https://chinhphu.vn/javascript-la-gi\n")) == []


# --- duplicates --------------------------------------------------------------------

OTHER_BODY = " ".join(["Sở Tài chính hướng dẫn các đơn vị lập dự toán ngân sách và công khai kết quả thực hiện theo quy định của tỉnh Lào Cai."] * 5)



@pytest.fixture
def published(tmp_path):
    """A portal on main with one article and one document, on the branch `moi`."""
    repo = copy_portal(tmp_path / "portal", with_content=False)
    write(repo / f"{FIELD_DIR}/goc.md", news(title="Hội nghị tổng kết công tác cải cách hành chính năm 2024"))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Đăng")
    git(repo, "checkout", "-q", "-b", "moi")
    return repo


def duplicates_on_branch(repo, path, text):
    write(repo / path, text)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Gửi")
    return [f for f in check.run(repo, base="main").findings if f.rule == "duplicate"]


@pytest.mark.parametrize("title", ["Hội nghị tổng kết công tác cải cách hành chính năm 2024.", "Hội nghị, tổng kết công tác cải cách hành chính – năm 2024!",
                                   "“Hội nghị tổng kết công tác cải cách hành chính năm 2024”", "Hội nghị tổng kết công tác cả\u200bi cách hành chính năm 2024"])
def test_titles_differing_only_by_punctuation_are_duplicates(published, title):
    found = duplicates_on_branch(published, f"{FIELD_DIR}/ban-sao.md", news(title=title, text=OTHER_BODY))
    assert [f.message.split(" ")[0] for f in found] == ["tiêu"] and "tiêu đề trùng" in found[0].message


def test_a_different_title_is_not_a_duplicate(published):
    found = duplicates_on_branch(published, f"{FIELD_DIR}/khac.md", news(title="Hội nghị tổng kết công tác cải cách hành chính năm 2025", text=OTHER_BODY))
    assert found == []


def test_document_numbers_in_other_spellings_are_one_number():
    from cchc.duplicates import number_key

    same = ["399/QĐ-BCĐ", "Số 399/QĐ–BCĐ", "399/QĐ—BCĐ", "３９９/QĐ-BCĐ", "399 / qđ ‑ bcđ", "số: 399/QĐ.BCĐ", "399/QĐ\u2212BCĐ"]
    assert {number_key(n) for n in same} == {number_key("399/QĐ-BCĐ")}
    assert number_key("398/QĐ-BCĐ") != number_key("399/QĐ-BCĐ")
    assert number_key("399/QĐ-UBND") != number_key("399/QĐ-BCĐ")


# --- the normalised rendering keeps its way back to the file -------------------------

def test_rendering_maps_back_to_the_source():
    body = "Dòng đầu\n| a | **M\u200bẬT** |\n"
    mapped = rendering(body)
    at = mapped.text.index("MẬT")
    assert body[mapped.where(at)] == "M" and body.count("\n", 0, mapped.where(at)) == 1
    assert contact_text("a [at] b.vn").text == "a@b.vn"
    assert ("javascript:x" in [t for _o, t in link_targets("[a][1]\n\n[1]: jav&#x61;script:x\n")])
