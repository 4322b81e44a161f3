"""Safe YAML loading that remembers where every value came from.

A private ``yaml.SafeLoader`` subclass composes the node tree (never patching the
global loader); we then build plain Python values ourselves so that we can record
``node.start_mark`` for every key and value, refuse tags and aliases, and turn
every failure into a :class:`~generator.errors.Problem` with file:line:col.
Floats become ``Decimal`` (money must never be a float).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.errors import PlaybookError, Problem

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 200_000

Key = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_COLLECTION_TAGS = {_TAG + "seq", _TAG + "map"}


@dataclass
class Document:
    """A loaded YAML file: its data plus the position of every key and value."""

    path: str
    data: Any
    value_marks: dict[Key, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Key, tuple[int, int]] = field(default_factory=dict)
    paths: dict[Key, str] = field(default_factory=dict)
    """For a document merged from several files (see :func:`merge`): the file each located
    key came from, when it is not ``path``."""

    def mark(self, key: Key, *, of_key: bool = False) -> tuple[int, int]:
        """Line and column of ``key`` (or of its nearest located parent)."""
        _source, line, col = self.locate(key, of_key=of_key)
        return line, col

    def locate(self, key: Key, *, of_key: bool = False) -> tuple[str, int, int]:
        """File, line and column of ``key`` (or of its nearest located parent)."""
        marks = self.key_marks if of_key else self.value_marks
        probe = tuple(key)
        while probe:
            if probe in marks:
                return (self.paths.get(probe, self.path), *marks[probe])
            if not of_key and probe in self.key_marks:
                return (self.paths.get(probe, self.path), *self.key_marks[probe])
            probe = probe[:-1]
        return (self.paths.get((), self.path), *self.value_marks.get((), (1, 1)))

    def source_of(self, key: Key) -> str:
        """The file that gave the value at ``key``."""
        return self.locate(key)[0]

    def problem(self, key: Key, message: str, *, of_key: bool = False) -> Problem:
        path, line, col = self.locate(key, of_key=of_key)
        return Problem(path, line, col, where(key) or "(top level)", message)


def merge(base: Document, over: Document, *, whole: frozenset[Key] = frozenset()) -> Document:
    """``over`` laid on ``base`` key by key: mappings merge recursively, anything else
    (lists, scalars, and the mappings at the keys in ``whole``) is replaced outright.
    Every key keeps the file, line and column it came from, so a problem in a value the
    company gave points into the company's file and one in an untouched default into the
    defaults file."""
    out = Document(base.path, None, dict(base.value_marks), dict(base.key_marks), dict(base.paths))

    def take(key: Key) -> None:
        """Replace everything at and under ``key`` by what ``over`` says."""
        for marks, theirs in ((out.value_marks, over.value_marks), (out.key_marks, over.key_marks)):
            for k in [k for k in marks if k[: len(key)] == key and len(k) > len(key)]:
                del marks[k]
                out.paths.pop(k, None)
            for k, mark in theirs.items():
                if k[: len(key)] == key:
                    marks[k] = mark
                    out.paths[k] = over.paths.get(k, over.path)

    def walk(mine: Any, theirs: Any, key: Key) -> Any:
        if isinstance(mine, dict) and isinstance(theirs, dict) and key not in whole:
            merged = dict(mine)
            if key in over.value_marks:
                out.value_marks[key] = over.value_marks[key]
                out.paths[key] = over.paths.get(key, over.path)
            for name, value in theirs.items():
                child = (*key, name)
                if name in mine:
                    merged[name] = walk(mine[name], value, child)
                    if child in over.key_marks:
                        out.key_marks[child] = over.key_marks[child]
                else:
                    merged[name] = value
                    take(child)
            return merged
        take(key)
        return theirs

    if over.data is None:
        out.data = base.data
    elif base.data is None:
        out.data = over.data
        take(())
    else:
        out.data = walk(base.data, over.data, ())
    return out


def given_keys(doc: Document, key: Key = ()) -> list[Key]:
    """The leaf keys a document sets (mappings are walked, anything else is a leaf)."""

    def walk(value: Any, at: Key) -> list[Key]:
        if isinstance(value, dict) and value:
            return [k for name, child in value.items() for k in walk(child, (*at, name))]
        return [at] if at else []

    return walk(doc.data, key)


def where(key: Key) -> str:
    """Render a key path as ``rungs[2].approver``."""
    out = ""
    for part in key:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


_SafeBase: type = yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else yaml.SafeLoader
"""libyaml's SafeLoader when PyYAML has it (about 10× faster), else the pure-Python SafeLoader."""


