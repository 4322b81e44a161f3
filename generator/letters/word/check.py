"""Check a company's Word letter template like code, before any letter is filled.

Every problem names the .docx and where in it (``paragraph 7``, ``table 1, row 2, cell 3``)
with the start of that paragraph's text, so a lawyer finds it in Word. Tags that Word
split across runs (it does when a field is edited or spell-checked) are read as the
paragraph's whole text, which is also how docxtpl repairs them when it fills the letter.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2 import nodes

from generator.errors import Problem
from generator.letters.word.fields import FIELDS, ROWS, Rows, deadline_alias, row_names

SNIPPET = 24
MAX_PROBLEMS = 30

_TAG = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}|\{#.*?#\}", re.S)
_DOCXTPL_PREFIX = re.compile(r"^(p|tr|tc|r)\s+")
_STRAY = re.compile(r"\{\{|\{%|\}\}|%\}")
_FULL_WIDTH = re.compile(r"[｛｝]\s*[｛｝{}%％]|[{}]\s*[｛｝]|｛％|％｝")
_CURLY_QUOTES = re.compile(r"[“”‘’]")


@dataclass(frozen=True)
class Paragraph:
    where: str
    """``paragraph 7`` or ``table 1, row 2, cell 3``."""
    text: str
    in_table: bool
    word_fields: tuple[str, ...] = ()
    """Names of Word mail-merge fields (Mailings → Insert Merge Field) in the paragraph."""


@dataclass(frozen=True)
class Tag:
    paragraph: Paragraph
    raw: str
    """As written, e.g. ``{%p if 合同编号 %}``."""
    statement: bool
    body: str
    """Inside the braces with docxtpl's p/tr/tc/r prefix removed."""
    prefix: str


def _w(name: str) -> str:
    return f"{{http://schemas.openxmlformats.org/wordprocessingml/2006/main}}{name}"


def _text(element) -> str:  # type: ignore[no-untyped-def]
    return "".join(t.text or "" for t in element.iter(_w("t")))


_MERGEFIELD = re.compile(r"MERGEFIELD\s+\"?([^\s\"\\]+)")


def _word_fields(element) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    codes = [t.text or "" for t in element.iter(_w("instrText"))]
    codes += [f.get(_w("instr"), "") for f in element.iter(_w("fldSimple"))]
    return tuple(m.group(1) for code in codes for m in _MERGEFIELD.finditer(code))


