"""Fill the print templates and turn the HTML into PDFs, in parallel and cached."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator import __version__
from generator.errors import PlaybookError, Problem, did_you_mean, valid_choices
from generator.pdf import FONT_FAMILY, font_face_css, html_to_pdf, missing_glyphs
from generator.pdf.pool import render_many
from generator.playbook import Playbook
from generator.printing import content
from generator.printing.cache import PdfCache, cache_key
from generator.printing.catalog import KIND_LABELS, Catalog, Printable, catalog, course_modules
from generator.printing.context import PrintContext
from generator.project import Project
from generator.render.env import make_env, render
from generator.tailoring import scrub_text
from generator.writer import write_if_changed


@dataclass
class PrintResult:
    """What a print run did: the PDFs by id, how many were rendered or cached, warnings."""

    pdfs: dict[str, bytes] = field(default_factory=dict)
    rendered: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    """Everything worth telling: checklists left out, characters missing from the font."""
    font_warnings: list[Problem] = field(default_factory=list)
    """Only the characters missing from the font."""
    seconds: float = 0.0
    paths: dict[str, str] = field(default_factory=dict)
    """Id → path of the PDF inside the output folder (trainer material under ``trainers/``)."""


def workers_available() -> int:
    """Cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def print_env(project: Project) -> jinja2.Environment:
    """HTML environment (autoescape, StrictUndefined, overrides first) with print helpers."""
    env = make_env(project, html=True)
    env.filters["md"] = content.markdown_block
    env.filters["md_inline"] = content.markdown_inline
    env.globals["choice_label"] = content.choice_label
    env.globals["points_of"] = content.points_of
    env.globals["pass_points"] = content.pass_points
    return env


def base_context(project: Project, playbook: Playbook, build_date: date) -> dict[str, Any]:
    """Context every print template gets (documented at the top of print/_base.html.j2)."""
    company = playbook.company
    logo_url = ""
    if company.logo:
        logo = project.site_config_dir / company.logo
        logo_url = logo.resolve().as_uri() if logo.exists() else ""
    return {
        "company": company,
        "logo_url": logo_url,
        "version": __version__,
        "build_date": build_date,
        "font_css": Markup(font_face_css()),
        "font_family": FONT_FAMILY,
        "kind_labels": KIND_LABELS,
        "company_ladder": content.ladder_rows(playbook),
        "ladder_module": _ladder_module(playbook),
        "ladder_picture": _ladder_picture(project, playbook),
    }


def _ladder_module(playbook: Playbook) -> str:
    """Id of the module holding the rungs ("" when the ladder is switched off entirely)."""
    rungs = playbook.enabled_rungs()
    entry = playbook.index.get(rungs[0][0]) if rungs else None
    return entry.module.id if entry is not None and entry.module is not None else ""


def _ladder_picture(project: Project, playbook: Playbook) -> Markup:
    from generator.pictures.charts import staircase
    from generator.pictures.site import ladder_steps
    from generator.pictures.svg import theme_palette

    steps = ladder_steps(playbook)
    if not steps:
        return Markup("")
    return Markup(staircase(steps, theme_palette(project), font=f'"{FONT_FAMILY}"'))


def document_context(playbook: Playbook, printable: Printable) -> dict[str, Any]:
    """The template context of one printable on top of the base context."""
    ctx: dict[str, Any] = {"doc": printable, **printable.context}
    if printable.kind == "checklist":
        spec = printable.context["spec"]
        ctx["rows"] = content.checklist_rows(
            printable.context["lines"],
            depth=spec["depth"],
            with_checks=spec["with_checks"],
            mode=spec["mode"],
        )
        ctx["cautions"] = content.cautions_of(printable.context["lines"]) if spec["mode"] == "checks" else []
        ctx["rung_policy"] = (
            content.rung_policy(playbook, printable.context["lines"][0].id) if spec["mode"] == "checks" else None
        )
    elif printable.kind == "handout":
        module = printable.context["module"]
        ctx["cautions"] = content.cautions_of(module.items)
        ctx["questions"] = content.discussion_of(module)
    elif "course" in printable.context:
        course = printable.context["course"]
        ctx["agenda"] = content.agenda_rows(course)
        ctx["agenda_total"] = content.agenda_total(course)
        ctx["days"] = content.agenda_days(course, course.agenda, course.duration_minutes)
        ctx["variant_days"] = [
            (variant, content.agenda_days(course, variant.agenda, variant.duration_minutes))
            for variant in course.agenda_variants
        ]
        modules = course_modules(playbook, course)
        ctx["covers_ladder"] = any(m.id == _ladder_module(playbook) for m in modules)
        ctx["cases"] = content.course_cases(playbook, course)
        # Each question once: not again under its module when the course or a case asks it
        # («我们能承受多大规模的应收账款？用你负责区域的数字估算一下。» repeats the opening question).
        asked = [q.removeprefix("讨论：") for q in course.questions]
        asked += [q for case in ctx["cases"] for q in case.discussion]

        def repeated(question: str) -> bool:
            return any(question.startswith(q) for q in asked)

        ctx["module_questions"] = [
            (m, questions) for m in modules if (questions := [q for q in content.discussion_of(m) if not repeated(q)])
        ]
        ctx["segments"] = content.segments(playbook, course)
        ctx["kit"] = content.print_list(course)
    return ctx


