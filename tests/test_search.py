"""The search lexicon and the «常见问法» file: merged additively, checked with exact locations."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import pytest
import yaml

from generator.errors import PlaybookError
from generator.loader import load
from generator.project import Project
from generator.search.index import build_index, plain, zensical_index
from generator.search.lexicon import load_lexicon
from generator.search.questions import load_questions
from tests.conftest import MINIMAL_MODULE, REPO, sample_repo, write

UPSTREAM = """\
words: [回款台账]
generic: [客户]
synonyms:
  停止供货: [断货, 停货]
"""


def test_company_words_add_to_upstream_never_replace(make_project):
    root = make_project({"playbook/mod-a.yaml": MINIMAL_MODULE})
    write(
        root,
        {
            "defaults/search.yaml": UPSTREAM,
            "site_config/search.yaml": "words: [星云系列]\ngeneric: [示例科技]\n"
            "synonyms:\n  停止供货: [锁单, 断货]\n  恶意欠款: [老赖]\n",
        },
    )
    lexicon = load_lexicon(Project.at(root))
    assert lexicon.words == ["回款台账", "星云系列"]
    assert lexicon.generic == ["客户", "示例科技"]
    assert lexicon.synonyms == {"停止供货": ["断货", "停货", "锁单"], "恶意欠款": ["老赖"]}


def test_upstream_words_come_from_defaults():
    project = Project.at(sample_repo())  # a site_config/ that changes nothing, as upstream ships it
    shipped = yaml.safe_load((REPO / "defaults" / "search.yaml").read_text(encoding="utf-8"))
    lexicon = load_lexicon(project)
    assert lexicon.words == shipped["words"] and lexicon.generic == shipped["generic"]
    assert lexicon.synonyms == shipped["synonyms"] and len(lexicon.synonyms) > 50


def test_bad_lexicon_is_reported_with_its_location(make_project):
    root = make_project({"playbook/mod-a.yaml": MINIMAL_MODULE})
    write(root, {"site_config/search.yaml": "synonyms:\n  停止供货: 断货\nsynonym: {}\n"})
    with pytest.raises(PlaybookError) as exc:
        load_lexicon(Project.at(root))
    text = "\n".join(str(p) for p in exc.value.problems)
    assert "site_config/search.yaml:2:" in text and "site_config/search.yaml:3:1:" in text


def test_questions_name_unknown_items_with_did_you_mean(make_project):
    root = make_project(
        {
            "playbook/mod-a.yaml": MINIMAL_MODULE,
            "playbook/questions.yaml": "item-a:\n  - 条目甲怎么做\nitem-aa:\n  - 问\nitem-b: []\n",
        }
    )
    project = Project.at(root)
    with pytest.raises(PlaybookError) as exc:
        load_questions(project, load(project))
    lines = [str(p) for p in exc.value.problems]
    assert lines == [
        "playbook/questions.yaml:3:1: item-aa: expected the id of an item, found 'item-aa'; did you mean 'item-a'?",
        "playbook/questions.yaml:5:1: item-b: expected the id of an item, found 'item-b'; did you mean 'item-a'?",
    ]


def test_validate_reports_question_problems(make_project):
    root = make_project(
        {"playbook/mod-a.yaml": MINIMAL_MODULE, "playbook/questions.yaml": "itme-a:\n  - 条目甲怎么做\n"}
    )
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--project", str(root), "validate"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        "playbook/questions.yaml:1:1: itme-a: expected the id of an item, found 'itme-a'; did you mean 'item-a'?"
    ) in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_questions_of_switched_off_items_are_dropped_silently(make_project):
    root = make_project(
        {"playbook/mod-a.yaml": MINIMAL_MODULE, "playbook/questions.yaml": "item-a:\n  - 条目甲怎么做\n"}
    )
    project = Project.at(root)
    playbook = replace(load(project), removed=frozenset({"gone"}))
    write(root, {"playbook/questions.yaml": "item-a: [条目甲怎么做]\ngone: [不要了]\n"})
    assert load_questions(project, playbook) == {"item-a": ["条目甲怎么做"]}


def test_every_shipped_item_a_rep_asks_about_has_questions():
    project = Project.at(sample_repo())
    playbook = load(project)
    questions = load_questions(project, playbook)
    items = [item.id for _m, item, _p in playbook.items()]
    assert len([i for i in items if i in questions]) >= 0.9 * len(items)


def test_index_text_drops_link_lines_and_the_questions_block():
    raw = (
        "<p>\u200b了解\u200b客户\u200b的\u200b资金</p> <p>\u200b也\u200b叫\u200b：\u200b没钱</p> "
        "<p>\u200b相关\u200b：\u200b定期沟通</p> 常见问法 <p>客户说没钱</p>"
    )
    assert plain(raw) == "了解客户的资金"


def test_index_carries_item_module_questions_and_lexicon():
    project = Project.at(sample_repo())
    playbook = load(project)
    material = {
        "config": {"lang": ["zh"]},
        "docs": [
            {"location": "interview-collection/#refusal-cash-flow", "title": "应对「资金周转困难」", "text": "x"},
            {"location": "reference/customize/", "title": "如何为本公司定制", "text": "y"},
        ],
    }
    index = build_index(playbook, load_lexicon(project), {"refusal-cash-flow": ["客户说没钱"]}, material)
    item, ref = index["docs"]
    assert item["module"] == "面谈催收三部曲" and item["questions"] == "客户说没钱" and item["boost"] == 1.0
    assert ref["boost"] < 0.5 and "module" not in ref
    lexicon = index["config"]["lexicon"]
    assert "客户" in lexicon["generic"] and "赖账" in lexicon["synonyms"]["恶意欠款"]
    assert index["config"]["lang"] == ["zh"]


def test_zensical_index_keeps_its_items_in_order_with_our_fields_and_no_markup():
    """Zensical's dialog shows items[id] and parses title, text and path as HTML."""
    project = Project.at(sample_repo())
    playbook = load(project)
    zensical = {
        "config": {"lang": ["zh"], "separator": "[\\s]+"},
        "items": [
            {
                "location": "reference/customize/",
                "level": 1,
                "title": "&lt;img src=x onerror=alert(1)&gt; 定制",
                "text": "<p>a &lt; b &amp; <code>c</code></p>",
                "path": ["参考 &amp; <b>说明</b>"],
                "tags": [],
            },
            {
                "location": "interview-collection/#refusal-cash-flow",
                "level": 3,
                "title": "应对「资金周转困难」",
                "text": "<p>了解客户的资金</p> <p>也叫：没钱</p> 常见问法<p>客户说没钱</p>",
                "path": ["催款技巧", "面谈催收"],
                "tags": [],
            },
        ],
    }
    index = zensical_index(playbook, load_lexicon(project), {"refusal-cash-flow": ["客户说没钱"]}, zensical)
    ref, item = index["items"]
    assert ref["title"] == "&lt;img src=x onerror=alert(1)&gt; 定制" and "<" not in ref["title"]
    assert ref["text"] == "a &lt; b &amp; c" and ref["path"] == ["参考 &amp; 说明"]
    assert ref["location"] == "reference/customize/" and ref["level"] == 1 and ref["boost"] < 0.5
    assert item["text"] == "了解客户的资金" and item["questions"] == "客户说没钱"
    assert item["module"] == "面谈催收三部曲" and item["aliases"] and item["boost"] == 1.0
    assert index["config"]["separator"] == "[\\s]+" and "赖账" in index["config"]["lexicon"]["synonyms"]["恶意欠款"]


