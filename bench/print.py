"""Benchmark the printouts: pages per second for every PDF of a project.

    .venv/bin/python bench/print.py [--project DIR] [--repeat N]

Compares, on the same HTML:
  * plain WeasyPrint: ``HTML(string=...).write_pdf()`` one after another in one process;
  * ``playbook print`` with 1 worker (no cache);
  * ``playbook print`` with all cores (no cache);
  * ``playbook print`` when nothing changed (everything from the content-hash cache).
Prints a Markdown table. Not a test: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pypdf import PdfReader  # noqa: E402

from generator.errors import PlaybookError  # noqa: E402
from generator.loader import load  # noqa: E402
from generator.playbook import Playbook  # noqa: E402
from generator.printing.catalog import catalog  # noqa: E402
from generator.printing.render import print_all, render_html, workers_available  # noqa: E402
from generator.project import Project  # noqa: E402

DAY = date(2026, 1, 1)


def project_and_playbook(root: str | None) -> tuple[Project, Playbook, str]:
    project = Project.at(root or Path(__file__).resolve().parents[1])
    try:
        return project, load(project), "this repository" if root is None else str(project.root)
    except PlaybookError as exc:
        print(
            f"note: {project.root} does not validate ({len(exc.problems)} problems); using the test fixture playbook",
            file=sys.stderr,
        )
    from tests.print_fixture import make_print_project

    tmp = Path(tempfile.mkdtemp(prefix="bench-print-"))
    fixture = Project.at(make_print_project(tmp / "project"))
    return fixture, load(fixture), "test fixture"


def best_of(repeat: int, run: Callable[[], dict[str, bytes]]) -> tuple[float, dict[str, bytes]]:
    best = float("inf")
    out: dict[str, bytes] = {}
    for _ in range(repeat):
        start = time.perf_counter()
        out = run()
        best = min(best, time.perf_counter() - start)
    return best, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", metavar="DIR", help="project folder (default: this repository)")
    parser.add_argument("--repeat", type=int, default=2, help="runs per row; the best counts")
    args = parser.parse_args(argv)

    project, playbook, label = project_and_playbook(args.project)
    printables = catalog(project, playbook).printables
    htmls = render_html(project, playbook, printables, DAY)
    base_url = project.root.as_uri() + "/"
    cores = workers_available()

    def plain() -> dict[str, bytes]:
        from weasyprint import HTML

        return {k: HTML(string=v, base_url=base_url).write_pdf() for k, v in htmls.items()}

    def ours(workers: int, cache: bool) -> Callable[[], dict[str, bytes]]:
        return lambda: print_all(project, playbook, build_date=DAY, workers=workers, use_cache=cache).pdfs

    rows: list[tuple[str, float, dict[str, bytes]]] = []
    rows.append(("plain WeasyPrint, 1 process", *best_of(args.repeat, plain)))
    rows.append(("playbook print, 1 worker", *best_of(args.repeat, ours(1, False))))
    rows.append((f"playbook print, {cores} workers (all cores)", *best_of(args.repeat, ours(cores, False))))
    ours(cores, True)()  # fill the cache
    rows.append(("playbook print, nothing changed (cache)", *best_of(args.repeat, ours(cores, True))))

    pages = sum(len(PdfReader(io.BytesIO(d)).pages) for d in rows[1][2].values())
    print(f"{len(htmls)} PDFs, {pages} A4 pages ({label}); {cores} cores; best of {args.repeat}\n")
    print("| run | seconds | pages/s | vs plain |")
    print("| --- | ---: | ---: | ---: |")
    base = rows[0][1]
    for name, seconds, _ in rows:
        print(f"| {name} | {seconds:.2f} | {pages / seconds:.1f} | {base / seconds:.2f}× |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
