"""What the search index reads of a page: the weighted fields after the excerpt mark."""

from cchc.search import ALIAS_MARK, ALIAS_SLOT, indexable

PAGE = ('<div class="prose" data-pagefind-body><span data-pagefind-meta="title:Quyết định ban hành Quy chế"></span>'
        '<span data-pagefind-meta="number:399/QĐ-BCĐ"></span><span data-pagefind-meta="date:04/3/2024"></span>'
        f'<p>Nội dung.</p>{ALIAS_SLOT}</div>')


def test_number_and_title_are_indexed_weighted_and_folded_after_the_mark():
    indexed = indexable(PAGE)
    body, added = indexed.split(ALIAS_MARK)
    assert "399" not in body.split("<p>Nội dung.</p>")[1]  # nothing before the mark but the body
    assert '<p data-pagefind-weight="10">399/QD-BCD 399 QD BCD 399QDBCD</p>' in added
    assert '<p data-pagefind-weight="7">Quyết dịnh ban hành Quy chế</p>' in added
    assert '<p data-pagefind-weight="2">04/3/2024 04 3 2024</p>' in added


def test_a_page_without_fields_or_d_is_left_as_it_is():
    page = f'<div data-pagefind-body><p>Nội dung.</p>{ALIAS_SLOT}</div>'
    assert indexable(page) == page.replace(ALIAS_SLOT, "")