def test_each_worker_is_minisearch_our_engine_and_its_protocol_with_the_licence():
    from generator.search.install import MATERIAL_PROTOCOL, ZENSICAL_PROTOCOL, engine_source

    folder = REPO / "templates" / "site" / "assets" / "search"
    parts = {name: (folder / name).read_text(encoding="utf-8") for name in ("minisearch.js", "engine.js")}
    for protocol in (MATERIAL_PROTOCOL, ZENSICAL_PROTOCOL):
        own = (folder / protocol).read_text(encoding="utf-8")
        assert engine_source(Project.at(REPO), protocol) == "\n".join([*parts.values(), own])
        assert 'root.addEventListener("message"' in own, protocol  # it answers its UI's messages
    assert "sourceMappingURL" not in parts["minisearch.js"]  # no request for a map file that is not there
    licence = (folder / "minisearch.LICENSE.txt").read_text(encoding="utf-8")
    assert (
        licence.startswith("Copyright 2022 Luca Ongaro\n") and "Permission is hereby granted, free of charge" in licence
    )


def test_company_questions_add_to_upstream(make_project):
    root = make_project({"playbook/mod-a.yaml": MINIMAL_MODULE, "playbook/questions.yaml": "item-a: [条目甲怎么做]\n"})
    write(root, {"site_config/questions.yaml": "item-a: [星云系列怎么催, 条目甲怎么做]\n"})
    project = Project.at(root)
    assert load_questions(project, load(project)) == {"item-a": ["条目甲怎么做", "星云系列怎么催"]}


# -- the evaluation set: tuned and frozen held-out parts, neither a copy of the lexicon ----------

HELD_OUT_SHA256 = "2012a147f8b68aa9e98bd87bedea076103a8558ce871d670bcc1ac54c1758ba9"
"""tests/search_eval_heldout.yaml is frozen: its questions were never tuned on and must stay so."""


def _fragments(text: str, size: int = 4) -> set[str]:
    return {text[i : i + size] for i in range(len(text) - size + 1)}


def test_no_eval_question_shares_four_characters_with_its_answers_questions_or_a_synonym():
    """A question that repeats 4+ characters of a synonym, or of a «常见问法» of the section it
    expects, measures a copy of the keywords, not the search."""
    from tests.search_eval_runner import EVAL_FILE, HELD_OUT_FILE, load_cases

    project = Project.at(sample_repo())
    questions = load_questions(project, load(project))
    synonyms = [word for words in load_lexicon(project).synonyms.values() for word in words]
    copied = []
    for path in (EVAL_FILE, HELD_OUT_FILE):
        for case in load_cases(path):
            mine = _fragments(case.query)
            items = [target.rpartition("#")[2] or target.rpartition("/")[2] for target in case.expect]
            for text in [*synonyms, *(q for item in items for q in questions.get(item, []))]:
                if mine & _fragments(text):
                    copied.append(f"{path.name}: {case.query} ~ {text}: {sorted(mine & _fragments(text))}")
    assert copied == []


def test_the_held_out_part_is_frozen_and_apart_from_the_tuned_part():
    import hashlib

    from tests.search_eval_runner import EVAL_FILE, HELD_OUT_FILE, load_cases

    assert hashlib.sha256(HELD_OUT_FILE.read_bytes()).hexdigest() == HELD_OUT_SHA256, (
        "tests/search_eval_heldout.yaml is frozen: add new questions to tests/search_eval.yaml instead"
    )
    held_out, tuned = load_cases(HELD_OUT_FILE), load_cases(EVAL_FILE)
    assert len(held_out) == 40 and len(tuned) >= 180
    assert not {c.query for c in held_out} & {c.query for c in tuned}
