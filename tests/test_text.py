import unicodedata

from cchc.text import fold, fold_key, nfc, slugify


def test_slug_maps_d_with_stroke_which_has_no_decomposition():
    assert unicodedata.normalize("NFKD", "Đảng").encode("ascii", "ignore") == b"ang"  # the trap
    assert slugify("Đảng") == "dang"
    assert slugify("đường Điện Biên") == "duong-dien-bien"


def test_slug_of_a_vietnamese_title():
    assert slugify("Quyết định 399/QĐ-BCĐ: Quy chế Cổng Thông tin!") == "quyet-dinh-399-qd-bcd-quy-che-cong-thong-tin"


def test_slug_is_the_same_for_nfc_and_nfd_input():
    title = "Cải cách thủ tục hành chính"
    assert slugify(unicodedata.normalize("NFD", title)) == slugify(title) == "cai-cach-thu-tuc-hanh-chinh"


def test_fold_keeps_case_and_folds_every_tone_mark():
    assert fold("Hỏa HOẢ Ữ ỹ Đ") == "Hoa HOA U y D"
    assert fold_key("  Cải   CÁCH ") == "cai cach"


def test_nfc_composes():
    decomposed = unicodedata.normalize("NFD", "cải cách")
    assert decomposed != "cải cách" and nfc(decomposed) == "cải cách"
