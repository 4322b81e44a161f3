"""The ``playbook`` command: a thin dispatcher, one module per subcommand.

Exit codes: 0 success, 1 problems in the user's input (all of them printed),
2 wrong command-line use.

A subcommand's module only declares its options; what it runs is imported inside its
``run``, so ``playbook letters --help`` does not load the site builder, the PDF engine …
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence

from generator import __version__
from generator.cli import build, config, ladder, letters, override, print_cmd, serve, validate
from generator.errors import PlaybookError, UsageError, did_you_mean

COMMANDS = (validate, build, serve, print_cmd, ladder, letters, override, config)
"""Each has ``register(subparsers)`` and ``run(args)``."""

GLOBAL = ("--project",)
"""Options of ``playbook`` itself that every subcommand accepts too (before or after its name)."""


class _Parser(argparse.ArgumentParser):
    epilog_from = None
    """A function giving the epilog, called only when the help is shown (it may read files)."""

    def format_help(self) -> str:
        if self.epilog_from is not None:
            self.epilog = self.epilog_from()
        return super().format_help()

    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse reports a missing required option before an unknown one; a mistyped
        # option (--tempalte) is the real mistake, so it is named first.
        unknown = _unknown_option(_ARGV[0]) if _ARGV else None
        if unknown is not None:
            message = unknown
        self.print_usage(sys.stderr)
        print(f"playbook: error: {message}", file=sys.stderr)
        raise SystemExit(2)


_ARGV: list[list[str]] = []
_KNOWN: list[dict[str, set[str]]] = []
"""The command line being parsed and every (sub)command's option strings, for :func:`_unknown_option`."""


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
    for command in COMMANDS:
        command.register(sub)
    known = {"": set(parser._option_string_actions)}
    for name, child in sub.choices.items():
        # SUPPRESS: given after the subcommand it overrides the global one, absent it leaves it be
        child.add_argument(
            "--project",
            metavar="DIR",
            default=argparse.SUPPRESS,
            help="project folder (the one with mkdocs.yml); default: current folder",
        )
        known[name] = set(child._option_string_actions)
        for nested in getattr(child, "nested", ()):  # `playbook letters template …`
            nested.add_argument("--project", metavar="DIR", default=argparse.SUPPRESS, help="project folder")
            known[name] |= set(nested._option_string_actions)

    _KNOWN[:] = [known]
    return parser


def _unknown_option(argv: list[str]) -> str | None:
    """The first option no part of the command line knows, with «did you mean»."""
    if not _KNOWN:
        return None
    known = _KNOWN[0]
    allowed = set(known[""])
    rest = list(argv)
    while rest:
        token = rest.pop(0)
        if token == "--":
            return None
        if token in known and token != "":
            allowed |= known[token]
            break
        if token in GLOBAL and rest:
            rest.pop(0)
    for token in rest:
        if token == "--":
            break
        if not token.startswith("-") or token == "-" or token[1:2].isdigit():
            continue
        name = token.split("=", 1)[0]
        if name in allowed or (not name.startswith("--") and name[:2] in allowed):
            continue
        if name.startswith("--") and sum(1 for option in allowed if option.startswith(name)) == 1:
            continue  # argparse accepts an unambiguous abbreviation
        longs = sorted(o for o in allowed if o.startswith("--"))
        return f"unrecognized option '{name}'{did_you_mean(name, longs)}"
    return None


def _terminate(signum: int, frame: object) -> None:
    # SIGTERM unwinds like Ctrl-C, so temporary output is removed and nothing half-written stays.
    raise KeyboardInterrupt


def _quiet_stdout() -> None:
    """The reader of our output went away (``| head``): say nothing more, and let the
    interpreter's last flush at exit go nowhere instead of failing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life banner
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    arguments = list(sys.argv[1:] if argv is None else argv)
    _ARGV[:] = [arguments]
    try:
        parser = build_parser()
        args = parser.parse_args(arguments)
        code = _run(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's flush at exit
        return code
    except BrokenPipeError:
        _quiet_stdout()
        return 0
    finally:
        _ARGV.clear()


def _run(args: argparse.Namespace) -> int:
    try:
        return int(args.run(args) or 0)
    except PlaybookError as exc:
        report(exc)
        return 1
    except UsageError as exc:
        print(f"playbook: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        raise
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