class _Loader(_SafeBase):  # type: ignore[misc]  # PyYAML ships no types
    """Private safe loader (the global one is never patched). With the pure-Python parser,
    aliases fail as soon as they are composed; with libyaml, the builder refuses the first
    node it meets twice. Either way an alias bomb is never expanded."""

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise _Refused(
                event.start_mark,
                "anchors and aliases (&name / *name) are not supported; write the value out",
            )
        return super().compose_node(parent, index)


class _Refused(Exception):
    def __init__(self, mark: Any, message: str):
        self.mark = mark
        self.message = message


def load_file(path: Path, display: str) -> Document:
    """Load one YAML file; raise PlaybookError with one clean problem if unreadable."""
    from generator.safeio import read_checked

    try:
        size = os.stat(path).st_size
    except OSError:
        size = 0  # read_checked names the problem
    if size > MAX_BYTES:  # refused before a byte is read
        raise _too_large(display, size)
    # a link to /dev/zero, a FIFO or a folder is refused before it is read, never read whole
    raw = read_checked(path, display, limit=MAX_BYTES, what="a YAML file", where="(file)")
    return load_bytes(raw, display)


def _too_large(display: str, size: int) -> PlaybookError:
    return PlaybookError(
        [
            Problem(
                display,
                1,
                1,
                "(file)",
                f"expected a file under {MAX_BYTES // 1024} KiB, "
                f"found {size // 1024} KiB; split it into smaller modules",
            )
        ]
    )


