"""Benchmark rebuilds: ``playbook build`` against plain ``mkdocs build`` (the ``playbook`` plugin)
of the same project, side by side, each clean and unchanged.

    .venv/bin/python bench/rebuild.py [--project DIR] [--python PY]

Works on a copy of the project (its ``.build/`` and ``site/`` are never touched). For each
command: a clean build (no ``.build/``, no ``site/``), then the same command again with nothing
changed, then again after one playbook YAML file was edited (a word appended to a summary).
Each build runs once, in a fresh process, as a user runs it. Prints a Markdown table. Not a
test: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COPIED = ("playbook", "site_config", "defaults", "templates", "mkdocs.yml", "generator")


def copy_project(source: Path, dest: Path) -> Path:
    for name in COPIED:
        path = source / name
        if path.is_dir():
            shutil.copytree(path, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif path.exists():
            shutil.copy2(path, dest / name)
    return dest


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def edit_one_yaml(root: Path) -> None:
    path = sorted((root / "playbook").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("summary: ", "summary: 修订 ", 1), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--project", type=Path, default=ROOT)
    parser.add_argument("--python", default=sys.executable, help="the interpreter whose playbook and mkdocs run")
    args = parser.parse_args()
    bin_dir = Path(args.python).parent
    commands = {
        "playbook build": [str(bin_dir / "playbook"), "build"],
        "mkdocs build": [str(bin_dir / "mkdocs"), "build", "-q"],
    }
    rows = []
    for label, command in commands.items():
        with tempfile.TemporaryDirectory(prefix="bench-rebuild-") as tmp:
            root = copy_project(args.project, Path(tmp) / "p")
            clean = timed(command, root)
            unchanged = timed(command, root)
            edit_one_yaml(root)
            edited = timed(command, root)
        rows.append((label, clean, unchanged, edited))
    print("| command | clean | unchanged | one YAML edited |")
    print("| --- | ---: | ---: | ---: |")
    for label, clean, unchanged, edited in rows:
        print(f"| `{label}` | {clean:.1f} s | {unchanged:.1f} s | {edited:.1f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
