"""The trainer's kit of every course (讲师资料): what each PDF holds, its page size, and that
no answer reaches trainees. The shipped playbook's printouts are typeset once per module."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.playbook import Playbook
from generator.printing.catalog import COURSE_KIT, TRAINER_KINDS, catalog
from generator.printing.render import print_all
from generator.project import Project
from generator.schema.playbook import Course
from generator.session import open_session
from tests.conftest import in_ci, sample_repo

A4 = (595.28, 841.89)
SLIDE = (841.89, 473.56)  # Typst's presentation-16-9: 297 mm × 167.06 mm


@pytest.fixture(scope="module")
def shipped() -> tuple[Project, Playbook]:
    project = Project.at(sample_repo())
    return project, open_session(project).playbook


@pytest.fixture(scope="module")
def pdfs(shipped: tuple[Project, Playbook]) -> dict[str, bytes]:
    project, playbook = shipped
    return print_all(project, playbook, build_date=date(2026, 12, 1), workers=1, use_cache=False).pdfs


@pytest.fixture(scope="module")
def texts(pdfs: dict[str, bytes]) -> dict[str, str]:
    return {doc_id: squash(text_of(data)) for doc_id, data in pdfs.items()}


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def squash(text: str) -> str:
    return "".join(text.split())


def pages(data: bytes) -> list[tuple[float, float]]:
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(io.BytesIO(data)).pages]


def courses(shipped: tuple[Project, Playbook]) -> list[Course]:
    return shipped[1].course_list()


def test_every_course_has_its_whole_kit(shipped: tuple[Project, Playbook], pdfs: dict[str, bytes]) -> None:
    for course in courses(shipped):
        for part in COURSE_KIT:
            assert f"{part.kind}-{course.id}" in pdfs, (course.id, part.label)


def test_the_guide_runs_the_day_on_the_clock(shipped: tuple[Project, Playbook], texts: dict[str, str]) -> None:
    sales = texts["guide-sales-collection-course"]
    for part in [
        "销售回款：讲师手册",
        "课程目标",
        "场地与分组",
        "09:00–09:15开场",
        "10:35–10:50茶歇",
        "授课合计（09:00–12:15）180",
        "各环节讲授要点",
        "讲授要点",
        "过渡：",
        "材料",
        "打印清单",
        "本课程与原课程大纲的差异",
        "突然袭击",
        "示范话术与例子",  # the model 话术 of the items a block teaches (here from whole modules)
    ]:
        assert part in sales, part
    interview = texts["guide-interview-collection-course"]
    for part in [
        "11:55–12:55午餐",
        "授课合计（09:00–16:30）360",
        "分时议程（两天版（每天6小时））",
        "第一天·09:00–16:30（授课360分钟）",
        "第二天·09:00–16:30（授课360分钟）",
        "案例全文",
        "某机电设备公司的销售小周为完成季度指标",  # the case in full, not a one-line summary
        "示范话术与例子",
        "客户说「还在走流程」",  # a model 话术 of the segment that teaches it
        "LSCP",
    ]:
        assert part in interview, part
    # Every teaching block has its own section with its clock time and its key messages.
    for course in courses(shipped):
        guide = texts[f"guide-{course.id}"]
        for block in course.agenda:
            if block.kind == "session":
                assert squash(block.title) in guide, block.title
                assert block.key_messages and squash(block.key_messages[0]) in guide, block.title


def test_the_case_is_printed_for_trainees_too(texts: dict[str, str]) -> None:
    workbook = texts["workbook-interview-collection-course"]
    assert "某机电设备公司的销售小周" in workbook and "这个案例中分别出现了哪几个逾期原因" in workbook


def test_slides_are_16_9_one_per_segment_branded_with_the_font_embedded(
    shipped: tuple[Project, Playbook], pdfs: dict[str, bytes], tmp_path: Path
) -> None:
    project, playbook = shipped
    for course in courses(shipped):
        data = pdfs[f"slides-{course.id}"]
        sizes = pages(data)
        assert all(size == pytest.approx(SLIDE, abs=0.5) for size in sizes)
        reader = PdfReader(io.BytesIO(data))
        slide_texts = [squash(page.extract_text() or "") for page in reader.pages]
        sessions = [b for b in course.agenda if b.kind == "session"]
        assert len(sizes) >= len(sessions) + 3  # title, objectives, agenda, a slide per block …
        for block in sessions:
            assert any(squash(block.title) in t for t in slide_texts), block.title
        assert all(playbook.company.name in t for t in slide_texts[1:])  # the company on every slide
    path = tmp_path / "slides.pdf"
    path.write_bytes(pdfs["slides-sales-collection-course"])
    try:
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    except FileNotFoundError:
        if in_ci():
            raise
        pytest.skip("pdffonts (poppler-utils) is not installed")
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(row[-5] == "yes" for row in rows), fonts  # emb = yes for every font


def test_observer_sheets_and_customer_briefs_one_page_per_role_play(
    shipped: tuple[Project, Playbook], pdfs: dict[str, bytes], texts: dict[str, str]
) -> None:
    for course in courses(shipped):
        plays = course.role_plays
        observer, brief = pdfs[f"observer-{course.id}"], pdfs[f"brief-{course.id}"]
        assert len(pages(observer)) == len(plays) and all(s == pytest.approx(A4, abs=0.5) for s in pages(observer))
        assert len(pages(brief)) == len(plays)
        for n, play in enumerate(plays):
            page = squash(PdfReader(io.BytesIO(observer)).pages[n].extract_text() or "")
            assert squash(play.title) in page and "观察要点" in page and "评分标准" in page
            for line in play.observe:
                assert squash(line) in page, line
            brief_page = squash(PdfReader(io.BytesIO(brief)).pages[n].extract_text() or "")
            assert "只有你知道的情况" in brief_page and squash(play.customer_brief[0]) in brief_page


def test_tests_carry_points_and_a_pass_mark(shipped: tuple[Project, Playbook], texts: dict[str, str]) -> None:
    for course in courses(shipped):
        total = sum(q.points for q in course.quiz)
        post = texts[f"posttest-{course.id}"]
        assert f"满分{total}分，{-(-total * course.pass_mark // 100)}分及格（{course.pass_mark}%）" in post
        pre = texts[f"pretest-{course.id}"]
        assert f"满分{sum(q.points for q in course.pretest)}分" in pre and "不计成绩" in pre
        # Separate tests: no question is asked in both.
        assert not {q.question for q in course.pretest} & {q.question for q in course.quiz}
        for q in course.pretest:
            assert squash(q.question) in pre and squash(q.question) not in post


def test_forms_evaluation_certificate_sign_in(
    shipped: tuple[Project, Playbook], pdfs: dict[str, bytes], texts: dict[str, str]
) -> None:
    company = shipped[1].company.name
    for course in courses(shipped):
        evaluation = texts[f"evaluation-{course.id}"]
        assert (
            "课程评估表" in evaluation and "不记名" in evaluation and len(pages(pdfs[f"evaluation-{course.id}"])) == 1
        )
        certificate = texts[f"certificate-{course.id}"]
        assert company in certificate and "结业证书" in certificate and squash(course.title) in certificate
        assert "兹证明" in certificate  # followed by the blank for the trainee's name
        assert pages(pdfs[f"certificate-{course.id}"]) == [pytest.approx((A4[1], A4[0]), abs=0.5)]
        signin = texts[f"signin-{course.id}"]
        assert "签到表" in signin and "上午签到" in signin and "16" in signin
        assert len(pages(pdfs[f"signin-{course.id}"])) == 1
    assert "下午签到" in texts["signin-interview-collection-course"]  # a full day has a lunch
    assert "下午签到" not in texts["signin-sales-collection-course"]


def test_the_worksheet_leaves_room_to_write_the_groups_own_scripts(
    shipped: tuple[Project, Playbook], texts: dict[str, str]
) -> None:
    for course in courses(shipped):
        sheet = texts[f"worksheet-{course.id}"]
        assert "我们的话术" in sheet
        for prompt in course.script_prompts:
            assert squash(prompt) in sheet, prompt


def answer_texts(course: Course) -> list[str]:
    """Everything only trainers may read: model answers, explanations, briefs."""
    out = []
    for q in [*course.quiz, *course.pretest]:
        if not q.choices:  # a choice is printed with its question; its explanation is not
            out.append(q.answer)
        if q.explanation:
            out.append(q.explanation)
    for play in course.role_plays:
        out += [*play.debrief_answers, *play.customer_brief]
    out += [note.answer for note in course.facilitator_notes]
    return [squash(re.sub(r"[*`]", "", text)) for text in out]


def test_no_answer_reaches_trainees(shipped: tuple[Project, Playbook], texts: dict[str, str]) -> None:
    project, playbook = shipped
    trainee = {p.id for p in catalog(project, playbook).printables if p.kind not in TRAINER_KINDS}
    assert {"workbook-sales-collection-course", "worksheet-interview-collection-course"} <= trainee
    for course in courses(shipped):
        answers = answer_texts(course)
        assert len(answers) > 20
        for doc_id in trainee:
            # A text is compared from its first sentence on: the PDF may break it over lines or pages.
            leaked = [a for a in answers if a[:30] in texts[doc_id]]
            assert not leaked, f"{doc_id} prints answers: {leaked}"
            # Nor the tests themselves: the trainer hands them out on the day.
            asked = [q.question for q in [*course.quiz, *course.pretest] if squash(q.question) in texts[doc_id]]
            assert not asked, f"{doc_id} prints test questions: {asked}"
        assert all(a[:30] in texts[f"answers-{course.id}"] or a[:30] in texts[f"brief-{course.id}"] for a in answers)


SOFTWARE_TERMS = ["suspension", "案件文件", "回款计划只", "site_config", ".yaml", "playbook ", "`"]
"""What trainees must not read: configuration, file and command names, the CLI's features."""


