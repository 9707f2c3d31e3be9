"""The built pages in a real browser: Debian's Chromium driven by Playwright."""

import pytest
from conftest import serve


@pytest.fixture(scope="module")
def site_url(sample_site):
    with serve(sample_site) as address:
        yield address


PAGES = ["/", "/van-ban/", "/van-ban/2024/quyet-dinh-399-qd-bcd/", "/quy-che/", "/ban-bien-tap/", "/lien-he/", "/hoi-dap/"]


@pytest.mark.parametrize("path", PAGES)
def test_layout_holds_on_a_360_px_phone(browser, site_url, path):
    page = browser.new_page(viewport={"width": 360, "height": 740})
    response = page.goto(site_url + path)
    assert response.status == 200
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 360, f"{path} is {overflow}px wide on a 360px screen"
    page.close()


def test_skip_link_and_visible_focus_by_keyboard(browser, site_url):
    page = browser.new_page(viewport={"width": 1024, "height": 800})
    page.goto(site_url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box and box["x"] >= 0  # moved on screen when focused
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#noi-dung"
    page.close()


def test_print_hides_navigation(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "/van-ban/2024/quyet-dinh-399-qd-bcd/")
    page.emulate_media(media="print")
    assert page.locator(".site-nav").is_hidden()
    assert page.locator("h1").is_visible()
    page.close()


PHONE = {"width": 360, "height": 740}


def test_phone_header_is_compact_and_its_menu_opens_without_javascript(browser, site_url):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "/")
    assert page.locator(".site-header").bounding_box()["height"] <= 120
    menu = page.get_by_role("navigation", name="Chuyên trang")
    assert menu.get_by_role("link", name="Văn bản", exact=True).is_hidden()
    page.get_by_role("link", name="Danh mục").click()
    assert menu.get_by_role("link", name="Văn bản", exact=True).is_visible()
    page.get_by_role("link", name="Đóng danh mục").click()
    assert menu.get_by_role("link", name="Văn bản", exact=True).is_hidden()
    context.close()


def test_wide_screen_shows_the_menu_and_no_menu_button(browser, site_url):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(site_url + "/")
    assert page.locator(".site-nav").get_by_role("link", name="Văn bản", exact=True).is_visible()
    assert page.locator(".menu-toggle").is_hidden()
    page.close()


def test_favicon_is_served(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "/")
    href = page.locator("link[rel=icon]").get_attribute("href")
    response = page.request.get(site_url + href if href.startswith("/") else href)
    assert response.status == 200 and b"<svg" in response.body()
    page.close()


def test_home_shows_no_empty_block(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "/")
    sections = page.locator(".home-section")
    assert sections.count() > 0
    for i in range(sections.count()):
        assert sections.nth(i).locator("li").count() > 0
    page.close()


def test_register_is_cards_on_a_phone_and_its_filters_survive_a_reload(browser, site_url):
    page = browser.new_page(viewport=PHONE)
    page.goto(site_url + "/van-ban/tra-cuu/")
    row = page.locator("table.register tbody tr").first
    assert page.evaluate("getComputedStyle(document.querySelector('table.register tbody tr')).display") == "block"
    assert page.locator("table.register thead").bounding_box()["height"] <= 1
    assert row.bounding_box()["width"] <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.select_option("#loc-doc_type", "Luật")
    page.fill("#loc-tu-khoa", "tiep can")
    address = page.evaluate("location.search")
    assert "loai=" in address and "tu-khoa=tiep+can" in address
    shown = page.locator("table.register tbody tr:visible td:first-child").all_inner_texts()
    assert shown == ["104/2016/QH13"]
    page.reload()
    assert page.input_value("#loc-doc_type") == "Luật" and page.input_value("#loc-tu-khoa") == "tiep can"
    assert page.locator("table.register tbody tr:visible td:first-child").all_inner_texts() == shown
    page.fill("#loc-tu-khoa", "399/QD-BCD")
    page.select_option("#loc-doc_type", "")
    assert page.locator("table.register tbody tr:visible td:first-child").all_inner_texts() == ["399/QĐ-BCĐ"]
    page.close()


def test_register_without_javascript_shows_every_row_and_a_filter_form(browser, site_url):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "/van-ban/tra-cuu/?loai=Lu%E1%BA%ADt")
    assert page.locator("#loc-van-ban").is_visible()
    assert page.locator("table.register tbody tr:visible").count() == page.locator("table.register tbody tr").count() > 1
    context.close()


def test_home_and_sections_show_the_sample_news_and_survey(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "/")
    home_links = page.locator(".home-section a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    news, survey = "/tin-bai/2025/par-index-sipas-2024/", "/khao-sat/2025/lay-y-kien-sap-xep-don-vi-hanh-chinh/"
    assert news in home_links and survey in home_links
    for section, item in (("/tin-bai/", news), ("/khao-sat/", survey)):
        page.goto(site_url + section)
        assert page.locator(f"main a[href='{item}']").count() >= 1
    page.goto(site_url + survey)
    rows = page.locator("table.results tbody tr").all_inner_texts()
    assert [r.split("\t")[-1] for r in rows] == ["98,88", "97,1"]  # the source's figures, Vietnamese decimals
    assert "%)" not in page.locator("figure.chart").inner_text()  # percentages are not shared out again
    page.close()
