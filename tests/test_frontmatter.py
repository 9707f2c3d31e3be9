import unicodedata

import pytest
from cchc.findings import ContentError
from cchc.frontmatter import decode, parse, peek, peek_one, read_source


def one_finding(excinfo):
    (finding,) = excinfo.value.findings
    return finding


def test_yaml_12_typing_traps_stay_as_written():
    source = parse("---\ncode: 015\nanswer: NO\nswitch: on\nshort: y\nday: 2024-03-04\nyes_no: yes\n---\nbody", "t.md")
    assert source.meta == {"code": "015", "answer": "NO", "switch": "on", "short": "y", "day": "2024-03-04", "yes_no": "yes"}


def test_yaml_12_real_scalars_are_typed():
    source = parse("---\nflag: true\noff: False\ncount: 15\nhex: 0x1F\nratio: 1.5\nnothing: null\ntilde: ~\n---\n", "t.md")
    assert source.meta == {"flag": True, "off": False, "count": 15, "hex": 31, "ratio": 1.5, "nothing": None, "tilde": None}


def test_every_key_keeps_line_and_column():
    source = parse("---\ntitle: A\nimages:\n  - src: media/a.png\n    alt: ảnh\n---\nbody\n", "t.md")
    assert source.position("title") == (2, 1)
    assert source.position("images") == (3, 1)
    assert source.position("images", 0) == (4, 5)
    assert source.position("images", 0, "alt") == (5, 5)
    assert source.position("missing") == (1, 1)
    assert source.body_line == 7 and source.body == "body\n"


def test_text_is_normalised_to_nfc_and_the_original_form_is_remembered():
    text = unicodedata.normalize("NFD", "---\ntitle: Cải cách\n---\nNội dung\n")
    source = parse(text, "t.md")
    assert source.meta["title"] == "Cải cách" and source.body == "Nội dung\n"
    assert source.is_nfc is False
    assert parse("---\ntitle: Cải cách\n---\n", "t.md").is_nfc is True


def test_bad_yaml_points_at_the_line_and_column():
    with pytest.raises(ContentError) as excinfo:
        parse("---\ntitle: A\nsource: Sở Nội vụ: văn bản\n---\n", "content/x.md")
    finding = one_finding(excinfo)
    assert (finding.path, finding.line, finding.rule) == ("content/x.md", 3, "schema")
    assert finding.column > 1
    assert "dấu hai chấm" in finding.message


def test_duplicate_key_is_refused_not_silently_overwritten():
    with pytest.raises(ContentError) as excinfo:
        parse("---\ntitle: A\ntitle: B\n---\n", "x.md")
    finding = one_finding(excinfo)
    assert (finding.line, finding.column) == (3, 1)
    assert "hai lần" in finding.message and "dòng 2" in finding.message


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("---\n---\nbody", 2, "trống"),
        ("title: A\n", 1, "bắt đầu bằng dòng"),
        ("---\ntitle: A\n", 1, "không tìm thấy dòng"),
        ("---\n- a\n- b\n---\n", 2, "tên trường: giá trị"),
    ],
)
def test_unusable_front_matter(text, line, words):
    with pytest.raises(ContentError) as excinfo:
        parse(text, "x.md")
    finding = one_finding(excinfo)
    assert finding.line == line and words in finding.message


def test_windows_1258_file_is_named_with_its_line(tmp_path):
    path = tmp_path / "cp1258.md"
    # Windows-1258 stores Vietnamese as base letter + combining mark bytes.
    path.write_bytes(unicodedata.normalize("NFD", "---\ntitle: Tin\n---\nCải cách hành chính\n").encode("cp1258"))
    with pytest.raises(ContentError) as excinfo:
        read_source(path, "content/cp1258.md")
    finding = one_finding(excinfo)
    assert (finding.path, finding.line, finding.column) == ("content/cp1258.md", 4, 3)
    assert "UTF-8" in finding.message and "Windows-1258" in finding.message


def test_utf16_file_is_named(tmp_path):
    path = tmp_path / "utf16.md"
    path.write_bytes("---\ntitle: Tin\n---\nCải cách\n".encode("utf-16"))
    with pytest.raises(ContentError) as excinfo:
        read_source(path)
    assert "UTF-16" in one_finding(excinfo).message


def test_utf8_bom_and_crlf_are_accepted():
    text = decode("\ufeff---\r\ntitle: A\r\n---\r\nx\r\n".encode("utf-8"), "x.md")
    assert parse(text, "x.md").meta == {"title": "A"}


@pytest.mark.parametrize("front", [
    "title: Tin\nchange_note: Sửa lỗi chính tả\n",
    "change_note: 'Bổ sung: số liệu quý II' # ghi chú\ntitle: Tin\n",
    "title: Tin\nchange_note: |\n  Dòng một.\n\n  Dòng hai.\nunit: so-noi-vu\n",
    "title: Tin\nchange_note: >-\n  Gộp\n  một dòng\n# chú thích\nunit: so-noi-vu\n",
    'title: Tin\nchange_note: "Hai\n  dòng"\n',
    "title: Tin\nchange_note:\n  tiếp ở dòng sau\n",
    "title: Tin\nchange_note: [không, phải, chuỗi]\n",
    "title: Tin\nchange_note: một\nchange_note: hai\n",
    "title: Tin\nsummary: 'change_note: không phải khoá'\n",
    "title: Tin\nchange_note: |\n  Ở cuối phần khai báo.\n",
    "title: [hỏng\nchange_note: vẫn đọc được\n",
])
def test_one_key_is_read_as_the_whole_front_matter_reads_it(front):
    """peek_one composes only the key's own lines (history reads 20,000 change notes);
    where the whole front matter parses, it must give what peek gives."""
    text = f"---\n{front}---\n\nNội dung.\n"
    whole = peek(text, "x.md", ("change_note",))
    if whole is not None:
        assert peek_one(text, "x.md", "change_note") == whole[0].get("change_note")
    else:  # the rest is broken: the note's own lines still tell the note
        assert peek_one(text, "x.md", "change_note") == "vẫn đọc được"
