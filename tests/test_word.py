"""Letters the legal department owns in Word: export, edit as a lawyer would, fill, convert."""

from __future__ import annotations

import copy
import csv
import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from generator.cli import main
from generator.letters.docx import custom_properties
from generator.letters.word import office
from generator.letters.word.export import PROPERTY_LETTER, PROPERTY_UPSTREAM, upstream_hash
from generator.letters.word.fields import reference_table
from generator.money import format_amount, rmb_upper
from generator.project import Project
from generator.session import open_session
from tests.conftest import REPO, sample_repo

HEADER = "customer,contact,address,contract_no,invoice_no,invoice_date,due_date,amount,paid\n"
ODD_NAME = "甲&乙<商贸>\x07有限公司"
"""A name as ERP exports deliver them: markup characters and a control character."""
CUSTOMERS = (
    HEADER
    + "华东示例贸易有限公司,陈经理,苏州,HT-2026-018,26310001,2026-07-31,2026-08-31,107000.53,0\n"
    + "华东示例贸易有限公司,陈经理,苏州,HT-2026-031,26310057,2026-08-31,2026-09-30,16409.02,10000\n"
    + f'"{ODD_NAME}",刘总,天津,,F-77,2026-06-15,2026-07-15,"1,409.50",0\n'
    + "{{ 公司名称 }}{%p if 函号 %}有限公司,王五,北京,,F-88,2026-09-01,2026-10-01,88.00,0\n"
)
EDITED = "经我司法务部核对，贵司尚欠{{ 欠款合计大写 }}（¥{{ 欠款合计 }}），请于{{ 付款期限 }}前付清。"


def playbook(root: Path, *args: str) -> int:
    return main(["--project", str(root), *args])


def export(root: Path, letter_id: str, out: Path) -> docx.document.Document:
    assert playbook(root, "letters", "template", letter_id, "--out", str(out)) == 0
    return docx.Document(str(out))


def all_text(document) -> str:  # type: ignore[no-untyped-def]
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def lawyer_edits(path: Path, target: Path) -> None:
    """What legal does in Word: rewrite the paragraph naming the deadline, move the total in
    words into the invoice table's empty cell, delete the optional 函号 paragraph."""
    document = docx.Document(str(path))
    body = [p for p in document.paragraphs if "{{ 付款期限 }}" in p.text][0]
    for run in body.runs[1:]:
        run._r.getparent().remove(run._r)
    body.runs[0].text = EDITED
    total_row = document.tables[0].rows[-1]
    total_row.cells[-1].paragraphs[0].add_run("{{ 欠款合计大写 }}")
    paragraphs = document.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == "{%p if 函号 %}")
    for p in paragraphs[start : start + 3]:
        p._p.getparent().remove(p._p)
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))


@pytest.fixture
def word_project(make_project, tmp_path: Path) -> Path:
    root = make_project()
    lawyer_edits_source = tmp_path / "exported.docx"
    export(root, "reminder-1", lawyer_edits_source)
    lawyer_edits(lawyer_edits_source, root / "site_config" / "letters" / "reminder-1.docx")
    (root / "ar.csv").write_text(CUSTOMERS, encoding="utf-8")
    return root


def test_export_reads_like_the_letter_with_chinese_fields(tmp_path: Path) -> None:
    document = export(sample_repo(), "reminder-1", tmp_path / "reminder-1.docx")
    text = all_text(document)
    for field in (
        "{{ 客户名称 }}",
        "{{ 欠款合计 }}",
        "{{ 欠款合计大写 }}",
        "{{ 付款期限 }}",
        "{{ 公司名称 }}",
        "{%tr for 发票 in 发票明细 %}",
        "{{ 发票.发票号码 }}",
        "{%p if 函号 %}",
        "{% if 合同编号 %}",
    ):
        assert field in text, field
    assert "催款函" in text or "{{ 函件标题 }}" in text
    # no sample data and no HTML or Jinja of the HTML template leaks into the Word file
    assert not re.search(r"示例|华东|<[a-z]|\bcn_date\b|\bdebtor\.|\ue000", text)
    rows = [[c.text for c in r.cells] for r in document.tables[0].rows]
    assert rows[1][0] == "{%tr for 发票 in 发票明细 %}" and rows[3][0] == "{%tr endfor %}"
    assert rows[2][0] == "{{ 发票.序号 }}"
    properties = custom_properties((tmp_path / "reminder-1.docx").read_bytes())
    assert properties[PROPERTY_LETTER] == "reminder-1"
    assert properties[PROPERTY_UPSTREAM] == upstream_hash(
        open_session(Project.at(sample_repo()), playbook=False), "reminder-1"
    )


