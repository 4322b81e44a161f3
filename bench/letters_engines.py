"""Typst against WeasyPrint on the very same letters: CPU milliseconds per letter.

Three rows: WeasyPrint one letter at a time, Typst one letter per compile (what a single
letter or a company layout without ``each-document`` gets), and Typst in batches of 16 cut
into one PDF per letter (what ``playbook letters`` does in bulk).

On a busy machine wall-clock rates say more about the neighbours than about the engine;
CPU time per letter does not. Both engines get the same HTML (``reminder-1`` for generated
customers, as ``bench/letters.py``); the Typst time includes turning the HTML into its tree.
The implied rate on N cores is N × 1000 / ms (what ``playbook letters`` gets when the cores
are its own: the workers share nothing).

    .venv/bin/python bench/letters_engines.py [--letters 300] [--cores 2]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.cases.model import Case, Invoice  # noqa: E402
from generator.letters import context as ctx  # noqa: E402
from generator.letters.render import letter_context, letter_env, render_html  # noqa: E402
from generator.pdf import html_to_pdf, htmls_to_pdfs, weasyprint_pdf  # noqa: E402
from generator.project import Project  # noqa: E402
from generator.session import open_session  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def letters(count: int) -> list[str]:
    project = Project.at(REPO)
    env = letter_env(project)
    session = open_session(project, playbook=False)
    request = ctx.Request(template="reminder-1", fmt="pdf", letter_date=date(2026, 12, 1))
    out = []
    for i in range(count):
        invoices = tuple(
            Invoice(
                str(26000000 + i * 3 + k),
                date(2026, 2 + k, 5),
                Decimal(f"{(i * 37 + k * 1009) % 90000 + 1000}.{(i + k) % 100:02d}"),
                Decimal("0") if k else Decimal((i % 5) * 100),
                date(2026, 1 + k, 5),
                f"HT-{i:05d}",
                k + 2,
            )
            for k in range(1 + i % 3)
        )
        case = Case(
            customer=f"测试{i:05d}商贸有限公司",
            contact="王经理",
            address=f"上海市示例区测试路{i % 500}号",
            phone="",
            source=f"bench.csv:{i + 2}",
            number=i + 1,
            invoices=invoices,
        )
        context = letter_context(session, env, case, request, seq=i + 1, reference=f"R-{i + 1:05d}")
        out.append(render_html(project, env, "reminder-1", context))
    return out


def cpu_ms(render, htmls: list[str]) -> tuple[float, int]:
    render(htmls[0])  # warm: fonts loaded, compiler made
    start = time.process_time()
    size = 0
    for html in htmls:
        size += len(render(html))
    return (time.process_time() - start) * 1000 / len(htmls), size // len(htmls)


def batched(htmls: list[str], root: str, size: int = 16) -> tuple[float, int]:
    """CPU ms per letter through ``htmls_to_pdfs`` in groups of ``size`` (a bulk run's batches)."""
    htmls_to_pdfs(htmls[:size], base_url=root)  # warm
    start = time.process_time()
    total = 0
    for i in range(0, len(htmls), size):
        total += sum(len(pdf) for pdf in htmls_to_pdfs(htmls[i : i + size], base_url=root))
    return (time.process_time() - start) * 1000 / len(htmls), total // len(htmls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--letters", type=int, default=300)
    parser.add_argument("--cores", type=int, default=2)
    args = parser.parse_args()
    htmls = letters(args.letters)
    root = str(REPO)
    rows = []
    for name, render in (
        ("WeasyPrint", lambda h: weasyprint_pdf(h, base_url=root)),
        ("Typst", lambda h: html_to_pdf(h, base_url=root)),
    ):
        ms, size = cpu_ms(render, htmls)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        rows.append((name, ms, size, peak))
        print(f"{name}: {ms:.1f} ms CPU per letter", file=sys.stderr)
    ms, size = batched(htmls, root)
    rows.append(("Typst, batches of 16", ms, size, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024))
    print(f"Typst, batches of 16: {ms:.1f} ms CPU per letter", file=sys.stderr)
    base = rows[0][1]
    print(
        f"| engine | CPU ms / letter | letters/s per core | implied on {args.cores} cores | vs WeasyPrint | "
        "PDF size | peak RSS so far |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, ms, size, peak in rows:
        print(
            f"| {name} | {ms:.1f} | {1000 / ms:.0f} | {args.cores * 1000 / ms:.0f} | {base / ms:.1f}× | "
            f"{size / 1024:.0f} KB | {peak} MB |"
        )


if __name__ == "__main__":
    main()
