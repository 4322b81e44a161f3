"""Schema of the knowledge files in ``playbook/``.

One file per module (``Module``); four reserved file names hold the shared parts:
``sources.yaml`` (``Sources``), ``glossary.yaml`` (``Glossary``),
``courses.yaml`` (``Courses``) and ``checklists.yaml`` (``Checklists``, what the
printable checklists contain). Every class below is rendered, docstrings and all,
on the site page «内容格式参考».
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from generator.schema.base import Id, Strict, Text
from generator.schema.questions import Questions

EDITOR_SOURCE = "编者补充"
"""The ``source`` of content the editors wrote themselves (not in any seed article)."""


class Check(Strict):
    """A condition to tick before acting (e.g. before a rung of the ladder is applied)."""

    title: Text
    """What must be true, short enough for a checklist line (e.g. «已发出最后催告函»)."""
    hint: str = ""
    """One line that explains how to check it or why it matters."""


class Example(Strict):
    """A worked example: a script line (话术), a dialogue, or a short case."""

    title: Text
    """Short label, e.g. «客户说：老板不在»."""
    text: Text
    """The example itself (Markdown)."""


class Item(Strict):
    """One point of know-how; becomes a heading with the anchor ``#id`` on its module page.

    Items nest: sub-points go into ``items`` and each becomes a tick box on the
    printable checklists.
    """

    id: Id
    """Stable identifier, unique across the whole playbook; the page anchor and cross-reference key."""
    title: Text
    """Heading shown on the site and on printouts."""
    summary: Text
    """One line: what to do or know. Shown under the heading and as the checklist explanation."""
    body: str = ""
    """Longer explanation (Markdown), optional."""
    points: list[Text] = Field(default_factory=list)
    """Key points as a bulleted list (no particular order)."""
    steps: list[Text] = Field(default_factory=list)
    """Steps in order, where the source gives an order (a numbered list)."""
    examples: list[Example] = Field(default_factory=list)
    """Scripts (话术), dialogues or cases that show the point in practice."""
    cautions: list[Text] = Field(default_factory=list)
    """合规提示: legal or compliance risks of this method, stated plainly."""
    checks: list[Check] = Field(default_factory=list)
    """Conditions to check before acting (evidence, prior notice, approval …)."""
    discussion: list[Text] = Field(default_factory=list)
    """Discussion questions for trainers (used in handouts)."""
    aliases: list[Text] = Field(default_factory=list)
    """Words users type that the text may not contain (e.g. 打官司 for 法律途径); indexed for search."""
    related: list[Id] = Field(default_factory=list)
    """Ids of related items, modules or glossary terms; each becomes a link."""
    letters: list[Id] = Field(default_factory=list)
    """Ids of letter templates (``templates/letters/``) this item uses."""
    source: str | None = None
    """Where the content comes from: a title from ``sources.yaml`` or «编者补充».
    Inherited by sub-items; required on top-level items unless the module sets it."""
    items: list[Item] = Field(default_factory=list)
    """Sub-points (each a checkable item)."""


class Module(Strict):
    """One module of the playbook: a page of the site and a trainer handout."""

    id: Id
    """Stable identifier; also the page's file name (``<id>.md``)."""
    title: Text
    """Full title, e.g. «知己知彼：回款的必要条件»."""
    nav_title: str = ""
    """Short title for the navigation (defaults to ``title``)."""
    order: int = Field(ge=1)
    """Position in the workflow; the navigation is sorted by it."""
    section: str = ""
    """Navigation group the module belongs to (e.g. «回款流程»); empty = top level."""
    summary: Text
    """What to do, in one or two sentences; the page opens with it."""
    intro: str = ""
    """Introductory text (Markdown) shown after the summary."""
    source: str | None = None
    """Default ``source`` for the module's items."""
    discussion: list[Text] = Field(default_factory=list)
    """Discussion questions for the module handout."""
    items: list[Item] = Field(min_length=1)
    """The module's items, in order."""


class Source(Strict):
    """A source article the knowledge comes from."""

    title: Text
    """The article's title; items cite it in ``source``."""
    note: str = ""
    """What the article contributes."""


class Sources(Strict):
    """``playbook/sources.yaml``: the list of source articles."""

    sources: list[Source] = Field(min_length=1)
    """The articles; «编者补充» is always allowed in addition."""


class Term(Strict):
    """A glossary entry."""

    id: Id
    """Stable identifier; the anchor on the glossary page."""
    term: Text
    """The term as written, e.g. «扎账日期»."""
    definition: Text
    """Plain explanation a new sales rep understands (Markdown)."""
    aliases: list[Text] = Field(default_factory=list)
    """Other names and spellings (indexed for search and the search dictionary)."""
    related: list[Id] = Field(default_factory=list)
    """Ids of items, modules or terms to link to."""
    source: str | None = None
    """Source title or «编者补充»."""


class Glossary(Strict):
    """``playbook/glossary.yaml``: the 术语表."""

    terms: list[Term] = Field(min_length=1)
    """All terms, in display order."""


