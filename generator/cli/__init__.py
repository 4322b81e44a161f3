"""The ``playbook`` command: a thin dispatcher, one module per subcommand.

Exit codes: 0 success, 1 problems in the user's input (all of them printed),
2 wrong command-line use.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import threading
from collections.abc import Sequence

from generator import __version__
from generator.errors import PlaybookError, UsageError

COMMANDS = ["validate", "build", "serve", "print_cmd", "ladder", "letters", "override", "config"]
"""Subcommand modules in ``generator.cli``; each has ``register(subparsers)`` and ``run(args)``."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"playbook: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="playbook", description="回款手册生成器 (collections playbook generator)")
    parser.add_argument("--version", action="version", version=f"playbook {__version__}")
    parser.add_argument(
        "--project",
        metavar="DIR",
        default=".",
        help="project folder (the one with mkdocs.yml); default: current folder",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMANDS:
        importlib.import_module(f"generator.cli.{name}").register(sub)
    return parser


def _terminate(signum: int, frame: object) -> None:
    # SIGTERM unwinds like Ctrl-C, so temporary output is removed and nothing half-written stays.
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life banner
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except PlaybookError as exc:
        report(exc)
        return 1
    except UsageError as exc:
        print(f"playbook: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        # A place the user named cannot be written (read-only, full disk, missing parent …):
        # one clear line, never a traceback; staged output was already removed on the way out.
        where = f" {exc.filename}" if exc.filename else ""
        print(f"playbook: error: cannot write{where}: {exc.strerror or exc}; nothing else was changed", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("playbook: interrupted; previous output left untouched", file=sys.stderr)
        return 130


def report(exc: PlaybookError) -> None:
    for problem in exc.problems:
        print(problem, file=sys.stderr)
    count = len(exc.problems)
    print(f"{count} problem{'s' if count != 1 else ''} found; nothing was written", file=sys.stderr)
