"""What there is to print: every checklist, handout, workbook and answer key.

Checklists are declared in ``playbook/checklists.yaml`` (schema ``Checklists``);
their item ids are checked against the playbook like every other reference, with
«did you mean». A checklist whose ``module`` is not in the playbook at all (a fork
that dropped the module) is left out with a warning rather than failing the build.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from generator.errors import Collector, Problem, did_you_mean
from generator.playbook import Playbook
from generator.project import Project
from generator.schema.playbook import (
    ChecklistSpec,
    Course,
    Item,
    LadderChecklists,
    Module,
)
from generator.urls import URLS
from generator.yamlload import Document

CHECKLISTS_FILE = "checklists.yaml"


@dataclass(frozen=True)
class KitPart:
    """One printout every course gets (a row of :data:`COURSE_KIT`)."""

    kind: str
    label: str
    """What it is, as the 讲师资料 page's link text and the PDF's running header say it."""
    template: str
    trainer: bool
    """Trainer material: written to ``downloads/trainers/``, linked from the 讲师资料 page only."""
    needs: str = ""
    """A Course field that must be non-empty for the part to exist (no role plays, no observer sheet)."""


COURSE_KIT = [
    KitPart("workbook", "课程手册", "print/workbook.html.j2", trainer=False),
    KitPart("worksheet", "话术练习表", "print/worksheet.html.j2", trainer=False, needs="script_prompts"),
    KitPart("guide", "讲师手册", "print/guide.html.j2", trainer=True),
    KitPart("slides", "幻灯片", "print/slides.html.j2", trainer=True),
    KitPart("observer", "观察评分表", "print/observer.html.j2", trainer=True, needs="role_plays"),
    KitPart("brief", "客户角色说明", "print/brief.html.j2", trainer=True, needs="role_plays"),
    KitPart("pretest", "课前测", "print/test.html.j2", trainer=True, needs="pretest"),
    KitPart("posttest", "课后测", "print/test.html.j2", trainer=True, needs="quiz"),
    KitPart("evaluation", "课程评估表", "print/evaluation.html.j2", trainer=True),
    KitPart("certificate", "结业证书", "print/certificate.html.j2", trainer=True),
    KitPart("signin", "签到表", "print/signin.html.j2", trainer=True),
    KitPart("answers", "参考答案", "print/answers.html.j2", trainer=True),
]
"""What each course prints, in the order the 讲师资料 page lists it. The tests are handed out
by the trainer on the day, so they are trainer material too (trainees never see them early)."""

KIND_LABELS = {
    "checklist": "清单",
    "handout": "讲义",
    **{part.kind: part.label for part in COURSE_KIT},
}
"""Kind → label used on the «打印资料» page, the download links and the running header."""

TRAINER_KINDS = frozenset(part.kind for part in COURSE_KIT if part.trainer)
"""Printout kinds that only trainers get (``downloads/trainers/``)."""

TRAINER_FOLDER = "trainers"


@dataclass
class Printable:
    """One PDF: its id (also the file name ``<id>.pdf``), what it is and what it shows."""

    id: str
    kind: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    module: str | None = None
    """The module this PDF belongs to (for the «下载 PDF» links on module pages)."""
    page: str | None = None
    """The site page it prints (module or course page), if any."""

    @property
    def trainer(self) -> bool:
        return self.kind in TRAINER_KINDS

    @property
    def filename(self) -> str:
        """Path of the PDF inside the downloads folder (trainer material in its own folder)."""
        return f"{TRAINER_FOLDER}/{self.id}.pdf" if self.trainer else f"{self.id}.pdf"


@dataclass
class Catalog:
    printables: list[Printable]
    warnings: list[Problem] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    """Checklist id → why it is not printed (its module is not in the playbook)."""


def catalog(project: Project, playbook: Playbook) -> Catalog:
    """Every printable in a stable order; raise PlaybookError on bad checklist references."""
    errors = Collector()
    found = Catalog([])
    spec, doc = playbook.checklists, playbook.checklists_doc  # validated once, by the loader
    modules = {m.id: m for m in playbook.modules}
    if spec is not None and doc is not None:
        for i, checklist in enumerate(spec.checklists):
            _add_checklist(found, checklist, doc, i, modules, errors, playbook.removed)
        if spec.ladder is not None:
            _add_ladder(found, project, playbook, spec.ladder, doc, modules, errors)
    for module in playbook.modules:
        found.printables.append(
            Printable(
                f"handout-{module.id}",
                "handout",
                f"{module.title}（讲义）",
                "print/handout.html.j2",
                {"module": module},
                module.id,
                URLS.module(module.id),
            )
        )
    for course in playbook.course_list():
        page = URLS.course(course.id)
        for part in COURSE_KIT:
            if part.needs and not getattr(course, part.needs):
                continue
            found.printables.append(
                Printable(
                    f"{part.kind}-{course.id}",
                    part.kind,
                    f"{course.title}（{part.label}）",
                    part.template,
                    {"course": course},
                    None,
                    page,
                )
            )
    _check_unique(found, doc, errors)
    errors.raise_if_any()
    found.warnings.extend(errors.warnings)
    return found


def ladder_rungs(ladder: LadderChecklists, module: Module) -> list[Item]:
    """The rungs that get a checklist, in ladder order. Rungs the company switched off
    (``site_config/policy.yaml``) are no longer in the model, so they get none."""
    items = {item.id: item for item in module.items}
    return [items[rung] for rung in ladder.rungs if rung in items]


def _module_of(
    spec_module: str,
    doc: Document,
    key: tuple[str | int, ...],
    modules: dict[str, Module],
    errors: Collector,
    what: str,
    removed: AbstractSet[str],
) -> Module | None:
    module = modules.get(spec_module)
    if module is None and spec_module not in removed:  # a module the company switched off is fine
        errors.warn(
            doc.problem(
                key,
                f"module '{spec_module}' is not in the playbook"
                f"{did_you_mean(spec_module, modules)}; {what} is not printed",
            )
        )
    return module


def _all_items(items: list[Item]) -> dict[str, Item]:
    out: dict[str, Item] = {}
    for item in items:
        out[item.id] = item
        out.update(_all_items(item.items))
    return out


def _add_checklist(
    found: Catalog,
    spec: ChecklistSpec,
    doc: Document,
    i: int,
    modules: dict[str, Module],
    errors: Collector,
    removed: AbstractSet[str],
) -> None:
    base = ("checklists", i)
    module = _module_of(spec.module, doc, (*base, "module"), modules, errors, f"checklist '{spec.id}'", removed)
    if module is None:
        found.skipped[spec.id] = f"its module '{spec.module}' is not in the playbook"
        return
    if bool(spec.items) == (spec.children_of is not None):
        errors.add(
            doc.problem(
                base,
                "expected exactly one of 'items' (the top lines) or "
                "'children_of' (an item whose sub-items are the lines), "
                f"found {'both' if spec.items else 'neither'}",
            )
        )
        return
    known = _all_items(module.items)
    if spec.children_of in removed:
        found.skipped[spec.id] = f"its item '{spec.children_of}' is switched off in site_config/"
        return

    def lookup(value: str, key: tuple[str | int, ...]) -> Item | None:
        if value in removed:  # switched off by the company: the line is simply not printed
            return None
        if value not in known:
            errors.add(
                doc.problem(
                    key,
                    f"unknown item '{value}' in module '{module.id}'"
                    f"{did_you_mean(value, known)}; expected the id of one of "
                    "the module's items",
                )
            )
            return None
        return known[value]

    if spec.children_of is not None:
        parent = lookup(spec.children_of, (*base, "children_of"))
        if parent is None:
            return
        if not parent.items:
            errors.add(
                doc.problem(
                    (*base, "children_of"),
                    f"expected item '{parent.id}' to have sub-items (the checklist lines), found none",
                )
            )
            return
        lines = list(parent.items)
        anchor = parent.id
    else:
        picked = [lookup(value, (*base, "items", j)) for j, value in enumerate(spec.items)]
        if any(item is None and value not in removed for item, value in zip(picked, spec.items, strict=True)):
            return
        lines = [item for item in picked if item is not None]
        anchor = None
    found.printables.append(
        Printable(
            spec.id,
            "checklist",
            spec.title,
            "print/checklist.html.j2",
            {
                "spec": {
                    "title": spec.title,
                    "purpose": spec.purpose,
                    "depth": spec.depth,
                    "with_checks": spec.with_checks,
                    "mode": "items",
                },
                "lines": lines,
                "module": module,
                "anchor": anchor,
            },
            module.id,
            URLS.module(module.id),
        )
    )


def _add_ladder(
    found: Catalog,
    project: Project,
    playbook: Playbook,
    ladder: LadderChecklists,
    doc: Document,
    modules: dict[str, Module],
    errors: Collector,
) -> None:
    module = _module_of(
        ladder.module, doc, ("ladder", "module"), modules, errors, "the ladder checklists", playbook.removed
    )
    if module is None:
        for rung in ladder.rungs:
            found.skipped[f"checklist-{rung}"] = f"its module '{ladder.module}' is not in the playbook"
        return
    tops = {item.id: item for item in module.items}
    for j, rung in enumerate(ladder.rungs):
        key = ("ladder", "rungs", j)
        if rung not in tops and rung in playbook.removed:
            found.skipped[f"checklist-{rung}"] = "its rung is disabled in site_config/policy.yaml"
        elif rung not in tops:
            errors.add(
                doc.problem(
                    key,
                    f"unknown rung '{rung}'{did_you_mean(rung, tops)}; expected "
                    f"the id of a top-level item of module '{module.id}'",
                )
            )
        elif not tops[rung].checks:
            errors.add(
                doc.problem(
                    key,
                    f"expected item '{rung}' to have 'checks' (the conditions "
                    "to tick before applying the rung), found none",
                )
            )
    if errors.problems:
        return
    for item in ladder_rungs(ladder, module):
        title = ladder.title.replace("{rung}", item.title)
        found.printables.append(
            Printable(
                f"checklist-{item.id}",
                "checklist",
                title,
                "print/checklist.html.j2",
                {
                    "spec": {
                        "title": title,
                        "purpose": ladder.purpose,
                        "depth": 1,
                        "with_checks": True,
                        "mode": "checks",
                    },
                    "lines": [item],
                    "module": module,
                    "anchor": item.id,
                },
                module.id,
                URLS.module(module.id),
            )
        )


def _check_unique(found: Catalog, doc: Document | None, errors: Collector) -> None:
    seen: set[str] = set()
    for printable in found.printables:
        if printable.id in seen:
            path = doc.path if doc else CHECKLISTS_FILE
            errors.add(
                Problem(
                    path,
                    0,
                    0,
                    "checklists",
                    f"duplicate printout id '{printable.id}'; every PDF needs its own id",
                )
            )
        seen.add(printable.id)


def course_modules(playbook: Playbook, course: Course) -> list[Module]:
    """Modules a course covers (through its agenda and outline references), in playbook order."""
    refs: set[str] = set()
    for block in course.agenda:
        refs.update(block.refs)

    def walk(entries: list[Any]) -> None:
        for entry in entries:
            refs.update(entry.refs)
            walk(entry.children)

    walk(course.outline)
    ids = set()
    for ref in refs:
        entry = playbook.index.get(ref)
        if entry is not None and entry.module is not None:
            ids.add(entry.module.id)
    return [m for m in playbook.modules if m.id in ids]
