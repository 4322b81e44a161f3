"""The loader and schema: every mistake is reported, exactly, with file:line:col."""

from __future__ import annotations

import pytest

from generator.errors import PlaybookError
from generator.loader import load
from generator.project import Project
from generator.yamlload import load_bytes
from tests.conftest import LETTERS, MINIMAL_MODULE


def problems_of(make_project, files: dict[str, str | bytes]) -> list[str]:
    root = make_project(files)
    with pytest.raises(PlaybookError) as info:
        load(Project.at(root), letter_ids=LETTERS)
    return [str(p) for p in info.value.problems]


def yaml_error(raw: bytes) -> str:
    with pytest.raises(PlaybookError) as info:
        load_bytes(raw, "playbook/x.yaml")
    assert len(info.value.problems) == 1
    return str(info.value.problems[0])


def test_valid_minimal_project_loads(make_project):
    root = make_project({"playbook/mod-a.yaml": MINIMAL_MODULE})
    playbook = load(Project.at(root), letter_ids=LETTERS)
    assert [m.id for m in playbook.modules] == ["mod-a"]
    assert playbook.index["item-a"].page == "mod-a.md"
    assert playbook.index["item-a"].line == 7


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            b"a: [1,\n",
            "playbook/x.yaml:2:1: (yaml): YAML syntax error: did not find expected node content "
            "while parsing a flow node",
        ),
        (
            b"a:\n\tb: 1\n",
            "playbook/x.yaml:2:1: (yaml): expected spaces for indentation, found a tab; replace tabs with spaces",
        ),
        (
            b"a: !!python/object/apply:os.system ['touch /tmp/pwned']\n",
            "playbook/x.yaml:1:4: a: expected plain YAML values, found the tag "
            "'!!python/object/apply:os.system' (tags are not allowed and are never executed)",
        ),
        (
            b"a: &x [1]\nb: *x\n",
            "playbook/x.yaml:2:4: (yaml): anchors and aliases (&name / *name) are not supported; write the value out",
        ),
        (
            b"id: x\n\xff\xfe\n",
            "playbook/x.yaml:2:1: (file): expected UTF-8 text, found the byte 0xff; save the file as UTF-8",
        ),
        (b"a: 1\na: 2\n", "playbook/x.yaml:2:1: a: duplicate key 'a' (first at line 1); keep only one"),
        (
            b"--- 1\n--- 2\n",
            "playbook/x.yaml:2:1: (yaml): YAML syntax error: expected one YAML "
            "document, found several (remove the extra '---')",
        ),
        (b"? [a]\n: 1\n", "playbook/x.yaml:1:3: (top level): expected a plain text key, found a list"),
        (b"a: .inf\n", "playbook/x.yaml:1:4: a: expected a finite number, found '.inf'"),
        (
            b"a: 1\n" + b"  " * 0 + b'b: "unterminated\n',
            "playbook/x.yaml:3:1: (yaml): YAML syntax error: found unexpected end of stream while scanning a "
            "quoted scalar that starts at line 2",
        ),
    ],
    ids=[
        "syntax",
        "tab",
        "python-tag",
        "alias",
        "utf8",
        "dup-key",
        "two-docs",
        "complex-key",
        "infinity",
        "unterminated",
    ],
)
def test_yaml_level_errors(raw: bytes, expected: str):
    assert yaml_error(raw) == expected


def test_alias_bomb_fails_fast():
    bomb = b"a: &a [x, x, x, x, x, x, x, x, x]\n" + b"".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n".encode() for i in range(9)
    )
    assert yaml_error(bomb).startswith("playbook/x.yaml:2:")


def test_floats_become_decimals():
    from decimal import Decimal

    doc = load_bytes(b"amount: 1409.50\n", "x.yaml")
    assert doc.data["amount"] == Decimal("1409.50")


