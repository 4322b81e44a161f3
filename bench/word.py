"""Benchmark of letters from a company's Word template (``site_config/letters/<id>.docx``).

On a copy of this project with ``reminder-1`` exported as a Word template (``playbook
letters template``) and placed in ``site_config/letters/``, for a generated ERP-like file
(default 1,000 customers, one to three invoices each), whole-command wall time of:

* ``playbook letters --format docx`` from the Word template (docxtpl);
* ``playbook letters --format pdf`` from the Word template: the filled DOCX converted by
  LibreOffice, started once per worker process (not per letter);
* ``playbook letters --format pdf`` from the HTML letter (WeasyPrint), for comparison;
* the same HTML→DOCX path (``docx.py``) for comparison.

Every run uses ``--jobs`` (default: all cores). Prints a Markdown table (for docs/performance.md).

    .venv/bin/python bench/word.py                  # 1,000 customers
    .venv/bin/python bench/word.py --customers 100  # a quick look
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from letters import make_csv  # noqa: E402  (the same generated ERP export as bench/letters.py)

PLAYBOOK = [sys.executable, "-m", "generator"]


def project_copy(folder: Path) -> Path:
    root = folder / "project"
    root.mkdir()
    for name in ("templates", "site_config", "playbook"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def run(root: Path, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [*PLAYBOOK, "--project", str(root), *args],
        check=True,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=0, help="workers (default: all cores)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-word-") as tmp:
        folder = Path(tmp)
        html_root = project_copy(folder)
        word_root = folder / "word"
        word_root.mkdir()
        word_root = project_copy(word_root)
        letters = word_root / "site_config" / "letters"
        letters.mkdir()
        run(word_root, "letters", "template", "reminder-1", "--out", str(letters / "reminder-1.docx"))
        cases = folder / "ar.csv"
        make_csv(cases, args.customers)
        common = ["letters", str(cases), "-t", "reminder-1", "--date", "2026-12-01", "--jobs", str(args.jobs)]
        rows = []
        for label, root, fmt in (
            ("Word template → DOCX (docxtpl)", word_root, "docx"),
            ("HTML letter → DOCX (docx.py)", html_root, "docx"),
            ("Word template → PDF (LibreOffice, one per worker)", word_root, "pdf"),
            ("HTML letter → PDF (WeasyPrint)", html_root, "pdf"),
        ):
            out = folder / f"out-{fmt}-{root.parent.name}"
            seconds = run(root, *common, "-f", fmt, "--out", str(out))
            made = sum(1 for _ in out.glob(f"*.{fmt}"))
            rows.append((label, made, seconds))
            print(f"{label}: {made} letters in {seconds:.1f} s", file=sys.stderr)
    workers = args.jobs or os.cpu_count() or 1
    print(f"\n{args.customers:,} customers, {workers} worker(s), whole command wall time:\n")
    print("| path | letters | seconds | letters/s |")
    print("| --- | ---: | ---: | ---: |")
    for label, made, seconds in rows:
        print(f"| {label} | {made:,} | {seconds:.1f} | {made / seconds:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
