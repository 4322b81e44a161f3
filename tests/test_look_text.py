"""What people read: printouts that refer to company policy carry the company's ladder,
trainees' material holds no answers or internals, the 内容格式参考 page explains every field
in Chinese, blank letters leave the case data to be filled in."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from generator.printing.catalog import catalog
from generator.printing.render import render_html
from generator.project import Project
from generator.session import open_session
from tests.conftest import sample_repo
from tests.print_fixture import make_print_project


def _text(html: str) -> str:
    html = re.sub(r"<(style|script)[^>]*>.*?</\1>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture(scope="module")
def printouts() -> dict[str, str]:
    project = Project.at(sample_repo())
    playbook = open_session(project).playbook
    return render_html(project, playbook, catalog(project, playbook).printables, date(2026, 12, 1))


def test_ladder_handout_carries_the_company_thresholds(printouts: dict[str, str]) -> None:
    handout = _text(printouts["handout-penalty-ladder"])
    assert "本公司的惩戒阶梯" in handout
    for expected in (
        "停止供货 30 天 ¥10,000.00 销售总监",
        "终止授权 90 天 ¥10,000.00 总经理",
        "法律途径 180 天 ¥50,000.00 总经理",
        "已发出最后催告函",
    ):
        assert expected in handout, expected
    assert "<svg" in printouts["handout-penalty-ladder"]  # the staircase


def test_every_printout_that_refers_to_policy_has_the_ladder(printouts: dict[str, str]) -> None:
    for doc_id, html in printouts.items():
        if "本公司规定" in html:
            assert "本公司的惩戒阶梯" in html, doc_id
    marked = re.search(r'<tr class="current">(.*?)</tr>', printouts["checklist-terminate-authorization"], re.S)
    assert marked and "终止授权" in marked.group(1)
    assert "本公司的惩戒阶梯" in printouts["workbook-sales-collection-course"]


def test_trainee_material_holds_no_internals(printouts: dict[str, str]) -> None:
    from generator.printing.catalog import TRAINER_KINDS

    for doc_id, html in printouts.items():
        if doc_id.split("-", 1)[0] in TRAINER_KINDS:
            continue
        text = _text(html)
        assert "site_config" not in text, doc_id
        assert ".yaml" not in text, doc_id


def test_editor_additions_stay_marked_in_print(printouts: dict[str, str]) -> None:
    """Seed fidelity: what the source course does not say is marked, on paper too."""
    workbook = _text(printouts["workbook-sales-collection-course"])
    assert "（编者补充）了解各项惩戒措施的法律边界" in workbook
    handout = _text(printouts["handout-interview-collection"])
    assert "在原课程大纲中只有标题，本页的具体内容为编者补充" in handout
    guide = _text(printouts["guide-interview-collection-course"])
    assert (
        "本课程与原课程大纲的差异" in guide
        and "澄清" in guide
        and "突然袭击" in _text(printouts["guide-sales-collection-course"])
    )


def test_trainer_material_is_on_the_trainers_page_only(tmp_path: Path) -> None:
    from generator.printing.site import PAGE, TRAINER_PAGE, site_nav, site_pages

    root = make_print_project(tmp_path / "p")
    project = Project.at(root)
    session = open_session(project)
    playbook = session.playbook
    pages = {page: extra for page, _template, extra in site_pages(project, playbook, None)}
    trainee = [row["href"] for group in pages[PAGE]["groups"] for row in group["rows"]]
    assert trainee and not any("trainers/" in href or "answers-" in href for href in trainee)
    (course,) = pages[TRAINER_PAGE]["courses"]
    links = {link["text"]: link["href"] for link in course["links"]}
    assert list(links) == [
        "讲师手册",
        "幻灯片",
        "观察评分表",
        "客户角色说明",
        "课前测",
        "课后测",
        "课程评估表",
        "结业证书",
        "签到表",
        "参考答案",
    ]
    # The page's URL is downloads/trainers/, the folder its PDFs are written to.
    assert links["讲师手册"] == "guide-course-a.pdf" and links["参考答案"] == "answers-course-a.pdf"
    assert "讲师资料" in str(site_nav(project, playbook))


def test_a_company_can_leave_trainer_material_off_the_site(tmp_path: Path) -> None:
    from generator.printing.build import post_build
    from generator.printing.site import TRAINER_PAGE, site_nav, site_pages

    root = make_print_project(tmp_path / "p")
    company = root / "site_config" / "company.yaml"
    company.write_text(company.read_text("utf-8") + "answer_keys_on_site: false\n", encoding="utf-8")
    project = Project.at(root)
    session = open_session(project)
    playbook = session.playbook
    pages = {page for page, _template, _extra in site_pages(project, playbook, None)}
    assert TRAINER_PAGE not in pages and "讲师资料" not in str(site_nav(project, playbook))
    site = tmp_path / "site"
    post_build(session, site, {})
    written = {p.relative_to(site / "downloads").as_posix() for p in (site / "downloads").rglob("*.pdf")}
    assert "workbook-course-a.pdf" in written and "worksheet-course-a.pdf" in written
    assert not any(name.startswith("trainers/") or "answers-" in name for name in written), written


def test_every_documented_field_has_a_chinese_explanation() -> None:
    from generator.render.format_reference import documented_models
    from generator.render.schema_zh import MODEL_NAMES, TEXT

    missing = []
    for model in documented_models():
        keys = [model.__name__, *(f"{model.__name__}.{name}" for name in model.model_fields)]
        missing += [key for key in keys if key not in TEXT]
        if model.__name__ not in MODEL_NAMES:
            missing.append(f"MODEL_NAMES[{model.__name__}]")
    assert missing == [], f"add these to generator/render/schema_zh.py: {missing}"


def test_blank_letters_leave_the_case_data_blank() -> None:
    from generator.letters.blank import blank_html

    project = Project.at(sample_repo())
    session = open_session(project)
    company = session.company
    for letter in ("stop-supply", "payment-plan", "delivery-record", "confirmation"):
        html = blank_html(session, letter)
        text = _text(html)
        assert company.name in text, letter  # the company's own details stay filled in
        assert letter == "delivery-record" or company.bank_account in text, letter
        assert "华东示例" not in text and "¥0.00" not in text, letter  # no sample or zero data
        assert html.count('class="fill') >= 3, letter  # lines to write on
        assert "年　　月　　日" in html, letter  # a date to write in