def test_export_never_overwrites_and_names_unknown_letters(tmp_path: Path, capsys) -> None:
    out = tmp_path / "mine.docx"
    out.write_bytes(b"the lawyer's file")
    assert playbook(sample_repo(), "letters", "template", "reminder-1", "--out", str(out)) == 2
    assert out.read_bytes() == b"the lawyer's file"
    assert playbook(sample_repo(), "letters", "template", "remider-1", "--out", str(tmp_path / "x.docx")) == 1
    err = capsys.readouterr().err
    assert "already exists" in err
    assert "unknown letter template 'remider-1'; did you mean 'reminder-1'?" in err
    assert not (tmp_path / "x.docx").exists()


def test_export_follows_the_html_template_and_upstream_changes_are_told(make_project, tmp_path, capsys) -> None:
    root = make_project()
    letters = root / "site_config" / "letters"
    letters.mkdir(parents=True)
    export(root, "reminder-2", letters / "reminder-2.docx")
    capsys.readouterr()
    assert playbook(root, "validate") == 0
    assert "upstream changed" not in capsys.readouterr().err
    template = root / "templates" / "letters" / "reminder-2.html.j2"
    source = template.read_text(encoding="utf-8")
    marker = "{% block body %}\n"
    assert marker in source
    template.write_text(source.replace(marker, marker + "<p>上游新增的一句话。</p>\n", 1), encoding="utf-8")
    capsys.readouterr()
    assert playbook(root, "validate") == 0
    err = capsys.readouterr().err
    assert (
        "warning: site_config/letters/reminder-2.docx: upstream changed: this Word template was exported "
        "from an older version of upstream's «reminder-2» letter; export the new one with "
        "`playbook letters template reminder-2 --out reminder-2-new.docx`"
    ) in err
    document = export(root, "reminder-2", tmp_path / "reminder-2-new.docx")
    assert "上游新增的一句话。" in all_text(document)


@pytest.mark.slow
def test_every_shipped_letter_exports_a_template_that_fills(tmp_path: Path) -> None:
    from generator.letters.word import WordTemplate, problems_of, sample_context

    session = open_session(Project.at(sample_repo()), playbook=False)
    for letter_id in session.letters.order:
        out = tmp_path / f"{letter_id}.docx"
        export(sample_repo(), letter_id, out)
        template = WordTemplate(letter_id, f"{letter_id}.docx", out.read_bytes())
        assert problems_of(session, template) == [], letter_id
        filled = docx.Document(io.BytesIO(template.fill(sample_context(session, letter_id))))
        text = all_text(filled)
        assert "华东示例贸易有限公司" in text and "{{" not in text and "{%" not in text, letter_id


def _letters(root: Path, fmt: str) -> list[Path]:
    out = root / f"out-{fmt}"
    code = playbook(
        root,
        "letters",
        str(root / "ar.csv"),
        "-t",
        "reminder-1",
        "-f",
        fmt,
        "--date",
        "2026-12-01",
        "--out",
        str(out),
        "-j",
        "1",
    )
    assert code == 0
    with (out / "manifest.csv").open(encoding="utf-8-sig") as handle:
        return [out / row["file"] for row in csv.DictReader(handle)]