def trainee_ids(shipped: tuple[Project, Playbook]) -> list[str]:
    project, playbook = shipped
    return [p.id for p in catalog(project, playbook).printables if p.kind not in TRAINER_KINDS]


def test_trainee_print_speaks_to_people(shipped: tuple[Project, Playbook], pdfs: dict[str, bytes]) -> None:
    for doc_id in trainee_ids(shipped):
        text = text_of(pdfs[doc_id])
        found = [term for term in SOFTWARE_TERMS if term in text]
        assert not found, f"{doc_id}: {found}"
        assert "合规提示合规提示" not in squash(text), doc_id  # the heading, not the box's title again


def test_running_headers_say_the_kind_once(pdfs: dict[str, bytes]) -> None:
    from generator.printing.catalog import KIND_LABELS

    for doc_id, data in pdfs.items():
        label = KIND_LABELS.get(doc_id.split("-", 1)[0], "清单")
        for page in PdfReader(io.BytesIO(data)).pages:
            header = squash((page.extract_text() or "").strip().splitlines()[0])
            assert header.count(label) <= 1 or doc_id.startswith("slides-"), (doc_id, header)


CLOSING = ("笔记", "备注/待补事项", "填写人（签字）", "复核人（签字）", "审批人（签字）", "日期：")


def test_no_trainee_page_holds_only_a_notes_box_or_one_line(
    shipped: tuple[Project, Playbook], pdfs: dict[str, bytes]
) -> None:
    for doc_id in trainee_ids(shipped):
        pages = PdfReader(io.BytesIO(pdfs[doc_id])).pages
        for n, page in enumerate(pages[1:], start=2):
            lines = [squash(line) for line in (page.extract_text() or "").splitlines()]
            body = [line for line in lines[1:-1] if line and not line.startswith(CLOSING)]
            assert len(body) >= 2, f"{doc_id} page {n}: {body}"


def test_slide_text_stays_above_the_branded_band(shipped: tuple[Project, Playbook], pdfs: dict[str, bytes]) -> None:
    """Nothing runs off a slide into the navy band at its foot (12 mm), where only the company
    name and the slide number are."""
    company = shipped[1].company.name
    for course in courses(shipped):
        for n, page in enumerate(PdfReader(io.BytesIO(pdfs[f"slides-{course.id}"])).pages, start=1):
            low: list[str] = []

            def visit(text: str, cm: list[float], tm: list[float], _font: object, _size: object) -> None:
                y = tm[5] * cm[3] + cm[5]  # points from the page's foot
                if text.strip() and text.strip() not in (company, str(n)) and y < 40:  # noqa: B023
                    low.append(text.strip())  # noqa: B023

            page.extract_text(visitor_text=visit)
            assert not low, (course.id, n, low)


def test_the_workbook_asks_each_question_once(shipped: tuple[Project, Playbook], texts: dict[str, str]) -> None:
    for course in courses(shipped):
        workbook = texts[f"workbook-{course.id}"]
        for question in course.questions:
            assert workbook.count(squash(question.removeprefix("讨论："))) == 1, question
