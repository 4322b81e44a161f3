"""``playbook letters template ID``: the HTML letter → an editable Word template.

The letter's wording is never copied here: the HTML template is rendered with
*placeholders* (private-use markers) instead of data, and converted by the same
``docx.py`` that makes finished letters. What a template says only when a field is known
(``{% if contracts %}…{% else %}…{% endif %}``) is found by rendering once more with that
field empty and comparing the two: text only in the full rendering becomes
``{% if 合同编号 %}…``, whole paragraphs become ``{%p if … %}`` paragraphs, and the
invoice row becomes ``{%tr for 发票 in 发票明细 %}``. So the export follows whatever the
HTML template says, and a change upstream changes the export.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import re
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup

from generator.errors import PlaybookError, Problem
from generator.letters import context as ctx
from generator.letters.references import reference as make_reference
from generator.project import Project
from generator.session import Session

OPEN, CLOSE = "\ue000", "\ue001"
"""Around a field placeholder: ``\\ue000客户名称\\ue001``."""
TAG_OPEN, TAG_CLOSE = "\ue002", "\ue003"
"""Around a template tag inserted by the export: ``\\ue002if 合同编号\\ue003``."""
ROW_SEP = "/"
"""Row placeholders are ``发票明细/发票号码`` (list / field)."""

PROPERTY_LETTER = "playbook-letter"
PROPERTY_UPSTREAM = "playbook-upstream-sha256"
PROPERTY_SOURCE = "playbook-exported-from"

BLOCK_TAGS = ("<p", "</p", "<table", "</table", "<tr", "</tr", "<div", "</div", "<h1", "</h1", "<h2", "</h2")


class Placeholder(str):
    """A field's placeholder in the rendered letter; filters pass it through unchanged."""

    __slots__ = ()


def _mark(name: str) -> Placeholder:
    return Placeholder(f"{OPEN}{name}{CLOSE}")


