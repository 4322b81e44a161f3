"""Property-based tests (hypothesis): the loader only ever fails with our own error."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import PlaybookError
from generator.yamlload import load_bytes

YAML_ALPHABET = st.sampled_from(list("ab: -[]{}&*!|>'\"#\n\t,?%@`1.0") + ["付款", "\u0007", "\ufeff", "\\"])


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_loader_on_arbitrary_bytes_raises_only_playbook_errors(raw: bytes):
    try:
        load_bytes(raw, "x.yaml")
    except PlaybookError as exc:
        assert all(str(p).startswith("x.yaml") for p in exc.problems)


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
