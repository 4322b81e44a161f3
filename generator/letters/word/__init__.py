"""Letters whose wording the legal department owns in Word.

A company puts ``site_config/letters/<id>.docx`` (made with ``playbook letters template
<id>``) in its fork; from then on that file is the letter: DOCX is filled from it with
docxtpl, PDF is that DOCX converted by LibreOffice (``office.py``). Fields are Chinese
names (``fields.py``); the file is checked like code (``check.py``) by ``playbook
validate`` and before any letter is filled.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import PlaybookError, Problem
from generator.project import Project
from generator.session import Session

FOLDER = "letters"
"""``site_config/letters/<id>.docx``."""


def templates_dir(project: Project) -> Path:
    return project.site_config_dir / FOLDER


def template_path(project: Project, letter_id: str) -> Path | None:
    """The company's Word template for this letter, if it has one (whatever it is: a folder or a
    pipe of that name is refused when it is read, not taken for «no template»)."""
    path = templates_dir(project) / f"{letter_id}.docx"
    return path if path.exists() else None


def read_template(path: Path, display: str) -> bytes:
    """The bytes of a Word template, checked first (regular file, at most the size cap)."""
    from generator.letters.word.safety import MAX_FILE_BYTES
    from generator.safeio import read_checked

    return read_checked(path, display, limit=MAX_FILE_BYTES, what="a Word .docx template", where="file")


@dataclass(frozen=True)
class WordTemplate:
    letter_id: str
    display: str
    """As users see the path: ``site_config/letters/stop-supply.docx``."""
    data: bytes

    def fill(self, context: dict[str, Any]) -> bytes:
        """One finished letter (DOCX bytes) from the letter context."""
        import jinja2
        from docxtpl import DocxTemplate

        from generator.letters.docx import reproducible
        from generator.letters.word.fields import clean, word_context

        document = DocxTemplate(io.BytesIO(self.data))
        env = _environment()
        values = word_context(context, context["letter"]["deadline_label"])
        try:
            document.render(values, env, autoescape=True)
        except (jinja2.TemplateError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
            raise PlaybookError(
                [Problem(self.display, 0, 0, "fill", f"cannot fill this Word template: {exc}")]
            ) from None
        properties = document.core_properties
        # a document property holds at most 255 characters (a customer's name may be longer)
        properties.title = clean(f"{context['letter']['title']} · {context['debtor']['name']}")[:255]
        properties.author = clean(str(context["creditor"]["name"]))[:255]
        out = io.BytesIO()
        document.save(out)
        return reproducible(out.getvalue())


class _CompileOnce:
    """docxtpl compiles the document's XML on every letter; the XML of one template is the
    same each time, so each distinct source is compiled once per process.

    A Word template is an untrusted document (it arrives by e-mail), so it is filled in
    Jinja's immutable sandbox: even a tag the checker missed cannot reach Python's objects
    (no ``_``-attributes, no unsafe callables, nothing modified)."""

    def __init__(self) -> None:
        import jinja2
        from jinja2.sandbox import ImmutableSandboxedEnvironment

        self.env = ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)
        self.compiled: dict[str, Any] = {}
        original = self.env.from_string

        def from_string(source: str, *args: Any, **kwargs: Any) -> Any:
            if args or kwargs:
                return original(source, *args, **kwargs)
            if source not in self.compiled:
                if len(self.compiled) > 64:
                    self.compiled.clear()
                self.compiled[source] = original(source)
            return self.compiled[source]

        self.env.from_string = from_string  # type: ignore[method-assign,assignment]


_ENV: list[_CompileOnce] = []


def _environment() -> Any:
    if not _ENV:
        _ENV.append(_CompileOnce())
    return _ENV[0].env


_LOADED: dict[tuple[str, str], tuple[float, WordTemplate]] = {}


def load(session: Session, letter_id: str) -> WordTemplate | None:
    """The checked Word template of a letter (None when the company has none); checked once
    per process and file version."""
    project = session.project
    path = template_path(project, letter_id)
    if path is None:
        return None
    key = (str(path), letter_id)
    stamp = path.stat().st_mtime
    cached = _LOADED.get(key)
    if cached and cached[0] == stamp:
        return cached[1]
    template = WordTemplate(letter_id, project.display(path), read_template(path, project.display(path)))
    problems = problems_of(session, template)
    if problems:
        raise PlaybookError(problems)
    _LOADED[key] = (stamp, template)
    return template


def problems_of(session: Session, template: WordTemplate) -> list[Problem]:
    """What is wrong with a Word template; when the merge fields are right, also fill it
    with the sample customer, so a template that parses but cannot be filled is caught."""
    from generator.letters.word.check import check

    label = session.letters.info(template.letter_id).deadline_label
    problems = check(template.display, template.data, template.letter_id, label)
    if problems:
        return problems
    try:
        template.fill(sample_context(session, template.letter_id))
    except PlaybookError as exc:
        return list(exc.problems)
    return []


def sample_context(session: Session, letter_id: str) -> dict[str, Any]:
    from generator.letters import context as ctx
    from generator.letters.references import reference
    from generator.letters.render import letter_context, letter_env

    company = session.company
    request = ctx.Request(template=letter_id, fmt="docx", letter_date=ctx.SAMPLE_DATE)
    ref = reference(company, on=ctx.SAMPLE_DATE, seq=1, template=letter_id, customer_no=1)
    return letter_context(session, letter_env(session.project), ctx.sample_case(), request, seq=1, reference=ref)


def render(session: Session, letter_id: str, fmt: str, context: dict[str, Any]) -> bytes | None:
    """The letter from the company's Word template in ``fmt`` (docx or pdf), or None when
    this letter has no Word template (or the format is HTML: that stays the HTML letter)."""
    if fmt not in ("docx", "pdf"):
        return None
    template = load(session, letter_id)
    if template is None:
        return None
    data = template.fill(context)
    if fmt == "docx":
        return data
    from generator.letters.word.office import convert

    return convert(data, template.display)


def drift(session: Session, template: WordTemplate) -> Problem | None:
    """A warning when upstream's letter changed since this Word template was exported."""
    from generator.letters.docx import custom_properties
    from generator.letters.word.export import PROPERTY_LETTER, PROPERTY_UPSTREAM, upstream_hash

    try:
        properties = custom_properties(template.data)
    except Exception:  # noqa: BLE001  (a damaged file is reported by the checker, not here)
        return None
    recorded = properties.get(PROPERTY_UPSTREAM)
    if not recorded:
        return None
    exported_as = properties.get(PROPERTY_LETTER, template.letter_id)
    current = upstream_hash(session, exported_as)
    if not current or current == recorded:
        return None
    return Problem(
        template.display,
        0,
        0,
        "upstream changed",
        f"this Word template was exported from an older version of upstream's «{exported_as}» letter; "
        f"export the new one with `playbook letters template {exported_as} --out {exported_as}-new.docx`, "
        "compare the two in Word (Review → Compare) and carry over what you want",
    )


