"""``playbook serve [--engine …]``: live preview; edits to playbook/, templates/, site_config/
and defaults/ reload the page.

MkDocs and ProperDocs serve ``mkdocs.yml`` with the ``playbook`` plugin, which regenerates on
every change. Zensical runs no plugins: the site is generated here, Zensical serves the
generated config, and a watcher regenerates the docs tree (Zensical then reloads the page).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
import time
from pathlib import Path

from generator.cli.build import add_engine_option
from generator.cli.common import project_of
from generator.engines import Engine, choose
from generator.errors import PlaybookError
from generator.project import Project

WATCHED = ("playbook", "templates", "site_config", "defaults")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("serve", help="preview the site with live reload")
    parser.add_argument(
        "-a",
        "--dev-addr",
        default="127.0.0.1:8000",
        metavar="IP:PORT",
        help="address to serve on (default 127.0.0.1:8000)",
    )
    add_engine_option(parser)
    parser.set_defaults(run=run)


def _end_with_parent() -> None:
    """A preview server started by ``make serve`` ends when make does (``timeout 45 make serve``,
    a closed terminal): Linux delivers SIGTERM to it then, which stops it like Ctrl-C."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    parent = os.getppid()
    try:
        if ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0) == 0 and os.getppid() != parent:
            raise KeyboardInterrupt  # the parent died before prctl took effect
    except (OSError, AttributeError):
        pass


def run(args: argparse.Namespace) -> int:
    _end_with_parent()  # PR_SET_PDEATHSIG
    project = project_of(args)
    engine = choose(project, args.engine)
    os.chdir(project.root)
    if engine.name == "mkdocs":
        from mkdocs.commands.serve import serve

        serve(config_file=str(project.mkdocs_yml), dev_addr=args.dev_addr, livereload=True)
        return 0
    if engine.name == "properdocs":
        command = [
            sys.executable,
            "-m",
            "properdocs",
            "serve",
            "-f",
            str(project.mkdocs_yml),
            "-a",
            args.dev_addr,
            "--livereload",
        ]
        return subprocess.run(command, cwd=project.root, check=False).returncode
    return _serve_generated(project, engine, args.dev_addr)


def generate_for(project: Project, engine: Engine) -> Path:
    """Docs tree, PDFs and ``.build/<engine>.yml`` for an engine that runs none of our code."""
    from generator.engines.config import write_config
    from generator.engines.run import output_dir
    from generator.engines.settings import site_settings
    from generator.pipeline import generate, reproducible_dates, write_files

    source = dataclasses.replace(project, links_from_source=engine.links_from_source)
    with reproducible_dates(project):
        generated = generate(source)
        for warning in generated.playbook.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        write_files(generated, project.docs_dir, {})
        return write_config(project, site_settings(project, generated), engine, output_dir(project, engine))


def _snapshot(project: Project) -> dict[Path, float]:
    return {
        p: p.stat().st_mtime
        for name in WATCHED
        if (project.root / name).is_dir()
        for p in (project.root / name).rglob("*")
        if p.is_file()
    }


def _serve_generated(project: Project, engine: Engine, dev_addr: str) -> int:
    config = generate_for(project, engine)  # a mistake before the first page stops here (exit 1)
    command = [sys.executable, "-m", engine.module, "serve", "-f", str(config), "-a", dev_addr]
    server = subprocess.Popen(command, cwd=project.root)
    print(
        f"Serving the playbook with {engine.name} on http://{dev_addr}/ (edits to playbook/, templates/, "
        "site_config/ and defaults/ regenerate the pages; Ctrl+C stops)",
        flush=True,
    )
    seen = _snapshot(project)
    try:
        while server.poll() is None:
            time.sleep(1.0)
            now = _snapshot(project)
            if now == seen:
                continue
            seen = now
            try:
                generate_for(project, engine)
                print("regenerated", flush=True)
            except PlaybookError as exc:  # keep the last good pages; tell what to fix
                for problem in exc.problems:
                    print(problem, file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=10)
    return 0