def test_edited_word_template_fills_three_customers(word_project: Path) -> None:
    files = _letters(word_project, "docx")
    assert len(files) == 3
    first, odd, injected = (docx.Document(str(f)) for f in files)
    total = Decimal("107000.53") + Decimal("6409.02")
    text = all_text(first)
    assert f"经我司法务部核对，贵司尚欠{rmb_upper(total)}（¥{format_amount(total)}），请于2026年12月16日前付清。" in [
        p.text for p in first.paragraphs
    ]
    assert "函号" not in text  # the optional paragraph the lawyer deleted
    assert "HT-2026-018、HT-2026-031" in text  # the contract condition, shown
    rows = [[c.text for c in r.cells] for r in first.tables[0].rows]
    assert [r[2] for r in rows[1:3]] == ["26310001", "26310057"]
    assert rows[1][0] == "1" and rows[2][0] == "2" and rows[1][1] == "HT-2026-018"
    assert rows[-1][-2:] == [format_amount(total), rmb_upper(total)]  # the field moved into a cell
    assert len(rows) == 4  # header, two invoices, total
    # markup and control characters are text, not corruption; no contract → the other wording
    odd_text = all_text(odd)
    assert "甲&乙<商贸>有限公司：" in odd_text and "\x07" not in odd_text
    assert "合同编号：" not in odd_text
    assert [[c.text for c in r.cells][2] for r in odd.tables[0].rows][1:-1] == ["F-77"]
    # customer data never becomes template code
    assert "{{ 公司名称 }}{%p if 函号 %}有限公司：" in all_text(injected)


def test_word_letters_are_reproducible(word_project: Path) -> None:
    first = [f.read_bytes() for f in _letters(word_project, "docx")]
    shutil.rmtree(word_project / "out-docx")
    assert [f.read_bytes() for f in _letters(word_project, "docx")] == first


