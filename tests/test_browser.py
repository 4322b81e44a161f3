"""A real headless Chromium on the built site: Chinese search lands on the right
section, and no page makes a request outside the site."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser


def search(page, server: str, query: str) -> list[str]:
    page.goto(f"{server}/")
    box = page.locator("input.md-search__input")
    box.click(timeout=10_000)
    box.fill(query)
    box.press("End")  # typed CJK sends no key events; this one triggers the search
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    links = page.locator(".md-search-result__item a.md-search-result__link")
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(min(links.count(), 8))]
    return [
        urlparse(h).path.rstrip("/").split("/")[-1] + ("#" + urlparse(h).fragment if urlparse(h).fragment else "")
        for h in hrefs
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("付款责任人", "know-both-sides#payment-owner"),
        ("扎账日期", "know-both-sides#customer-closing-date"),
        ("验收标准", "know-both-sides#acceptance-criteria"),
        ("停止供货", "penalty-ladder#stop-supply"),
        ("打官司", "penalty-ladder#legal-action"),  # alias: the text says 法律途径
        ("断货", "penalty-ladder#stop-supply"),  # alias
        ("起诉", "penalty-ladder#legal-action"),  # alias
        ("准坏账", "account-classification#class-doubtful"),
    ],
)
def test_search_lands_on_the_item(page, server, query: str, expected: str):
    results = search(page, server, query)
    assert expected in results[:5], f"{query!r} gave {results}"


def test_whole_word_query_is_not_split_into_its_prefixes(page, server):
    """The whole word is looked up and highlighted on the page (Material's own worker used to
    split it into 付款* 责任*; our worker keeps known terms whole)."""
    page.goto(f"{server}/")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("付款责任人")
    box.press("End")
    page.wait_for_selector(".md-search-result__item")
    links = page.locator(".md-search-result__item a.md-search-result__link")
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(min(3, links.count()))]
    whole = "h=%E4%BB%98%E6%AC%BE%E8%B4%A3%E4%BB%BB%E4%BA%BA"  # the highlight is the whole word
    assert any(whole in href for href in hrefs), hrefs


def test_no_request_leaves_the_site(page, server, built_site: Path):
    pages = ["", "know-both-sides/", "penalty-ladder/", "glossary/", "reference/format/"]
    for rel in pages:
        page.goto(f"{server}/{rel}")
        page.wait_for_load_state("networkidle")
    search(page, server, "付款责任人")
    outside = [
        url for url in page.requests if urlparse(url).hostname not in ("127.0.0.1",) and not url.startswith("data:")
    ]
    assert outside == []
    assert len(page.requests) > len(pages)


def test_item_anchor_scrolls_to_its_heading(page, server):
    page.goto(f"{server}/penalty-ladder/#legal-action")
    heading = page.locator("h2#legal-action")
    assert heading.inner_text().startswith("法律途径")
    assert heading.is_visible()


def test_pages_print_without_navigation(page, server):
    page.goto(f"{server}/penalty-ladder/")
    page.emulate_media(media="print")
    for selector in [".md-header", ".md-sidebar--primary", ".md-search", ".md-footer"]:
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator("h1").first.is_visible()