def load_bytes(raw: bytes, display: str) -> Document:
    if len(raw) > MAX_BYTES:
        raise _too_large(display, len(raw))
    text = _decode(raw, display)
    _check_tabs(text, display)
    _check_printable(text, display)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except _Refused as exc:
        raise PlaybookError([_at(display, exc.mark, "(yaml)", exc.message)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        found = find_lookalike(text, (mark.line + 1) if mark is not None else None)
        if found is not None:  # the real mistake, on its own line (YAML notices it a line later)
            raise PlaybookError(
                [Problem(display, found[0], found[1], "(yaml)", f"YAML syntax error: {found[2]}")]
            ) from None
        what = exc.problem or "invalid YAML"
        if exc.context and "expected a single document" in exc.context:
            what = "expected one YAML document, found several (remove the extra '---')"
        elif exc.context:
            what += f" {exc.context}"
            if exc.context_mark is not None and mark is not None and exc.context_mark.line != mark.line:
                what += f" that starts at line {exc.context_mark.line + 1}"
        raise PlaybookError([_at(display, mark, "(yaml)", f"YAML syntax error: {what}")]) from None
    except yaml.YAMLError as exc:  # reader errors (control characters) and the like
        mark = getattr(exc, "problem_mark", None)
        raise PlaybookError([_at(display, mark, "(yaml)", f"YAML error: {exc}")]) from None
    except RecursionError:
        raise PlaybookError(
            [Problem(display, 1, 1, "(yaml)", f"expected at most {MAX_DEPTH} levels of nesting, found more")]
        ) from None
    finally:
        loader.dispose()
    doc = Document(display, None)
    if node is None:
        return doc
    builder = _Builder(loader, doc, text)
    doc.data = builder.build(node, ())
    if builder.problems:
        raise PlaybookError(builder.problems)
    return doc


LOOKALIKES = {
    "：": ("the full-width colon", ":", "the ASCII colon ':'"),
    "\u3000": ("a full-width space", " ", "normal spaces"),
    "“": ("the curly quote", '"', 'straight quotes "…"'),
    "”": ("the curly quote", '"', 'straight quotes "…"'),
    "‘": ("the curly quote", "'", "straight quotes '…'"),
    "’": ("the curly quote", "'", "straight quotes '…'"),
    "，": ("the full-width comma", ",", "the ASCII comma ','"),
    "［": ("the full-width bracket", "[", "'['"),
    "］": ("the full-width bracket", "]", "']'"),
    "｛": ("the full-width brace", "{", "'{'"),
    "｝": ("the full-width brace", "}", "'}'"),
}
"""Characters a Chinese input method types in place of YAML's and Jinja's ASCII syntax."""


def lookalike_hint(char: str) -> str | None:
    """«found the full-width colon '：' (U+FF1A); type the ASCII colon ':'» or None."""
    if char not in LOOKALIKES:
        return None
    name, _ascii, instead = LOOKALIKES[char]
    return f"found {name} '{char}' (U+{ord(char):04X}); type {instead} instead (switch the input method to English)"


_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_KEYISH = re.compile(r"^[a-z_][a-z0-9_-]*[ \u3000]*：")
_KEY_COLON = re.compile(r"^[ \u3000]*(?:- +)?[A-Za-z_][\w.-]*[ \u3000]*(：)", re.M)
_WIDE_INDENT = re.compile(r"^ *(\u3000)", re.M)
_SYNTAX_QUOTE = re.compile(r"(?:^[ ]*(?:- +)?[A-Za-z_][\w.-]*: *|[\[{,] *|^[ ]*- +)([“”‘’])", re.M)
_SYNTAX_PUNCT = re.compile(r"(?:\[[^\]\n]*|\{[^}\n]*)([，］｝])|: *([［｛])", re.M)


def find_lookalike(text: str, last_line: int | None) -> tuple[int, int, str] | None:
    """The first full-width character typed where YAML syntax belongs (after a key, in the
    indentation, opening a value, inside a flow list), up to ``last_line``: (line, col, hint)."""
    best: tuple[int, int, str] | None = None
    for pattern in (_KEY_COLON, _WIDE_INDENT, _SYNTAX_QUOTE, _SYNTAX_PUNCT):
        for match in pattern.finditer(text):
            group = next(g for g in range(1, (pattern.groups or 0) + 1) if match.group(g))
            pos = match.start(group)
            line = text.count("\n", 0, pos) + 1
            if last_line is not None and line > last_line:
                break
            col = pos - (text.rfind("\n", 0, pos) + 1) + 1
            if best is None or (line, col) < best[:2]:
                best = (line, col, lookalike_hint(match.group(group)) or "")
            break
    return best


def _at(display: str, mark: Any, where_: str, message: str) -> Problem:
    if mark is None:
        return Problem(display, 1, 1, where_, message)
    return Problem(display, mark.line + 1, mark.column + 1, where_, message)


def _decode(raw: bytes, display: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        bad = raw[exc.start : exc.start + 1].hex()
        hint = "save the file as UTF-8"
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            hint = "the file is UTF-16; save it as UTF-8"
        elif _is_gbk(raw):
            hint = "the file looks GBK-encoded; save it as UTF-8"
        raise PlaybookError(
            [Problem(display, line, col, "(file)", f"expected UTF-8 text, found the byte 0x{bad}; {hint}")]
        ) from None


_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _check_printable(text: str, display: str) -> None:
    """YAML allows only printable characters; say which one and where, in plain words."""
    match = _NOT_PRINTABLE.search(text)
    if match:
        pos = match.start()
        line = text.count("\n", 0, pos) + 1
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        raise PlaybookError(
            [
                Problem(
                    display,
                    line,
                    col,
                    "(yaml)",
                    f"expected printable text, found the control character U+{ord(match.group()):04X}; delete it",
                )
            ]
        )


def _is_gbk(raw: bytes) -> bool:
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


_TAB_INDENT = re.compile(r"^[ ]*\t", re.M)
_CODE_LIKE = re.compile(r"^0[0-9_]+$|^[0-9]+(?::[0-9]+)+$")  # 00123, and 1:30 (YAML 1.1 base 60)


def _check_tabs(text: str, display: str) -> None:
    match = _TAB_INDENT.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        col = match.end() - match.start()
        raise PlaybookError(
            [
                Problem(
                    display,
                    line,
                    col,
                    "(yaml)",
                    "expected spaces for indentation, found a tab; replace tabs with spaces",
                )
            ]
        )


class _Builder:
    """Turns composed nodes into dict/list/scalars, recording marks."""

    def __init__(self, loader: _Loader, doc: Document, text: str):
        self.loader = loader
        self.text = text
        self.doc = doc
        self.problems: list[Problem] = []
        self.count = 0
        self.seen: set[int] = set()

    def build(self, node: Node, key: Key) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise PlaybookError(
                [
                    _at(
                        self.doc.path,
                        node.start_mark,
                        where(key) or "(yaml)",
                        f"expected at most {MAX_NODES} values in one file, found more",
                    )
                ]
            )
        if len(key) > MAX_DEPTH:
            raise PlaybookError(
                [
                    _at(
                        self.doc.path,
                        node.start_mark,
                        where(key[:2]) + "…",
                        f"expected at most {MAX_DEPTH} levels of nesting, found more",
                    )
                ]
            )
        if id(node) in self.seen:  # libyaml resolved an alias to the anchored node
            raise PlaybookError(
                [
                    _at(
                        self.doc.path,
                        self._first_alias(node.start_mark),
                        "(yaml)",
                        "anchors and aliases (&name / *name) are not supported; write the value out",
                    )
                ]
            )
        self.seen.add(id(node))
        self.doc.value_marks[key] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, ScalarNode):
            return self._scalar(node, key)
        if node.tag not in _COLLECTION_TAGS:
            return self._bad_tag(node, key)
        if isinstance(node, SequenceNode):
            return [self.build(child, (*key, i)) for i, child in enumerate(node.value)]
        assert isinstance(node, MappingNode)
        out: dict[str, Any] = {}
        for knode, vnode in node.value:
            name = self._key(knode, key)
            if name is None:
                continue
            child = (*key, name)
            odd = next((i for i, ch in enumerate(name) if ch in LOOKALIKES), None)
            if odd is not None and _PLAIN_KEY.match("".join(ch for ch in name if ch not in LOOKALIKES)):
                # «　　days_overdue»: an ASCII key typed with a Chinese input method's space or quotes
                self.problems.append(
                    Problem(
                        self.doc.path,
                        knode.start_mark.line + 1,
                        knode.start_mark.column + odd + 1,
                        where(child),
                        f"expected a plain key, {lookalike_hint(name[odd])}",
                    )
                )
                continue
            if name in out:
                first = self.doc.key_marks[child]
                self.problems.append(
                    _at(
                        self.doc.path,
                        knode.start_mark,
                        where(child),
                        f"duplicate key '{name}' (first at line {first[0]}); keep only one",
                    )
                )
                continue
            self.doc.key_marks[child] = (knode.start_mark.line + 1, knode.start_mark.column + 1)
            out[name] = self.build(vnode, child)
        return out

    def _first_alias(self, fallback: Any) -> Any:
        """Where the first ``*alias`` is (events are cheap: nothing is expanded)."""
        for event in yaml.parse(self.text, Loader=_Loader):
            if isinstance(event, AliasEvent):
                return event.start_mark
        return fallback

    def _key(self, knode: Node, parent: Key) -> str | None:
        if isinstance(knode, ScalarNode) and knode.tag == _TAG + "merge":
            self.problems.append(
                _at(
                    self.doc.path,
                    knode.start_mark,
                    where(parent) or "(top level)",
                    "merge keys (<<) are not supported; write the keys out",
                )
            )
            return None
        if isinstance(knode, ScalarNode) and knode.tag in (_TAG + "str", _TAG + "int"):
            return str(knode.value)
        self.problems.append(
            _at(
                self.doc.path,
                knode.start_mark,
                where(parent) or "(top level)",
                f"expected a plain text key, found {_node_kind(knode)}",
            )
        )
        return None

    def _bad_tag(self, node: Node, key: Key) -> None:
        tag = node.tag.replace(_TAG, "!!")
        self.problems.append(
            _at(
                self.doc.path,
                node.start_mark,
                where(key) or "(top level)",
                f"expected plain YAML values, found the tag '{tag}' (tags are not allowed and are never executed)",
            )
        )
        return None

    def _on_own_line(self, node: ScalarNode, key: Key) -> bool:
        """A plain text on a line of its own where a mapping was being written (the whole file,
        or the lines under a key): «name： 甲» there was meant as a key, not as text."""
        if not key:
            return True
        mark = self.doc.key_marks.get(key)
        return mark is not None and node.start_mark.line + 1 > mark[0]

    def _scalar(self, node: ScalarNode, key: Key) -> Any:
        if node.tag not in _PLAIN_TAGS:
            return self._bad_tag(node, key)
        if not node.style and _KEYISH.match(node.value) and self._on_own_line(node, key):  # «name： 甲»: a key
            at = node.value.index("：")
            self.problems.append(
                Problem(
                    self.doc.path,
                    node.start_mark.line + 1,
                    node.start_mark.column + at + 1,
                    where(key) or "(top level)",
                    f"expected 'key: value', {lookalike_hint('：')}",
                )
            )
            return None
        if node.tag == _TAG + "float":
            return self._decimal(node, key)
        if node.tag == _TAG + "int" and _CODE_LIKE.match(node.value):
            # YAML 1.1 reads 00123 as octal 83: an invoice or contract number would be
            # silently corrupted, so digits with a leading zero stay text.
            return node.value
        try:
            value = self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            self.problems.append(
                _at(self.doc.path, node.start_mark, where(key), f"expected a valid value, found '{node.value}' ({exc})")
            )
            return None
        return value

    def _decimal(self, node: ScalarNode, key: Key) -> Decimal | None:
        text = node.value.replace("_", "")
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            self.problems.append(
                _at(self.doc.path, node.start_mark, where(key), f"expected a finite number, found '{node.value}'")
            )
            return None
        return value


def _node_kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return f"'{node.value}'"
