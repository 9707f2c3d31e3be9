"""Rebuilds: pages whose inputs did not change are hard links to the previous release,
search bundles whose pages did not change are reused, and nothing is ever stale."""

import json
from pathlib import Path

import pytest
from conftest import cchc, git, serve, write
from jinja2 import DictLoader, Environment
from test_portal import NOW, build_portal, run_build, search

from cchc import page_keys
from cchc.search import Bundle, fragments, plan, shards_of, stamp

CONSULTATION = "du-thao/2024/ke-hoach-2025/index.html"
ARTICLE_FILE = "content/tin-bai/cai-cach-the-che/2024/dang-uy-chi-dao.md"
ARTICLE_PAGE = "tin-bai/2024/dang-uy-chi-dao/index.html"
DOCUMENT_PAGE = "van-ban/2024/quyet-dinh-399-qd-bcd/index.html"


def rebuild(repo: Path, now: str = NOW) -> dict:
    timings = repo / "timings.json"
    result = run_build(repo, now, "--timings", str(timings))
    assert result.returncode == 0, result.stdout + result.stderr
    return {**json.loads(timings.read_text()), "said": result.stdout}


def inode(path: Path) -> int:
    return path.stat().st_ino


def bundle_count(site: Path) -> int:
    return len(json.loads((site / "pagefind/shards.json").read_text())["shards"])


@pytest.fixture
def repo(tmp_path):
    repo = build_portal(tmp_path / "portal")
    with open(repo / "pelicanconf.py", "a", encoding="utf-8") as conf:
        conf.write("\nSEARCH_SHARD_PAGES = 1  # one search bundle a year, to see which are reused\n")
    git(repo, "commit", "-qam", "Một bó tìm kiếm mỗi năm")
    return repo


def test_a_rebuild_links_what_did_not_change_and_renders_what_did(repo, browser):
    write(repo / ARTICLE_FILE, (repo / ARTICLE_FILE).read_text("utf-8") + "\nHội nghị số 5511 đã biểu dương xã Bảo Nhai.\n")
    git(repo, "commit", "-qam", "Tin có số hội nghị", when="2024-06-10T10:00:00+07:00")
    first = rebuild(repo)
    assert first["pages_linked"] == 0
    before = (repo / "output").resolve()
    old_article = (before / ARTICLE_PAGE).read_text("utf-8")
    # text added, none removed: the old fragment holds nothing the page no longer says
    write(repo / ARTICLE_FILE, (repo / ARTICLE_FILE).read_text("utf-8") + "\nHội nghị số 7319 tiếp theo.\n")
    git(repo, "commit", "-qam", "Thêm hội nghị", when="2024-06-11T10:00:00+07:00")

    second = rebuild(repo)
    after = (repo / "output").resolve()
    assert after != before and second["pages_linked"] > 20
    assert f"({second['pages_linked']} trang không đổi, dùng lại từ bản trước)" in second["said"]
    assert "7319" in (after / ARTICLE_PAGE).read_text("utf-8")
    assert (before / ARTICLE_PAGE).read_text("utf-8") == old_article  # never written through a link
    assert inode(after / ARTICLE_PAGE) != inode(before / ARTICLE_PAGE)
    assert "7319" not in (before / ARTICLE_PAGE).read_text("utf-8")
    assert "5511" in (after / ARTICLE_PAGE).read_text("utf-8")
    assert inode(after / DOCUMENT_PAGE) == inode(before / DOCUMENT_PAGE)  # untouched: the same file
    assert inode(after / "tin-bai/index.html") != inode(before / "tin-bai/index.html")  # lists the edited item
    # Every year's search bundle is reused; the edited page alone is indexed, into the
    # delta bundle, and its old fragment in the 2024 bundle is shadowed.
    assert inode(after / "pagefind/2024/pagefind-entry.json") == inode(before / "pagefind/2024/pagefind-entry.json")
    assert second["shards_reused"] == bundle_count(after) - 1 and second["search_delta_pages"] == 1
    listing = json.loads((after / "pagefind/shards.json").read_text())
    assert listing["shards"][0] == "moi"
    old_fragment = fragments(before / "pagefind/2024")[ARTICLE_PAGE]
    assert listing["shadowed"] == [old_fragment] and fragments(after / "pagefind/moi") .keys() == {ARTICLE_PAGE}

    with serve(repo / "output") as url:
        page = browser.new_page()
        title = "Đảng ủy khối chỉ đạo cải cách hành chính"
        assert search(page, url, "7319").count(title) == 1  # new text, from the delta
        assert search(page, url, "5511").count(title) == 1  # in the delta and in the shadowed fragment: found once
        assert search(page, url, "Bảo Nhai").count(title) == 1  # in both bundles: found once
        assert "Luật Tiếp cận thông tin" in search(page, url, "tiep can thong tin")  # from the reused 2016 bundle
        page.close()

    third = rebuild(repo)  # nothing changed: still one page in the delta, nothing indexed whole
    assert third["shards_reused"] == bundle_count(after) - 1 and third["search_delta_pages"] == 1


