"""Property-based tests (hypothesis): the loader only ever fails with our own error."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import PlaybookError
from generator.yamlload import load_bytes

YAML_ALPHABET = st.sampled_from(list("ab: -[]{}&*!|>'\"#\n\t,?%@`1.0") + ["付款", "\u0007", "\ufeff", "\\"])


PLAIN = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=8),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=5),
            children,
            max_size=3,
        )
    ),
    max_leaves=12,
)
"""Plain YAML values: what a playbook file holds (no tags, no anchors)."""


def _valid_document(value: object) -> tuple[bytes, object]:
    import yaml

    return yaml.safe_dump({"v": value}, allow_unicode=True).encode("utf-8"), {"v": value}


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=400).map(lambda raw: (raw, None)), PLAIN.map(_valid_document)))
def test_loader_on_arbitrary_bytes_raises_only_playbook_errors(raw_and_data: tuple[bytes, object]):
    """Random bytes fail only with our own error; valid documents mixed in must load, so a loader
    that always refused would fail here too."""
    raw, data = raw_and_data
    if data is not None:
        assert load_bytes(raw, "x.yaml").data == data
        return
    try:
        load_bytes(raw, "x.yaml")
    except PlaybookError as exc:
        assert exc.problems and all(str(p).startswith("x.yaml") for p in exc.problems)


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(YAML_ALPHABET, max_size=120).map("".join))
def test_loader_on_yamlish_text_raises_only_playbook_errors(text: str):
    try:
        doc = load_bytes(text.encode("utf-8"), "x.yaml")
    except PlaybookError as exc:
        assert exc.problems and all(str(p).startswith("x.yaml") for p in exc.problems)
    else:
        assert doc.path == "x.yaml"


PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(PRINTABLE, max_size=8),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.text(PRINTABLE, min_size=1, max_size=5), children, max_size=3)
        ),
        max_leaves=12,
    )
)
def test_loader_round_trips_plain_yaml(value):
    import yaml

    text = yaml.safe_dump({"v": value}, allow_unicode=True)
    assert load_bytes(text.encode("utf-8"), "x.yaml").data == {"v": value}


CSV_ALPHABET = st.sampled_from(
    list(",;\t\n\"'=+-@.0123456789")
    + ["客户名称", "金额", "到期日", "发票号码", "2026-10-01", "甲公司", "\ufeff", "\x00", "1e3", "customer"]
)


@settings(
    max_examples=300,
    deadline=None,  # the first example copies the sample project once
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.one_of(st.binary(max_size=300), st.lists(CSV_ALPHABET, max_size=80).map("".join).map(str.encode)))
def test_case_reader_raises_only_playbook_errors(tmp_path_factory, raw: bytes):
    from generator.cases import open_cases
    from generator.project import Project
    from tests.conftest import sample_repo

    path = tmp_path_factory.mktemp("csv") / "ar.csv"
    path.write_bytes(raw)
    try:
        for case in open_cases(path, Project.at(sample_repo()), display="ar.csv"):
            assert case.outstanding >= 0
    except PlaybookError as exc:
        assert exc.problems and all(str(p).startswith("ar.csv") for p in exc.problems)


# -- valid receivables files: every row read, every customer's total to the fen ----------------

COMPANY = st.sampled_from(
    [
        "华东示例贸易有限公司",
        "北方重工机械有限公司",
        "甲乙（上海）科技有限公司",
        "A&B 商贸, Ltd.",
        "星云电子",
        '"引号"实业',
    ]
)


@st.composite
def receivables(draw):  # type: ignore[no-untyped-def]
    """Rows of a valid ERP export (customer, invoice, dates, amount, paid ≤ amount), in cents."""
    from datetime import date, timedelta

    customers = draw(st.lists(COMPANY, min_size=1, max_size=4, unique=True))
    rows = []
    for n in range(draw(st.integers(1, 12))):
        issued = date(2025, 1, 1) + timedelta(days=draw(st.integers(0, 600)))
        amount = draw(st.integers(1, 10**11))  # up to ¥1,000,000,000.00
        paid = draw(st.one_of(st.just(0), st.just(amount), st.integers(0, amount)))
        rows.append(
            (
                draw(st.sampled_from(customers)),
                f"F{n:04d}",
                issued,
                issued + timedelta(days=draw(st.integers(0, 120))),
                amount,
                paid,
            )
        )
    return rows


def _money(cents: int, grouped: bool) -> str:
    from decimal import Decimal

    return f"{Decimal(cents) / 100:,.2f}" if grouped else f"{Decimal(cents) / 100:.2f}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    receivables(),
    st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
    st.booleans(),  # amounts written 1,234.56
    st.booleans(),  # dates written 2026/1/5
    st.booleans(),  # a grand-total row at the end
)
def test_a_valid_export_is_read_to_the_fen(rows, encoding: str, grouped: bool, slashes: bool, total: bool) -> None:
    """Totals computed here from the generated rows, not by the reader: each customer's outstanding,
    the row and customer counts, and the grand-total row's check."""
    import csv
    import io
    import tempfile
    from decimal import Decimal
    from pathlib import Path

    from generator.cases import open_cases
    from generator.project import Project
    from tests.conftest import sample_repo

    def day(d) -> str:  # type: ignore[no-untyped-def]
        return f"{d.year}/{d.month}/{d.day}" if slashes else d.isoformat()

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["客户名称", "发票号码", "开票日期", "到期日", "金额", "已付金额"])
    for customer, number, issued, due, amount, paid in rows:
        writer.writerow([customer, number, day(issued), day(due), _money(amount, grouped), _money(paid, grouped)])
    if total:
        amounts, paids = sum(r[4] for r in rows), sum(r[5] for r in rows)
        writer.writerow(["合计", "", "", "", _money(amounts, grouped), _money(paids, grouped)])
    expected: dict[str, Decimal] = {}
    for customer, _n, _i, _d, amount, paid in rows:
        expected[customer] = expected.get(customer, Decimal("0.00")) + Decimal(amount - paid) / 100
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ar.csv"
        path.write_bytes(buffer.getvalue().encode(encoding))
        source = open_cases(path, Project.at(sample_repo()), display="ar.csv")
        got = {case.customer: case.outstanding for case in source}
        invoices = sum(len(case.invoices) for case in source)
        summary = source.summary_lines()
    assert got == expected
    assert invoices == len(rows)
    assert summary[0].startswith(f"ar.csv: read {len(rows)} row(s) of {len(expected)} customer(s)")
    if total:
        assert f"grand total at row {len(rows) + 2} matches the rows read to the fen" in summary[1]