def check_all(session: Session) -> tuple[list[Problem], list[Problem]]:
    """(problems, warnings) of every ``site_config/letters/*.docx`` (``playbook validate``)."""
    from generator.errors import did_you_mean

    project = session.project
    folder = templates_dir(project)
    if not folder.is_dir():
        return [], []
    known = session.letter_ids()
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "~$")) or path.suffix.lower() != ".docx":
            if path.suffix.lower() in (".doc", ".wps", ".dotx", ".docm"):
                problems.append(
                    Problem(
                        project.display(path),
                        0,
                        0,
                        "file",
                        "expected a .docx Word template, "
                        f"found a {path.suffix} file; save it as Word Document (*.docx)",
                    )
                )
            continue
        letter_id = path.stem
        if letter_id not in known:
            problems.append(
                Problem(
                    project.display(path),
                    0,
                    0,
                    "file name",
                    f"expected a letter id ({', '.join(known)}), found '{letter_id}'{did_you_mean(letter_id, known)}",
                )
            )
            continue
        try:
            data = read_template(path, project.display(path))
        except PlaybookError as exc:
            problems.extend(exc.problems)
            continue
        template = WordTemplate(letter_id, project.display(path), data)
        found = problems_of(session, template)
        problems.extend(found)
        if not found:
            warning = drift(session, template)
            if warning:
                warnings.append(warning)
    return problems, warnings
