"""``playbook letters``: driven as a user would, through the CLI."""

from __future__ import annotations

import csv
import hashlib
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from generator.cells import neutralise
from generator.cli import main
from generator.letters import context as ctx
from generator.letters.names import inside, letter_filename, safe_part
from generator.letters.render import letter_context, letter_env, render_html
from generator.project import Project
from generator.session import open_session
from tests.conftest import LETTERS, sample_repo

REPO = sample_repo()
"""Upstream's project with the sample company (never the repository's own site_config/)."""

HEADER = "customer,contact,address,contract_no,invoice_no,invoice_date,due_date,amount,paid\n"


def letters(*args: str | Path) -> int:
    return main(["--project", str(REPO), "letters", *map(str, args)])


def _text(html: str) -> str:
    html = re.sub(r"<(style|script)[^>]*>.*?</\1>", "", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def manifest(out: Path) -> list[dict[str, str]]:
    with (out / "manifest.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_shipped_letters_are_the_known_ids() -> None:
    # Every shipped template has its title and deadline in defaults/policy.yaml, and nothing else is there.
    assert set(open_session(Project.at(REPO), playbook=False).letters.order) == LETTERS


@pytest.mark.parametrize("letter_id", sorted(LETTERS))
def test_every_letter_renders_the_sample_case(letter_id: str) -> None:
    project = Project.at(REPO)
    env = letter_env(project)
    request = ctx.Request(template=letter_id, fmt="html", letter_date=ctx.SAMPLE_DATE)
    context = letter_context(
        open_session(project, playbook=False),
        env,
        ctx.sample_case(),
        request,
        seq=7,
        reference="示例科技催字〔2026〕第0007号",
    )
    page = render_html(project, env, letter_id, context)
    assert "示例科技有限公司" in page and "盖章" in page
    assert "人民币壹拾壹万玖仟肆佰壹拾陆元陆角玖分" in page
    assert "119,416.69" in page
    assert "2026年12月1日" in page
    assert "示例科技催字〔2026〕第0007号" in page
    # the letter itself, not only its shared header: its own title, then its body with the case's
    # unpaid invoices (computed here from the sample case, not by the letter code)
    text = _text(page)
    title = open_session(project, playbook=False).letters.title(letter_id)
    assert text.count(title) >= 2, title  # the <title> and the heading
    body = text.split("示例科技催字〔2026〕第0007号", 1)[1]
    unpaid = [(i.invoice_no, i.amount - i.paid) for i in ctx.sample_case().invoices if i.amount > i.paid]
    assert sum(amount for _no, amount in unpaid) == Decimal("119416.69")
    if letter_id != "delivery-record":  # the delivery record names the letter it carries, not its invoices
        for number, amount in unpaid:
            assert f"{number} " in body and f" {amount:,.2f} " in body, (letter_id, number)
    assert len(body) > 400, (letter_id, body)  # paragraphs, not an empty block


def test_bulk_html_run_writes_letters_and_a_manifest(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    code = letters(
        REPO / "examples" / "invoices-gbk.csv",
        "--template",
        "reminder-1",
        "--format",
        "html",
        "--out",
        out,
        "--date",
        "2026-12-01",
    )
    assert code == 0, capsys.readouterr().err
    rows = manifest(out)
    assert [(r["seq"], r["customer"], r["total"], r["total_in_words"], r["file"]) for r in rows] == [
        (
            "1",
            "华东示例贸易有限公司",
            "119,416.69",
            "人民币壹拾壹万玖仟肆佰壹拾陆元陆角玖分",
            "0001-华东示例贸易有限公司-reminder-1.html",
        ),
        (
            "2",
            "北方样例机电设备有限公司",
            "9,409.50",
            "人民币玖仟肆佰零玖元伍角",
            "0002-北方样例机电设备有限公司-reminder-1.html",
        ),
    ]
    assert rows[0]["reference"] == "示例科技催字〔2026〕第0001号"
    assert rows[0]["deadline"] == "2026-12-16"
    for row in rows:
        data = (out / row["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"]
    page = (out / rows[1]["file"]).read_text(encoding="utf-8")
    assert "北方样例机电设备有限公司：" in page and "2026年12月16日前" in page
    assert sorted(p.name for p in out.iterdir()) == sorted([r["file"] for r in rows] + ["manifest.csv"])
    printed = capsys.readouterr().out
    assert "; no letter for 1 customer(s), named below" in printed
    assert "no letter for 1 customer(s):\n  西南演示科技有限公司: nothing outstanding\n" in printed


def test_values_are_escaped_and_names_stay_inside_out(tmp_path: Path) -> None:
    cases = tmp_path / "evil.csv"
    cases.write_text(
        HEADER + '<b>x</b>,"<script>alert(1)</script>",a&b,,1,,2026-01-01,10,\n'
        "../../etc/passwd,,,,2,,2026-01-01,20,\n"
        '"=HYPERLINK(""http://x"")",,,,3,,2026-01-01,30,\n'
        '"a\tb\x07c/d\\\\e",,,,4,,2026-01-01,40,\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert letters(cases, "-t", "final-demand", "-f", "html", "-o", out, "--date", "2026-12-01") == 0
    rows = manifest(out)
    page = (out / rows[0]["file"]).read_text(encoding="utf-8")
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "<b>x</b>" not in page and "<script>" not in page
    assert rows[2]["customer"] == '\'=HYPERLINK("http://x")'
    files = sorted(p.name for p in out.iterdir())
    assert all("/" not in f and "\\" not in f and "\t" not in f and "\x07" not in f for f in files)
    assert len(files) == 5
    assert rows[1]["file"] == "0002-etc_passwd-final-demand.html"
    assert not (tmp_path / "etc").exists()


def test_docx_has_the_letter_and_a_cjk_font(tmp_path: Path) -> None:
    from docx import Document

    out = tmp_path / "out"
    assert (
        letters(
            REPO / "examples" / "case.yaml",
            "-t",
            "confirmation",
            "-f",
            "docx",
            "-o",
            out,
            "--date",
            "2026-12-01",
        )
        == 0
    )
    [row] = manifest(out)
    document = Document(str(out / row["file"]))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "往来款项对账函（货款征询函）" in text and "数据相符" in text and "数据不符" in text
    assert "人民币壹拾壹万玖仟肆佰壹拾陆元陆角玖分" in text
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "26310001" in cells and "107,000.53" in cells
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "宋体"


def test_pdf_from_a_yaml_case(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert letters(REPO / "examples" / "case.yaml", "-t", "payment-plan", "-o", out, "--date", "2026-12-01") == 0
    [row] = manifest(out)
    assert row["file"] == "0001-华东示例贸易有限公司-payment-plan.pdf" and row["total"] == "119,416.69"
    pdf = out / row["file"]
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() == row["sha256"]
    text = "".join(
        subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    # what the case file says, as printed: the debtor, each unpaid invoice, each instalment, the totals
    assert "还款计划确认书函号：示例科技催字〔2026〕第0001号" in text
    assert "乙方（债务人）：华东示例贸易有限公司" in text
    for line in ("26310001", "107,000.53", "26310057", "6,409.02", "26310112", "6,007.14", "合计119,416.69"):
        assert line in text, line
    for instalment in (
        "第1期2026年12月31日40,000.00人民币肆万元整",
        "第2期2027年1月31日40,000.00人民币肆万元整",
        "第3期2027年2月28日39,416.69人民币叁万玖仟肆佰壹拾陆元陆角玖分",
        "合计119,416.69人民币壹拾壹万玖仟肆佰壹拾陆元陆角玖分",
    ):
        assert instalment in text, instalment
    assert text.endswith("第1页/共1页")


def test_pdf_in_parallel_matches_one_process(tmp_path: Path) -> None:
    cases = tmp_path / "many.csv"
    cases.write_text(
        HEADER + "".join(f"客户{i:02d}有限公司,,,,{i},,2026-01-01,{i}00.5{i % 10},\n" for i in range(1, 21)),
        encoding="utf-8",
    )
    one, two = tmp_path / "one", tmp_path / "two"
    # the same numbers both times (the second run would otherwise continue the register's 函号)
    assert letters(cases, "-t", "reminder-2", "-o", one, "--date", "2026-12-01", "--jobs", "1", "--start-seq", "1") == 0
    assert letters(cases, "-t", "reminder-2", "-o", two, "--date", "2026-12-01", "--jobs", "2", "--start-seq", "1") == 0
    assert manifest(one) == manifest(two)  # the same bytes, though typeset in batches by other workers
    assert len(manifest(two)) == 20


def test_bad_rows_are_all_reported_and_nothing_is_written(tmp_path: Path, capsys) -> None:
    cases = tmp_path / "bad.csv"
    cases.write_text(
        "客户名称,发票号码,到期日,金额\n甲公司,1,2026-01-01,10\n乙公司,2,2026-13-01,1.001\n,3,2026-01-01,x\n",
        encoding="gbk",
    )
    out = tmp_path / "out"
    code = main(["--project", str(REPO), "letters", str(cases), "-t", "reminder-1", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.splitlines() == [
        f"{cases}:3: 到期日: expected a real calendar date, found '2026-13-01'",
        f"{cases}:3: 金额: expected at most two decimals (分), found '1.001'; amounts are never rounded",
        f"{cases}:4: 客户名称: expected the customer's name, found an empty cell",
        f"{cases}:4: 金额: expected an amount like 1409.50, found 'x'",
        "4 problems found; nothing was written",
    ]
    assert not out.exists()
    assert "Traceback" not in err


def test_failed_run_leaves_the_previous_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert letters(REPO / "examples" / "invoices.csv", "-t", "reminder-1", "-f", "html", "-o", out) == 0
    before = sorted(p.name for p in out.iterdir())
    cases = tmp_path / "bad.csv"
    cases.write_text(HEADER + "甲,,,,1,,2026-01-01,abc,\n", encoding="utf-8")
    assert letters(cases, "-t", "reminder-1", "-f", "html", "-o", out) == 1
    assert sorted(p.name for p in out.iterdir()) == before


def test_out_must_be_new_empty_or_a_letters_folder(tmp_path: Path, capsys) -> None:
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "合同.pdf").write_bytes(b"keep me")
    assert letters(REPO / "examples" / "case.yaml", "-t", "reminder-1", "-f", "html", "-o", precious) == 2
    assert "is not a letters folder" in capsys.readouterr().err
    assert (precious / "合同.pdf").read_bytes() == b"keep me"


def test_unknown_template_suggests_the_closest(capsys) -> None:
    assert letters(REPO / "examples" / "case.yaml", "--template", "remindr-1") == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == (
        "--template: unknown letter template 'remindr-1'; did you mean 'reminder-1'? "
        "(valid: assignment-notice, confirmation, delivery-record, final-demand, payment-plan, reminder-1, "
        "reminder-2, stop-service, stop-supply, terminate-authorization)"
    )


def test_missing_argument_is_a_usage_error() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "--project",
            str(REPO),
            "letters",
            "examples/case.yaml",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 2
    assert "one of the arguments --template/-t --from-plan is required" in result.stderr


def test_dry_run_writes_nothing(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert (
        letters(
            REPO / "examples" / "invoices.csv",
            "-t",
            "stop-supply",
            "-o",
            out,
            "--dry-run",
            "--date",
            "2026-12-01",
        )
        == 0
    )
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("0001  华东示例贸易有限公司  ¥119,416.69  人民币壹拾壹万玖仟肆佰壹拾陆元陆角玖分")
    assert printed[-3].startswith("dry run: would write 2 letter(s) (stop-supply, pdf)")
    assert printed[-2:] == ["no letter for 1 customer(s):", "  西南演示科技有限公司: nothing outstanding"]
    assert not out.exists()


def test_delivery_record_carries_a_copy_of_the_sent_letter(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert (
        letters(
            REPO / "examples" / "invoices.csv",
            "-t",
            "delivery-record",
            "-f",
            "html",
            "-o",
            out,
            "--sent-letter",
            "final-demand",
            "--date",
            "2026-12-01",
        )
        == 0
    )
    page = (out / manifest(out)[0]["file"]).read_text(encoding="utf-8")
    assert "《最后催告函》（函号：示例科技催字〔2026〕第0001号）" in page
    assert "附：所送达函件内容副本" in page and "现我司正式向贵司发出最后催告" in page


OVERRIDE = (
    '{% extends "letters/_base.html.j2" %}{% block body %}<p>本公司自己的措辞 {{ total | money }}</p>{% endblock %}'
)


def test_company_override_replaces_a_shipped_letter(make_project, tmp_path: Path) -> None:
    root = make_project(
        {
            "site_config/overrides/letters/reminder-1.html.j2": OVERRIDE,
        }
    )
    out = tmp_path / "out"
    code = main(
        [
            "--project",
            str(root),
            "letters",
            str(REPO / "examples" / "case.yaml"),
            "-t",
            "reminder-1",
            "-f",
            "html",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    page = (out / manifest(out)[0]["file"]).read_text(encoding="utf-8")
    assert "本公司自己的措辞 119,416.69" in page


def test_bad_reference_pattern_is_located(make_project, capsys) -> None:
    root = make_project()
    company = Path(root) / "site_config" / "company.yaml"
    company.write_text('reference_pattern: "{short_name}催字〔{year}〕第{seqq:04d}号"\n', encoding="utf-8")
    code = main(
        [
            "--project",
            str(root),
            "letters",
            str(REPO / "examples" / "case.yaml"),
            "-t",
            "reminder-1",
        ]
    )
    assert code == 1
    line = capsys.readouterr().err.splitlines()[0]
    assert line.startswith("site_config/company.yaml:")
    assert "reference_pattern: unknown field '{seqq}'; did you mean 'seq'?" in line


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "etc_passwd"),
        ("a/b\\c", "a_b_c"),
        ("con", "客户_con"),
        ("", "客户"),
        ("甲\x00乙\n丙", "甲_乙_丙"),
        ("…" * 100, "…" * 60),
    ],
)
def test_safe_part(name: str, expected: str) -> None:
    assert safe_part(name) == expected


def test_inside_refuses_escapes(tmp_path: Path) -> None:
    assert inside(tmp_path, letter_filename(1, "../x", "reminder-1", "pdf")).parent == tmp_path.resolve()
    with pytest.raises(ValueError):
        inside(tmp_path, "../x.pdf")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+86 21", "'+86 21"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("甲公司", "甲公司"),
        ("1,000.00", "1,000.00"),
    ],
)
def test_manifest_cells_are_neutralised(cell: str, expected: str) -> None:
    assert neutralise(cell) == expected


def test_site_has_a_page_per_letter_with_a_sample() -> None:
    from datetime import date

    from generator.features import build_site_tree
    from generator.session import open_session

    project = Project.at(REPO)
    tree = build_site_tree(open_session(project), date(2026, 12, 1))
    assert {f"letters/{i}.md" for i in LETTERS} | {"letters/index.md"} <= set(tree.files)
    page = tree.files["letters/final-demand.md"]
    assert isinstance(page, str)
    assert '<iframe class="pb-letter-sample"' in page and "\n\n" not in page.split("<iframe", 1)[1]
    assert "华东示例贸易有限公司" in page
    assert any("函件模板" in entry for entry in tree.nav if isinstance(entry, dict))


def test_docx_bytes_are_reproducible():
    import time as _time

    from generator.letters.docx import html_to_docx

    first = html_to_docx("<h1>催款函</h1><p>贵司欠款人民币壹仟肆佰零玖元伍角。</p>", title="催款函")
    _time.sleep(2.1)  # zip entry times have a two-second resolution
    assert html_to_docx("<h1>催款函</h1><p>贵司欠款人民币壹仟肆佰零玖元伍角。</p>", title="催款函") == first
