"""The fast row reader (:func:`generator.cases.bulk.row_reader`) against :func:`clean_row`, the plain
reading it replaces: identical values, signs and exponents (``repr``), or the same refusal, on the
corpus, on bench-sized files and on thousands of randomly perturbed rows; and whole runs (cases,
summary, every message) identical whichever reader pass 1 and pass 2 use."""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from generator.cases import bulk, open_cases
from generator.cases.bulk import Header, Parsed, clean_row, row_reader
from generator.cases.values import ValueProblem
from generator.errors import PlaybookError
from generator.project import Project
from tests.conftest import sample_repo
from tests.test_erp_corpus import CONFIG

PROJECT = Project(sample_repo())
CORPUS = Path(__file__).parent / "corpus"


def outcome(read: Callable[[int, list[object]], Parsed], row: int, cells: list[object]) -> str:
    try:
        return repr(read(row, cells))
    except ValueProblem as exc:
        return f"ValueProblem: {exc}"


AMOUNTS: list[object] = [
    "1234.50",
    "-1234.50",
    "1,234.50",
    "(1,234.50)",
    "1234.50-",
    "¥1234.50",
    "-¥1,234.50",
    "￥99",
    "-0",
    "0",
    "-0.00",
    "0.00",
    "1.234",
    "1.2",
    "",
    " ",
    "  12.30 ",
    "１２３４.５",
    "١٢٣",
    "12e3",
    "-",
    "--5",
    "- 5",
    "+5",
    "−7.10",
    "1,23",
    "1 234.00",
    "007",
    "-007.10",
    "9" * 30,
    "-" + "9" * 30 + ".1",
    "12.",
    ".5",
    "-.5",
    "100",
    "-5",
    "12.30",
    "١٢٣.٥",
    "99999999999999.99",
    "9" * 18,
    "9" * 19,
    "-" + "9" * 17,
    "NaN",
    "Infinity",
    "abc",
    1130.1100000000001,
    0.1 + 0.2,
    -1409.5,
    1e300,
    float("nan"),
    float("inf"),
    0.0,
    -0.0,
    5,
    -5,
    0,
    True,
    False,
    Decimal("12.345"),
    Decimal("-1.10"),
    None,
    datetime(2026, 1, 1),
]
DATES: list[object] = [
    "2026-12-31",
    "2026-02-30",
    "2026/12/31",
    "2026.1.5",
    "2026年12月31日",
    "20261231",
    "31.12.2026",
    "12/31/2026",
    "",
    " ",
    None,
    46000,
    46000.0,
    1.5,
    datetime(2026, 3, 4, 5, 6),
    date(2026, 1, 2),
    "2026-12-31 10:00",
    " 2026-12-31",
    "2026-1-5",
    "abc",
]
NAMES: list[object] = [
    "甲公司",
    "甲公司",
    " 甲公司 ",
    "甲\u200b公司",
    "甲　公司",
    "（甲）公司",
    "(甲)公司",
    "A Co.",
    "a co.",
    "",
    None,
    123.0,
    "\x1b[31m乙\x1b[0m",
    "乙公司",
    "丙  公司",
]
TEXTS: list[object] = ["F001", " F001 ", "", None, 12.0, 12.5, "王经理", "\u3000王\u3000", "a\tb", "合同-1"]
FIELDS = [
    "customer",
    "invoice_no",
    "due_date",
    "amount",
    "paid",
    "invoice_date",
    "contract_no",
    "contact",
    "address",
    "currency",
]


def random_header(rng: random.Random) -> Header:
    optional = [f for f in FIELDS[4:] if rng.random() < 0.7]
    fields = FIELDS[:4] + optional
    rng.shuffle(fields)
    index = {name: position for position, name in enumerate(fields)}
    return Header(
        row=1,
        index=index,
        label={n: n for n in fields},
        width=len(fields),
        unit=rng.choice([Decimal(1), Decimal(1), Decimal(1000), Decimal(10000)]),
    )