class OutlineEntry(Strict):
    """One line of a course outline, linked into the modules."""

    title: Text
    """The outline line as the course states it."""
    refs: list[Id] = Field(default_factory=list)
    """Ids of the modules or items that teach it."""
    children: list[OutlineEntry] = Field(default_factory=list)
    """Sub-lines."""


class AgendaEntry(Strict):
    """One block of the course agenda."""

    title: Text
    """What happens in this block."""
    minutes: int = Field(ge=1)
    """Length in minutes; all blocks add up to the course's ``duration_minutes``."""
    refs: list[Id] = Field(default_factory=list)
    """Modules or items covered."""
    activity: str = ""
    """Method: 讲授, 讨论, 情景演练, 测验 …"""
    kind: Literal["session", "break", "lunch"] = "session"
    """``break`` (茶歇) and ``lunch`` (午餐) are pauses: on the clock, not in the teaching time."""
    day: int = Field(default=1, ge=1)
    """Course day of a multi-day agenda (each day starts at the course's ``day_start``)."""
    key_messages: list[Text] = Field(default_factory=list)
    """讲师手册: what the trainer says and makes sure the group takes away (the script, point by point)."""
    materials: list[Text] = Field(default_factory=list)
    """讲师手册: what is needed in the room for this block (printouts, flip chart, slides …)."""
    transition: str = ""
    """讲师手册: the sentence that leads into the next block."""


def teaching_minutes(agenda: list[AgendaEntry]) -> int:
    """Minutes of an agenda without its pauses (茶歇, 午餐): what ``duration_minutes`` counts."""
    return sum(block.minutes for block in agenda if block.kind == "session")


class RolePlay(Strict):
    """A role-play card for a 情景演练."""

    id: Id
    """Stable identifier."""
    title: Text
    """Name of the scene."""
    roles: list[Text] = Field(min_length=2)
    """Who plays whom (e.g. «销售：…», «客户财务：…»)."""
    situation: Text
    """The situation handed to the players."""
    goal: Text
    """What the sales role must achieve."""
    debrief: list[Text] = Field(min_length=1)
    """Questions for the debrief after the scene."""
    refs: list[Id] = Field(default_factory=list)
    """Items the scene practises."""
    debrief_answers: list[Text] = Field(default_factory=list)
    """Model answers for the trainer (讲师参考要点), one per ``debrief`` question, in the same order;
    printed in the answer key, never in the participants' workbook."""
    customer_brief: list[Text] = Field(default_factory=list)
    """客户角色说明: what only the player of the customer knows (real reason, limits, when to give in);
    printed on a confidential sheet for that player, never in the workbook."""
    observe: list[Text] = Field(default_factory=list)
    """观察评分表: what the observer scores (one line each, on the course's ``roleplay_rubric``)."""

    @model_validator(mode="after")
    def _one_answer_per_question(self) -> RolePlay:
        if self.debrief_answers and len(self.debrief_answers) != len(self.debrief):
            raise ValueError(
                f"expected one debrief_answers entry per debrief question ({len(self.debrief)}), "
                f"found {len(self.debrief_answers)}"
            )
        return self


class QuizQuestion(Strict):
    """A quiz question with its reference answer."""

    question: Text
    """The question."""
    choices: list[Text] = Field(default_factory=list)
    """Choices for a multiple-choice question (empty for an open question)."""
    answer: Text
    """The reference answer (参考答案); for multiple choice, the correct choice's text."""
    explanation: str = ""
    """Why, for the answer key."""
    refs: list[Id] = Field(default_factory=list)
    """Items the question checks."""
    points: int = Field(default=10, ge=1)
    """Points for a full answer (the test's total and pass mark are printed on it)."""


class FacilitatorNote(Strict):
    """The trainer's model answer to one discussion question of the course."""

    question: Text
    """The question exactly as the workbook prints it (a course question or a module's discussion question)."""
    answer: Text
    """Key points a good answer contains (参考要点)."""


class RubricLevel(Strict):
    """One level of the marking rubric for open questions."""

    score: int = Field(ge=0)
    """Points for this level."""
    description: Text
    """What an answer at this level contains."""


class AgendaVariant(Strict):
    """Another timed agenda for the same course (e.g. the two-day version of a «1–2天» course)."""

    label: Text
    """Name, e.g. «两天版»."""
    duration_minutes: int = Field(ge=1)
    """Teaching time of this version; its blocks add up to it."""
    agenda: list[AgendaEntry] = Field(min_length=1)
    """The blocks, in order (a block titled «第二天» … starts the second day)."""

    @model_validator(mode="after")
    def _adds_up(self) -> AgendaVariant:
        total = teaching_minutes(self.agenda)
        if total != self.duration_minutes:
            raise ValueError(
                f"expected the agenda to add up to duration_minutes ({self.duration_minutes}), found {total} minutes"
            )
        return self


