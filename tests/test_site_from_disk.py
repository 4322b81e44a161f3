"""The built site opened from disk (issue 25 item 2): ``site/index.html`` as a ``file://`` URL,
with no server, navigates (a sidebar link opens its page, not a folder listing) and its search
answers; nothing is requested from outside the site's folder."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def test_the_site_opened_from_disk_navigates_and_searches(browser, built_site: Path) -> None:
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((built_site / "index.html").as_uri())

    link = page.locator("nav.md-nav--primary a.md-nav__link:visible", has_text="五项准备").first
    assert link.get_attribute("href") == (built_site / "five-preparations" / "index.html").as_uri()
    link.click()
    page.wait_for_load_state()
    assert page.url == (built_site / "five-preparations" / "index.html").as_uri()
    assert page.title().startswith("不打无把握之仗：回款前的五项准备")

    box = page.locator("input.md-search__input")
    box.click()
    box.fill("客户说没钱")
    box.press("End")  # typed CJK sends no key events; this one triggers the search
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    assert "应对「资金周转困难」" in page.locator(".md-search-result").inner_text()
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_load_state()
    assert page.url.startswith((built_site / "interview-collection" / "index.html").as_uri())
    assert page.title().startswith("面谈催收三部曲")

    assert [url for url in requests if not url.startswith(built_site.as_uri())] == []
    assert errors == []
    context.close()