def random_cells(rng: random.Random, header: Header, previous: list[object] | None) -> list[object]:
    pools = {"customer": NAMES, "amount": AMOUNTS, "paid": AMOUNTS, "due_date": DATES, "invoice_date": DATES}
    cells: list[object] = [None] * header.width
    for name, position in header.index.items():
        if previous is not None and name == "customer" and position < len(previous) and rng.random() < 0.5:
            value = previous[position]  # the same object again (a customer's next row)
            cells[position] = "".join(value) if isinstance(value, str) and rng.random() < 0.5 else value
            continue
        cells[position] = rng.choice(pools.get(name, TEXTS))
    if rng.random() < 0.1:
        cells = cells[: rng.randrange(len(cells) + 1)]  # a short row
    if rng.random() < 0.1:
        cells.append(rng.choice(TEXTS))
    return cells


@pytest.mark.parametrize("seed", range(8))
def test_fast_reader_equals_clean_row_on_perturbed_rows(seed: int) -> None:
    rng = random.Random(seed)
    compared = differing = 0
    for _ in range(40):
        header = random_header(rng)
        fast, slow = row_reader(header), slow_reader(header)
        previous = None
        for row in range(2, 120):
            cells = random_cells(rng, header, previous)
            previous = cells
            expected = outcome(slow, row, cells)
            assert outcome(fast, row, cells) == expected, (header, cells)
            compared += 1
            differing += expected.startswith("ValueProblem")
    assert compared > 4000 and 0 < differing < compared  # both kinds of rows were exercised


def test_fast_reader_keeps_the_sign_and_exponent_of_every_amount() -> None:
    header = Header(
        row=1, index={"customer": 0, "invoice_no": 1, "due_date": 2, "amount": 3, "paid": 4}, label={}, width=5
    )
    fast = row_reader(header)
    for amount in AMOUNTS:
        for paid in AMOUNTS:
            cells = ["甲公司", "F1", "2026-12-31", amount, paid]
            assert outcome(fast, 9, cells) == outcome(lambda r, c: clean_row(r, c, header), 9, cells), cells


def slow_reader(header: Header) -> Callable[[int, list[object]], Parsed]:
    return lambda row, cells: clean_row(row, cells, header)


def run(
    path: Path,
    monkeypatch: pytest.MonkeyPatch,
    reader: Callable[[Header], object],
    project: Project = PROJECT,
    **kwargs: object,
) -> str:
    """Everything a run shows: the summary, every case in full, or every problem."""
    monkeypatch.setattr(bulk, "row_reader", reader)
    try:
        source = open_cases(path, project, display=path.name, **kwargs)  # type: ignore[arg-type]
        return "\n".join([*source.summary_lines(), *(repr(case) for case in source)])
    except PlaybookError as exc:
        return "\n".join(str(p) for p in exc.problems)


def same_run(path: Path, monkeypatch: pytest.MonkeyPatch, **kwargs: object) -> str:
    """The run with the fast reader and pass 1's list of total rows, and the run that reads every row
    with clean_row and looks at every row again in pass 2, show exactly the same."""
    fast = run(path, monkeypatch, row_reader, **kwargs)
    every_row = bulk.cases
    monkeypatch.setattr(
        bulk,
        "cases",
        lambda rows, columns, display, contiguous, header=None, skipped=None: every_row(
            rows, columns, display, contiguous, header, None
        ),
    )
    try:
        assert fast == run(path, monkeypatch, slow_reader, **kwargs)
    finally:
        monkeypatch.setattr(bulk, "cases", every_row)
    return fast


