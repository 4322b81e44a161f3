"""Search quality and index size on a built site (not part of the tests).

``.venv/bin/python bench/search_eval.py [SITE_DIR ...]``: for each built site (default: build
this checkout into a temp folder), the share of tests/search_eval.yaml questions whose answer
is the first result, in the top 3 and in the top 5, typed into the real search box in
headless Chromium; and the size of ``search/search_index.json`` (raw and gzipped).
Pass an old build (e.g. of main) to compare before and after.
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.chromium import CHROMIUM, FLAGS, serving  # noqa: E402
from tests.search_eval_runner import evaluate, load_cases, title_cases  # noqa: E402


def build(dest: Path) -> Path:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    mkdocs_build(load_config(str(REPO / "mkdocs.yml"), site_dir=str(dest)))
    return dest


def measure(site: Path, show_misses: bool, cases: list) -> None:
    from playwright.sync_api import sync_playwright

    index = (site / "search" / "search_index.json").read_bytes()
    with serving(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        out = evaluate(page, url, cases)
        browser.close()
    print(
        f"| {site} | {out.cases} | {out.rate(1):.1%} | {out.rate(3):.1%} | {out.rate(5):.1%} "
        f"| {len(index) / 1024:.0f} KB | {len(gzip.compress(index, 9)) / 1024:.0f} KB |"
    )
    if show_misses:
        for query, expect, got in out.misses:
            print(f"  miss: {query} → {got} (expected {expect})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="*", type=Path, help="built site folders (default: build this checkout)")
    parser.add_argument("--misses", action="store_true", help="list questions not answered in the top 3")
    parser.add_argument("--eval", type=Path, help="question file (default: tests/search_eval.yaml)")
    parser.add_argument("--titles", action="store_true", help="keyword queries: item titles and aliases")
    args = parser.parse_args()
    cases = title_cases() if args.titles else load_cases(args.eval) if args.eval else load_cases()
    print("| site | questions | top 1 | top 3 | top 5 | index | gzipped |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp:
        for site in args.sites or [build(Path(tmp) / "site")]:
            measure(site, args.misses, cases)


if __name__ == "__main__":
    main()
