"""``playbook build [--strict] [--engine mkdocs|properdocs|zensical]``: generate the Markdown
tree and the PDFs, run the engine, check the result, and swap in ``site/``."""

from __future__ import annotations

import argparse
import time

from generator.cli.common import project_of
from generator.engines import ENGINE_ORDER
from generator.errors import PlaybookError, Problem


def add_engine_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engine",
        choices=ENGINE_ORDER,
        default=None,
        help="site engine (default: engine: in site_config/engine.yaml, else the first "
        f"installed of {', '.join(ENGINE_ORDER)})",
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("build", help="build the site into site/ (atomically)")
    parser.add_argument(
        "--strict", action="store_true", help="fail on warnings: broken links or anchors, unused sources"
    )
    add_engine_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from generator.build import build_site
    from generator.writer import exclusive

    project = project_of(args)
    start = time.perf_counter()
    with exclusive(project.build_dir / "build.lock") as mine:
        if not mine:
            raise PlaybookError(
                [
                    Problem(
                        project.display(project.build_dir),
                        0,
                        0,
                        "(build)",
                        "another `playbook build` is running in this project; wait for it "
                        "to finish (two builds at once would write the same files)",
                    )
                ]
            )
        result = build_site(project, strict=args.strict, engine=args.engine)
    phases = ", ".join(f"{k} {v:.2f}s" for k, v in result.timings.items())
    print(
        f"built {project.display(project.site_dir)}/ with {result.engine} in "
        f"{time.perf_counter() - start:.1f}s ({phases})"
    )
    return 0