@pytest.mark.parametrize("name", sorted(CONFIG))
def test_corpus_runs_are_identical(name: str, make_project, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project({})
    (root / "site_config" / "columns.yaml").write_text(CONFIG[name], encoding="utf-8")
    shown = same_run(CORPUS / name, monkeypatch, project=Project.at(root))
    assert "Case(" in shown
    assert same_run(CORPUS / name, monkeypatch)  # upstream's columns only: refused or read alike


def test_bench_file_run_is_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
    try:
        import erp
    finally:
        sys.path.pop(0)
    erp.make_csv(tmp_path / "ar.csv", 3000, credits=True)
    shown = same_run(tmp_path / "ar.csv", monkeypatch)
    assert "credit note(s) applied" in shown and "matches the rows read to the fen" in shown


def perturbed_csv(rng: random.Random, path: Path, rows: int) -> None:
    amounts = [
        "1234.50",
        "-200.00",
        "1,234.50",
        "(300.00)",
        "50.00-",
        "¥88.80",
        "-¥1,000.00",
        "12.345",
        "",
        "0",
        "abc",
        "１２.５",
        "7",
        "-0.00",
    ]
    names = ["甲公司", "乙公司", "甲 公司", "（丙）公司", "(丙)公司", "丁\u200b公司", "丁公司", ""]
    lines = [
        "应收明细,,,,,",
        "单位：" + rng.choice(["元", "元", "千元"]) + ",,,,,",
        "客户名称,发票号码,开票日期,到期日,金额,已付金额",
        *rng.choice([[], [",,,,,", ""]]),
    ]
    total = Decimal(0)
    for k in range(rows):
        pick = rng.random()
        if pick < 0.03:
            lines.append(rng.choice(["小计,,,,100.00,", "客户 合计,,,,,", ",,,,,", "Total,,,,1,"]))
            continue
        amount = rng.choice(amounts)
        paid = rng.choice(["", "", "0", "10.00", "-1", "1,000.00"])
        due = rng.choice(["2026-12-31", "2026-12-31", "2026/1/5", "", "2026-02-30", "20260105"])
        issued = rng.choice(["2026-01-01", "", "2027-01-01", "2026.1.1"])
        name = rng.choice(names)
        lines.append(f'{name},F{k % 40},{issued},{due},"{amount}",{paid}' + ("" if rng.random() < 0.97 else ",x"))
    if rng.random() < 0.5:
        lines.append(f"合计,,,,{total},")
    body = "\n".join(lines) + "\n"
    encoding = rng.choice(["utf-8", "gbk", "utf-8-sig"])
    try:
        path.write_bytes(body.encode(encoding))
    except UnicodeEncodeError:  # U+200B has no GBK code
        path.write_bytes(body.encode("utf-8"))


@pytest.mark.parametrize("seed", range(12))
def test_perturbed_file_runs_are_identical(seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    path = tmp_path / "ar.csv"
    perturbed_csv(rng, path, rng.choice([5, 30, 300]))
    same_run(path, monkeypatch)
    same_run(path, monkeypatch, horizon=bulk.Horizon(date(2026, 12, 31), "--as-of"))


def test_clean_perturbed_files_are_read_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files that pass: unsorted customers, credits in every notation, thousands separators, blanks."""
    rng = random.Random(7)
    read = 0
    for attempt in range(30):
        lines = ["客户名称,发票号码,开票日期,到期日,金额,已付金额", *rng.choice([[], ["", ",,"]])]
        for k in range(rng.randrange(5, 60)):
            amount = rng.choice(
                ["1234.50", "-200.00", '"1,234.50"', "(300.00)", "50.00-", "¥88.80", '"-¥1,000.00"', "7", "0.10"]
            )
            credit = amount.startswith(("-", "(", '"-')) or amount.endswith("-")
            paid = "" if credit else rng.choice(["", "0", "0.05"])
            due = rng.choice(["2026-12-31", "", "2026/6/30"] if credit else ["2026-12-31", "2026/6/30"])
            lines.append(
                f"{rng.choice(['甲公司', '乙公司', '（丙）公司', '(丙)公司', '丁 公司'])},F{k},2026-01-01,"
                f"{due},{amount},{paid}"
            )
        lines.insert(rng.randrange(2, len(lines)), rng.choice(["客户小计,,,,1.00,", ",,,,,", "Total,,,,,", "  ,"]))
        if rng.random() < 0.5:
            lines.append(rng.choice(["合计,,,,0.00,", "  ,,", "小计,,,,5,"]))
        path = tmp_path / f"ar{attempt}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        shown = same_run(path, monkeypatch)
        read += "Case(" in shown
    assert read >= 10


def test_an_amount_too_long_for_fen_is_refused_not_a_traceback(tmp_path: Path, capsys) -> None:
    from generator.cli import main

    path = tmp_path / "ar.csv"
    path.write_text(
        "客户名称,发票号码,到期日,金额\n甲公司,F1,2026-12-31,999999999999999999999999999999\n", encoding="utf-8"
    )
    assert (
        main(
            [
                "--project",
                str(sample_repo()),
                "ladder",
                str(path),
                "--as-of",
                "2026-12-31",
                "--out",
                str(tmp_path / "plan.csv"),
            ]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "ar.csv:2: 金额: expected an amount like 1409.50, found '999999999999999999999999999999'" in err
    assert "Traceback" not in err and not (tmp_path / "plan.csv").exists()
