"""The HTML a letter or printout template makes → a plain document tree (JSON) for Typst.

The Jinja template stays the one source of a document's wording and structure (the one a
company overrides, block by block); Typst only typesets it. The tree carries the elements,
their classes and their text, and nothing else: text stays text (a JSON string), so a
customer called ``#panic("x")`` or ``]`` is printed as written and never read as Typst.

A node is ``{"t": tag, "c": [classes], "k": [children]}`` (plus ``"a"`` for the few
attributes layout needs: ``colspan``, ``rowspan``, ``src``); a child is a node or a string.
Inline SVG (the ladder picture) is kept whole, as ``{"t": "svg", "svg": "<svg …>"}``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

Node = dict[str, Any]

BLOCK = frozenset(
    {
        "html",
        "body",
        "article",
        "section",
        "header",
        "footer",
        "div",
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
    }
)
"""Elements that start a new block: whitespace next to their edges means nothing."""
SKIP = frozenset({"head", "style", "script", "title", "meta", "link"})
VOID = frozenset({"br", "img", "meta", "link", "hr", "input", "col", "wbr"})
KEEP_ATTRS = ("colspan", "rowspan", "src", "alt")
_SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL | re.IGNORECASE)
_SPACE = re.compile(r"[ \t\r\n\f]+")


class _Builder(HTMLParser):
    def __init__(self, svgs: list[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.root: Node = {"t": "root", "c": [], "k": []}
        self.stack: list[Node] = [self.root]
        self.skipping = 0
        self.svgs = svgs

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP:
            if tag not in VOID:
                self.skipping += 1
            return
        if self.skipping:
            return
        values = dict(attrs)
        if tag == "img" and values.get("data-svg") is not None:
            self.stack[-1]["k"].append({"t": "svg", "c": [], "k": [], "svg": self.svgs[int(values["data-svg"] or 0)]})
            return
        node: Node = {"t": tag, "c": (values.get("class") or "").split(), "k": []}
        kept = {name: values[name] for name in KEEP_ATTRS if values.get(name)}
        if kept:
            node["a"] = kept
        self.stack[-1]["k"].append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and tag not in SKIP and not self.skipping and self.stack[-1]["t"] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP:
            if tag not in VOID:
                self.skipping = max(0, self.skipping - 1)
            return
        if self.skipping or tag in VOID:
            return
        # Close up to the matching element (browsers forgive a missing </p> or </li> too).
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth]["t"] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not self.skipping and data:
            self.stack[-1]["k"].append(data)


def _tidy(node: Node) -> None:
    """Collapse whitespace as HTML does; drop the whitespace between blocks."""
    block = node["t"] in BLOCK or node["t"] == "root"
    kids: list[Any] = []
    for kid in node["k"]:
        if isinstance(kid, str):
            text = _SPACE.sub(" ", kid)
            if kids and isinstance(kids[-1], str):
                kids[-1] += text
            else:
                kids.append(text)
        else:
            _tidy(kid)
            kids.append(kid)
    out: list[Any] = []
    for i, kid in enumerate(kids):
        if isinstance(kid, str):
            before = kids[i - 1] if i else None
            after = kids[i + 1] if i + 1 < len(kids) else None
            if block and (before is None or _is_block(before)):
                kid = kid.lstrip(" ")
            if block and (after is None or _is_block(after)):
                kid = kid.rstrip(" ")
            if not kid:
                continue
        out.append(kid)
    if block and out and isinstance(out[0], str) and out[0].startswith("\u3000"):
        # Typst drops a paragraph's leading spaces; full-width ones indent on purpose (户　名).
        text = out[0].lstrip("\u3000")
        out[0:1] = [{"t": "indent", "c": [], "k": [], "n": len(out[0]) - len(text)}] + ([text] if text else [])
    node["k"] = out


def _is_block(kid: Any) -> bool:
    return isinstance(kid, dict) and (kid["t"] in BLOCK or kid["t"] == "br")


def html_tree(html: str) -> Node:
    """The document tree of ``html`` (its ``<body>``, or everything when there is none)."""
    svgs: list[str] = []

    def keep_svg(match: re.Match[str]) -> str:
        svgs.append(match.group(0))
        return f'<img data-svg="{len(svgs) - 1}">'

    builder = _Builder(svgs)
    builder.feed(_SVG.sub(keep_svg, html))
    builder.close()
    root = builder.root
    _tidy(root)
    body = find(root, lambda n: n["t"] == "body")
    return body if body is not None else root


def find(node: Node, match: Any) -> Node | None:
    """The first node (depth first) for which ``match(node)`` is true."""
    if match(node):
        return node
    for kid in node["k"]:
        if isinstance(kid, dict) and (hit := find(kid, match)) is not None:
            return hit
    return None


def take(node: Node, cls: str) -> Node | None:
    """Remove and return the first child (at any depth) with class ``cls``."""
    for i, kid in enumerate(node["k"]):
        if not isinstance(kid, dict):
            continue
        if cls in kid["c"]:
            del node["k"][i]
            return kid
        if (hit := take(kid, cls)) is not None:
            return hit
    return None


def text_of(node: Node | str) -> str:
    if isinstance(node, str):
        return node
    if node["t"] == "indent":
        return "\u3000" * node["n"]
    return "".join(text_of(kid) for kid in node["k"])


def rows_of(table: Node) -> list[tuple[str, Node]]:
    """``(section, tr)`` of a table in order; section is thead, tbody or tfoot."""
    rows: list[tuple[str, Node]] = []
    for kid in table["k"]:
        if not isinstance(kid, dict):
            continue
        if kid["t"] == "tr":
            rows.append(("tbody", kid))
        elif kid["t"] in ("thead", "tbody", "tfoot"):
            rows.extend((kid["t"], tr) for tr in kid["k"] if isinstance(tr, dict) and tr["t"] == "tr")
    return rows


NOWRAP = frozenset({"num", "date", "time", "minutes", "activity", "level", "days", "amount", "approver", "measure"})
"""Cell classes whose text never wraps (the print and letter CSS say ``white-space: nowrap``)."""


def _width(text: str) -> int:
    """Display width in half-width units (a Chinese character is two)."""
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text.strip(" "))


def measure_tables(node: Node) -> None:
    """Give every table ``cols``: per column the classes of its cells and a width weight from
    its longest text (what a browser's automatic table layout does), so Typst can size them."""
    for kid in node["k"]:
        if isinstance(kid, dict):
            measure_tables(kid)
    if node["t"] != "table":
        return
    rows = rows_of(node)
    count = max(
        (sum(int(c.get("a", {}).get("colspan", 1)) for c in tr["k"] if isinstance(c, dict)) for _, tr in rows),
        default=0,
    )
    weights = [2] * count
    fixed = [0] * count  # the longest body text of a column that must not wrap
    classes: list[list[str]] = [[] for _ in range(count)]
    for section, tr in rows:
        col = 0
        for cell in tr["k"]:
            if not isinstance(cell, dict):
                continue
            span = int(cell.get("a", {}).get("colspan", 1))
            if span == 1 and col < count:
                longest = max((_width(line) for line in _lines(cell)), default=0)
                weights[col] = max(weights[col], min(longest, 36))
                # A no-wrap column is as wide as its longest text, and its heading when short
                # (级别, 天数): a browser would not break those either.
                fixed[col] = max(fixed[col], longest if section != "thead" else min(longest, 8))
                if section != "thead" and not classes[col]:
                    classes[col] = list(cell["c"])
            col += span
    node["cols"] = [
        {"w": w, "c": c, "fix": fixed[i] if any(k in NOWRAP for k in c) else 0}
        for i, (w, c) in enumerate(zip(weights, classes, strict=True))
    ]


def _lines(cell: Node) -> list[str]:
    lines = [""]
    for kid in cell["k"]:
        if isinstance(kid, dict) and kid["t"] == "br":
            lines.append("")
        else:
            lines[-1] += text_of(kid)
    return lines