def test_a_page_changed_outside_its_indexed_body_is_found_once(repo, browser):
    rebuild(repo)
    before = (repo / "output").resolve()
    text = (repo / ARTICLE_FILE).read_text("utf-8")
    write(repo / ARTICLE_FILE, text.replace("---\n\n", "change_note: Sửa nguồn tin\n---\n\n", 1))
    git(repo, "commit", "-qam", "Ghi chú sửa đổi", when="2024-06-11T10:00:00+07:00")
    second = rebuild(repo)
    after = (repo / "output").resolve()
    assert (after / ARTICLE_PAGE).read_bytes() != (before / ARTICLE_PAGE).read_bytes() and second["search_delta_pages"] == 1
    # The body Pagefind reads is the same, so is its fragment: the year's copy is not
    # shadowed (it would hide the page), and the search page shows the page once.
    fragment = fragments(before / "pagefind/2024")[ARTICLE_PAGE]
    assert fragments(after / "pagefind/moi")[ARTICLE_PAGE] == fragment
    assert json.loads((after / "pagefind/shards.json").read_text())["shadowed"] == []
    with serve(repo / "output") as url:
        page = browser.new_page()
        assert search(page, url, "Đảng ủy khối").count("Đảng ủy khối chỉ đạo cải cách hành chính") == 1
        page.close()


def pagefind_text(site: Path) -> str:
    """Every file of the published search index, decompressed where gzip'd, as text."""
    import gzip

    texts = []
    for path in (site / "pagefind").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            texts.append(data.decode("utf-8", "replace"))
    return "\n".join(texts)


def test_text_edited_out_is_gone_from_every_search_file(repo):
    write(repo / ARTICLE_FILE, (repo / ARTICLE_FILE).read_text("utf-8") + "\nHội nghị số 5511 đã biểu dương xã Bảo Nhai.\n")
    git(repo, "commit", "-qam", "Tin có số hội nghị", when="2024-06-10T10:00:00+07:00")
    rebuild(repo)
    assert "5511" in pagefind_text((repo / "output").resolve())
    write(repo / ARTICLE_FILE, (repo / ARTICLE_FILE).read_text("utf-8").replace("5511", "7319"))
    git(repo, "commit", "-qam", "Sửa số hội nghị", when="2024-06-11T10:00:00+07:00")
    second = rebuild(repo)
    after = (repo / "output").resolve()
    assert second["shards_reused"] == bundle_count(after) - 1  # the 2024 bundle indexed again, every other reused
    index = pagefind_text(after)
    assert "7319" in index and "5511" not in index


def test_an_item_withdrawn_in_a_rebuild_leaves_search(repo, browser):
    rebuild(repo)
    withdrawn_text = "Đảng ủy khối chỉ đạo cải cách hành chính"
    assert withdrawn_text in pagefind_text((repo / "output").resolve())
    result = cchc("withdraw", str(repo / ARTICLE_FILE), "--decision", "15/QĐ-BCĐ", "--date", "2024-06-12", "--reason", "Thông tin đã được thay thế")
    assert result.returncode == 0, result.stderr
    git(repo, "commit", "-qam", "Gỡ tin theo quyết định", when="2024-06-12T10:00:00+07:00")
    second = rebuild(repo)
    after = (repo / "output").resolve()
    assert second["shards_reused"] == bundle_count(after) - 1  # its year's bundle indexed again, no delta
    assert json.loads((after / "pagefind/shards.json").read_text())["shadowed"] == []
    assert withdrawn_text not in pagefind_text(after)  # nor downloadable from an old fragment
    with serve(repo / "output") as url:
        page = browser.new_page()
        assert "Đảng ủy khối chỉ đạo cải cách hành chính" not in search(page, url, "Đảng ủy khối")
        assert "Luật Tiếp cận thông tin" in search(page, url, "tiep can thong tin")
        page.close()