def render_html(project: Project, playbook: Playbook, printables: list[Printable], build_date: date) -> dict[str, str]:
    """HTML of every printable; template mistakes are collected, then raised together."""
    env = print_env(project)
    base = base_context(project, playbook, build_date)
    out: dict[str, str] = {}
    problems: list[Problem] = []
    for printable in printables:
        try:
            context = PrintContext(**base, **document_context(playbook, printable)).template_dict()
            html = render(env, project, printable.template, context)
            out[printable.id] = scrub_text(html, playbook.measures_off, set())  # no switched-off rung
        except PlaybookError as exc:
            problems.extend(exc.problems)
    if problems:
        raise PlaybookError(problems)
    return out


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def glyph_warnings(doc_id: str, html: str) -> list[Problem]:
    """One warning per character the shipped font lacks, naming it and where it is."""
    parser = _Text()
    parser.feed(html)
    text = "".join(parser.parts)
    problems = []
    for char in sorted(missing_glyphs(text)):
        at = text.index(char)
        around = " ".join(text[max(0, at - 12) : at + 13].split())
        problems.append(
            Problem(
                f"{doc_id}.pdf",
                0,
                0,
                "font",
                f"character «{char}» (U+{ord(char):04X}) in «{around}» is not in the shipped font "
                f"{FONT_FAMILY}; it would print as a blank box. Use a common character, or add it "
                "to the font with tools/subset_font.py",
            )
        )
    return problems


def _render_one(job: tuple[str, str, str]) -> tuple[str, bytes, float]:
    doc_id, html, base_url = job
    start = time.perf_counter()
    data = html_to_pdf(html, base_url=base_url)
    return doc_id, data, time.perf_counter() - start


def render_pdfs(
    htmls: dict[str, str], base_url: str, *, workers: int, pdf_cache: PdfCache, prune: bool = False
) -> PrintResult:
    """PDF bytes of every HTML: from the cache when the key matches, else rendered on
    ``workers`` processes (1 = in this process)."""
    result = PrintResult()
    keys = {doc_id: cache_key(html, base_url) for doc_id, html in htmls.items()}
    todo: list[tuple[str, str, str]] = []
    for doc_id, html in htmls.items():
        data = pdf_cache.get(keys[doc_id])
        if data is None:
            todo.append((doc_id, html, base_url))
        else:
            result.pdfs[doc_id] = data
            result.cached.append(doc_id)
    # Largest documents first, so the pool is not left waiting on one long job.
    todo.sort(key=lambda job: -len(job[1]))
    for doc_id, data, _seconds in _run(todo, workers):
        result.pdfs[doc_id] = data
        result.rendered.append(doc_id)
        pdf_cache.put(keys[doc_id], data)
    if prune:
        pdf_cache.prune(set(keys.values()))
    result.pdfs = {doc_id: result.pdfs[doc_id] for doc_id in htmls}
    return result


PARALLEL_FROM = 60
"""Fewer PDFs than this are typeset in this process: Typst needs about 25 ms CPU for a
printout, less than starting warm workers costs (a clean build's 27–31 take under a second)."""


def _run(jobs: list[tuple[str, str, str]], workers: int) -> list[tuple[str, bytes, float]]:
    workers = 1 if len(jobs) < PARALLEL_FROM else max(1, min(workers, len(jobs)))
    return [
        result
        for _job, result in render_many(_render_one, jobs, workers=0 if workers == 1 else workers, in_flight=len(jobs))
    ]


def select(found: Catalog, ids: list[str]) -> list[Printable]:
    """The printables named on the command line (all when none); unknown ids are errors."""
    if not ids:
        return list(found.printables)
    by_id = {p.id: p for p in found.printables}
    problems = []
    for doc_id in ids:
        if doc_id in by_id:
            continue
        if doc_id in found.skipped:
            problems.append(
                Problem(
                    "playbook print",
                    0,
                    0,
                    doc_id,
                    f"cannot print '{doc_id}': {found.skipped[doc_id]}",
                )
            )
        else:
            problems.append(
                Problem(
                    "playbook print",
                    0,
                    0,
                    doc_id,
                    f"unknown printout id '{doc_id}'{did_you_mean(doc_id, by_id)}; "
                    f"expected one of the ids listed by the 打印资料 page "
                    f"({valid_choices(by_id, limit=8)})",
                )
            )
    if problems:
        raise PlaybookError(problems)
    return [by_id[doc_id] for doc_id in dict.fromkeys(ids)]


def print_all(
    project: Project,
    playbook: Playbook,
    *,
    ids: list[str] | None = None,
    build_date: date,
    workers: int | None = None,
    use_cache: bool = True,
    log: Callable[[Problem], None] | None = None,
) -> PrintResult:
    """Render the chosen printables (default all) to PDF bytes; warnings go to ``log``."""
    start = time.perf_counter()
    found = catalog(project, playbook)
    chosen = select(found, ids or [])
    htmls = render_html(project, playbook, chosen, build_date)
    font_warnings = [w for doc_id, html in htmls.items() for w in glyph_warnings(doc_id, html)]
    warnings = [*found.warnings, *font_warnings]
    result = render_pdfs(
        htmls,
        project.root.as_uri() + "/",
        workers=workers or workers_available(),
        pdf_cache=PdfCache(project, enabled=use_cache),
        prune=not ids,
    )
    result.warnings = warnings
    result.font_warnings = font_warnings
    result.paths = {p.id: p.filename for p in chosen}
    for warning in warnings:
        if log is not None:
            log(warning)
    result.seconds = time.perf_counter() - start
    return result


def write_pdfs(result: PrintResult, folder: Path) -> list[Path]:
    """Write every PDF atomically (unchanged files are left alone)."""
    paths = []
    for doc_id, data in result.pdfs.items():
        path = folder / result.paths.get(doc_id, f"{doc_id}.pdf")
        write_if_changed(path, data)
        path.chmod(0o644)  # downloads are public within the site (mkstemp makes 0600)
        paths.append(path)
    return paths
