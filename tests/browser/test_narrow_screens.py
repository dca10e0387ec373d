"""On a phone: wide tables scroll sideways inside a named, focusable region (GOV.UK tables do
not reflow), and the page itself never scrolls sideways."""

from playwright.sync_api import expect

from .helpers import ADMIN, BROWSER, OFFICER, assert_accessible, sign_in

pytestmark = BROWSER

PHONE = {"width": 360, "height": 740}


def _page_does_not_scroll_sideways(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    wider = page.evaluate(
        """(limit) => [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > limit + 1)
            .filter((el) => !el.closest('.sg-table-scroll'))
            .slice(0, 5)
            .map((el) => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))""",
        PHONE["width"],
    )
    assert width <= PHONE["width"] + 1, f"{page.url}: the page is {width}px wide: {wider}"


def test_a_wide_register_list_scrolls_in_its_own_region_on_a_phone(page):
    page.set_viewport_size(PHONE)
    sign_in(page, OFFICER)
    page.goto("/lado/")
    region = page.locator(".sg-table-scroll").first
    expect(region).to_have_attribute("role", "region")
    expect(region).to_have_attribute("tabindex", "0")
    assert region.get_attribute("aria-label")
    _page_does_not_scroll_sideways(page)
    assert region.evaluate("(el) => el.scrollWidth > el.clientWidth")  # it does scroll
    region.focus()
    assert region.evaluate("(el) => el === document.activeElement")  # reached by keyboard
    assert_accessible(page, "LADO list on a phone")


def test_administration_tables_on_a_phone(page):
    page.set_viewport_size(PHONE)
    sign_in(page, ADMIN)
    page.goto("/administration/")
    _page_does_not_scroll_sideways(page)
    assert_accessible(page, "administration on a phone")


def test_a_narrow_table_on_a_wide_screen_is_not_a_tab_stop(page):
    sign_in(page, OFFICER)
    page.goto("/")
    regions = page.locator(".sg-table-scroll")
    assert regions.count() >= 1
    for i in range(regions.count()):
        region = regions.nth(i)
        wide = page.evaluate("(el) => el.scrollWidth > el.clientWidth + 1", region.element_handle())
        assert (region.get_attribute("tabindex") == "0") == wide
