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
