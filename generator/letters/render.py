"""One letter → HTML text, PDF bytes or DOCX bytes (the same template for all three)."""

from __future__ import annotations

import contextlib
import weakref
from typing import Any

import jinja2
from markupsafe import Markup

from generator.cases.model import Case
from generator.letters import context as ctx
from generator.letters.references import reference as make_reference
from generator.money import format_amount, rmb_upper
from generator.pdf import FONT_FAMILY
from generator.pdf.webfont import embedded_font_css
from generator.project import Project
from generator.render.env import make_env, render
from generator.session import Session

SENT_LETTER_DEFAULT = "final-demand"
CONTEXT_DOC = "letters/_context.html.j2"
"""The one description of a letter's context (every letter's header comment points to it)."""


def letter_env(project: Project) -> jinja2.Environment:
    """Autoescaping HTML environment (company overrides first) with the letter filters."""
    env = make_env(project, html=True)
    env.filters["money"] = format_amount
    env.filters["rmb"] = rmb_upper
    return env


def template_name(letter_id: str) -> str:
    return f"letters/{letter_id}.html.j2"


def letter_context(
    session: Session,
    env: jinja2.Environment,
    case: Case,
    request: ctx.Request,
    *,
    seq: int,
    reference: str,
) -> dict[str, Any]:
    """The full context; a letter whose template uses ``sent_letter`` (the shipped 送达记录, or a
    company's own record) also gets the copy of the letter it records."""
    project, company = session.project, session.company
    rungs = session.policy.enabled_rung_ids()
    letters = session.letters
    context = ctx.build(company, case, request, seq=seq, reference=reference, rungs=rungs, letters=letters)
    if request.fmt == "pdf":
        from generator.pdf import font_face_css

        context["font_css"] = Markup(font_face_css())
    if uses_variable(env, template_name(request.template), "sent_letter"):
        sent = request.sent_letter or (case.delivery.letter if case.delivery else "")
        if sent:
            sent_reference = (
                case.delivery.reference
                if case.delivery and case.delivery.reference
                else make_reference(company, on=request.letter_date, seq=seq, template=sent, customer_no=case.number)
            )
            inner = ctx.build(
                company, case, request, seq=seq, reference=sent_reference, template=sent, rungs=rungs, letters=letters
            )
            inner["embedded"] = True
            html = render(env, project, template_name(sent), inner)
            context["sent_letter"] = {
                "id": sent,
                "title": inner["letter"]["title"],
                "reference": sent_reference,
                "html": Markup(html),
            }
        if context["delivery"]["sent_date"] is None and case.delivery is None and request.deadline:
            context["delivery"]["sent_date"] = request.deadline
    return context


def uses_variable(env: jinja2.Environment, name: str, variable: str) -> bool:
    """Whether template ``name`` or a template it extends, includes or imports reads ``variable``
    (so what a letter gets is decided by its template, not by its id)."""
    known = _VARIABLES.setdefault(env, {})  # asked once per letter of a bulk run: answered once per run
    if name not in known:
        known[name] = _variables(env, name)
    return variable in known[name]


_VARIABLES: weakref.WeakKeyDictionary[jinja2.Environment, dict[str, frozenset[str]]] = weakref.WeakKeyDictionary()
"""Per environment (one per run or worker, several in a site build), the variables each template reads."""


def _variables(env: jinja2.Environment, name: str, seen: frozenset[str] = frozenset()) -> frozenset[str]:
    assert env.loader is not None
    try:
        source = env.loader.get_source(env, name)[0]
    except jinja2.TemplateNotFound:
        return frozenset()
    found, others = _read_by(env, source)
    for other in others:
        if other not in seen:
            found |= _variables(env, other, seen | {name})
    return found


_PARSED: dict[tuple[object, ...], tuple[frozenset[str], tuple[str, ...]]] = {}
"""A memo, not state: (syntax, filter and test names, source) → what the source reads and names.
Parsing is what costs, and the site makes several environments per letter; the answer depends
on nothing but the key, so every environment of the process shares it."""
_PARSED_MAX = 256
"""Entries kept (``playbook serve`` parses every edited version of a template)."""


def _read_by(env: jinja2.Environment, source: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The variables one template's source reads and the templates it names."""
    from jinja2 import meta

    key = (
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        tuple(sorted(env.extensions)),
        tuple(sorted(env.filters)),  # compiling checks that every filter and test used exists
        tuple(sorted(env.tests)),
        source,
    )
    found = _PARSED.get(key)
    if found is None:
        tree = env.parse(source)
        found = (
            frozenset(meta.find_undeclared_variables(tree)),
            tuple(t for t in meta.find_referenced_templates(tree) if t),
        )
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[key] = found
    return found


def render_html(project: Project, env: jinja2.Environment, letter_id: str, context: dict[str, Any]) -> str:
    """The letter's HTML; an HTML letter (``letter.format`` html) carries the glyphs of the
    shipped font it uses, so it shows Chinese when opened alone on any machine, unless
    ``font_href`` (in the context) points at a copy of the font it can load instead."""
    if context.get("font_href"):  # inside the site: the site's own copy of the font
        face = (
            f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{context["font_href"]}") format("opentype"); }}\n'
        )
        return render(env, project, template_name(letter_id), {**context, "font_css": Markup(face)})
    html = render(env, project, template_name(letter_id), context)
    if context["letter"]["format"] != "html" or context.get("embedded"):
        return html
    base = _template_text(env, letter_id) + _company_text(context)
    return render(
        env,
        project,
        template_name(letter_id),
        {**context, "font_css": Markup(embedded_font_css(html, base=base, cache_dir=project.cache_dir / "webfont"))},
    )


def _template_text(env: jinja2.Environment, letter_id: str) -> str:
    """The wording of a letter's templates: the glyphs every letter of that kind needs (the shared
    context description included: its wording was once copied into every letter, and keeping it
    keeps the fonts, and so the files, of every letter what they were)."""
    assert env.loader is not None
    text = []
    for name in (template_name(letter_id), "letters/_base.html.j2", "letters/_parts.html.j2", CONTEXT_DOC):
        with contextlib.suppress(jinja2.TemplateNotFound):  # a company's template may stand alone
            text.append(env.loader.get_source(env, name)[0])
    return "".join(text)


def _company_text(context: dict[str, Any]) -> str:
    creditor = context["creditor"]
    return "".join(str(v) for v in creditor.values() if isinstance(v, str)) + str(creditor["contact"])