def test_a_template_change_renders_every_page_again(repo):
    rebuild(repo)
    base = repo / "theme/templates/base.html"
    base.write_text(base.read_text("utf-8").replace("<body>", "<body class=\"phien-ban-moi\">"), "utf-8")
    git(repo, "commit", "-qam", "Sửa giao diện")
    second = rebuild(repo)
    assert second["pages_linked"] == 0
    site = repo / "output"
    for page in [ARTICLE_PAGE, DOCUMENT_PAGE, "tin-bai/index.html"]:
        assert 'class="phien-ban-moi"' in (site / page).read_text("utf-8")


def test_a_consultation_that_closes_is_rendered_again(repo):
    rebuild(repo, now="2024-06-20 12:00")  # the window closes on 2024-06-30 (build_portal default)
    before = (repo / "output").resolve()
    assert "Đang lấy ý kiến" in (before / CONSULTATION).read_text("utf-8")
    rebuild(repo, now="2024-07-05 12:00")
    after = (repo / "output").resolve()
    assert "Đã kết thúc" in (after / CONSULTATION).read_text("utf-8")
    assert inode(after / DOCUMENT_PAGE) == inode(before / DOCUMENT_PAGE)


def test_a_rebuild_after_a_rollback_starts_from_the_live_release(repo):
    rebuild(repo)
    write(repo / ARTICLE_FILE, (repo / ARTICLE_FILE).read_text("utf-8").replace("Đảng ủy khối chỉ đạo", "Đảng ủy khối lãnh đạo", 1))
    git(repo, "commit", "-qam", "Đổi tiêu đề", when="2024-06-11T10:00:00+07:00")
    rebuild(repo)
    assert cchc("rollback", "--output", str(repo / "output")).returncode == 0
    assert "Đảng ủy khối chỉ đạo" in (repo / "output" / ARTICLE_PAGE).read_text("utf-8")
    rebuild(repo)  # from the rolled-back release's manifest: the edit is rendered again
    assert "Đảng ủy khối lãnh đạo" in (repo / "output" / ARTICLE_PAGE).read_text("utf-8")


def _environment(templates: dict) -> Environment:
    return Environment(loader=DictLoader(templates))


def test_a_template_that_reads_names_outside_its_digest_is_never_skipped():
    allowed = page_keys.PAGE_INPUTS | {"SITEURL"}
    known = _environment({"base.html": "<a href='{{ SITEURL }}/'>{% block content %}{% endblock %}</a>",
                          "article.html": "{% extends 'base.html' %}{% block content %}{{ article.title }}{% endblock %}",
                          "counting.html": "{% extends 'base.html' %}{% block content %}{{ all_articles|length }}{% endblock %}",
                          "chosen.html": "{% include article.template_name %}"})
    assert page_keys.template_inputs_known(known, "article.html", allowed)
    assert not page_keys.template_inputs_known(known, "counting.html", allowed)
    assert not page_keys.template_inputs_known(known, "chosen.html", allowed)  # a template picked at run time


def test_template_facts_are_kept_and_an_edited_template_is_read_again(tmp_path):
    from jinja2 import FileSystemBytecodeCache

    def known(source: str, cache_folder: Path) -> bool:
        page_keys._template_facts.cache_clear()  # a new build: a new process
        page_keys._kept_facts.cache_clear()
        environment = Environment(loader=DictLoader({"article.html": source}), bytecode_cache=FileSystemBytecodeCache(str(cache_folder)))
        return page_keys.template_inputs_known(environment, "article.html", {"article"})

    assert known("{{ article.title }}", tmp_path)
    assert (tmp_path / "template-facts.pickle").exists()
    assert not known("{{ article.title }} {{ all_articles|length }}", tmp_path)  # edited: read again, not the kept facts
    assert known("{{ article.title }}", tmp_path)


