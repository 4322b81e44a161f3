"""The same site from every engine (issue 17): ``playbook build --engine mkdocs|properdocs|zensical``
gives the same pages, titles, navigation, company branding and downloads; every link resolves;
nothing is loaded from outside; the UI speaks Chinese; Chinese search lands on the right item.
MkDocs' build is the reference; each engine is built once (tests/engine_sites.py)."""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from tests.chromium import serving
from tests.conftest import sample_repo
from tests.engine_sites import ENGINE_NAMES
from tests.search_eval_runner import EVAL_FILE, HELD_OUT_FILE, SEARCH_UI, evaluate, load_cases

OTHERS = [name for name in ENGINE_NAMES if name != "mkdocs"]
ENGINE_ONLY = ("assets/", "search/", "search.json", "sitemap.xml", "404.html")
"""Files each engine makes its own way (theme assets, search index, sitemap)."""

AT_LEAST = {"zensical": {"tuned": (0.77, 0.59), "held-out": (0.525, 0.40)}}
"""Top 3 and top 1 of the colloquial questions per engine and part (tests/search_eval.yaml, tuned;
tests/search_eval_heldout.yaml, frozen held-out), just under the level measured (docs/search.md, docs/engines.md).
ProperDocs runs our worker and index, byte for byte MkDocs' (asserted below), so it is held to
MkDocs' numbers (tests/test_search_browser.py); Zensical runs our engine behind its own dialog on
the same documents and lexicon (asserted below)."""

_LINK = re.compile(r'(?:href|src)="([^"]*)"')
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_NAV_LINK = re.compile(r'<(a|label)\b[^>]*class="md-nav__link[^"]*"[^>]*>(.*?)</\1>', re.S)
_TAG = re.compile(r"<[^>]+>")


def pages(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(site.rglob("*.html"))
        if not p.relative_to(site).as_posix().startswith(ENGINE_ONLY)
    }


def text(fragment: str) -> str:
    return " ".join(html_lib.unescape(_TAG.sub(" ", fragment)).split())


def nav_titles(home: str) -> list[str]:
    """The primary sidebar's entries, in order, as the reader sees them."""
    start = home.index("md-nav--primary")
    end = home.find("md-sidebar--secondary", start)
    titles = [text(match.group(2)) for match in _NAV_LINK.finditer(home[start : end if end > 0 else None])]
    return [t for t in titles if t]


def broken_links(site: Path) -> list[str]:
    broken = []
    for rel, page in pages(site).items():
        base = (site / rel).parent
        for link in set(_LINK.findall(page)):
            url = urlparse(html_lib.unescape(link))
            if url.scheme or link.startswith(("#", "//")) or not url.path:
                continue
            target = (site / url.path.lstrip("/")) if url.path.startswith("/") else base / unquote(url.path)
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{rel}: {link}")
    return broken


@pytest.fixture(scope="module")
def reference(engine_site) -> Path:
    return engine_site("mkdocs")


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_every_link_and_download_resolves(engine: str, engine_site):
    site = engine_site(engine)
    assert broken_links(site) == []
    downloads = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.suffix in (".pdf", ".docx"))
    assert len(downloads) >= 40, downloads  # 17 printables and 10 letters × (sample, blank PDF, blank Word)


@pytest.mark.parametrize("engine", OTHERS)
def test_same_pages_titles_nav_and_downloads_as_mkdocs(engine: str, reference: Path, engine_site):
    site = engine_site(engine)
    ours, theirs = pages(reference), pages(site)
    assert sorted(theirs) == sorted(ours)
    titles = {rel: _TITLE.search(page).group(1) for rel, page in ours.items()}  # type: ignore[union-attr]
    assert {rel: _TITLE.search(page).group(1) for rel, page in theirs.items()} == titles  # type: ignore[union-attr]
    assert nav_titles(theirs["index.html"]) == nav_titles(ours["index.html"])
    assert {"培训课程", "函件模板", "参考", "术语表"} <= set(nav_titles(theirs["index.html"]))
    files = {
        p.relative_to(reference).as_posix(): p.read_bytes()
        for p in reference.rglob("*")
        if p.suffix in (".pdf", ".docx")
    }
    assert {
        p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.suffix in (".pdf", ".docx")
    } == files


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_company_branding_on_every_page(engine: str, engine_site):
    from generator.loader import load
    from generator.project import Project

    company = load(Project.at(sample_repo())).company
    site_name = f"{company.short_name}回款手册"
    for rel, page in pages(engine_site(engine)).items():
        assert f"© {company.name} · 内部资料，请勿外传" in text(page), rel
        assert site_name in text(page.split("md-header", 1)[1][:4000]), rel  # the header names the company


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_nothing_is_loaded_from_outside(engine: str, engine_site):
    for rel, page in pages(engine_site(engine)).items():
        outside = re.findall(
            r'<(?:script|img|iframe)\b[^>]*\bsrc="(?:https?:)?//[^"]*"|<link\b[^>]*\bhref="'
            r'(?:https?:)?//[^"]*"',
            page,
        )
        assert outside == [], rel


