"""Issue 27, item 1: a suspension is scoped to the contracts its basis belongs to.

民法典 526/527 and most suspension clauses work contract by contract: a letter that stops supply
under every contract of a customer when the clause is in one of them is a wrongful suspension.
Letters are rendered through the CLI, as a finance clerk would, and read as text (HTML and PDF).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import REPO

TWO_CONTRACTS = """\
customer: 华东示例贸易有限公司
contact: 陈经理
address: 江苏省苏州市示例区样板路 88 号
invoices:
  - {invoice_no: "26310001", contract_no: HT-2026-018, due_date: 2026-08-31, amount: 107000.53}
  - {invoice_no: "26310057", contract_no: HT-2026-018, due_date: 2026-09-30, amount: 16409.02, paid: 10000}
  - {invoice_no: "26310112", contract_no: HT-2026-031, due_date: 2026-10-31, amount: 6007.14}
"""


def run(root: Path, case: Path, template: str, out: Path, fmt: str = "html") -> int:
    return main(
        [
            "--project",
            str(root),
            "letters",
            str(case),
            "-t",
            template,
            "-f",
            fmt,
            "-o",
            str(out),
            "--date",
            "2026-12-01",
        ]
    )


def text_of(out: Path, suffix: str = ".html") -> str:
    page = next(p for p in out.iterdir() if p.suffix == suffix)
    if suffix == ".pdf":
        done = subprocess.run(["pdftotext", "-layout", str(page), "-"], capture_output=True, text=True, check=True)
        return re.sub(r"\s+", "", done.stdout)
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))


def letter(make_project, tmp_path: Path, case: str, template: str = "stop-supply", capsys=None) -> str:
    root = make_project()
    path = tmp_path / "case.yaml"
    path.write_text(textwrap.dedent(case), encoding="utf-8")
    out = tmp_path / f"out-{len(list(tmp_path.iterdir()))}"
    code = run(root, path, template, out)
    if code != 0:
        assert capsys is not None, "letter failed"
        return "ERROR " + capsys.readouterr().err
    return text_of(out)


def suspension_part(text: str) -> str:
    """The legal paragraphs of a stop letter: from 二、 to 四、."""
    return text[text.index("二、暂停") : text.index("四、")]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler")
def test_shipped_example_stops_supply_under_ht_2026_018_only(make_project, tmp_path: Path) -> None:
    """The shipped case: the clause is in HT-2026-018 §5.2, so HT-2026-031 continues (HTML and PDF)."""
    root = make_project()
    out = tmp_path / "out"
    assert run(root, REPO / "examples" / "case.yaml", "stop-supply", out, "pdf,html") == 0
    for suffix in (".html", ".pdf"):
        part = suspension_part(text_of(out, suffix))
        assert "我司暂不继续在合同编号为HT-2026-018的合同项下向贵司供货" in part, suffix
        assert "在贵司付清该合同项下到期款项人民币壹拾壹万叁仟肆佰零玖元伍角伍分（¥113,409.55）之前" in part, suffix
        assert (
            "本次暂停仅限于合同编号为HT-2026-018的合同项下的供货。双方其他合同（合同编号：HT-2026-031）"
            "不在暂停范围内，我司将继续按约履行。" in part
        ), suffix
        assert "贵司付清合同编号为HT-2026-018的合同项下的到期货款，或向我司提供适当担保后" in part, suffix
        # HT-2026-031 appears only as continuing, never inside the suspension sentence
        assert "HT-2026-018、HT-2026-031" not in part, suffix
        assert "付清上述到期款项" not in part, suffix


def test_stop_service_is_scoped_too(make_project, tmp_path: Path) -> None:
    case = TWO_CONTRACTS + "suspension: {basis: contract-clause, clause: 《服务合同》（HT-2026-031）第7条}\n"
    part = suspension_part(letter(make_project, tmp_path, case, "stop-service"))
    assert "暂停的服务包括合同编号为HT-2026-031的合同项下的技术支持" in part
    assert "我司暂停（中止）在合同编号为HT-2026-031的合同项下向贵司提供服务" in part
    assert "直至贵司付清该合同项下到期款项人民币陆仟零柒元壹角肆分（¥6,007.14）" in part
    assert "双方其他合同（合同编号：HT-2026-018）不在暂停范围内" in part


def test_the_start_counts_from_delivery(make_project, tmp_path: Path) -> None:
    """Item 6: the suspension starts after the notice reaches the customer, not on letter date + 3."""
    case = TWO_CONTRACTS + "suspension: {basis: prior-performance, contracts: [HT-2026-018]}\n"
    part = suspension_part(letter(make_project, tmp_path, case))
    assert "自本通知送达贵司之日起第三日（送达当日不计入；最早为2026年12月4日）起" in part
    assert "我司认可" not in part


def test_several_contracts_without_a_named_scope_are_refused(make_project, tmp_path: Path, capsys) -> None:
    case = TWO_CONTRACTS + "suspension: {basis: prior-performance, clause: 《购销合同》第5.2条}\n"
    err = letter(make_project, tmp_path, case, capsys=capsys)
    assert (
        "case.yaml:8:13: suspension: expected 'contracts' (the contracts whose clause or basis allows the "
        "suspension; supply under the others continues) because the invoices are under 2 contracts "
        "(HT-2026-018, HT-2026-031) and the clause names none of them, found none; or give 'cross_default'" in err
    )


def test_an_unknown_contract_gets_did_you_mean(make_project, tmp_path: Path, capsys) -> None:
    case = TWO_CONTRACTS + "suspension: {basis: prior-performance, contracts: [HT-2026-18]}\n"
    err = letter(make_project, tmp_path, case, capsys=capsys)
    assert (
        "case.yaml:8:52: suspension.contracts[0]: expected a contract number of this case's invoices "
        "(HT-2026-018, HT-2026-031), "
        "found 'HT-2026-18'; did you mean 'HT-2026-018'?" in err
    )


def test_a_cross_default_clause_reaches_every_contract(make_project, tmp_path: Path) -> None:
    case = TWO_CONTRACTS + textwrap.dedent("""\
        suspension:
          basis: contract-clause
          clause: 《购销合同》（HT-2026-018）第5.2条
          cross_default: 《经销合同》（JX-2026-002）第9.3条
        """)
    part = suspension_part(letter(make_project, tmp_path, case))
    assert "根据双方《经销合同》（JX-2026-002）第9.3条的约定（交叉违约条款），贵司在任一合同项下逾期付款的" in part
    assert "我司暂停（中止）在合同编号为HT-2026-018、HT-2026-031的合同项下向贵司供货" in part
    assert "（¥119,416.69）" in part
    assert "不在暂停范围内" not in part


def test_spreadsheet_rows_of_a_contract_without_a_basis_are_outside(make_project, tmp_path: Path) -> None:
    root = make_project()
    sheet = (
        "客户名称,合同编号,发票号码,到期日,金额,暂停依据,暂停条款\n"
        "甲公司,HT-A,F1,2026-09-30,20000.00,合同条款,《购销合同》（HT-A）第8.2条\n"
        "甲公司,HT-B,F2,2026-09-30,30000.00,,\n"
        "甲公司,HT-A,F3,2026-10-30,1000.00,合同条款,《购销合同》（HT-A）第8.2条\n"
    )
    path = tmp_path / "ar.csv"
    path.write_text(sheet, encoding="utf-8")
    out = tmp_path / "bulk"
    assert run(root, path, "stop-supply", out) == 0
    part = suspension_part(text_of(out))
    assert "我司暂停（中止）在合同编号为HT-A的合同项下向贵司供货，直至贵司付清该合同项下到期款项" in part
    assert "（¥21,000.00）" in part
    assert "双方其他合同（合同编号：HT-B）不在暂停范围内，我司将继续按约履行。" in part
