"""The API docs page and the console sign-in page in headless Chromium with every outside request refused."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def offline_page(browser, served):
    """A page that may reach the app and nothing else; returns it and the outside requests it tried."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    outside: list[str] = []

    def route(request_route):
        url = request_route.request.url
        if url.startswith(served.base_url):
            request_route.continue_()
        else:
            outside.append(url)
            request_route.abort()

    page.route("**/*", route)
    return page, outside


def test_the_api_docs_render_with_no_network(served, browser):
    page, outside = offline_page(browser, served)
    page.goto(f"{served.base_url}/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15000)
    assert "Shanqiao" in page.inner_text(".swagger-ui .info .title")
    # the chat API's operations are listed, so the schema was read and drawn
    page.wait_for_selector(".opblock", timeout=15000)
    assert page.locator(".opblock").count() > 5
    assert outside == []


def test_the_console_sign_in_page_needs_no_network(served, browser):
    page, outside = offline_page(browser, served)
    page.goto(f"{served.base_url}/console/login")
    assert page.locator("#signin").is_visible()
    assert outside == []
