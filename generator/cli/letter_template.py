"""``playbook letters template ID --out FILE.docx``: a letter as a Word template the legal
department edits (merge fields in Chinese, e.g. «{{ 客户名称 }}»).

Put the edited file at ``site_config/letters/<ID>.docx``: from then on every DOCX and
PDF of that letter is filled from it (PDF through LibreOffice). ``playbook validate``
checks it, and tells you when upstream changed the letter it was exported from.
``--fields`` lists the merge fields (Chinese name, English key of the HTML templates).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.errors import PlaybookError, Problem, UsageError

if TYPE_CHECKING:
    from generator.session import Session


def route(letters_parser: argparse.ArgumentParser) -> None:
    """Make ``playbook letters template …`` reach this command (``letters CASES`` is unchanged)."""
    parser = argparse.ArgumentParser(
        prog="playbook letters template",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("letter", metavar="ID", nargs="?", help="letter id, e.g. reminder-1, stop-supply")
    parser.add_argument("--out", "-o", metavar="FILE.docx", help="where to write the Word template (a new file)")
    parser.add_argument("--fields", action="store_true", help="list the merge fields and exit")
    parser.set_defaults(run=run)
    parser.error = letters_parser.error  # type: ignore[method-assign]  # same exit code 2 and style
    original = letters_parser.parse_known_args
    letters_parser.epilog = "playbook letters template ID --out FILE.docx: export a letter as a Word template"

    def parse_known_args(args: Any = None, namespace: Any = None) -> Any:
        if args and args[0] == "template":
            return parser.parse_known_args(args[1:], namespace)
        return original(args, namespace)

    letters_parser.parse_known_args = parse_known_args  # type: ignore[method-assign]
    letters_parser.nested = [parser]  # type: ignore[attr-defined]  # its options are known to the dispatcher


def run(args: argparse.Namespace) -> int:
    from generator.cli.common import project_of
    from generator.letter_catalog import unknown_letter
    from generator.session import open_session

    if args.fields:
        _print_fields()
        return 0
    project = project_of(args)
    if not args.letter or not args.out:
        raise UsageError("expected `playbook letters template ID --out FILE.docx` (or --fields)")
    session = open_session(project, playbook=False)
    known = session.letter_ids()
    if args.letter not in known:
        raise PlaybookError([Problem("ID", 0, 0, "", unknown_letter(args.letter, known))])
    out = Path(args.out)
    if out.suffix.lower() != ".docx":
        raise UsageError(f"--out {args.out}: expected a file name ending in .docx")
    if out.is_symlink():
        raise UsageError(
            f"--out {args.out} is a symbolic link; the Word template is always a new file (never written "
            "through a link or over a file), so give a plain new file name"
        )
    if out.exists():
        raise UsageError(
            f"--out {args.out} already exists; choose a new file name (your files are never "
            "overwritten), e.g. to compare with upstream's newer version"
        )
    from generator.letters.word.export import export

    data = export(session, args.letter)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=out.parent, prefix=".", suffix=".docx.tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    from generator.letters.word import FOLDER

    target = f"site_config/{FOLDER}/{args.letter}.docx"
    print(
        f"wrote {args.out}: the «{args.letter}» letter as a Word template; edit it in Word or WPS "
        f"(keep the {{{{ 字段 }}}} fields), then save it as {target} to use it for every DOCX and PDF letter"
    )
    return 0


def _print_fields() -> None:
    from generator.letters.word.fields import reference_table

    for name, key, note in reference_table():
        print(f"{name}\t{key}\t{note}")


def prepare(session: Session, letter_id: str, fmt: str) -> None:
    """Before a letters run: check the letter's Word template (if any) once, fail early when
    a PDF needs LibreOffice and it is missing, and say when upstream changed the letter."""
    from generator.letters import word

    template = word.load(session, letter_id)
    if template is None:
        return
    if fmt == "html":
        print(
            f"note: {template.display} is used for DOCX and PDF; HTML letters come from the HTML template",
            file=sys.stderr,
        )
        return
    if fmt == "pdf":
        from generator.letters.word.office import missing

        problem = missing(template.display)
        if problem:
            raise PlaybookError([problem])
    warning = word.drift(session, template)
    if warning:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"using the Word template {template.display}", file=sys.stderr)
