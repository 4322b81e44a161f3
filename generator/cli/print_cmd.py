"""``playbook print [ID ...] [--out DIR]``: render checklists, handouts and workbooks as PDFs.

The module is not called ``print.py``: importing ``generator.cli.print`` would set the
attribute ``print`` on the ``generator.cli`` package and shadow the built-in there.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from generator.cli.common import project_of

DEFAULT_OUT = "out/print"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("print", help="render printable checklists, handouts and workbooks (A4 PDF)")
    parser.add_argument(
        "ids",
        nargs="*",
        metavar="ID",
        help="printouts to render, e.g. checklist-know-self handout-penalty-ladder (default: all)",
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        default=None,
        help=f"folder for the PDFs (default: {DEFAULT_OUT}/ in the project)",
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        metavar="N",
        help="parallel render processes (default: all cores)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="render every PDF even if its inputs have not changed",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from generator.dates import build_date, reproducible_dates
    from generator.printing.render import print_all, write_pdfs
    from generator.session import open_session

    project = project_of(args)
    start = time.perf_counter()
    playbook = open_session(project).playbook
    with reproducible_dates(project):  # the same bytes (and cache entries) as `playbook build`
        result = print_all(
            project,
            playbook,
            ids=list(args.ids),
            build_date=build_date(project),
            workers=args.jobs,
            use_cache=not args.no_cache,
            log=lambda w: print(f"warning: {w}", file=sys.stderr),
        )
    out = Path(args.out) if args.out else project.root / DEFAULT_OUT
    paths = write_pdfs(result, out)
    print(
        f"printed {len(paths)} PDF{'s' if len(paths) != 1 else ''} to {project.display(out)}/ "
        f"in {time.perf_counter() - start:.1f}s ({len(result.rendered)} rendered, "
        f"{len(result.cached)} unchanged)"
    )
    return 0
