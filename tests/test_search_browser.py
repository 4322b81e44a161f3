"""Search as a rep uses it, in headless Chromium on the built site: colloquial questions land
on the section that answers them, results read «module › item» with no «缺少» noise, a query
that finds nothing names the closest terms, and a company's own synonym works in its fork."""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.chromium import serving
from tests.conftest import copy_upstream, sample_repo
from tests.search_eval_runner import (
    EVAL_FILE,
    HELD_OUT_FILE,
    evaluate,
    load_cases,
    open_search,
    ranked,
    title_cases,
)

pytestmark = pytest.mark.browser

AT_LEAST = {"tuned": (0.77, 0.59), "held-out": (0.525, 0.40)}
"""Top 3 and top 1 each part must reach, just under the level measured (docs/search.md). The tuned
part (tests/search_eval.yaml) is what the lexicon was tuned on; the held-out part
(tests/search_eval_heldout.yaml, frozen) never was, so it is held to its own, lower, level."""

PARTS = {"tuned": EVAL_FILE, "held-out": HELD_OUT_FILE}


@pytest.mark.parametrize("part", PARTS)
def test_colloquial_questions_land_on_their_section(page, server, part: str):
    cases = load_cases(PARTS[part])
    assert len(cases) >= (150 if part == "tuned" else 40)
    out = evaluate(page, server, cases)
    report = "\n".join(f"{q} → {got} (expected {exp})" for q, exp, got in out.misses)
    top3, top1 = AT_LEAST[part]
    summary = f"{part}: top 3 {out.rate(3):.1%}, top 1 {out.rate(1):.1%} of {out.cases}"
    print(summary)
    assert out.rate(3) >= top3, f"{summary}\n{report}"
    assert out.rate(1) >= top1, f"{summary}\n{report}"


def test_keyword_queries_still_find_their_item(page, server):
    """Every item title typed as is: 100 % top 5, 99.5 % top 3, 95.2 % top 1 (95.1 % top 3 / 97.3 % top 5 before)."""
    out = evaluate(page, server, title_cases(aliases=False))
    print(f"titles: top 1 {out.rate(1):.1%}, top 3 {out.rate(3):.1%}, top 5 {out.rate(5):.1%} of {out.cases}")
    assert out.rate(5) == 1.0, out.misses  # every title, not «most»: the untuned engine already had 97.3 %
    assert out.rate(3) >= 0.99 and out.rate(1) >= 0.94, out.misses  # measured 99.5 %, 95.2 %


def test_eval_set_covers_every_module_and_is_written_like_reps_type(built_site: Path):
    from generator.loader import load
    from generator.project import Project

    cases = load_cases(EVAL_FILE) + load_cases(HELD_OUT_FILE)
    playbook = load(Project.at(sample_repo()))
    pages = {c.split("#")[0] for case in cases for c in case.expect}
    assert {m.id for m in playbook.modules} <= pages
    assert sum(case.query.startswith("客户") for case in cases) >= len(cases) * 0.4
    assert sum(len(case.query) <= 6 for case in cases) >= 30  # phone-style
    for case in cases:  # every expected section exists in the built site
        for target in case.expect:
            path, _, anchor = target.partition("#")
            html = (built_site / path / "index.html").read_text(encoding="utf-8")
            assert not anchor or f'id="{anchor}"' in html, target


def test_generic_words_do_not_decide_the_ranking(page, server):
    """客户 is in the title of 客户关系维护; the question is about money, not relationships."""
    open_search(page, server)
    # not «客户说没钱», which questions.yaml holds word for word
    assert ranked(page, "客户讲最近手头没钱")[0] == "interview-collection#refusal-cash-flow"
    assert ranked(page, "客户破产了怎么办")[0] in (
        "legal-remedies#customer-bankruptcy",
        "account-classification#class-bad-debt",
        "collection-principles#principle-bad-debt",
    )


def test_results_show_item_under_its_module_without_struck_words(page, server):
    open_search(page, server)
    ranked(page, "客户说没钱")
    first = page.locator(".md-search-result__item").first
    assert first.locator("h1").inner_text() == "面谈催收三部曲"
    assert first.locator("h2").inner_text() == "应对「资金周转困难」"
    assert page.locator(".md-search-result__terms").count() == 0  # no «缺少: 客户* 说*»
    href = first.locator("a.md-search-result__link").nth(1).get_attribute("href") or ""
    assert "h=" in href and "#refusal-cash-flow" in href  # the page highlights what matched


def test_query_without_a_good_hit_names_the_closest_terms(page, server):
    open_search(page, server)
    ranked(page, "款涵")
    note = page.locator(".pb-search-suggest").first
    assert "「款涵」" in note.inner_text()
    assert "最接近的词：" in note.inner_text()
    ranked(page, "客户说没钱")  # a question that is understood gets no such note
    assert page.locator(".pb-search-suggest").count() == 0


def test_questions_show_on_the_item_collapsed(page, server):
    page.goto(f"{server}/interview-collection/")
    block = page.locator("#refusal-cash-flow ~ details.pb-questions").first
    assert block.locator("summary").inner_text().strip() == "常见问法"
    assert not block.locator("p").is_visible()  # collapsed until tapped
    block.locator("summary").click()
    assert "客户说没钱" in block.locator("p").inner_text()


def test_index_stays_small(built_site: Path):
    raw = (built_site / "search" / "search_index.json").read_bytes()
    assert len(gzip.compress(raw, 9)) <= 200 * 1024


@pytest.fixture(scope="module")
def fork_server(tmp_path_factory) -> Iterator[str]:
    """A company's fork that only adds its own words in site_config/search.yaml."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = tmp_path_factory.mktemp("fork")
    copy_upstream(root)  # upstream as shipped, whatever this checkout's own site_config/ holds
    (root / ".build" / "docs").mkdir(parents=True, exist_ok=True)
    (root / "site_config" / "search.yaml").write_text(
        "synonyms:\n  停止供货: [锁单, 冻结订单]\n  断货: [卡脖子]\n", encoding="utf-8"
    )
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    site = root / "site"
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(site)))
    with serving(site) as url:
        yield url


def test_company_synonyms_add_to_upstream_without_editing_it(page, server, fork_server):
    open_search(page, server)
    assert "penalty-ladder#stop-supply" not in ranked(page, "客户那边先锁单")[:3]  # upstream: unknown word
    open_search(page, fork_server)
    assert ranked(page, "客户那边先锁单")[0] == "penalty-ladder#stop-supply"
    assert ranked(page, "冻结订单")[0] == "penalty-ladder#stop-supply"
    assert "penalty-ladder#stop-supply" in ranked(page, "卡脖子")[:3]  # a company word for an upstream word
    assert ranked(page, "断货")[0] == "penalty-ladder#stop-supply"  # upstream's own words still work
    assert ranked(page, "客户赖账")[0] == "penalty-ladder#malicious-vs-not"