def test_pdf_from_the_word_template_keeps_the_edited_chinese_sentence(
    word_project: Path, tmp_path: Path, libreoffice: None
) -> None:
    files = _letters(word_project, "pdf")
    assert len(files) == 3 and all(f.read_bytes().startswith(b"%PDF") for f in files)
    text = subprocess.run(["pdftotext", "-layout", str(files[0]), "-"], capture_output=True, text=True).stdout
    assert "经我司法务部核对，贵司尚欠" in re.sub(r"\s+", "", text)
    assert "26310057" in text
    fonts = subprocess.run(["pdffonts", str(files[0])], capture_output=True, text=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # every font embedded
    assert any("CJK" in line or "PlaybookSans" in line for line in fonts), fonts  # the shipped Chinese font


def test_pdf_without_libreoffice_says_so(word_project: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(office, "soffice", lambda: None)
    out = word_project / "out-pdf"
    assert playbook(word_project, "letters", str(word_project / "ar.csv"), "-t", "reminder-1", "--out", str(out)) == 1
    assert capsys.readouterr().err.splitlines() == [
        "site_config/letters/reminder-1.docx: --format pdf: LibreOffice is not installed: a PDF letter from a Word "
        "template is the filled DOCX converted by LibreOffice (Debian/Ubuntu: apt-get install "
        "libreoffice-writer-nogui python3-uno); use --format docx, or remove this file to use the HTML letter",
        "1 problem found; nothing was written",
    ]
    assert not out.exists()


def test_unknown_field_in_a_table_cell_is_named_by_validate(word_project: Path, capsys) -> None:
    path = word_project / "site_config" / "letters" / "reminder-1.docx"
    document = docx.Document(str(path))
    cell = document.tables[0].rows[2].cells[2]
    cell.paragraphs[0].runs[0].text = "{{ 发票.发票号 }}"
    extra = copy.deepcopy(document.paragraphs[-1]._p)
    document.paragraphs[-1]._p.addnext(extra)
    document.paragraphs[-1].runs[0].text = "联系：{{ 客户名陈 }}"
    document.save(str(path))
    assert playbook(word_project, "validate") == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == (
        "site_config/letters/reminder-1.docx: paragraph 19 («联系：{{ 客户名陈 }}»): unknown merge "
        "field «客户名陈»; did you mean «客户名称»? (the fields are listed in "
        "docs/word-templates.md)"
    )
    assert lines[1] == (
        "site_config/letters/reminder-1.docx: table 1, row 3, cell 3 («{{ 发票.发票号 }}»): unknown "
        "field «发票.发票号» of a row of 发票明细; did you mean «发票号码»? (row fields: "
        "序号、合同编号、发票号码、开票日期、到期日、发票金额、已付金额、未付金额、逾期天数)"
    )


def test_field_split_across_word_runs_is_repaired(make_project, tmp_path: Path) -> None:
    root = make_project()
    path = root / "site_config" / "letters" / "reminder-1.docx"
    path.parent.mkdir(parents=True)
    document = docx.Document()
    paragraph = document.add_paragraph()
    for text in ("致 {", "{ 客户", "名称 }", "}：欠款 {{ 欠款合计 }} 元"):  # as Word stores an edited field
        paragraph.add_run(text).bold = text.startswith("{ 客户")
    document.save(str(path))
    (root / "ar.csv").write_text(CUSTOMERS, encoding="utf-8")
    out = root / "out"
    assert playbook(root, "letters", str(root / "ar.csv"), "-t", "reminder-1", "-f", "docx", "--out", str(out)) == 0
    first = sorted(out.glob("0001-*.docx"))[0]
    assert docx.Document(str(first)).paragraphs[0].text == "致 华东示例贸易有限公司：欠款 113,409.55 元"


def test_control_characters_in_names_do_not_break_the_html_based_docx(make_project) -> None:
    root = make_project()
    (root / "ar.csv").write_text(CUSTOMERS, encoding="utf-8")
    out = root / "out"
    assert playbook(root, "letters", str(root / "ar.csv"), "-t", "reminder-1", "-f", "docx", "--out", str(out)) == 0
    odd = sorted(out.glob("0002-*.docx"))[0]
    assert "甲&乙<商贸>有限公司：" in [p.text for p in docx.Document(str(odd)).paragraphs]


def test_site_sample_shows_the_word_template(word_project: Path) -> None:
    from generator.letters.site import site_pages
    from generator.session import open_session

    project = Project.at(word_project)
    pages = {path: context for path, _template, context in site_pages(project, open_session(project).playbook, None)}
    page = pages["letters/reminder-1.md"]
    assert page["word_template"] == "site_config/letters/reminder-1.docx"
    assert "Word 模板：site_config/letters/reminder-1.docx" in page["sample"]
    assert "经我司法务部核对，贵司尚欠" in page["sample"]
    assert pages["letters/reminder-2.md"]["word_template"] == ""


def test_readme_lists_every_field_in_chinese_and_english() -> None:
    readme = (REPO / "docs" / "word-templates.md").read_text(encoding="utf-8")
    for name, key, _note in reference_table():
        assert f"| `{name}` | `{key}` |" in readme, name


def test_letterhead_in_the_page_header_is_filled_and_checked(word_project: Path, capsys) -> None:
    path = word_project / "site_config" / "letters" / "reminder-1.docx"
    document = docx.Document(str(path))
    document.sections[0].header.paragraphs[0].text = "{{ 公司名称 }} · 函号 {{ 函号 }}"
    document.sections[0].footer.paragraphs[0].text = "电话：{{ 公司电化 }}"
    document.save(str(path))
    assert playbook(word_project, "validate") == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "site_config/letters/reminder-1.docx: page footer 1, paragraph 1 («电话：{{ 公司电化 }}»): unknown merge "
        "field «公司电化»; did you mean «公司电话»? (the fields are listed in docs/word-templates.md)"
    )
    document.sections[0].footer.paragraphs[0].text = "电话：{{ 公司电话 }}"
    document.save(str(path))
    filled = docx.Document(str(_letters(word_project, "docx")[0]))
    assert filled.sections[0].header.paragraphs[0].text == "示例科技有限公司 · 函号 示例科技催字〔2026〕第0001号"
