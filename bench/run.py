"""The benchmark suite (not part of the tests): ``make bench`` or ``.venv/bin/python bench/run.py``.

1. ``make site`` phases (load+validate, render Markdown, MkDocs, PDFs) on the shipped
   playbook and on synthetic playbooks 10× and 50× larger, clean and unchanged (cache hit);
2. printouts: ``bench/print.py`` (pages/s, 1 worker vs all cores vs plain WeasyPrint);
3. letters: ``bench/letters.py`` (letters/s and peak memory).
Prints Markdown tables with the machine's core count; paste the latest into docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
ID_KEYS = {"id", "related", "refs"}

BUILD = """
import json, os, time
os.environ["NO_MKDOCS_2_WARNING"] = "1"
from generator.build import build_site
from generator.project import Project
start = time.perf_counter()
result = build_site(Project.at("."))
result.timings["total"] = time.perf_counter() - start
print(json.dumps(result.timings))
"""


def copy_project(dest: Path) -> None:
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    for rel in files:
        if (REPO / rel).is_file() and not rel.startswith(("tests/", "bench/")):
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, dest / rel)


def suffixed(value: object, suffix: str, key: str = "") -> object:
    """Rename every id (and reference to one) in a loaded YAML value."""
    if isinstance(value, dict):
        return {k: suffixed(v, suffix, k) for k, v in value.items()}
    if isinstance(value, list):
        return [suffixed(v, suffix, key) for v in value]
    if key in ID_KEYS and isinstance(value, str):
        return value + suffix
    return value


def synthesize(root: Path, factor: int) -> None:
    """``factor`` copies of every module (ids suffixed -c2, -c3 …; links stay within a copy)."""
    playbook = root / "playbook"
    modules = [
        p
        for p in playbook.glob("*.yaml")
        if p.name not in ("sources.yaml", "glossary.yaml", "courses.yaml", "checklists.yaml")
    ]
    for copy in range(2, factor + 1):
        for path in modules:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or "order" not in data:  # not a module (questions.yaml …)
                continue
            data = suffixed(data, f"-c{copy}")
            data["order"] = data["order"] + 1000 * copy
            data["title"] = f"{data['title']}（副本 {copy}）"
            data["section"] = f"副本 {copy}"
            # references into the glossary or other copies' shared files stay valid: drop them
            (playbook / f"{path.stem}-c{copy}.yaml").write_text(
                yaml.safe_dump(_drop_foreign(data, f"-c{copy}"), allow_unicode=True, sort_keys=False), encoding="utf-8"
            )


def _drop_foreign(data: dict, suffix: str) -> dict:
    """Links to glossary terms (not copied) would dangle: keep only links to copied items."""

    def walk(value: object) -> object:
        if isinstance(value, dict):
            out = {k: walk(v) for k, v in value.items()}
            if isinstance(out.get("related"), list):
                out["related"] = [r for r in out["related"] if not r.startswith("term-")]
            return out
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return walk(data)  # type: ignore[return-value]


def build(root: Path) -> dict[str, float]:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1767225600")
    out = subprocess.run([PYTHON, "-c", BUILD], cwd=root, capture_output=True, text=True, env=env, timeout=3600)
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def site_phases(factors: list[int]) -> str:
    rows = [
        "| playbook | items | load+validate | render | MkDocs | PDFs | total | generator share |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for factor in factors:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            copy_project(root)
            synthesize(root, factor)
            items = len(
                re.findall(
                    r"^\s*-? ?id: ",
                    "".join(p.read_text(encoding="utf-8") for p in (root / "playbook").glob("*.yaml")),
                    re.M,
                )
            )
            for label in ("clean", "unchanged"):
                t = build(root)
                own = t.get("load+validate", 0) + t.get("render", 0) + t.get("write", 0)
                rows.append(
                    f"| {factor}× {label} | {items} | {t.get('load+validate', 0):.2f} s | "
                    f"{t.get('render', 0) + t.get('write', 0):.2f} s | {t.get('mkdocs', 0):.2f} s | "
                    f"{t.get('pdf', 0):.2f} s | {t['total']:.2f} s | {100 * own / t['total']:.1f} % |"
                )
            print(rows[-2], rows[-1], sep="\n", flush=True)
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--factors", default="1,10,50", help="playbook sizes to build (default 1,10,50)")
    parser.add_argument("--skip-print", action="store_true")
    parser.add_argument("--skip-letters", action="store_true")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}\n")
    print("## make site phases\n")
    table = site_phases([int(f) for f in args.factors.split(",")])
    print("\n" + table + "\n")
    if not args.skip_print:
        print("## printouts\n", flush=True)
        subprocess.run([PYTHON, str(REPO / "bench" / "print.py")], check=True)
    if not args.skip_letters:
        print("\n## letters\n", flush=True)
        subprocess.run([PYTHON, str(REPO / "bench" / "letters.py")], check=True)


if __name__ == "__main__":
    main()
