"""Which rows below the header hold data: total rows (合计, 小计, SAP's ``*``/``**``), printed footers
(制表人：… 审核：… 打印日期：…, 第 N 页) and page headers repeated mid-file are told apart here, and
reported to the caller (skipped and counted, the grand total checked), never read as invoices."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator

from generator.cases.columns import HEAD, Columns, label_key, normalise
from generator.cases.header import Header
from generator.cases.tabular import Row
from generator.cases.values import text

_PAGE_NUMBER = re.compile(r"^(?:第\s*\d+\s*页|共\s*\d+\s*页|页码|page\s*\d+)", re.I)


def _sap_level(cells: list[object]) -> int:
    """SAP lists (FBL5N …) exported to a spreadsheet mark sum rows with asterisks in the first
    filled cell: ``*`` the lowest subtotal level, ``**`` the next, the grand total the most."""
    for value in cells:
        shown = text(value)
        if shown:
            return len(shown) if shown == "*" * len(shown) and len(shown) <= 5 else 0
    return 0


def total_kind(cells: list[object], columns: Columns) -> str | None:
    """``grand``/``sub`` when any text cell is a total label (合计, 小 计, Total …), ``*``, ``**`` …
    for an SAP list's sum row (see :func:`_sap_level`), else None."""
    texts = [c for c in cells if type(c) is str and c]
    if texts and texts[0][0] == "*" and _sap_level(cells):
        return "*" * _sap_level(cells)
    return columns.row_total_kind(texts)


def blank(cells: list[object]) -> bool:
    first = cells[0] if cells else None  # usually a filled text cell, which settles it (see text())
    return not (type(first) is str and first.strip()) and not any(c is not None and c != "" and text(c) for c in cells)


class Layout:
    """Tells footers and repeated page headers from data, for one header."""

    def __init__(self, header: Header, columns: Columns) -> None:
        labels = sorted(columns.footer_labels, key=len, reverse=True)
        words = "|".join(re.escape(w) for w in labels) or "(?!)"
        self._footer = re.compile(rf"^(?:{words})(?:[:：]|$)|^(?:{words})\s*[:：]", re.I)
        self._header = header
        self._titles = {tuple(label_key(c) for c in t) for t in header.titles}
        heads = {w[:1] for w in labels} | set("第共页pP") | {t[0][:1] for t in header.titles if t}
        heads |= {header.labels[0][:1]} if header.labels else set()
        self._heads = {h for head in heads for h in (head, head.upper(), head.lower(), _wide(head)) if h}
        """First characters a footer or page-header row may start with (most rows start otherwise)."""

    def kind(self, cells: list[object]) -> str | None:
        """``footer`` or ``page`` for a printed footer or a repeated header/title row, else None."""
        texts = [text(c) for c in cells]
        filled = [t for t in texts if t]
        if not filled:
            return None
        first = unicodedata.normalize("NFKC", filled[0]).replace(" ", "").replace("\u3000", "")
        if self._footer.match(first) or _PAGE_NUMBER.match(first):
            return "footer"
        labels = self._header.labels
        if len(filled) >= 2 and tuple(normalise(t) for t in texts[: len(labels)]) == labels:
            return "page"
        if tuple(label_key(t) for t in filled) in self._titles:
            return "page"
        return None

    def maybe(self, first: str) -> bool:
        """Whether a row whose first filled cell is ``first`` may be a footer or page header (most are not:
        they start with a customer, a date or a document number)."""
        if first[:1] not in self._heads and unicodedata.normalize("NFKC", first[:1]).casefold() not in self._heads:
            return False
        plain = unicodedata.normalize("NFKC", first).replace(" ", "")
        return bool(self._footer.match(plain) or _PAGE_NUMBER.match(plain)) or self._first_is_known(plain)

    def _first_is_known(self, plain: str) -> bool:
        key = label_key(plain)
        return (bool(self._header.labels) and normalise(plain) in self._header.labels[:1]) or any(
            t and t[0] == key for t in self._titles
        )


def _wide(char: str) -> str:
    """The full-width form of an ASCII letter (a title may be typed with them), else ``char``."""
    return chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char


def data_rows(
    rows: Iterator[Row],
    header: Header,
    columns: Columns,
    on_skip: Callable[[int, list[object], str], None] | None = None,
) -> Iterator[Row]:
    """The rows below the header that may hold an invoice. ``on_skip(row, cells, kind)`` is told of
    each other one: ``grand``/``sub``/``*``… (totals), ``footer`` or ``page``."""
    after = header.row
    row_total_kind, may_start_total = columns.row_total_kind, columns.may_start_total
    layout = Layout(header, columns)
    text_only = True
    """Every row so far had only text cells, as a CSV's have: their first characters are taken in one go."""
    for row, cells in rows:
        if row <= after:
            continue
        first = cells[0] if cells else None  # filled text, as usual: not blank (the test of blank, inline)
        if not (type(first) is str and first.strip()):
            if blank(cells):
                continue
            first = next((text(c) for c in cells if text(c)), "")
        if type(first) is str and layout.maybe(first.strip()):
            kind = layout.kind(cells)
            if kind:
                if on_skip is not None:
                    on_skip(row, cells, kind)
                continue
        if text_only:  # the usual row, settled at once: no cell starts with * (SAP's sums) or a total label
            try:
                heads = set(map(HEAD, cells))  # type: ignore[arg-type]  # any cell not text: the TypeError
            except TypeError:  # a workbook's number, date or empty cell: the way below from now on
                text_only = False
            else:
                if "*" not in heads and not may_start_total(heads):
                    yield row, cells
                    continue
        texts = [c for c in cells if type(c) is str and c]
        found = total_kind(cells, columns) if texts and texts[0][0] == "*" else row_total_kind(texts)
        if found:
            if on_skip is not None:
                on_skip(row, cells, found)
            continue
        yield row, cells
