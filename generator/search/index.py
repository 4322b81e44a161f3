"""The search index written into the built site (``search/search_index.json``; on Zensical,
its ``search.json`` in Zensical's shape, see ``zensical_index``).

Built from what the engine's search extracted (every page and section, as the reader sees it;
MkDocs' search plugin and Zensical list the same sections with the same text) plus what only
the playbook knows: an item's module, aliases and questions. Also carries the lexicon
(keep-whole terms, generic words, synonyms) the browser engine uses to read a query. Plain
text only: tags, zero-width separators and the link lines under an item («相关：…») are
removed, so the index stays small and titles of *other* items do not make an item match.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from typing import Any

from generator.playbook import Playbook
from generator.search.lexicon import Lexicon

_META = re.compile(r"<p>\s*(?:\u200b)?(?:也\u200b?叫|相关\u200b?函件|相关|来源)\u200b?：.*?</p>", re.S)
# «常见问法» closes an item's section (sub-items are sections of their own); the questions are
# indexed in their own field, so the block is cut from the text (no double count, clean teasers).
_QUESTIONS = re.compile(r"(?:<details[^>]*>\s*)?(?:<summary>)?\u200b?常\u200b?见\u200b?问\u200b?法.*$", re.S)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
HAN_RUN = re.compile(r"[\u3400-\u9fff]+")

GENERIC_SHARE = 0.2
"""A word in more than this share of item sections counts as generic (document frequency)."""
GENERIC_MIN_LEN = 2


def plain(text: str) -> str:
    """Searchable text of a fragment: no tags, entities decoded, no zero-width spaces."""
    return _text(_META.sub(" ", _QUESTIONS.sub(" ", text)))


def _text(fragment: str) -> str:
    """What a reader sees of an HTML fragment, as one line of plain text."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", fragment).replace("\u200b", ""))).strip()


def _doc_weight(location: str, kind: str) -> float:
    if kind == "item":
        return 1.0
    if kind == "term":
        return 0.7
    if location.startswith("reference/"):
        return 0.25  # how to tailor the tool, rarely what a rep asks
    if "#" not in location:
        return 0.6
    return 0.45


def build_index(
    playbook: Playbook, lexicon: Lexicon, questions: dict[str, list[str]], material: dict[str, Any]
) -> dict[str, Any]:
    """Our index from MkDocs' one: documents plus the lexicon."""
    docs: list[dict[str, Any]] = []
    for raw in material.get("docs", []):
        location = raw["location"]
        page, _, anchor = location.partition("#")
        entry = playbook.index.get(anchor) if anchor else None
        doc: dict[str, Any] = {
            "location": location,
            "title": plain(raw.get("title", "")),
            "text": plain(raw.get("text", "")),
        }
        kind = "page" if not anchor else "section"
        if entry is not None and entry.kind == "item":
            kind = "item"
            doc["module"] = entry.module.title if entry.module else ""
            doc["aliases"] = " ".join(entry.obj.aliases)
            doc["questions"] = " ".join(questions.get(anchor, []))
        elif entry is not None and entry.kind == "term":
            kind = "term"
            doc["module"] = "术语表"
            doc["aliases"] = " ".join(entry.obj.aliases)
        doc["boost"] = _doc_weight(location, kind)
        docs.append(doc)
    lexicon_out = {
        "terms": sorted(set(protected_terms(playbook, lexicon))),
        "generic": sorted(set(lexicon.generic) | set(generic_by_frequency(docs))),
        "synonyms": {term: sorted(set(v)) for term, v in sorted(lexicon.synonyms.items())},
    }
    # Material's page script hands the worker only config, docs and options: the lexicon
    # rides inside config.
    return {
        "config": {**material.get("config", {}), "lexicon": lexicon_out},
        "docs": docs,
        "options": material.get("options", {}),
    }


def zensical_index(
    playbook: Playbook, lexicon: Lexicon, questions: dict[str, list[str]], zensical: dict[str, Any]
) -> dict[str, Any]:
    """Zensical's ``search.json`` with our documents in it: item ``i`` is still Zensical's item
    ``i`` (its dialog shows ``items[id]`` for each result our worker returns), with the text our
    engine indexes and the fields only the playbook knows (module, aliases, questions, boost).

    Zensical's dialog parses title, text and path as HTML; they are our plain text with ``&``,
    ``<`` and ``>`` escaped (the only entities it decodes), so no indexed text becomes markup.
    The worker decodes them back before indexing; the other fields are never shown."""
    items = zensical.get("items", [])
    docs = [{"location": i.get("location", ""), "title": i.get("title", ""), "text": i.get("text", "")} for i in items]
    ours = build_index(playbook, lexicon, questions, {"config": zensical.get("config", {}), "docs": docs})
    out = []
    for item, doc in zip(items, ours["docs"], strict=True):
        shown = {
            "title": html.escape(doc["title"], quote=False),
            "text": html.escape(doc["text"], quote=False),
            "path": [html.escape(_text(step), quote=False) for step in item.get("path", [])],
        }
        out.append({**item, **doc, **shown})
    return {"config": ours["config"], "items": out}


def protected_terms(playbook: Playbook, lexicon: Lexicon) -> list[str]:
    """Words a query must keep whole: titles, aliases, glossary terms, the lexicon's own."""
    out = list(lexicon.words) + list(lexicon.synonyms)
    for _module, item, _parent in playbook.items():
        out.append(item.title)
        out.extend(item.aliases)
    for term in playbook.terms():
        out.append(term.term)
        out.extend(term.aliases)
    return [w.strip() for w in out if HAN_RUN.fullmatch(w.strip() or "x") and 2 <= len(w.strip()) <= 10]


def generic_by_frequency(docs: list[dict[str, Any]]) -> list[str]:
    """Words (jieba) found in more than GENERIC_SHARE of the item sections."""
    import jieba

    items = [d for d in docs if d.get("module") and d.get("module") != "术语表"]
    if not items:
        return []
    counts: Counter[str] = Counter()
    for doc in items:
        words = {
            w for w in jieba.cut(doc["title"] + " " + doc["text"]) if HAN_RUN.fullmatch(w) and len(w) >= GENERIC_MIN_LEN
        }
        counts.update(words)
    limit = GENERIC_SHARE * len(items)
    return sorted(w for w, n in counts.items() if n > limit)