def _passthrough(original: Any) -> Any:
    def apply(value: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(value, Placeholder):
            return value
        return original(value, *args, **kwargs)

    return apply


def placeholder_env(project: Project, *, upstream_only: bool) -> jinja2.Environment:
    from generator.letters.render import letter_env

    env = letter_env(project)
    if upstream_only:
        env.loader = jinja2.FileSystemLoader([str(project.templates_dir)])
    env.filters = dict(env.filters)
    for name in ("cn_date", "money", "rmb"):
        env.filters[name] = _passthrough(env.filters[name])
    return env


def _set(context: dict[str, Any], key: str, value: Any) -> None:
    parts = key.split(".")
    target: Any = context
    for part in parts[:-1]:
        target = target[part]
    target[parts[-1]] = value


def placeholder_context(session: Session, letter_id: str) -> dict[str, Any]:
    """The letter context with every documented field replaced by its placeholder."""
    from generator.letters.word.fields import FIELDS, ROWS

    company = session.company
    request = ctx.Request(template=letter_id, fmt="docx", letter_date=ctx.SAMPLE_DATE)
    case = ctx.sample_case()
    ref = make_reference(company, on=ctx.SAMPLE_DATE, seq=1, template=letter_id, customer_no=1)
    context = ctx.build(company, case, request, seq=1, reference=ref or "x", letters=session.letters)
    contact = context["creditor"]["contact"]
    context["creditor"]["contact"] = {k: getattr(contact, k, "") for k in ("name", "title", "phone", "email")}
    context["sent_letter"] = {"title": "", "reference": "", "html": ""}
    context["contracts"] = [_mark("合同编号")]
    for field in FIELDS:
        if field.key != "contracts":
            value = _mark(field.zh)
            if field.kind in ("dates", "list") and field.key != "contracts":
                _set(context, field.key, [value])  # the templates loop over these
            else:
                _set(context, field.key, Markup(value) if field.kind == "copy" else value)
    for rows in ROWS:
        context[rows.key] = [{f.key: _mark(f"{rows.zh}{ROW_SEP}{f.zh}") for f in rows.fields}]
    return context


@dataclass(frozen=True)
class Variant:
    name: str
    """The field whose absence this rendering shows."""
    html: str


def _render(env: jinja2.Environment, project: Project, letter_id: str, context: dict[str, Any]) -> str:
    from generator.letters.render import render_html

    return render_html(project, env, letter_id, context)


def renderings(session: Session, letter_id: str, *, upstream_only: bool) -> tuple[str, list[Variant]]:
    """The letter with every field present, and once per optional field with that one empty."""
    from generator.letters.word.fields import FIELDS, ROWS

    project = session.project
    env = placeholder_env(project, upstream_only=upstream_only)
    full_context = placeholder_context(session, letter_id)
    full = _render(env, project, letter_id, full_context)
    variants: list[Variant] = []
    toggles: list[tuple[str, str, Any]] = []
    for field in FIELDS:
        if field.optional:
            toggles.append((field.zh, field.toggle or field.key, None if field.toggle else _empty(field)))
    for rows in ROWS:
        for field in rows.fields:
            if field.optional:
                toggles.append((f"{rows.var}.{field.zh}", f"{rows.key}.0.{field.key}", _empty(field)))
    for name, key, empty in toggles:
        context = copy.deepcopy(full_context)
        _set_path(context, key, empty)
        html = _render(env, project, letter_id, context)
        if html != full:
            variants.append(Variant(name, html))
    return full, variants


def _empty(field: Any) -> Any:
    return {"list": [], "date": None, "number": 0}.get(field.kind, "")


def _set_path(context: dict[str, Any], key: str, value: Any) -> None:
    parts = key.split(".")
    target: Any = context
    for part in parts[:-1]:
        target = target[int(part)] if isinstance(target, list) else target[part]
    target[parts[-1]] = value


def upstream_hash(session: Session, letter_id: str) -> str:
    """Fingerprint of upstream's letter (shipped templates only, placeholders instead of data):
    changes exactly when upstream changes what the letter says or how it is laid out."""
    if not (session.project.templates_dir / "letters" / f"{letter_id}.html.j2").exists():
        return ""
    full, variants = renderings(session, letter_id, upstream_only=True)
    digest = hashlib.sha256(full.encode())
    for variant in variants:
        digest.update(f"\0{variant.name}\0{variant.html}".encode())
    return digest.hexdigest()


# --- from renderings to a template ---------------------------------------------------------------

_TOKEN = re.compile(rf"<[^>]*>|{OPEN}[^{CLOSE}]*{CLOSE}|.", re.S)
MERGE_GAP = 6
"""Differences closer than this many tokens belong to one condition (a sentence reworded)."""


@dataclass
class _Edit:
    start: int
    end: int
    other: str
    field: str


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _edits(full: list[str], variant: Variant) -> list[_Edit]:
    other = _tokens(variant.html)
    matcher = difflib.SequenceMatcher(None, full, other, autojunk=False)
    spans: list[list[int]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if spans and i1 - spans[-1][1] < MERGE_GAP and j1 - spans[-1][3] < MERGE_GAP:
            spans[-1][1], spans[-1][3] = i2, j2
        else:
            spans.append([i1, i2, j1, j2])
    return [_Edit(i1, i2, "".join(other[j1:j2]), variant.name) for i1, i2, j1, j2 in spans]


def _is_block(text: str) -> bool:
    return any(tag in text for tag in BLOCK_TAGS)


def _tag(text: str) -> str:
    return f"{TAG_OPEN}{text}{TAG_CLOSE}"


def _para(text: str) -> str:
    return f'\n<p class="plain">{_tag(text)}</p>\n'


def annotate(project: Project, letter_id: str, full: str, variants: list[Variant]) -> str:
    """The full rendering with the conditions and the repeated rows written in."""
    tokens = _tokens(full)
    before: dict[int, list[str]] = {}
    after: dict[int, list[str]] = {}
    problems: list[Problem] = []
    for variant in variants:
        for edit in _edits(tokens, variant):
            shown = "".join(tokens[edit.start : edit.end])
            block = _is_block(shown) or _is_block(edit.other)
            if block and not (_balanced(shown) and _balanced(edit.other)):
                problems.append(
                    Problem(
                        f"templates/letters/{letter_id}.html.j2",
                        0,
                        0,
                        f"field {edit.field}",
                        "the text shown only with this field does not start and end with whole "
                        "paragraphs; keep an {% if %} inside one paragraph or around whole ones",
                    )
                )
                continue
            cond = f"{'p ' if block else ''}if {edit.field}"
            if not shown.strip():  # text only when the field is empty
                cond = f"{'p ' if block else ''}if not {edit.field}"
                before.setdefault(edit.start, []).append(
                    (_para(cond) if block else _tag(cond)) + edit.other + (_para("p endif") if block else _tag("endif"))
                )
                continue
            wrap = _para if block else _tag
            before.setdefault(edit.start, []).append(wrap(cond))
            closing = wrap(f"{'p ' if block else ''}endif")
            if edit.other.strip():
                closing = wrap(f"{'p ' if block else ''}else") + edit.other + closing
            after.setdefault(edit.end, []).insert(0, closing)
    if problems:
        raise PlaybookError(problems)
    out: list[str] = []
    for i, token in enumerate(tokens + [""]):
        out.extend(after.get(i, []))
        out.extend(before.get(i, []))
        out.append(token)
    return _rows("".join(out))


def _balanced(text: str) -> bool:
    depth: dict[str, int] = {}
    for tag in re.findall(r"<(/?)(p|table|tr|td|th|div|h1|h2|tbody|thead)\b", text):
        closing, name = tag
        depth[name] = depth.get(name, 0) + (-1 if closing else 1)
        if depth[name] < 0:
            return False
    return all(v == 0 for v in depth.values())


_ROW = re.compile(r"<tr\b[^>]*>.*?</tr>", re.S)


def _rows(html: str) -> str:
    """Each table row holding a list's placeholders is repeated per item (``{%tr for %}``);
    the row's running number (``loop.index`` renders as 1) becomes «{{ 发票.序号 }}»."""
    from generator.letters.word.fields import ROWS

    lists = {rows.zh: rows for rows in ROWS}

    def repeat(match: re.Match[str]) -> str:
        row = match.group(0)
        found = re.search(rf"{OPEN}([^{CLOSE}{ROW_SEP}]+){ROW_SEP}", row)
        if not found:
            return row
        rows = lists[found.group(1)]
        numbered = "序号" in {f.zh for f in rows.fields}
        if numbered:
            row = re.sub(r"(<td[^>]*>)1(</td>)", rf"\g<1>{OPEN}{rows.zh}{ROW_SEP}序号{CLOSE}\g<2>", row, count=1)
        width = sum(int(span or 1) for span in re.findall(r'<t[dh]\b(?:[^>]*colspan="(\d+)")?', row))
        cell = f'<td colspan="{width}" class="text">' if width > 1 else "<td>"
        return (
            f"<tr>{cell}{_tag(f'tr for {rows.var} in {rows.zh}')}</td></tr>\n{row}\n"
            f"<tr>{cell}{_tag('tr endfor')}</td></tr>"
        )

    return _ROW.sub(repeat, html)


def to_tags(html: str, deadline_label: str) -> str:
    """Placeholders → ``{{ 客户名称 }}`` and inserted tags → ``{% … %}`` (plain text in Word)."""
    from generator.letters.word.fields import ROWS, deadline_alias

    variables = {rows.zh: rows.var for rows in ROWS}
    alias = deadline_alias(deadline_label)

    def field(match: re.Match[str]) -> str:
        name = match.group(1)
        if ROW_SEP in name:
            list_name, sub = name.split(ROW_SEP, 1)
            name = f"{variables[list_name]}.{sub}"
        elif name == "期限日期" and alias:
            name = alias
        return f"{{{{ {name} }}}}"

    def tag(match: re.Match[str]) -> str:
        text = match.group(1)
        kind, _, rest = text.partition(" ")
        if kind in ("p", "tr"):
            return f"{{%{kind} {rest} %}}"
        return f"{{% {text} %}}"

    html = re.sub(rf"{OPEN}([^{CLOSE}]*){CLOSE}", field, html)
    return re.sub(rf"{TAG_OPEN}([^{TAG_CLOSE}]*){TAG_CLOSE}", tag, html)


def export(session: Session, letter_id: str) -> bytes:
    """The letter as a Word template (bytes of a .docx), with upstream's fingerprint inside."""
    from generator.letters.docx import html_to_docx

    project = session.project
    full, variants = renderings(session, letter_id, upstream_only=False)
    letters = session.letters
    label = letters.info(letter_id).deadline_label
    html = to_tags(annotate(project, letter_id, full, variants), label)
    overridden = (project.overrides_dir / "letters" / f"{letter_id}.html.j2").exists()
    properties = {
        PROPERTY_LETTER: letter_id,
        PROPERTY_UPSTREAM: upstream_hash(session, letter_id),
        PROPERTY_SOURCE: (
            f"site_config/overrides/letters/{letter_id}.html.j2"
            if overridden
            else f"templates/letters/{letter_id}.html.j2"
        ),
    }
    return html_to_docx(html, title=f"{letters.info(letter_id).title}（Word 模板）", properties=properties)
