"""``playbook serve``: live preview; edits to playbook/, templates/, site_config/ reload the page."""

from __future__ import annotations

import argparse
import os

from generator.cli.common import project_of


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("serve", help="preview the site with live reload")
    parser.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", metavar="IP:PORT",
                        help="address to serve on (default 127.0.0.1:8000)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve

    project = project_of(args)
    os.chdir(project.root)
    serve(config_file=str(project.mkdocs_yml), dev_addr=args.dev_addr, livereload=True)
    return 0
