"""The shortcuts a million-row export takes, each against the plain computation it replaces: the ladder's
decisions against the Case properties, the encoding found a megabyte at a time against line by line,
total rows found by first characters, the plan's order, the PDF font check, the near-duplicate names
and the escaping of names (same results on random inputs, messages included)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from generator.cases import layout, tabular, verify
from generator.cases.columns import load_columns
from generator.cases.header import Header
from generator.cases.model import Case, Invoice
from generator.errors import PlaybookError, printable
from generator.ladder.decide import (
    CLASS_BAD,
    CLASS_DORMANT,
    CLASS_DOUBTFUL,
    CLASS_OVERDUE,
    CLASS_UNPAID,
    SETTLED,
    Decision,
    add_years,
    bucket_of,
    decide,
    decider,
)
from generator.loader import load
from generator.project import Project
from generator.schema.policy import RUNG_IDS, Policy
from tests.conftest import LETTERS, sample_repo

POLICY = load(Project.at(sample_repo()), letter_ids=LETTERS).policy
AS_OF = date(2026, 12, 31)


def decide_plainly(policy: Policy, case: Case, as_of: date) -> Decision:
    """The ladder's decision as the Case properties give it (what :func:`decide` computed before it
    walked the invoices once)."""
    outstanding = case.outstanding
    days = case.days_overdue(as_of) if outstanding > 0 else 0
    rung = ""
    if outstanding > 0:
        for rung_id in RUNG_IDS:
            rule = policy.ladder.get(rung_id)
            if rule is None or not rule.enabled or days < rule.days_overdue:
                continue
            if rule.min_amount is not None and outstanding < rule.min_amount:  # type: ignore[operator]
                continue
            rung = rung_id
    rule = policy.ladder.get(rung) if rung else None
    start = case.limitation_start
    ends = add_years(start, 3) if outstanding > 0 and start is not None else None
    rules = policy.classification
    if outstanding <= 0:
        klass = SETTLED
    elif days >= rules.bad_debt_after_days:
        klass = CLASS_BAD
    elif days > 0 and (as_of - max(i.invoice_date or i.due_date for i in case.invoices)).days >= (
        rules.dormant_after_days
    ):
        klass = CLASS_DORMANT
    elif days >= rules.doubtful_after_days:
        klass = CLASS_DOUBTFUL
    else:
        klass = CLASS_OVERDUE if days > 0 else CLASS_UNPAID
    return Decision(
        customer=case.customer,
        outstanding=outstanding,
        days_overdue=days,
        bucket=bucket_of(policy, days) if outstanding > 0 else "",
        klass=klass,
        rung=rung,
        letter=(rule.letter or "") if rule else "",
        approver=rule.approver if rule else "",
        limitation_ends=ends,
        limitation_alert=ends is not None and (ends - as_of).days <= policy.limitation_warning_days,
    )


def random_case(rng: random.Random, number: int, as_of: date) -> Case:
    invoices = []
    for k in range(rng.randrange(0, 6)):
        amount = Decimal(rng.choice([1, 500, 9999, 10000, 20000, 123456, 10**9])) + Decimal(rng.randrange(100)) / 100
        paid = rng.choice([Decimal("0.00"), amount, amount / 2, Decimal("0.01")]).quantize(Decimal("0.01"))
        due = as_of - timedelta(days=rng.choice([-30, 0, 1, 29, 30, 31, 90, 200, 400, 1000, 1200]))
        issued = rng.choice([None, due - timedelta(days=30), as_of - timedelta(days=rng.randrange(2000))])
        contract = rng.choice(["", "", "HT-1", "HT-2"])
        invoices.append(Invoice(rng.choice([f"F{k}", "F0"]), due, amount, paid, issued, contract, k + 2))
    left = rng.choice([Decimal("0.00"), Decimal("0.00"), Decimal("50.00")])
    return Case(customer=f"客户{number}", invoices=tuple(invoices), number=number, unapplied_credit=left)


@pytest.mark.parametrize("as_of", [AS_OF, date(2028, 2, 29)])
def test_decisions_equal_those_of_the_case_properties(as_of: date) -> None:
    rng = random.Random(as_of.toordinal())
    assert POLICY is not None
    decide_case = decider(POLICY, as_of)
    kinds = set()
    for number in range(3000):
        case = random_case(rng, number, as_of)
        expected = decide_plainly(POLICY, case, as_of)
        assert repr(decide_case(case)) == repr(expected) == repr(decide(POLICY, case, as_of)), case
        kinds.add((expected.klass, expected.rung != "", expected.limitation_alert))
    assert len(kinds) >= 8  # every class, rungs and alerts were exercised


def test_the_plan_order_is_the_sort_by_negated_keys() -> None:
    from generator.cli.ladder import most_overdue_first

    rng = random.Random(5)
    decisions = [
        Decision(
            rng.choice(["甲", "乙", "丙", "A", "a"]),
            rng.choice([Decimal("1.0"), Decimal("1.00"), Decimal("-5.00"), Decimal("0.00"), Decimal("7.50")]),
            rng.choice([0, 1, 30]),
            "",
            "",
            "",
            "",
            str(k),  # tells equal decisions apart: their order must stay the file's
            AS_OF,
            False,
        )
        for k in range(2000)
    ]
    expected = sorted(decisions, key=lambda d: (-d.days_overdue, -d.outstanding, d.customer))
    assert [d.approver for d in most_overdue_first(decisions)] == [d.approver for d in expected]


LINES = [
    b"abc,1,2\n",
    "测试公司,1\n".encode(),
    "测试公司,1\n".encode("gbk"),
    "乙\r\n".encode("gbk"),
    "中".encode("gbk")[:1] + b"\n",  # half a GBK character: neither
    "\u00e9\n".encode(),
    "é\n".encode("latin-1"),  # neither
    "\u00c3\u00a9\n".encode("latin-1"),  # é in UTF-8, and two GBK-valid bytes
    b"\xfd\xfe\xff\n",  # neither (and no BOM at the start of a file)
    b"a\x00b\n",
    b'"a\nb",c\n',
    b"x\r\n",
]


def encoding_line_by_line(path: Path) -> str:
    """:func:`tabular.detect_encoding` of a file without a BOM, one line at a time."""
    first: dict[str, int] = {}
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            tabular._note_line(line, number, first, path, "ar.csv")
    return "gb18030" if "gb18030" in first else "utf-8"


def outcome(detect: object, path: Path) -> str:
    try:
        return detect(path)  # type: ignore[operator,no-any-return]
    except PlaybookError as exc:
        return f"refused: {exc}"


@pytest.mark.parametrize("seed", range(4))
def test_the_encoding_found_a_megabyte_at_a_time_is_the_one_found_line_by_line(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    path = tmp_path / "ar.csv"
    found: set[str] = set()
    for trial in range(250):
        weights = [rng.random() ** 3 for _ in LINES]
        if trial % 2:  # files that pass: ASCII, GBK, and UTF-8 lines, not both
            keep = (0, 2, 3, 10, 11) if trial % 4 == 1 else (0, 1, 5, 7, 10, 11)
            weights = [w if i in keep else 0 for i, w in enumerate(weights)]
        weights[0] += 0.01
        lines = [rng.choices(LINES, weights)[0] for _ in range(rng.randrange(0, 60))]
        if lines and rng.random() < 0.2:
            lines[-1] = lines[-1].rstrip(b"\n")
        path.write_bytes(b"".join(lines))
        monkeypatch.setattr(tabular, "CHUNK_BYTES", rng.choice([1, 3, 10, 50, 200, 1 << 20]))
        expected = outcome(encoding_line_by_line, path)
        assert outcome(lambda p: tabular.detect_encoding(p, "ar.csv"), path) == expected, lines
        found.add(expected.split(":")[0] if expected.startswith("refused") else expected)
    assert {"utf-8", "gb18030", "refused"} <= found


CELLS = [
    "甲公司",
    "合计",
    " 合 计 ",
    "合计：",
    "ＴＯＴＡＬ",
    "Total",
    "total:",
    "Totalcare",
    "小计",
    "小 计",
    "总计",
    "*",
    "**",
    "*甲",
    "\u3000合计",
    "\t",
    " ",
    "",
    "1,000.00",
    "2026-12-31",
    "F001",
]


@pytest.mark.parametrize("seed", range(4))
def test_total_rows_found_by_first_characters_are_those_found_cell_by_cell(seed: int) -> None:
    rng = random.Random(seed)
    project = Project(sample_repo())
    header = Header(row=1, index={}, label={})
    rows = [(row, [rng.choice(CELLS) for _ in range(rng.randrange(0, 6))]) for row in range(2, 3000)]
    rows += [(3000, ["甲公司", 12.5, None, "合计"]), (3001, ["合计", 5.0]), (3002, ["甲公司", "F1"])]
    totals: list[tuple[int, str]] = []
    found = list(layout.data_rows(iter(rows), header, load_columns(project), lambda r, _c, k: totals.append((r, k))))
    columns = load_columns(project)  # fresh: nothing remembered from the run above
    kinds = {row: layout.total_kind(cells, columns) for row, cells in rows if not layout.blank(cells)}
    assert found == [(row, cells) for row, cells in rows if row in kinds and not kinds[row]]
    assert totals == [(row, kind) for row, kind in kinds.items() if kind]
    assert {kind for _row, kind in totals} >= {"grand", "sub", "*", "**"}


def near_duplicates_plainly(spelling: dict[str, str], limit: int = 50) -> list[tuple[str, str]]:
    pairs: dict[tuple[str, str], None] = {}
    canonical: dict[str, str] = {}
    for key in spelling:
        form = key
        for long, short in verify._FORMS:
            form = form.replace(long, short)
        other = canonical.setdefault(form, key)
        if other != key:
            pairs[(other, key)] = None
    for order in (sorted(spelling), sorted(spelling, key=lambda k: k[::-1])):
        for a, b in zip(order, order[1:], strict=False):
            if len(a) == len(b) and len(a) >= 4:
                differ = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
                if len(differ) == 1 and not (differ[0][0] in verify._NUMERALS and differ[0][1] in verify._NUMERALS):
                    pairs[(a, b) if a < b else (b, a)] = None
        if len(pairs) >= limit:
            break
    return [(spelling[a], spelling[b]) for a, b in list(pairs)[:limit]]


def test_near_duplicates_are_found_as_before() -> None:
    rng = random.Random(3)
    letters = "甲乙丙丁一二三四五12贸易有限责任股份公司"
    for _ in range(300):
        names = {"".join(rng.choice(letters) for _ in range(rng.randrange(3, 9))) for _ in range(rng.randrange(60))}
        spelling = {name: name.upper() for name in names}
        assert verify.near_duplicates(spelling) == near_duplicates_plainly(spelling)


def printable_plainly(text: str) -> str:
    import unicodedata

    from generator.errors import ANSI_ESCAPE

    def escape(char: str) -> str:
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    def sequence(match: object) -> str:
        return "".join(escape(c) if unicodedata.category(c)[0] == "C" else c for c in match.group(0))  # type: ignore[attr-defined]

    shown = ANSI_ESCAPE.sub(sequence, text)
    return "".join(
        escape(c) if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") and c != "\\" else c for c in shown
    )


def test_names_are_escaped_and_checked_for_glyphs_as_before() -> None:
    import unicodedata

    from generator.letters.names import safe_part
    from generator.pdf import _IGNORED, _cmap, missing_glyphs

    codes = _cmap()
    pool = [*'甲乙 公司AZaz09_./\\:*?"<>|-', "\x1b[31m", "\x07", "\u200b", "\u202e", "\u3000", "\u2028", "\ufeff"]
    pool += ["\x85", "\u00ad", "\ue000", "\U000e0001", "\udc80", "😀", "𠮷", "\t", "\n", "\u0378", "¨", "ｶ"]
    rng = random.Random(11)
    for _ in range(5000):
        text = "".join(rng.choice(pool) for _ in range(rng.randrange(0, 12)))
        assert printable(text) == printable_plainly(text), text
        expected = {c for c in text if ord(c) not in codes and c not in _IGNORED and ord(c) >= 0x20}
        assert missing_glyphs(text) == expected, text
        # safe_part's shortcut (a printable name has nothing to blank out) gives what blanking first gives
        blanked = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)
        if "\udc80" not in text:  # names are decoded strictly: no lone surrogate reaches a file name
            assert safe_part(text) == safe_part(blanked), text
