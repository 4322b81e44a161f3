"""Blank letters (to fill in by hand) carry no sample data, underline every field, have a plain
PDF title, and keep the signature and seal with the letter's body."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from generator.letters import context as ctx
from generator.letters.blank import blank_html
from generator.pdf import html_to_pdf
from generator.project import Project
from generator.session import open_session
from tests.conftest import sample_repo


@pytest.fixture(scope="module")
def blanks() -> dict[str, tuple[str, bytes]]:
    project = Project.at(sample_repo())
    session = open_session(project)
    out = {}
    for letter in sorted(session.templates):
        html = blank_html(session, letter)
        out[letter] = (html, html_to_pdf(html, base_url=project.root.as_uri() + "/"))
    return out


def page_texts(data: bytes) -> list[str]:
    return ["".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages]


def sample_values() -> list[str]:
    """Everything the site's sample case says that a blank letter must not."""
    case = ctx.sample_case()
    dates = [*case.history.reminders, case.history.final_demand, ctx.SAMPLE_DATE]
    dates += [d for inv in case.invoices for d in (inv.invoice_date, inv.due_date) if d is not None]
    assert case.assignment is not None and case.suspension is not None
    out = [f"{d.year}年{d.month}月{d.day}日" for d in dates if d is not None]
    out += [inv.contract_no for inv in case.invoices if inv.contract_no] + [inv.invoice_no for inv in case.invoices]
    out += [case.suspension.clause, case.assignment.assignee, case.assignment.agreement, case.assignment.bank_account]
    return ["".join(v.split()) for v in out] + [case.customer, "第5.2条", "BL-2026-007"]


def test_blank_letters_carry_no_sample_data(blanks: dict[str, tuple[str, bytes]]) -> None:
    banned = sample_values()
    for letter, (_html, data) in blanks.items():
        text = "".join(page_texts(data))
        found = [value for value in banned if value in text]
        assert not found, f"{letter}: {found}"
        assert not re.search(r"20\d\d年\d", text), letter  # no date at all: dates are written in


def test_earlier_steps_are_lines_to_fill_in(blanks: dict[str, tuple[str, bytes]]) -> None:
    final = "".join(page_texts(blanks["final-demand"][1]))
    assert "发出最后催告函" not in final  # the blank final demand never says one was sent already
    assert "已于年月日向贵司书面催告" in final
    for letter in ("stop-supply", "stop-service", "terminate-authorization"):
        assert "已于年月日向贵司发出最后催告函" in "".join(page_texts(blanks[letter][1])), letter
    assert "我司已于年月日就贵司逾期货款向贵司发函提醒" in "".join(page_texts(blanks["reminder-2"][1]))
    # The dates in the text are underlined fields (year, month and day each).
    assert '<span class="fill date">' in blanks["final-demand"][0]


def test_pdf_titles_are_plain_text(blanks: dict[str, tuple[str, bytes]]) -> None:
    for letter, (_html, data) in blanks.items():
        title = PdfReader(io.BytesIO(data)).metadata.title
        assert title and "<" not in title and "fill" not in title and not title.endswith("·"), (letter, title)


def test_signature_and_seal_stay_on_the_page_of_the_body(blanks: dict[str, tuple[str, bytes]]) -> None:
    for letter, (_html, data) in blanks.items():
        pages = page_texts(data)
        assert len(pages) <= 2, letter
        for n, page in enumerate(pages[1:], start=2):
            # A page after the first holds the seal only with the closing lines (or on the reply slip).
            assert "（盖章）" not in page or "特此" in page or "回执" in page, f"{letter}: the seal alone on page {n}"


@pytest.mark.parametrize("paragraphs", range(22, 34))
def test_a_long_letter_moves_its_closing_with_the_seal(paragraphs: int) -> None:
    body = "".join(
        f"<p>第{n}段：贵司尚欠我司到期货款，请尽快支付。这是一段足够长的正文，用来把落款推到页底。</p>"
        for n in range(paragraphs)
    )
    html = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>催款函</title></head><body>'
        '<article class="letter letter-reminder-1"><h1>催款函</h1>'
        f'{body}<p>请于期限前付款。</p><p class="plain">特此函告。</p>'
        '<div class="sign"><p>示例科技有限公司</p><p class="seal">（盖章）</p><p class="date">2026年12月1日</p></div>'
        "</article></body></html>"
    )
    for page in page_texts(html_to_pdf(html)):
        if "（盖章）" in page:
            assert "特此函告" in page and "请于期限前付款" in page
