"""Typst as the PDF engine (generator/pdf/typeset.py): data never becomes Typst code, the
output is A4 with the shipped font and the page counter, byte-reproducible, and a company's
overrides keep working (HTML blocks and .typ layouts through Typst, a restyled CSS through
WeasyPrint)."""

from __future__ import annotations

import dataclasses
import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.errors import PlaybookError
from generator.letters import context as ctx
from generator.letters.fill import Numbered, render_bytes, render_files
from generator.letters.render import letter_env
from generator.pdf.tree import html_tree
from generator.project import Project
from generator.session import open_session
from tests.conftest import sample_repo

HOSTILE = '#panic("x") ] [ $x^2$ *bold* _em_ @ref <x> `raw` \\ // /* #let a = 1 = 标题 - 列表'


def letter_pdf(root: Path, customer: str = "华东示例贸易有限公司", template: str = "reminder-1") -> bytes:
    project = Project.at(root)
    case = dataclasses.replace(ctx.sample_case(), customer=customer)
    request = ctx.Request(template=template, fmt="pdf", letter_date=ctx.SAMPLE_DATE)
    session = open_session(project, playbook=False)
    return render_bytes(session, letter_env(project), case, request, seq=7, reference="SL-2026-0007")


def text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def producer(data: bytes) -> str:
    info = PdfReader(io.BytesIO(data)).metadata or {}
    return f"{info.get('/Producer', '')} {info.get('/Creator', '')}"  # Typst writes Creator


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("typst") / "project"
    shutil.copytree(sample_repo(), dest, symlinks=True)
    return dest


def test_a_customer_named_like_typst_markup_prints_literally(repo: Path) -> None:
    data = letter_pdf(repo, customer=HOSTILE)
    assert "Typst" in producer(data)
    words = "".join(text(data).split())
    assert "".join(HOSTILE.split()) + "：" in words  # the salutation, character for character


def test_text_stays_text_in_the_tree() -> None:
    tree = html_tree('<body><p class="x">#panic("x") &lt;b&gt; <strong>]</strong></p></body>')
    assert tree["k"] == [{"t": "p", "c": ["x"], "k": ['#panic("x") <b> ', {"t": "strong", "c": [], "k": ["]"]}]}]


