"""Site engines side by side (not part of the tests): build time, search index size and the
first search's time, on the shipped playbook and on synthetic playbooks 10× and 50× larger.

``.venv/bin/python bench/engines.py [--factors 1,10,50] [--engines mkdocs,properdocs,zensical]``

Each size is one project copy (bench/run.py's synthesizer) built by every installed engine
with ``playbook build --engine NAME`` (the PDFs come from the shared cache after the first
engine, so «engine» is the engine alone). «first query»: a fresh browser page, from loading
the home page to the first result of 付款责任人 on screen (index download and set-up included).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.run import copy_project, synthesize  # noqa: E402
from tests.chromium import FLAGS, serving  # noqa: E402
from tests.search_eval_runner import SEARCH_UI  # noqa: E402

INDEX = {"mkdocs": "search/search_index.json", "properdocs": "search/search_index.json", "zensical": "search.json"}
BUILD = """
import json, sys, time
from generator.build import build_site
from generator.project import Project
start = time.perf_counter()
result = build_site(Project.at("."), engine=sys.argv[1])
result.timings["total"] = time.perf_counter() - start
print(json.dumps(result.timings))
"""


def build(root: Path, engine: str) -> dict[str, float]:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1767225600")
    out = subprocess.run(
        [sys.executable, "-c", BUILD, engine], cwd=root, capture_output=True, text=True, env=env, timeout=3600
    )
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def first_query(site: Path, engine: str, browser) -> float:
    context = browser.new_context()
    with serving(site) as url:
        try:
            page = context.new_page()
            ui = SEARCH_UI[engine]
            start = time.perf_counter()
            ui.open(page, url)
            results: list[str] = []
            for _ in range(8):  # a large index can take longer than one wait to arrive
                results = ui.ranked(page, "付款责任人")
                if results:
                    break
            elapsed = time.perf_counter() - start
            if not results:
                raise SystemExit(f"{engine}: no result for 付款责任人")
            return elapsed
        finally:
            context.close()


def main() -> None:
    from playwright.sync_api import sync_playwright

    from generator.engines import ENGINES

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--factors", default="1,10,50")
    parser.add_argument("--engines", default=",".join(ENGINES))
    args = parser.parse_args()
    engines = [e for e in args.engines.split(",") if ENGINES[e].installed()]
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}\n")
    print("| playbook | engine | engine build | whole build | index | index gzipped | first query |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |", flush=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        for factor in [int(f) for f in args.factors.split(",")]:
            with tempfile.TemporaryDirectory() as tmp:
                root = Path(tmp)
                copy_project(root)
                synthesize(root, factor)
                for engine in engines:
                    timings = build(root, engine)
                    raw = (root / "site" / INDEX[engine]).read_bytes()
                    query = first_query(root / "site", engine, browser)
                    print(
                        f"| {factor}× | {engine} | {timings[engine]:.2f} s | {timings['total']:.2f} s | "
                        f"{len(raw) / 1e6:.2f} MB | {len(gzip.compress(raw, 9)) / 1e6:.2f} MB | {query:.2f} s |",
                        flush=True,
                    )
        browser.close()


if __name__ == "__main__":
    main()