def test_search_shards_group_whole_years_oldest_first():
    pages = [f"van-ban/2016/a{i}/index.html" for i in range(3)] + [f"tin-bai/2023/b{i}/index.html" for i in range(2)]
    pages += [f"tin-bai/2024/c{i}/index.html" for i in range(4)] + ["gioi-thieu/index.html"]
    shards = shards_of(pages, min_pages=3)
    assert list(shards) == ["chung", "2023"]  # standing pages + 2016, then 2023 + 2024: a year is never split
    assert sorted(shards["chung"]) == sorted(["gioi-thieu/index.html"] + pages[:3])
    assert sorted(shards["2023"]) == sorted(pages[3:9])
    assert {name: sorted(group) for name, group in shards_of(pages, min_pages=1000).items()} == {"chung": sorted(pages)}


def test_search_shards_cut_a_large_year_into_parts_that_a_new_page_leaves_alone():
    # 5,000 items in one year (the benchmark's one-year corpus): no bundle over the most
    # pages one Pagefind process may hold, every page in exactly one part.
    pages = [f"tin-bai/2024/muc-{i}/index.html" for i in range(5000)] + ["gioi-thieu/index.html"]
    shards = shards_of(pages, min_pages=1000, max_pages=1500)
    assert list(shards) == ["chung-1", "chung-2", "chung-3", "chung-4", "chung-5"]
    assert all(len(group) <= 1500 for group in shards.values())
    assert sorted(p for group in shards.values() for p in group) == sorted(pages)
    # A new item joins one part; the other parts hold exactly what they held.
    grown = shards_of(pages + ["tin-bai/2024/muc-moi/index.html"], min_pages=1000, max_pages=1500)
    assert list(grown) == list(shards)
    assert sum(grown[name] != shards[name] for name in shards) == 1
    # Years under the most stay whole, as before.
    assert list(shards_of(pages[:1200], min_pages=1000, max_pages=1500)) == ["2024"]


def test_search_plan_reuses_a_bundle_and_indexes_only_what_changed_since(tmp_path):
    import hashlib

    pages = [f"tin-bai/2024/p{i}/index.html" for i in range(6)]
    for page in pages:
        write(tmp_path / page, f"<html>{page}</html>")

    def indexed(page):  # as the bundle recorded it when it indexed the page
        return (stamp(tmp_path / page), hashlib.sha1((tmp_path / page).read_bytes()).hexdigest(), "vi_" + page.split("/")[2])

    bundle = Bundle("v1", {page: indexed(page) for page in pages[:5]} | {"tin-bai/2024/cu/index.html": ("x", "y", "vi_cu")})
    (tmp_path / pages[1]).unlink()
    write(tmp_path / pages[1], f"<html>{pages[1]}</html>")  # written again, the same bytes: unchanged
    write(tmp_path / pages[2], "<html>sửa</html>")  # changed
    current = {"2024": [p for p in pages]}  # p5 is new; "cu" is gone
    work = plan(current, tmp_path, {"2024": bundle}, "v1", delta_pages=3)
    assert work.reuse == {"2024": bundle} and work.index == {}
    assert sorted(work.delta) == [pages[2], pages[5]]
    assert sorted(work.shadowed) == ["vi_cu", "vi_p2"]
    # More changes than the delta may hold, other indexing code, no bundle: indexed whole.
    assert plan(current, tmp_path, {"2024": bundle}, "v1", delta_pages=2).index == current
    assert plan(current, tmp_path, {"2024": bundle}, "v2").index == current
    assert plan(current, tmp_path, {}, "v1").index == current
    # A changed page whose fragment the bundle cannot name could not be shadowed.
    unnamed = Bundle("v1", {**bundle.pages, pages[2]: bundle.pages[pages[2]][:2] + (None,)})
    assert plan(current, tmp_path, {"2024": unnamed}, "v1").index == current


def test_item_addresses_are_the_ones_pelican_would_compute(tmp_path):
    """The reader formats url and save_as itself when the pattern allows (cchc_reader):
    the result must be Pelican's own expansion, item for item."""
    from pelican import signals

    from cchc.build import build

    repo = build_portal(tmp_path / "portal")
    compared = []

    def compare(generators):
        for generator in generators:
            for item in getattr(generator, "articles", []) + getattr(generator, "hidden_articles", []) + getattr(generator, "pages", []):
                compared.append(((item.override_url, item.override_save_as), (item._expand_settings("url"), item._expand_settings("save_as"))))

    signals.all_generators_finalized.connect(compare)
    try:
        build(repo, output=tmp_path / "site")
    finally:
        signals.all_generators_finalized.disconnect(compare)
    assert len(compared) > 20
    assert [ours for ours, _ in compared] == [pelicans for _, pelicans in compared]