def test_letters_are_a4_with_page_numbers_and_the_shipped_font(repo: Path) -> None:
    data = letter_pdf(repo, template="confirmation")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    words = "".join(text(data).split())
    assert "第1页/共2页" in words and "第2页/共2页" in words
    assert "回执" in words and "人民币壹拾壹万玖仟肆佰壹拾陆元陆角玖分（¥119,416.69）" in words
    fonts = {str(f.get_object()["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert fonts and all("PlaybookSansSC" in name for name in fonts), fonts


def test_same_input_same_bytes(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = letter_pdf(repo)
    assert first == letter_pdf(repo)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    other = letter_pdf(repo)
    assert other != first and other == letter_pdf(repo)
    assert PdfReader(io.BytesIO(other)).metadata["/CreationDate"].startswith("D:20231114")


def test_a_block_override_goes_through_typst(repo: Path) -> None:
    folder = repo / "site_config" / "overrides" / "letters"
    folder.mkdir(parents=True, exist_ok=True)
    override = folder / "reminder-1.html.j2"
    override.write_text(
        '{% extends "upstream/letters/reminder-1.html.j2" %}\n'
        "{% block greeting %}<p>本公司自己的问候语。</p>{% endblock %}\n",
        encoding="utf-8",
    )
    try:
        data = letter_pdf(repo)
        assert "Typst" in producer(data)
        assert "本公司自己的问候语。" in "".join(text(data).split())
    finally:
        override.unlink()


def test_a_restyled_css_keeps_weasyprint(repo: Path) -> None:
    folder = repo / "site_config" / "overrides" / "letters"
    folder.mkdir(parents=True, exist_ok=True)
    css = folder / "_style.css.j2"
    upstream = (repo / "templates" / "letters" / "_style.css.j2").read_text("utf-8")
    css.write_text(upstream.replace("#a40000", "#004080"), encoding="utf-8")
    try:
        data = letter_pdf(repo)
        assert "WeasyPrint" in producer(data)
        assert "华东示例贸易有限公司：" in "".join(text(data).split())
    finally:
        css.unlink()


def test_a_company_layout_override_is_used_and_a_broken_one_is_one_clear_problem(repo: Path) -> None:
    folder = repo / "site_config" / "overrides" / "letters"
    folder.mkdir(parents=True, exist_ok=True)
    layout = folder / "letter.typ"
    upstream = (repo / "templates" / "letters" / "letter.typ").read_text("utf-8")
    layout.write_text(
        upstream.replace("[第 #here 页 / 共 #last 页]", "[Page #here of #last]")
        if "第 #here" in upstream
        else upstream + "\n#place(bottom)[Page]\n",
        encoding="utf-8",
    )
    try:
        assert "Page" in text(letter_pdf(repo))
        layout.write_text(upstream + "\n#undefined-thing\n", encoding="utf-8")
        with pytest.raises(PlaybookError) as caught:
            letter_pdf(repo)
        (problem,) = caught.value.problems
        assert problem.path.endswith("site_config/overrides/letters/letter.typ")
        assert "unknown variable: undefined-thing" in problem.message
    finally:
        layout.unlink()


def test_playbook_override_copies_a_layout_and_its_drift_is_reported(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator.cli import main
    from generator.overrides import check_overrides

    copied = repo / "site_config" / "overrides" / "print" / "print.typ"
    lock = repo / "site_config" / "overrides.lock"
    saved = lock.read_bytes() if lock.exists() else None
    assert main(["--project", str(repo), "override", "print/print.typ"]) == 0
    try:
        assert copied.read_bytes() == (repo / "templates" / "print" / "print.typ").read_bytes()
        upstream = repo / "templates" / "print" / "print.typ"
        before = upstream.read_text("utf-8")
        upstream.write_text(before + "\n// upstream changed\n", encoding="utf-8")
        try:
            _errors, drift = check_overrides(Project.at(repo))
            assert any("print/print.typ" in problem.message for problem in drift), drift
        finally:
            upstream.write_text(before, encoding="utf-8")
    finally:
        copied.unlink(missing_ok=True)
        if saved is None:
            lock.unlink(missing_ok=True)
        else:
            lock.write_bytes(saved)


# --- several letters in one compile (bulk runs) ----------------------------------------------


def batch_pdfs(
    root: Path, customers: list[tuple[str, int]], template: str = "reminder-1", first_seq: int = 1
) -> list[bytes]:
    """One file per (customer, invoices) through ``render_files`` (a worker's batch)."""
    project = Project.at(root)
    sample = ctx.sample_case()
    first = sample.invoices[0]
    letters = [
        Numbered(
            dataclasses.replace(
                sample,
                customer=name,
                invoices=tuple(
                    dataclasses.replace(first, invoice_no=f"2631{k:04d}", row=k + 2) for k in range(invoices)
                ),
            ),
            seq=seq,
            reference=f"SL-2026-{seq:04d}",
        )
        for seq, (name, invoices) in enumerate(customers, first_seq)
    ]
    request = ctx.Request(template=template, fmt="pdf", letter_date=ctx.SAMPLE_DATE)
    files, error = render_files(open_session(project, playbook=False), letter_env(project), request, letters)
    assert error is None
    return files


def page_texts(data: bytes) -> list[str]:
    return ["".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages]


BATCH = [("甲方一号有限公司", 1), ("乙方二号有限公司", 60), ("丙方三号有限公司", 2), ("丁方四号有限公司", 1)]


def test_a_batch_gives_each_letter_its_own_file_pages_and_counter(repo: Path) -> None:
    files = batch_pdfs(repo, BATCH)
    assert len(files) == len(BATCH)
    for data, (name, _) in zip(files, BATCH, strict=True):
        reader = PdfReader(io.BytesIO(data))
        info = reader.metadata
        assert info["/Title"].endswith(name) and info["/Author"] and "Typst" in info["/Creator"]
        assert data.startswith(b"%PDF-1.7") and info["/CreationDate"] == info["/ModDate"]
        assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages} == {(595, 842)}
        pages = page_texts(data)
        assert name in pages[0]
        assert not any(other in "".join(pages) for other, _ in BATCH if other != name)
        for number, page in enumerate(pages, 1):
            assert f"第{number}页/共{len(pages)}页" in page
    assert [len(page_texts(data)) for data in files] == [1, 3, 1, 1]  # 60 invoices take three pages
    assert files == batch_pdfs(repo, BATCH)  # the same batch, the same bytes


def test_a_batch_letter_reads_as_the_same_letter_typeset_alone(repo: Path) -> None:
    alone = [batch_pdfs(repo, [one], first_seq=seq)[0] for seq, one in enumerate(BATCH[:2], 1)]
    together = batch_pdfs(repo, BATCH[:2])
    assert [page_texts(data) for data in together] == [page_texts(data) for data in alone]


def test_two_page_letters_in_a_batch(repo: Path) -> None:
    files = batch_pdfs(repo, BATCH[:3], template="confirmation")
    counts = [len(page_texts(data)) for data in files]
    assert counts == [2, 3, 2]  # the reply slip has a page of its own
    for data, count in zip(files, counts, strict=True):
        assert page_texts(data)[-1].endswith(f"第{count}页/共{count}页")


@pytest.mark.parametrize("change", ["older layout", "no page labels"])
def test_a_layout_that_cannot_batch_still_gives_right_letters(repo: Path, change: str) -> None:
    """A company's copy of an older letter.typ (no each-document), or one whose page labels do
    not restart per letter: one compile per letter, never a file cut in the wrong place."""
    folder = repo / "site_config" / "overrides" / "letters"
    folder.mkdir(parents=True, exist_ok=True)
    layout = folder / "letter.typ"
    upstream = (repo / "templates" / "letters" / "letter.typ").read_text("utf-8")
    if change == "older layout":
        copy = upstream.replace("#each-document(one-letter)", "#one-letter(doc)")
    else:
        copy = upstream.replace('numbering: "1",', "")
    assert copy != upstream
    layout.write_text(copy, encoding="utf-8")
    try:
        files = batch_pdfs(repo, BATCH)
        assert [len(page_texts(data)) for data in files] == [1, 3, 1, 1]
        for data, (name, _) in zip(files, BATCH, strict=True):
            pages = page_texts(data)
            assert name in pages[0] and f"第1页/共{len(pages)}页" in pages[0]
    finally:
        layout.unlink()


def test_a_bulk_run_with_an_older_layout_copy_says_so_once(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator.cli import main

    folder = repo / "site_config" / "overrides" / "letters"
    folder.mkdir(parents=True, exist_ok=True)
    layout = folder / "letter.typ"
    upstream = (repo / "templates" / "letters" / "letter.typ").read_text("utf-8")
    cases = tmp_path / "cases.csv"
    cases.write_text(
        "客户名称,发票号码,到期日,金额\n"
        + "".join(f"客户{i:02d}有限公司,{i},2026-01-01,{i}00.00\n" for i in range(1, 21)),
        encoding="utf-8",
    )

    def run(out: str) -> str:
        args = ["--project", str(repo), "letters", str(cases), "-t", "reminder-1", "-o", str(tmp_path / out)]
        assert main([*args, "--date", "2026-12-01", "--jobs", "1", "--start-seq", "1"]) == 0
        return capsys.readouterr().err

    assert "typesets one document per Typst compile" not in run("upstream")
    layout.write_text(upstream.replace("#each-document(one-letter)", "#one-letter(doc)"), encoding="utf-8")
    try:
        err = run("older")
    finally:
        layout.unlink()
    assert err.count("note: site_config/overrides/letters/letter.typ typesets one document per Typst compile") == 1
    assert "playbook override --diff letters/letter.typ" in err
    older = sorted((tmp_path / "older").glob("*.pdf"))
    assert len(older) == 20 and all(page_texts(p.read_bytes())[0].endswith("第1页/共1页") for p in older)
