"""Run search questions through the site's own search box in a real browser.

Used by tests/test_search_browser.py (hit rates asserted) and bench/search_eval.py
(before/after numbers for any built site). The ranking a rep sees: one entry per result
in the list, the section when a result shows its page above it, the page otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

import yaml

EVAL_FILE = Path(__file__).with_name("search_eval.yaml")
"""The tuned part: questions the lexicon and questions.yaml were tuned on while measuring."""
HELD_OUT_FILE = Path(__file__).with_name("search_eval_heldout.yaml")
"""The frozen held-out part: never tuned on, measured apart with its own threshold."""
REPO = Path(__file__).resolve().parents[1]

_RANKED = """() => [...document.querySelectorAll('.md-search-result__item')].map(li => {
  const links = [...li.querySelectorAll('a.md-search-result__link')].map(a => a.getAttribute('href') || '');
  return links.length > 1 ? links.slice(1) : links;
}).flat()"""


@dataclass
class Case:
    query: str
    expect: list[str]


@dataclass
class Outcome:
    cases: int = 0
    top1: int = 0
    top3: int = 0
    top5: int = 0
    misses: list[tuple[str, list[str], list[str]]] = field(default_factory=list)

    def rate(self, n: int) -> float:
        return {1: self.top1, 3: self.top3, 5: self.top5}[n] / max(1, self.cases)


def load_cases(path: Path = EVAL_FILE) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Case(str(c["q"]), c["expect"] if isinstance(c["expect"], list) else [c["expect"]]) for c in data]


def title_cases(root: Path = REPO, aliases: bool = True) -> list[Case]:
    """Keyword queries: every item's title (and its aliases) must find the item."""
    from generator.loader import load
    from generator.project import Project

    playbook = load(Project.at(root))
    cases = []
    for module, item, _parent in playbook.items():
        for word in [item.title, *(item.aliases if aliases else [])]:
            cases.append(Case(word, [f"{module.id}#{item.id}"]))
    return cases


def key_of(href: str) -> str:
    """``…/penalty-ladder/?h=x#stop-supply`` → ``penalty-ladder#stop-supply``."""
    url = urlparse(href)
    path = unquote(url.path).strip("/")
    return path + (f"#{url.fragment}" if url.fragment else "")


def ranked(page, query: str) -> list[str]:
    """Type a query into the search box and read the result list, best first."""
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press("End")
    page.wait_for_function("() => !document.querySelector('.md-search-result__item')", timeout=10_000)
    box.fill(query)
    box.press("End")  # typed CJK sends no key events; this one triggers the search
    try:
        page.wait_for_selector(".md-search-result__item", timeout=8_000)
    except Exception:  # noqa: BLE001 - Playwright's TimeoutError: no result at all
        return []
    page.wait_for_timeout(60)  # the list renders in batches; let it settle
    keys: list[str] = []
    for href in page.evaluate(_RANKED):
        key = key_of(href)
        if key not in keys:
            keys.append(key)
    return keys


def open_search(page, server: str) -> None:
    page.goto(f"{server}/")
    page.locator("input.md-search__input").click(timeout=10_000)


@dataclass(frozen=True)
class SearchUI:
    """One engine's search box, as a user drives it: open it, type, read the ranked list."""

    name: str
    open: object  # (page, server) -> None
    ranked: object  # (page, query) -> list[str]


_ZENSICAL_INPUT = "input[role=combobox]"  # in Zensical's (open) shadow root; Playwright pierces it
_ZENSICAL_RESULTS = "[role=listbox] a[role=option]"


_ZENSICAL_READY = """() => {
  const root = [...document.body.children].map(e => e.shadowRoot).find(r => r && r.querySelector('dialog'));
  const status = root && root.querySelector('[role=status]');
  return !!status && !(status.textContent || '').includes('正在初始化搜索引擎');
}"""


def zensical_open(page, server: str) -> None:
    """Open the dialog and wait until its worker is ready: a query typed earlier shows «no
    results» for a moment, between the worker's READY and its first answer."""
    page.goto(f"{server}/")
    page.locator("button.md-search__button:visible, label[for=__search]:visible").first.click(timeout=10_000)
    page.locator(_ZENSICAL_INPUT).wait_for(timeout=10_000)
    page.wait_for_function(_ZENSICAL_READY, timeout=30_000)


_ZENSICAL_SETTLED = """() => {
  const root = [...document.body.children].map(e => e.shadowRoot).find(r => r && r.querySelector('dialog'));
  return !!root && (!!root.querySelector('[role=listbox] a[role=option]')
                    || (root.textContent || '').includes('没有找到符合条件的结果'));
}"""


def zensical_ranked(page, query: str) -> list[str]:
    box = page.locator(_ZENSICAL_INPUT)
    box.fill("")
    box.press("End")
    page.locator(_ZENSICAL_RESULTS).first.wait_for(state="detached", timeout=10_000)
    box.fill(query)
    box.press("End")  # typed CJK sends no key events; this one triggers the search
    try:  # results, or Zensical's «no results» line (translated, generator/engines/zensical_ui.py)
        page.wait_for_function(_ZENSICAL_SETTLED, timeout=8_000)
    except Exception:  # noqa: BLE001 - Playwright's TimeoutError: neither showed up
        return []
    page.wait_for_timeout(60)  # the list renders in batches; let it settle
    keys: list[str] = []
    links = page.locator(_ZENSICAL_RESULTS)
    for i in range(min(links.count(), 10)):
        key = key_of(links.nth(i).get_attribute("href") or "")
        if key not in keys:
            keys.append(key)
    return keys


MATERIAL = SearchUI("material", open_search, ranked)
ZENSICAL = SearchUI("zensical", zensical_open, zensical_ranked)
SEARCH_UI = {"mkdocs": MATERIAL, "properdocs": MATERIAL, "zensical": ZENSICAL}
"""The search box each engine's theme draws (ProperDocs uses Material's theme and our worker)."""


def evaluate(page, server: str, cases: list[Case], ui: SearchUI = MATERIAL) -> Outcome:
    out = Outcome()
    ui.open(page, server)  # type: ignore[operator]
    for case in cases:
        keys = [k.strip("/") for k in ui.ranked(page, case.query)]  # type: ignore[operator]
        rank = next((i for i, k in enumerate(keys) if k in case.expect), None)
        out.cases += 1
        out.top1 += rank is not None and rank < 1
        out.top3 += rank is not None and rank < 3
        out.top5 += rank is not None and rank < 5
        if rank is None or rank >= 3:
            out.misses.append((case.query, case.expect, keys[:3]))
    return out
