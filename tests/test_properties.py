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


@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(PRINTABLE, max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(PRINTABLE, min_size=1, max_size=5),
                                                                      children, max_size=3),
    max_leaves=12))
def test_loader_round_trips_plain_yaml(value):
    import yaml

    text = yaml.safe_dump({"v": value}, allow_unicode=True)
    assert load_bytes(text.encode("utf-8"), "x.yaml").data == {"v": value}