class Course(Strict):
    """A training course built from the modules."""

    id: Id
    """Stable identifier; page ``courses/<id>.md``."""
    title: Text
    """Course title."""
    background: Text
    """课程背景 (Markdown)."""
    benefits: list[Text] = Field(min_length=1)
    """课程收益."""
    features: list[Text] = Field(default_factory=list)
    """课程特色 (teaching methods)."""
    audience: list[Text] = Field(min_length=1)
    """课程对象."""
    duration_label: Text
    """Duration as the course states it, e.g. «0.5天（6小时/天）»."""
    duration_minutes: int = Field(ge=1)
    """Teaching time in minutes; the agenda must add up to it."""
    questions: list[Text] = Field(default_factory=list)
    """Opening questions (e.g. 灵魂三问) and discussion questions."""
    outline: list[OutlineEntry] = Field(min_length=1)
    """课程大纲, linked to modules and items."""
    agenda: list[AgendaEntry] = Field(min_length=1)
    """Timed agenda for the trainer's workbook."""
    role_plays: list[RolePlay] = Field(default_factory=list)
    """情景演练 cards."""
    quiz: list[QuizQuestion] = Field(default_factory=list)
    """Short quiz; the answer key is printed separately."""
    agenda_variants: list[AgendaVariant] = Field(default_factory=list)
    """Other versions of the agenda (e.g. «两天版»), printed after the main one."""
    facilitator_notes: list[FacilitatorNote] = Field(default_factory=list)
    """讲师参考要点 for every discussion question the workbook prints (answer key only)."""
    rubric: list[RubricLevel] = Field(default_factory=list)
    """How open questions (quiz and discussion) are marked, highest score first."""
    source: str | None = None
    """Source title or «编者补充»."""
    day_start: str = Field(default="09:00", pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    """Clock time each course day starts (HH:MM); the agenda's clock times count from it."""
    objectives: list[Text] = Field(default_factory=list)
    """讲师手册: what participants can do after the course."""
    room_setup: list[Text] = Field(default_factory=list)
    """讲师手册: room and group set-up (tables, group size, equipment)."""
    cases: list[Id] = Field(default_factory=list)
    """Items whose ``examples`` are case studies printed in full (workbook and 讲师手册)."""
    departures: list[Text] = Field(default_factory=list)
    """讲师手册: where this kit departs from the source course outline, and why."""
    pretest: list[QuizQuestion] = Field(default_factory=list)
    """课前测: other questions than ``quiz`` (the 课后测); answers in the answer key only."""
    pass_mark: int = Field(default=60, ge=1, le=100)
    """Pass mark of the 课后测, in percent of its points."""
    roleplay_rubric: list[RubricLevel] = Field(default_factory=list)
    """How the observer scores each ``observe`` line of a role play, highest score first."""
    script_prompts: list[Text] = Field(default_factory=list)
    """话术练习表: the customer's lines or situations the group writes its own 话术 for."""


class Courses(Strict):
    """``playbook/courses.yaml``: the training courses."""

    courses: list[Course] = Field(min_length=1)
    """The courses."""


class ChecklistSpec(Strict):
    """One printable checklist: an A4 form with a tick box per line (``playbook print <id>``)."""

    id: Id
    """Identifier and PDF file name (``<id>.pdf``); by convention ``checklist-<item or module id>``."""
    title: Text
    """Title printed on the form, e.g. «知己三项确认»."""
    module: Id
    """The module the lines come from. A playbook without this module has no such checklist."""
    items: list[Id] = Field(default_factory=list)
    """Items of ``module`` that become the top lines (each followed by its sub-items and checks)."""
    children_of: Id | None = None
    """Instead of ``items``: an item whose sub-items become the top lines (e.g. ``know-self``)."""
    depth: int = Field(default=2, ge=1, le=4)
    """How many levels of (sub-)items get a tick box; 1 = only the top lines."""
    with_checks: bool = True
    """Also give each item's ``checks`` a tick box, under the item."""
    purpose: str = ""
    """Who fills the form in and when, printed under the title."""


class LadderChecklists(Strict):
    """One checklist per rung of the penalty ladder: the rung's ``checks`` (evidence, notice, approval)."""

    module: Id
    """The module holding the rungs (``penalty-ladder``)."""
    rungs: list[Id] = Field(min_length=1)
    """The rung items in ladder order; each gives ``checklist-<rung id>`` from its ``checks``."""
    title: Text = "{rung}：实施前核对清单"
    """Title pattern; ``{rung}`` is the rung's title."""
    purpose: str = ""
    """Printed under the title of every rung checklist."""


class Checklists(Strict):
    """``playbook/checklists.yaml``: which items make up each printable checklist."""

    checklists: list[ChecklistSpec] = Field(default_factory=list)
    """The checklists, in the order of the 打印资料 page."""
    ladder: LadderChecklists | None = None
    """The penalty-ladder checklists (one per rung)."""


SPECIAL_FILES: dict[str, type[Strict]] = {
    "sources.yaml": Sources,
    "glossary.yaml": Glossary,
    "courses.yaml": Courses,
    "checklists.yaml": Checklists,
    "questions.yaml": Questions,  # type: ignore[dict-item]  # a mapping, not a Strict model
}
"""Reserved file names in ``playbook/``; every other ``*.yaml`` file is a ``Module``."""
