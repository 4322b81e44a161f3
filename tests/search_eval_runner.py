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
    from generator.model import load
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


def evaluate(page, server: str, cases: list[Case]) -> Outcome:
    out = Outcome()
    open_search(page, server)
    for case in cases:
        keys = [k.strip("/") for k in ranked(page, case.query)]
        rank = next((i for i, k in enumerate(keys) if k in case.expect), None)
        out.cases += 1
        out.top1 += rank is not None and rank < 1
        out.top3 += rank is not None and rank < 3
        out.top5 += rank is not None and rank < 5
        if rank is None or rank >= 3:
            out.misses.append((case.query, case.expect, keys[:3]))
    return out