def parser() -> Any:
    """lxml reading a document from outside: no entities resolved, no DTD, no network."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)


def paragraphs(part_xml: bytes, prefix: str = "") -> list[Paragraph]:
    """A part's paragraphs and table cells in reading order, named as Word users count them
    (content controls and other wrappers are looked through)."""
    from lxml import etree

    root = etree.fromstring(part_xml, parser())
    body = root.find(_w("body"))
    found: list[Paragraph] = []
    counts = {"p": 0, "tbl": 0}

    def walk(container) -> None:  # type: ignore[no-untyped-def]
        for child in container:
            if child.tag == _w("p"):
                counts["p"] += 1
                found.append(Paragraph(f"{prefix}paragraph {counts['p']}", _text(child), False, _word_fields(child)))
            elif child.tag == _w("tbl"):
                counts["tbl"] += 1
                table = counts["tbl"]
                for r, row in enumerate(child.findall(_w("tr")), start=1):
                    for c, cell in enumerate(row.findall(_w("tc")), start=1):
                        for para in cell.iter(_w("p")):
                            found.append(
                                Paragraph(
                                    f"{prefix}table {table}, row {r}, cell {c}", _text(para), True, _word_fields(para)
                                )
                            )
            elif isinstance(child.tag, str):
                walk(child)

    walk(body if body is not None else root)
    return found


_HEADER_FOOTER = re.compile(r"word/(header|footer)(\d*)\.xml|word/(footnotes)\.xml")


def parts(data: bytes) -> list[tuple[str, bytes]]:
    """(prefix naming the part, XML) of the page headers, footers and footnotes, which docxtpl fills too."""
    found: list[tuple[str, bytes]] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in sorted(archive.namelist()):
            match = _HEADER_FOOTER.fullmatch(name)
            if match and match.group(3):
                found.append(("footnotes, ", archive.read(name)))
            elif match:
                kind = "page header" if match.group(1) == "header" else "page footer"
                found.append((f"{kind} {match.group(2) or 1}, ", archive.read(name)))
    return found


def _where(paragraph: Paragraph) -> str:
    text = paragraph.text.strip()
    shown = text[:SNIPPET] + ("…" if len(text) > SNIPPET else "")
    return f"{paragraph.where} («{shown}»)" if shown else paragraph.where


def open_docx(display: str, data: bytes) -> tuple[bytes | None, list[Problem]]:
    """``word/document.xml`` of a real .docx, or why this file is not one."""
    expected = "expected a Word .docx file (File → Save As → Word Document (*.docx))"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return None, [
            Problem(
                display,
                0,
                0,
                "file",
                f"{expected}, found an old Word 97–2003 .doc (or an encrypted document); save it as .docx",
            )
        ]
    if not data.startswith(b"PK"):
        return None, [Problem(display, 0, 0, "file", f"{expected}, found {_kind(data)}")]
    from generator.letters.word.safety import MAX_FILE_BYTES, refusals

    if len(data) > MAX_FILE_BYTES:
        return None, [
            Problem(
                display,
                0,
                0,
                "file",
                f"expected a Word template of at most {MAX_FILE_BYTES >> 20} MB, found {len(data) >> 20:,} MB",
            )
        ]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                return None, [
                    Problem(display, 0, 0, "file", f"{expected}, found a ZIP archive without word/document.xml")
                ]
            refused = refusals(display, archive)
            if refused:
                return None, refused
            xml = archive.read("word/document.xml")
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
        return None, [Problem(display, 0, 0, "file", f"{expected}, found a damaged ZIP archive ({exc})")]
    from lxml import etree

    try:
        etree.fromstring(xml, parser())
    except etree.XMLSyntaxError as exc:
        return None, [Problem(display, 0, 0, "file", f"{expected}, found a damaged word/document.xml ({exc})")]
    return xml, []


def _kind(data: bytes) -> str:
    if not data:
        return "an empty file"
    if data.lstrip()[:1] == b"<":
        return "an HTML or XML file (Word's «Save as Web Page» or «Word XML»?)"
    if data.startswith(b"%PDF"):
        return "a PDF"
    if data.startswith(b"{\\rtf"):
        return "an RTF file"
    return "a file that is not a ZIP package"


def check(display: str, data: bytes, letter_id: str, deadline_label: str) -> list[Problem]:
    """Every problem of one Word template (empty when it is fine)."""
    from lxml import etree

    xml, problems = open_docx(display, data)
    if xml is None:
        return problems
    for prefix, part in [("", xml), *parts(data)]:
        tags: list[Tag] = []  # each part is a template of its own: its if/for close inside it
        try:
            found = paragraphs(part, prefix)
        except etree.XMLSyntaxError as exc:
            problems.append(
                Problem(
                    display,
                    0,
                    0,
                    prefix.rstrip(", ") or "file",
                    f"expected a readable Word document, found damaged XML ({exc})",
                )
            )
            continue
        for paragraph in found:
            problems.extend(_lexical(display, paragraph, tags))
        problems.extend(_structure(display, tags))
        problems.extend(_names(display, tags, deadline_label))
    if len(problems) > MAX_PROBLEMS:
        more = len(problems) - MAX_PROBLEMS
        problems = problems[:MAX_PROBLEMS] + [Problem(display, 0, 0, "", f"… and {more} more problem(s)")]
    return problems


def _lexical(display: str, paragraph: Paragraph, tags: list[Tag]) -> list[Problem]:
    problems: list[Problem] = []
    where = _where(paragraph)
    text = paragraph.text
    for name in paragraph.word_fields:
        problems.append(
            Problem(
                display,
                0,
                0,
                where,
                f"expected «{{{{ {name} }}}}» typed as text, found a Word "
                f"mail-merge field «{name}» (Mailings → Insert Merge Field), which letters do not "
                "fill; delete it and type the field name between {{ and }}",
            )
        )
    full = _FULL_WIDTH.search(text)
    if full:
        problems.append(
            Problem(
                display,
                0,
                0,
                where,
                f"expected half-width braces {{{{ }}}} or {{% %}}, found "
                f"«{full.group(0)}» (typed with a Chinese input method); retype them in English mode",
            )
        )
    for match in _TAG.finditer(text):
        raw = match.group(0)
        if raw.startswith("{#"):
            continue
        statement = match.group(2) is not None
        inner = (match.group(2) if statement else match.group(1)).strip()
        inner = inner.lstrip("-").rstrip("-").strip()
        prefix_match = _DOCXTPL_PREFIX.match(inner)
        prefix = prefix_match.group(1) if prefix_match else ""
        body = inner[prefix_match.end() :] if prefix_match else inner
        if _CURLY_QUOTES.search(body):
            problems.append(
                Problem(
                    display,
                    0,
                    0,
                    where,
                    f"malformed tag «{raw}»: expected straight quotes \" or ', "
                    "found Word's curly quotes “ ” (turn off AutoFormat «smart quotes»)",
                )
            )
            continue
        if not body:
            problems.append(
                Problem(display, 0, 0, where, f"malformed tag «{raw}»: expected a field name inside, found nothing")
            )
            continue
        tag = Tag(paragraph, raw, statement, body, prefix)
        problem = _parse_one(tag)
        if problem:
            problems.append(Problem(display, 0, 0, where, problem))
            continue
        if prefix in ("p", "tr") and text.strip() != raw.strip():
            problems.append(
                Problem(
                    display,
                    0,
                    0,
                    where,
                    f"«{raw}» must stand alone in its "
                    f"{'paragraph' if prefix == 'p' else 'table row'}: Word drops the whole "
                    f"{'paragraph' if prefix == 'p' else 'row'} holding it, so the other text "
                    "there would be lost; move that text to its own paragraph",
                )
            )
        if prefix in ("tr", "tc") and not paragraph.in_table:
            problems.append(
                Problem(
                    display,
                    0,
                    0,
                    where,
                    f"«{raw}» repeats a table row, expected it inside a table cell, found it in a paragraph",
                )
            )
        tags.append(tag)
    rest = _TAG.sub("", text)
    stray = _STRAY.search(rest)
    if stray:
        start = max(0, stray.start() - 8)
        problems.append(
            Problem(
                display,
                0,
                0,
                where,
                f"malformed tag: expected «{{{{ field }}}}» or «{{% … %}}», "
                f"found an unmatched «{stray.group(0)}» in «{rest[start : stray.end() + 12].strip()}»",
            )
        )
    return problems


def _keyword(tag: Tag) -> str:
    return tag.body.split(None, 1)[0] if tag.statement else ""


_OPENERS = {"if": "endif", "for": "endfor"}
_MIDDLE = {"elif": "if", "else": "if"}


def _parse_one(tag: Tag) -> str:
    """Why this tag alone does not parse ("" when it does)."""
    env = jinja2.Environment()
    word = _keyword(tag)
    if not tag.statement:
        source = f"{{{{ {tag.body} }}}}"
    elif word in _OPENERS:
        source = f"{{% {tag.body} %}}{{% {_OPENERS[word]} %}}"
    elif word == "elif":
        source = f"{{% if x %}}{{% {tag.body} %}}{{% endif %}}"
    elif word in ("else", "endif", "endfor"):
        if tag.body.strip() != word:
            return f"malformed tag «{tag.raw}»: expected «{word}» alone, found «{tag.body}»"
        return ""
    else:
        return f"malformed tag «{tag.raw}»: expected if, elif, else, endif, for or endfor, found «{word}»" + _suggest(
            word, ["if", "elif", "else", "endif", "for", "endfor"]
        )
    try:
        env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        return f"malformed tag «{tag.raw}»: {exc.message}"
    return ""


def _suggest(word: str, choices: list[str] | set[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.5)
    return f"; did you mean «{close[0]}»?" if close else ""


def _open(tag: Tag, word: str) -> str:
    """``{%p endif %}``: ``word`` written with the same docxtpl prefix as ``tag``."""
    return f"{{%{tag.prefix + ' ' if tag.prefix else ' '}{word} %}}"


def _structure(display: str, tags: list[Tag]) -> list[Problem]:
    """Every if/for is closed, in the right order, with the same p/tr kind."""
    problems: list[Problem] = []
    stack: list[Tag] = []
    for tag in tags:
        word = _keyword(tag)
        where = _where(tag.paragraph)
        if word in _OPENERS:
            stack.append(tag)
        elif word in _MIDDLE or word in ("endif", "endfor"):
            wanted = _MIDDLE.get(word) or ("if" if word == "endif" else "for")
            if not stack or _keyword(stack[-1]) != wanted:
                found = f"«{stack[-1].raw}» still open" if stack else "no open one"
                problems.append(
                    Problem(
                        display,
                        0,
                        0,
                        where,
                        f"«{tag.raw}» closes nothing: expected an earlier «{_open(tag, wanted + ' …')}», found {found}",
                    )
                )
                continue
            opener = stack[-1]
            if tag.prefix != opener.prefix:
                problems.append(
                    Problem(
                        display,
                        0,
                        0,
                        where,
                        f"«{tag.raw}» does not match «{opener.raw}» "
                        f"({_where(opener.paragraph)}): expected «{_open(opener, word)}»",
                    )
                )
            if word in ("endif", "endfor"):
                stack.pop()
    for tag in stack:
        end = _OPENERS[_keyword(tag)]
        problems.append(
            Problem(
                display,
                0,
                0,
                _where(tag.paragraph),
                f"«{tag.raw}» is never closed: expected a later «{_open(tag, end)}»",
            )
        )
    return problems


def _names(display: str, tags: list[Tag], deadline_label: str) -> list[Problem]:
    """Every field used is a documented one; row fields only inside their row loop. Tags are
    read one by one in document order (so this works even when an if/for is left open)."""
    env = jinja2.Environment()
    known = {f.zh for f in FIELDS} | {r.zh for r in ROWS}
    alias = deadline_alias(deadline_label)
    if alias:
        known.add(alias)
    lists = {r.zh: r for r in ROWS}
    problems: list[Problem] = []
    scopes: list[dict[str, Rows | None]] = [{}]

    def refuse(where: str, raw: str, found: str) -> None:
        problems.append(
            Problem(
                display,
                0,
                0,
                where,
                f"«{raw}»: expected only fields («{{{{ 客户名称 }}}}», «{{{{ 发票.发票号码 }}}}»), "
                f"if/elif/else/endif and row loops («{{%tr for 发票 in 发票明细 %}}»), found {found}; "
                "a Word template is a document, not a program (docs/word-templates.md)",
            )
        )

    def visit(node: nodes.Node, scope: dict[str, Rows | None], where: str, raw: str) -> None:
        if isinstance(node, nodes.For):
            iterable = node.iter.name if isinstance(node.iter, nodes.Name) else None
            if iterable not in lists:
                return refuse(where, raw, f"a loop over {_describe(node.iter)} (loops run over {'、'.join(lists)})")
            if "loop" in scope:
                return refuse(where, raw, "a loop inside another loop")
            if not isinstance(node.target, nodes.Name) or node.test is not None or node.recursive:
                return refuse(where, raw, "a loop with more than one name, a filter or recursion")
            scopes.append({**scope, "loop": None, node.target.name: lists[iterable]})
            return None
        if isinstance(node, nodes.Getattr):
            holder = node.node.name if isinstance(node.node, nodes.Name) else None
            if holder is None or holder not in scope:
                return refuse(where, raw, f"the attribute «.{node.attr}» of {_describe(node.node)}")
            rows = scope[holder]
            if rows is None:  # loop.index and its kin
                if node.attr not in LOOP_ATTRIBUTES:
                    return refuse(where, raw, f"«loop.{node.attr}»")
                return None
            if node.attr not in row_names(rows):
                fields = row_names(rows)
                problems.append(
                    Problem(
                        display,
                        0,
                        0,
                        where,
                        f"unknown field «{holder}.{node.attr}» "
                        f"of a row of {rows.zh}{_suggest(node.attr, set(fields))} "
                        f"(row fields: {'、'.join(fields)})",
                    )
                )
            return None
        if isinstance(node, nodes.Name):
            if node.ctx != "load" or node.name.startswith("_"):
                return refuse(where, raw, f"«{node.name}»")
            if node.name in scope and scope[node.name] is None:
                return refuse(where, raw, f"«{node.name}» alone (write «loop.index»)")
            if node.name not in scope and node.name not in known:
                owner = [r for r in ROWS if node.name in row_names(r)]
                hint = (
                    (
                        f"; «{node.name}» is a field of each row: write «{owner[0].var}.{node.name}» inside "
                        f"«{{%tr for {owner[0].var} in {owner[0].zh} %}}»"
                    )
                    if owner
                    else _suggest(node.name, known)
                )
                problems.append(
                    Problem(
                        display,
                        0,
                        0,
                        where,
                        f"unknown merge field «{node.name}»{hint} (the fields are listed in docs/word-templates.md)",
                    )
                )
            return None
        if isinstance(node, nodes.Filter):
            if node.name not in env.filters:
                problems.append(
                    Problem(display, 0, 0, where, f"unknown filter «{node.name}»{_suggest(node.name, set(FILTERS))}")
                )
                return None
            if node.name not in FILTERS:
                return refuse(where, raw, f"the filter «{node.name}» (filters: {', '.join(sorted(FILTERS))})")
            if (
                node.kwargs
                or node.dyn_args
                or node.dyn_kwargs
                or not all(isinstance(a, nodes.Const) for a in node.args)
            ):
                return refuse(where, raw, f"the filter «{node.name}» with arguments other than plain text or numbers")
            if node.node is not None:
                visit(node.node, scope, where, raw)
            return None
        if isinstance(node, nodes.Const):
            if not isinstance(node.value, (str, int, bool)) and node.value is not None:
                return refuse(where, raw, _describe(node))
            return None
        if not isinstance(node, ALLOWED_NODES):
            return refuse(where, raw, _describe(node))
        for child in node.iter_child_nodes():
            visit(child, scope, where, raw)
        return None

    for tag in tags:
        word = _keyword(tag)
        if word == "endfor":
            if len(scopes) > 1:
                scopes.pop()
            continue
        if word in ("else", "endif"):
            continue
        source = f"{{{{ {tag.body} }}}}" if not tag.statement else _parseable(tag, word)
        try:
            tree = env.parse(source)
        except jinja2.TemplateSyntaxError:
            continue  # reported by _lexical
        visit(tree, scopes[-1], _where(tag.paragraph), tag.raw)
    return problems


FILTERS = frozenset(
    {"default", "d", "trim", "upper", "lower", "title", "capitalize", "replace", "length", "first", "last", "join"}
)
"""Filters a Word template may use: each works on the value alone and cannot grow it much."""
LOOP_ATTRIBUTES = frozenset({"index", "index0", "revindex", "revindex0", "first", "last", "length"})
ALLOWED_NODES = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.If,
    nodes.Not,
    nodes.And,
    nodes.Or,
    nodes.Compare,
    nodes.Operand,
    nodes.CondExpr,
    nodes.Concat,
)
"""What a tag may be made of besides fields, row fields, loops, constants and the filters above."""

_DESCRIBED: tuple[tuple[type[nodes.Node], str], ...] = (
    (nodes.Call, "a call «(…)»"),
    (nodes.Getitem, "an index «[…]»"),
    (nodes.Slice, "a slice «[…:…]»"),
    (nodes.BinExpr, "arithmetic"),
    (nodes.UnaryExpr, "arithmetic"),
    (nodes.Test, "a test «is …»"),
    (nodes.List, "a list «[…]»"),
    (nodes.Tuple, "a tuple"),
    (nodes.Dict, "a dictionary «{…}»"),
    (nodes.Assign, "an assignment «set»"),
)


def _describe(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return f"«{node.name}»"
    if isinstance(node, nodes.Getattr):
        return f"the attribute «.{node.attr}»"
    for kind, text in _DESCRIBED:
        if isinstance(node, kind):
            return text
    return f"«{type(node).__name__}»"


def _parseable(tag: Tag, word: str) -> str:
    if word == "elif":
        return f"{{% if {tag.body[4:].strip()} %}}{{% endif %}}"
    return f"{{% {tag.body} %}}{{% {_OPENERS.get(word, 'end' + word)} %}}"