SCHEMA_CASES = [
    (  # wrong type
        "id: mod-a\ntitle: [模块]\norder: 1\nsummary: s\nsource: 测试来源\nitems:\n  - {id: a, title: t, summary: s}\n",
        ["playbook/mod-a.yaml:2:8: title: expected a string, found a list"],
    ),
    (  # unknown key with did-you-mean and valid choices
        "id: mod-a\ntitel: 模块\ntitle: 模块\norder: 1\nsummary: s\nsource: 测试来源\nitems:\n"
        "  - {id: a, title: t, summary: s}\n",
        [
            "playbook/mod-a.yaml:2:1: titel: unknown key 'titel'; did you mean 'title'? (valid: discussion, "
            "id, intro, items, nav_title, order, section, source, summary, title)"
        ],
    ),
    (  # missing key
        "id: mod-a\norder: 1\nsummary: s\nsource: 测试来源\nitems:\n  - {id: a, title: t, summary: s}\n",
        ["playbook/mod-a.yaml:1:1: (top level): missing required key 'title'; add it"],
    ),
    (  # nested unknown key in an item
        "id: mod-a\ntitle: 模块\norder: 1\nsummary: s\nsource: 测试来源\nitems:\n"
        "  - id: a\n    title: t\n    summary: s\n    alias: [x]\n",
        [
            "playbook/mod-a.yaml:10:5: items[0].alias: unknown key 'alias'; did you mean 'aliases'? "
            "(valid: aliases, body, cautions, checks, discussion, examples, id, items, letters, points, "
            "related, source, … (3 more))"
        ],
    ),
    (  # bad id
        "id: Mod A\ntitle: 模块\norder: 1\nsummary: s\nsource: 测试来源\nitems:\n  - {id: a, title: t, summary: s}\n",
        [
            "playbook/mod-a.yaml:1:5: id: expected an id of lowercase letters, digits and single hyphens "
            "(like 'stop-supply'), found 'Mod A'"
        ],
    ),
    (  # number out of range and empty text
        "id: mod-a\ntitle: ''\norder: 0\nsummary: s\nsource: 测试来源\nitems:\n  - {id: a, title: t, summary: s}\n",
        [
            "playbook/mod-a.yaml:2:8: title: expected a non-empty text, found an empty text",
            "playbook/mod-a.yaml:3:8: order: expected a value greater than or equal to 1, found the number 0",
        ],
    ),
    (  # list expected
        "id: mod-a\ntitle: 模块\norder: 1\nsummary: s\nsource: 测试来源\nitems:\n"
        "  - {id: a, title: t, summary: s, aliases: 起诉}\n",
        ["playbook/mod-a.yaml:7:44: items[0].aliases: expected a list, found the text '起诉'"],
    ),
    (  # integer where text expected
        "id: mod-a\ntitle: 模块\norder: 1\nsummary: 42\nsource: 测试来源\nitems:\n  - {id: a, title: t, summary: s}\n",
        ["playbook/mod-a.yaml:4:10: summary: expected a string, found the number 42"],
    ),
    (  # whole number expected
        "id: mod-a\ntitle: 模块\norder: first\nsummary: s\nsource: 测试来源\nitems:\n"
        "  - {id: a, title: t, summary: s}\n",
        ["playbook/mod-a.yaml:3:8: order: expected a whole number, found the text 'first'"],
    ),
    (  # unknown source with did-you-mean
        "id: mod-a\ntitle: 模块\norder: 1\nsummary: s\nsource: 测试来\nitems:\n  - {id: a, title: t, summary: s}\n",
        [
            "playbook/mod-a.yaml:5:9: source: unknown source '测试来'; did you mean '测试来源'?; expected "
            "a title from sources.yaml or «编者补充»"
        ],
    ),
    (  # missing source on a top-level item
        "id: mod-a\ntitle: 模块\norder: 1\nsummary: s\nitems:\n  - {id: a, title: t, summary: s}\n",
        [
            "playbook/mod-a.yaml:6:5: items[0]: missing required key 'source': name the source article's "
            "title or «编者补充»"
        ],
    ),
    (  # dangling related id with did-you-mean
        "id: mod-a\ntitle: 模块\norder: 1\nsummary: s\nsource: 测试来源\nitems:\n"
        "  - {id: stop-supply, title: t, summary: s}\n"
        "  - {id: b, title: t, summary: s, related: [stop-suply]}\n",
        [
            "playbook/mod-a.yaml:8:45: items[1].related[0]: unknown id 'stop-suply'; did you mean "
            "'stop-supply'?; expected the id of a module, item or glossary term"
        ],
    ),
    (  # unknown letter template
        "id: mod-a\ntitle: 模块\norder: 1\nsummary: s\nsource: 测试来源\nitems:\n"
        "  - {id: a, title: t, summary: s, letters: [remindr-1]}\n",
        [
            "playbook/mod-a.yaml:7:45: items[0].letters[0]: unknown letter template 'remindr-1'; did you "
            "mean 'reminder-1'? (valid: assignment-notice, confirmation, delivery-record, final-demand, "
            "payment-plan, "
            "reminder-1, reminder-2, stop-service, stop-supply, terminate-authorization)"
        ],
    ),
    (  # empty module file
        "",
        ["playbook/mod-a.yaml:1:1: (file): expected a Module mapping, found an empty file"],
    ),
    (  # top level is a list
        "- a\n- b\n",
        ["playbook/mod-a.yaml:1:1: (top level): expected a mapping, found a list"],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    SCHEMA_CASES,
    ids=[
        "type",
        "unknown-key",
        "missing",
        "nested-unknown",
        "bad-id",
        "range-empty",
        "list",
        "int-for-str",
        "int",
        "source",
        "no-source",
        "dangling",
        "letter",
        "empty",
        "top-list",
    ],
)
def test_schema_errors_exact(make_project, text: str, expected: list[str]):
    assert problems_of(make_project, {"playbook/mod-a.yaml": text}) == expected


def test_three_mistakes_in_one_file_all_reported(make_project):
    text = (
        "id: mod-a\ntitle: 模块\norder: 1\nsummary: s\nsource: 测试来源\nitems:\n"
        "  - id: a\n    title: [t]\n    summary: s\n"
        "  - id: b\n    titel: t\n    summary: s\n"
        "  - id: c\n    title: t\n    summary: s\n    related: [nope]\n"
    )
    assert problems_of(make_project, {"playbook/mod-a.yaml": text}) == [
        "playbook/mod-a.yaml:8:12: items[0].title: expected a string, found a list",
        "playbook/mod-a.yaml:10:5: items[1]: missing required key 'title'; add it",
        "playbook/mod-a.yaml:11:5: items[1].titel: unknown key 'titel'; did you mean 'title'? (valid: "
        "aliases, body, cautions, checks, discussion, examples, id, items, letters, points, related, "
        "source, … (3 more))",
    ]


def test_cross_file_checks_wait_until_every_file_is_valid(make_project):
    """A broken file would make every reference into it look dangling: report it alone."""
    other = MINIMAL_MODULE.replace("id: mod-a", "id: mod-b").replace("order: 1", "order: 2")
    problems = problems_of(
        make_project,
        {
            "playbook/mod-a.yaml": MINIMAL_MODULE,
            "playbook/mod-b.yaml": other,
            "playbook/mod-c.yaml": "id: [\n",
        },
    )
    assert problems == [
        "playbook/mod-c.yaml:2:1: (yaml): YAML syntax error: did not find expected node content while "
        "parsing a flow node",
    ]


def test_syntax_error_in_one_file_does_not_hide_schema_errors_in_another(make_project):
    problems = problems_of(
        make_project,
        {
            "playbook/mod-a.yaml": MINIMAL_MODULE.replace("order: 1", "order: x"),
            "playbook/mod-c.yaml": "id: [\n",
        },
    )
    assert problems == [
        "playbook/mod-a.yaml:3:8: order: expected a whole number, found the text 'x'",
        "playbook/mod-c.yaml:2:1: (yaml): YAML syntax error: did not find expected node content while "
        "parsing a flow node",
    ]


def test_duplicate_ids_name_both_places(make_project):
    other = MINIMAL_MODULE.replace("id: mod-a", "id: mod-b").replace("order: 1", "order: 2")
    assert problems_of(make_project, {"playbook/mod-a.yaml": MINIMAL_MODULE, "playbook/mod-b.yaml": other}) == [
        "playbook/mod-b.yaml:7:9: id: duplicate id 'item-a': already used by the item «条目甲» at "
        "playbook/mod-a.yaml:7; ids must be unique",
    ]


def test_missing_sources_file(make_project):
    root = make_project({"playbook/mod-a.yaml": MINIMAL_MODULE}, sources=False)
    with pytest.raises(PlaybookError) as info:
        load(Project.at(root), letter_ids=LETTERS)
    assert [str(p) for p in info.value.problems] == [
        "playbook/sources.yaml: (file): expected the list of source articles in this file, found no file",
    ]


def test_company_errors_are_located(make_project):
    root = make_project(
        {"playbook/mod-a.yaml": MINIMAL_MODULE, "site_config/company.yaml": "name: 甲公司\nshortname: 甲\n"}
    )
    with pytest.raises(PlaybookError) as info:
        load(Project.at(root), letter_ids=LETTERS)
    lines = [str(p) for p in info.value.problems]
    from generator.errors import valid_choices
    from generator.schema.site import Company

    assert (
        "site_config/company.yaml:2:1: shortname: unknown key 'shortname'; did you mean 'short_name'? "
        f"({valid_choices(list(Company.model_fields))})" in lines
    )
    # the rest comes from the sample company, which must never be half-mixed with a real one
    assert (
        "site_config/company.yaml:1:1: name: expected all of the company's identity in "
        "site_config/company.yaml once one part is given, found short_name, address, postcode, phone, bank_name, "
        "bank_account, contacts still the sample company's (from defaults/company.yaml); add them" in lines
    )


def test_numbers_with_leading_zeros_stay_text():
    """YAML 1.1 would read invoice number 00123 as octal 83 and 1:30 as 90."""
    doc = load_bytes(b"invoice_no: 00123\ncode: 1:30\ncount: 12\n", "x.yaml")
    assert doc.data == {"invoice_no": "00123", "code": "1:30", "count": 12}
