"""``playbook build [--strict]``: generate the Markdown tree and build ``site/``."""

from __future__ import annotations

import argparse
import time

from generator.build import build_site
from generator.cli.common import project_of
from generator.writer import exclusive


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("build", help="build the site into site/ (atomically)")
    parser.add_argument("--strict", action="store_true",
                        help="fail on warnings: broken links or anchors, unused sources")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    project = project_of(args)
    start = time.perf_counter()
    lock = project.build_dir / "build.lock"  # two builds at once would interleave their output
    with exclusive(lock, project.display(lock), "'playbook build'"):
        result = build_site(project, strict=args.strict)
    phases = ", ".join(f"{k} {v:.2f}s" for k, v in result.timings.items())
    print(f"built {project.display(project.site_dir)}/ in {time.perf_counter() - start:.1f}s ({phases})")
    return 0
