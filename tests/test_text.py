import random
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


def _fold_one_character_at_a_time(text: str) -> str:
    """The definition fold() must keep: NFD, combining marks dropped, đ/Đ mapped, NFC."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def test_fold_is_its_definition_on_random_text_with_every_kind_of_mark():
    rng = random.Random(399)
    letters = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯYdđĐ ,.0-" + "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b" + "\u200b\u00a0ǅﬁ①Ⅻ𝐀" + "àáảãạằắẳẵặầấẩẫậ"
    for _ in range(2000):
        text = "".join(rng.choice(letters) for _ in range(rng.randrange(0, 40)))
        for form in (text, unicodedata.normalize("NFC", text), unicodedata.normalize("NFD", text)):
            assert fold(form) == _fold_one_character_at_a_time(form), repr(form)