def test_properdocs_searches_exactly_like_mkdocs(reference: Path, engine_site):
    """Same index and same worker: the MkDocs search measurements hold for ProperDocs."""
    site = engine_site("properdocs")
    assert (site / "search" / "search_index.json").read_bytes() == (
        reference / "search" / "search_index.json"
    ).read_bytes()
    workers = sorted((reference / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    assert workers and all((site / w.relative_to(reference)).read_bytes() == w.read_bytes() for w in workers)


def test_zensical_searches_like_mkdocs(reference: Path, engine_site):
    """Our worker behind Zensical's dialog, on MkDocs' documents and lexicon: Zensical's items
    (its dialog shows items[id]) carry exactly our index's text and fields, in their order."""
    from generator.project import Project
    from generator.search.install import ZENSICAL_PROTOCOL, engine_source

    site = engine_site("zensical")
    ours = json.loads((reference / "search" / "search_index.json").read_text(encoding="utf-8"))
    theirs = json.loads((site / "search.json").read_text(encoding="utf-8"))
    assert theirs["config"]["lexicon"] == ours["config"]["lexicon"]
    fields = ("location", "title", "text", "module", "aliases", "questions", "boost")
    unescaped = [
        {**item, "title": html_lib.unescape(item["title"]), "text": html_lib.unescape(item["text"])}
        for item in theirs["items"]
    ]
    assert [[i.get(f) for f in fields] for i in unescaped] == [[d.get(f) for f in fields] for d in ours["docs"]]
    workers = sorted((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    code = engine_source(Project.at(sample_repo()), ZENSICAL_PROTOCOL)
    assert workers and all(w.read_text(encoding="utf-8") == code for w in workers)


def test_zensical_ui_strings_are_chinese(engine_site):
    home = (engine_site("zensical") / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in home
    assert "查找" in home and ">Search<" not in home


# -- in a real browser ------------------------------------------------------------------------


@pytest.fixture(scope="module", params=ENGINE_NAMES)
def served(request, engine_site) -> Iterator[tuple[str, str]]:
    with serving(engine_site(request.param)) as url:
        yield request.param, url


@pytest.fixture
def page(browser, served):
    context = browser.new_context()
    page = context.new_page()
    page.requests = []  # type: ignore[attr-defined]
    page.on("request", lambda request: page.requests.append(request.url))  # type: ignore[attr-defined]
    yield page
    context.close()


KEYWORDS = [
    ("付款责任人", "know-both-sides#payment-owner"),
    ("扎账日期", "know-both-sides#customer-closing-date"),
    ("停止供货", "penalty-ladder#stop-supply"),
    ("准坏账", "account-classification#class-doubtful"),
    ("打官司", "penalty-ladder#legal-action"),
    ("断货", "penalty-ladder#stop-supply"),
]
"""Words as written in the playbook, then words reps say for them (aliases)."""


@pytest.mark.browser
def test_search_lands_on_the_item_and_stays_inside(page, served):
    engine, server = served
    ui = SEARCH_UI[engine]
    ui.open(page, server)  # type: ignore[operator]
    for query, expected in KEYWORDS:
        results = ui.ranked(page, query)  # type: ignore[operator]
        assert expected in results[:5], f"{engine}: {query!r} gave {results}"
    failed: list[str] = []
    page.on(
        "response",
        lambda response: failed.append(f"{response.status} {response.url}") if response.status >= 400 else None,
    )
    for rel in ("penalty-ladder/", "letters/stop-supply/"):  # the letter's frame loads the site's font
        page.goto(f"{server}/{rel}")
        page.wait_for_load_state("networkidle")
    assert failed == []
    outside = [url for url in page.requests if urlparse(url).hostname != "127.0.0.1" and not url.startswith("data:")]
    assert outside == []


@pytest.mark.browser
def test_search_ui_speaks_chinese(page, served):
    engine, server = served
    ui = SEARCH_UI[engine]
    ui.open(page, server)  # type: ignore[operator]
    ui.ranked(page, "停止供货")  # type: ignore[operator]
    box = page.locator("input.md-search__input, input[role=combobox]").first
    assert box.get_attribute("placeholder") == "搜索"
    shown = page.locator(".md-search-result__meta, [role=listbox]").first.evaluate(
        "e => { const root = e.getRootNode(); return (root instanceof ShadowRoot ? root : e).textContent || ''; }"
    )
    assert re.search(r"\d+ 个(符合条件的)?结果", shown), shown[:200]
    assert not re.search(r"\b\d+ results?\b|No results", shown)


@pytest.mark.browser
@pytest.mark.parametrize("part", ["held-out"])
def test_colloquial_questions_on_zensical(browser, engine_site, part: str):
    """MkDocs: tests/test_search_browser.py (both parts); ProperDocs: the same index and worker
    (above). Zensical ranks with our worker on MkDocs' documents and lexicon (asserted above), so
    its dialog is driven through the held-out part only: the tuned part through Zensical's dialog
    cost 68–180 s of the suite for the same ranking (tuned: 78.3 % / 59.8 % measured 2026-12-08)."""
    engine = "zensical"
    context = browser.new_context()
    try:
        with serving(engine_site(engine)) as url:
            cases = load_cases(EVAL_FILE if part == "tuned" else HELD_OUT_FILE)
            out = evaluate(context.new_page(), url, cases, SEARCH_UI[engine])
    finally:
        context.close()
    report = "\n".join(f"{q} → {got} (expected {exp})" for q, exp, got in out.misses)
    top3, top1 = AT_LEAST[engine][part]
    summary = f"{engine}, {part}: top 3 {out.rate(3):.1%}, top 1 {out.rate(1):.1%} of {out.cases}"
    print(summary)
    assert out.rate(3) >= top3, f"{summary}\n{report}"
    assert out.rate(1) >= top1, f"{summary}\n{report}"


_TALK_TO_WORKER = """async ([url, index, queries]) => {
  const worker = new Worker(url);
  const reply = message => new Promise(resolve => {
    worker.onmessage = ev => resolve(ev.data);
    worker.postMessage(message);
  });
  const out = [await reply({ type: 0, data: index })];
  for (const query of queries) out.push(await reply({ type: 2, data: query }));
  worker.terminate();
  return out;
}"""


@pytest.mark.browser
def test_zensical_worker_answers_its_dialogs_messages(browser, engine_site):
    """The messages Zensical's dialog sends (bundle.*.min.js) and what it reads from a result:
    ids into its items, highlight ranges in the escaped title and text, pagination."""
    site = engine_site("zensical")
    worker = next((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    item = {"level": 2, "path": ["催款技巧"], "tags": [], "module": "", "aliases": "", "questions": "", "boost": 1.0}
    items = [{**item, "location": f"m/#s{n}", "title": f"第{n}节", "text": f"资金周转 第{n}段"} for n in range(5)] + [
        {**item, "location": "x/", "title": "&lt;b&gt;资金&amp;lt", "text": "&lt;b&gt; lt 资金"}
    ]
    index = {"config": {"lexicon": {"terms": ["资金"], "generic": [], "synonyms": {}}}, "items": items}
    queries = [
        {"input": "资金"},
        {"input": "资金", "page": {"id": 7, "size": 2, "from": 2}},
        {"input": "lt"},
        {"input": {"type": "operator", "data": {"operator": "not", "operands": []}}},  # tags only
        {"input": ""},
    ]
    context = browser.new_context()
    try:
        with serving(site) as url:
            page = context.new_page()
            page.goto(f"{url}/")
            ready, first, second, latin, tags_only, empty = page.evaluate(
                _TALK_TO_WORKER, [f"{url}/{worker.relative_to(site).as_posix()}", index, queries]
            )
    finally:
        context.close()
    assert ready == {"type": 1} and first["type"] == 3
    result = first["data"]
    assert result["pagination"] == {"total": 6} and sorted(hit["id"] for hit in result["items"]) == list(range(6))
    odd = next(hit for hit in result["items"] if hit["id"] == 5)
    marks = {m["field"]: m["value"]["highlight"]["ranges"] for m in odd["matches"]}
    assert marks["title"] == [{"start": 9, "end": 11, "value": 2}]  # 资金 after «&lt;b&gt;»
    assert second["data"]["pagination"] == {
        "total": 6,
        "prev": {"id": 7, "size": 2, "from": 0},
        "next": {"id": 7, "size": 2, "from": 4},
    }
    assert len(second["data"]["items"]) == 2
    hit = latin["data"]["items"][0]
    ranges = {m["field"]: m["value"]["highlight"]["ranges"] for m in hit["matches"]}
    assert hit["id"] == 5 and ranges["text"] == [{"start": 10, "end": 12, "value": 2}]  # not inside «&lt;»
    assert ranges["title"] == [{"start": 16, "end": 18, "value": 2}]  # «&amp;lt»: the lt after the entity
    assert tags_only["data"]["items"] == [] and empty["data"]["items"] == []


# -- choosing an engine; what a build must never lose; a clean slate ---------------------------


def _cli(*args: str, cwd: Path | None = None):
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, timeout=600
    )


def test_unknown_engine_in_site_config_is_reported_with_its_line(make_project):
    from generator.engines import choose
    from generator.errors import PlaybookError
    from generator.project import Project

    root = make_project()
    (root / "site_config" / "engine.yaml").write_text("# 站点引擎\nengine: zensicl\n", encoding="utf-8")
    with pytest.raises(PlaybookError) as caught:
        choose(Project.at(root))
    assert [str(p) for p in caught.value.problems] == [
        "site_config/engine.yaml:2:9: engine: expected one of mkdocs, properdocs, zensical, found 'zensicl'; "
        "did you mean 'zensical'?"
    ]


def test_engine_in_site_config_is_used_and_the_option_wins(make_project):
    from generator.engines import choose
    from generator.project import Project

    root = make_project()
    assert choose(Project.at(root)).name == "mkdocs"  # first installed of ENGINE_ORDER
    (root / "site_config" / "engine.yaml").write_text("engine: properdocs\n", encoding="utf-8")
    assert choose(Project.at(root)).name == "properdocs"
    assert choose(Project.at(root), "mkdocs").name == "mkdocs"


def test_engine_option_is_checked_by_the_command_line(make_project):
    result = _cli("--project", str(make_project()), "build", "--engine", "hugo")
    assert result.returncode == 2
    assert "invalid choice: 'hugo' (choose from 'mkdocs', 'properdocs', 'zensical')" in result.stderr


def test_a_site_without_its_nav_pages_or_pdfs_fails_the_build(reference: Path, tmp_path: Path):
    """What Zensical did with hooks: no nav, no PDFs, and nothing said."""
    import shutil

    from generator.engines import ENGINES
    from generator.engines.run import check_site
    from generator.engines.settings import site_settings
    from generator.pipeline import generate, write_files
    from generator.project import Project

    project = Project.at(sample_repo())
    generated = generate(project)
    settings = site_settings(project, generated)
    write_files(generated, project.docs_dir, {})
    site = tmp_path / "site"
    shutil.copytree(reference, site)
    assert check_site(project, settings, ENGINES["mkdocs"], site) == []
    shutil.rmtree(site / "glossary")
    (site / "downloads" / "checklist-know-self.pdf").unlink()
    problems = [str(p) for p in check_site(project, settings, ENGINES["mkdocs"], site)]
    assert (
        "mkdocs build: nav: expected the page «术语表» (glossary.md) at glossary/index.html, found nothing" in problems
    )
    assert (
        "mkdocs build: downloads: expected downloads/checklist-know-self.pdf in the site, found it missing" in problems
    )
    assert any(
        "expected ../downloads/checklist-know-self.pdf (linked from know-both-sides/index.html)" in p for p in problems
    )


@pytest.mark.site
def test_a_clean_slate_builds_with_mkdocs_and_playbook(make_project):
    import shutil
    import subprocess
    import sys

    from tests.conftest import LADDER_MODULE, MINIMAL_MODULE

    root = make_project({"playbook/mod-a.yaml": MINIMAL_MODULE, "playbook/ladder.yaml": LADDER_MODULE})
    shutil.rmtree(root / ".build")
    plain = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, capture_output=True, text=True, timeout=600
    )
    assert plain.returncode == 0, plain.stderr
    assert "条目甲" in (root / "site" / "mod-a" / "index.html").read_text(encoding="utf-8")
    shutil.rmtree(root / ".build")
    built = _cli("--project", str(root), "build")
    assert built.returncode == 0, built.stderr
    assert (root / ".build" / "mkdocs.yml").is_file()


def test_a_fork_still_listing_the_old_hook_is_told_the_one_line_fix(make_project):
    import subprocess
    import sys

    root = make_project()
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        text.replace("  - playbook ", "  # - playbook ") + "\nhooks:\n  - generator/mkdocs_hook.py\n", encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 1
    assert "list `- playbook` first under `plugins:`" in result.stderr + result.stdout
