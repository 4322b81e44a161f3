"""Row sources for bulk files: CSV (UTF-8, UTF-8 with BOM, GBK, UTF-16 with BOM), XLSX and XLS.

Each source yields ``(row_number, cells)`` with row numbers as a spreadsheet shows
them (the first row is 1); a CSV record with a quoted line break is still one row.
Workbooks are read with python-calamine (fast, no formulas run, no external entities):
the active sheet, or the one ``--sheet`` names; the other sheets are listed, never read
silently. Files that are not regular files, or too large, are refused before reading.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import time as clock
from pathlib import Path
from typing import cast

from generator.errors import PlaybookError, Problem, did_you_mean

Row = tuple[int, list[object]]
CHUNK = 1 << 16
MAX_FILE_BYTES = 1 << 30
"""Largest input read (1 GiB: some ten million invoice rows); larger is refused before reading."""
MAX_UNPACKED_BYTES = 4 << 30
"""Largest total a workbook may unpack to (a zip bomb declares more)."""
MAX_RATIO = 200
"""Largest compression ratio of a big workbook part (real sheets pack about 10:1)."""
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
BOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


def _refuse(display: str, message: str, row: int = 0) -> PlaybookError:
    return PlaybookError([Problem(display, row, 0, "(file)", message)])


def check_file(path: Path, display: str) -> None:
    """Refuse, before reading a byte, what is not a regular file or is larger than we read."""
    try:
        info = path.stat()  # follows symlinks: a link to /dev/zero is a character device
    except FileNotFoundError:
        raise PlaybookError(
            [Problem(display, 0, 0, "", "expected a case file (.yaml, .csv, .xlsx or .xls), found no such file")]
        ) from None
    except OSError as exc:
        raise _refuse(display, f"cannot read file: {exc.strerror}") from None
    kind = (
        "a folder"
        if stat.S_ISDIR(info.st_mode)
        else "a named pipe (FIFO)"
        if stat.S_ISFIFO(info.st_mode)
        else "a device"
        if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
        else "a socket"
        if stat.S_ISSOCK(info.st_mode)
        else None
    )
    if kind:
        raise _refuse(display, f"expected a case file (.yaml, .csv or .xlsx), found {kind}")
    if info.st_size > MAX_FILE_BYTES:
        raise _refuse(
            display,
            f"expected a file up to {MAX_FILE_BYTES >> 20:,} MB, found {info.st_size >> 20:,} MB; "
            "split the export (e.g. by period) and run once per file",
        )


@dataclass
class Table:
    """An opened bulk file: how to read its rows (again), and what the run summary says about it."""

    display: str
    """How messages name it: ``ar.xlsx[应收明细]`` for a workbook's sheet, else the file."""
    rows: Callable[[], Iterator[Row]]
    notes: list[str] = field(default_factory=list)
    """What was read and what was not (sheet, encoding), for the summary."""
    formulas: Callable[[], list[tuple[int, str, str]]] = lambda: []
    """Formula cells with no saved result (row, cell reference, formula): calamine reads them as empty."""


# --- CSV ---------------------------------------------------------------------------------------


def detect_encoding(path: Path, display: str) -> str:
    """``utf-8-sig`` / ``utf-16`` (BOM), ``utf-8`` when every line decodes, ``gb18030`` when no
    line does; a file whose lines mix the two is refused, naming its first line of the other kind."""
    with path.open("rb") as handle:
        head = handle.read(4)
        if head.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
        elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        else:
            encoding = ""
        handle.seek(0)
        first: dict[str, int] = {}
        """Encoding → the first line in it (lines of plain ASCII are in both)."""
        number = 0
        while chunk := handle.read(CHUNK_BYTES) + handle.readline():  # whole lines, about a megabyte
            kind = _lines_kind(chunk)
            if kind != "ascii" and kind not in first:  # a new kind, or a doubt: line by line
                for offset, line in enumerate(io.BytesIO(chunk), start=1):  # split as the file is
                    _note_line(line, number + offset, first, path, display)
            number += chunk.count(b"\n") + (not chunk.endswith(b"\n"))  # a last line without one counts too
    if encoding:
        return encoding
    return "gb18030" if "gb18030" in first else "utf-8"


CHUNK_BYTES = 1 << 20
"""How much of a CSV :func:`detect_encoding` looks at together (then on to the end of the line)."""
_UTF8_LINE = re.compile(r"\n[\x00-\t\x0b-\x7f]*+[^\x00-\x7f\udc80-\udcff][^\n\udc80-\udcff]*+(?=\n|\Z)")
"""A line with a character beyond ASCII and no undecodable byte, in text decoded as UTF-8 with
``surrogateescape`` (each byte UTF-8 cannot decode becomes one of U+DC80–U+DCFF): a line that is UTF-8.
Each line is looked for after a line feed (the text is given one in front), which the search finds
at C speed; possessive, so linear in the length of the text."""


def _lines_kind(chunk: bytes) -> str:
    """The encoding every line beyond ASCII of ``chunk`` (whole lines) decodes in, as :func:`_note_line`
    finds it for each: ``utf-8`` or ``gb18030``; ``ascii`` when there is none; ``?`` when they may
    differ or one may be refused (then each line is looked at). Whole lines decode alone as they do
    together: a line feed is never part of a UTF-8 or GB18030 character."""
    if b"\x00" in chunk:
        return "?"
    if chunk.isascii():
        return "ascii"
    try:
        chunk.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        chunk.decode("gb18030")
    except UnicodeDecodeError:
        return "?"
    # Every line decodes as GBK; one that also decodes as UTF-8 is of that kind (a GBK file has none).
    return "?" if _UTF8_LINE.search((b"\n" + chunk).decode("utf-8", "surrogateescape")) else "gb18030"


def _note_line(line: bytes, number: int, first: dict[str, int], path: Path, display: str) -> None:
    """Note the encoding of line ``number`` in ``first`` (encoding → its first line); refuse a line
    with NUL bytes, one that is neither UTF-8 nor GBK, and a second encoding."""
    if b"\x00" in line:
        raise _refuse(
            display,
            "expected a CSV text file, found binary data (NUL bytes); export the report as CSV or .xlsx",
            _record_of(path, number),
        )
    if line.isascii():
        return
    try:
        line.decode("utf-8")
        kind = "utf-8"
    except UnicodeDecodeError:
        try:
            line.decode("gb18030")
            kind = "gb18030"
        except UnicodeDecodeError:
            raise _refuse(
                display,
                "expected text in UTF-8 or GBK, found bytes that are neither; save the file as «CSV UTF-8»",
                _record_of(path, number),
            ) from None
    first.setdefault(kind, number)
    if len(first) == 2:
        later = max(first, key=first.__getitem__)
        names = {"utf-8": "UTF-8", "gb18030": "GBK"}
        raise _refuse(
            display,
            f"expected one encoding in the whole file, found {names[later]} here after "
            f"{names[min(first, key=first.__getitem__)]} rows above (row "
            f"{_record_of(path, min(first.values()))}); names would be garbled — "
            "re-export the file in one go",
            _record_of(path, first[later]),
        )


def _record_of(path: Path, line: int) -> int:
    """The CSV row (record) that physical line ``line`` belongs to (quoted line breaks span lines).
    Read as Latin-1, which keeps every byte: commas, quotes and line ends are ASCII in UTF-8 and GBK."""
    with path.open(encoding="latin-1", newline="") as handle:
        reader = csv.reader(handle)
        row = 0
        for row, _cells in enumerate(reader, start=1):
            if reader.line_num >= line:
                return row
    return row


def csv_rows(path: Path, display: str, encoding: str) -> Iterator[Row]:
    with path.open(encoding=encoding, errors="strict", newline="") as handle:
        row = 0
        try:
            # The delimiter the first lines use most (an SAP text export starts with a title line
            # without any, then tab-separated rows).
            sample = "".join(handle.readline() for _ in range(20))
            handle.seek(0)
            delimiter = max(",;\t", key=sample.count) if sample else ","
            # csv makes a new list per record: no copy needed
            reader = cast(Iterator[list[object]], csv.reader(handle, delimiter=delimiter))
            for row, cells in enumerate(reader, start=1):
                yield row, cells
        except UnicodeDecodeError:
            raise _refuse(
                display,
                "expected text in UTF-8 or GBK, found bytes that are neither; save the file as «CSV UTF-8»",
                row + 1,
            ) from None
        except csv.Error as exc:
            raise _refuse(display, f"expected CSV, found a malformed line ({exc})", row + 1) from None


# --- workbooks --------------------------------------------------------------------------------

_ACTIVE = re.compile(rb"<(?:\w+:)?workbookView\b[^>]*?\bactiveTab=\"(\d+)\"")


def _check_zip(path: Path, display: str) -> int | None:
    """Refuse a broken or bomb-like workbook before unpacking it; return its active sheet index."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            total = sum(i.file_size for i in infos)
            if total > MAX_UNPACKED_BYTES:
                raise _refuse(
                    display,
                    f"expected an Excel workbook, found one that unpacks to {total >> 20:,} MB; "
                    "refused (a zip bomb or an export too large to read)",
                )
            for info in infos:
                if info.file_size > (16 << 20) and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    raise _refuse(
                        display,
                        f"expected an Excel workbook, found a part ({info.filename}) that "
                        f"unpacks {info.file_size // max(info.compress_size, 1):,} times its "
                        "size; refused (a zip bomb)",
                    )
            for info in infos:  # a DTD can only come before the root element: the head of each part shows it
                if info.filename.endswith((".xml", ".rels", ".vml")) and info.file_size:
                    with archive.open(info) as part:
                        head = part.read(2048)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise _refuse(
                            display,
                            f"expected an Excel workbook, found a document type declaration "
                            f"(<!DOCTYPE/<!ENTITY) in {info.filename}; Excel never writes one — "
                            "refused (XML entity tricks)",
                        )
            _check_extent(archive, infos, display)
            try:
                book = archive.getinfo("xl/workbook.xml")
            except KeyError:
                return None
            if book.file_size > (8 << 20):
                raise _refuse(display, "expected an Excel workbook, found a workbook.xml over 8 MB; refused")
            match = _ACTIVE.search(archive.read(book))
            return int(match.group(1)) if match else 0
    except zipfile.BadZipFile as exc:
        raise _refuse(
            display,
            f"expected an Excel .xlsx workbook, found a damaged or truncated file ({exc}); "
            "open it in Excel and save it again",
        ) from None
    except (zlib.error, EOFError) as exc:
        raise _refuse(
            display,
            f"expected an Excel .xlsx workbook, found a damaged file ({exc}); open it in Excel and save it again",
        ) from None
    except (zipfile.LargeZipFile, NotImplementedError, OSError, RuntimeError) as exc:
        raise _refuse(display, f"expected an Excel .xlsx workbook, found a file it cannot unpack ({exc})") from None


MAX_CELLS = 50_000_000
"""Largest sheet extent (rows × columns) handed to the reader, which allocates the whole rectangle
at once: a million rows of 50 columns; one cell at XFD1048576 declares 17 billion."""
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?\"")
_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,3})(\d{1,7})\"")


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _check_extent(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], display: str) -> None:
    """Refuse a sheet whose extent (its declared ``<dimension>``, else its farthest cell) is larger
    than :data:`MAX_CELLS`, before the reader allocates it (calamine aborts the process on a
    rectangle it cannot allocate)."""
    for info in infos:
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        rows = columns = 0
        with archive.open(info) as part:
            head = part.read(4096)
            declared = _DIMENSION.search(head)
            if declared and declared.group(3):
                rows, columns = int(declared.group(4)), _column_number(declared.group(3))
            else:  # no extent declared: the farthest cell reference decides, read as the part streams
                tail = b""
                chunk = head
                while chunk:
                    block = tail + chunk
                    for found in _CELL_REF.finditer(block):
                        columns = max(columns, _column_number(found.group(1)))
                        rows = max(rows, int(found.group(2)))
                    tail = block[-256:]
                    chunk = part.read(1 << 20)
        if rows * columns > MAX_CELLS:
            sheet = info.filename.rsplit("/", 1)[-1]
            raise _refuse(
                display,
                f"expected a sheet of at most {MAX_CELLS:,} cells, found {sheet} reaching row {rows:,}, "
                f"column {columns:,} ({rows * columns:,} cells); its used range runs far past the data: "
                "in Excel press Ctrl+End, delete the empty rows and columns up to there, and save again",
            )


_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_OF_CHAIN = 0xFFFFFFFE


def xls_active_sheet(path: Path) -> int | None:
    """The active sheet's index in an old .xls (BIFF8): the ``itabCur`` of the workbook's WINDOW1
    record, read from the compound file's Workbook stream. None on any doubt (damaged, encrypted,
    not BIFF8): the caller then refuses rather than guesses."""
    try:
        data = path.read_bytes() if path.stat().st_size <= (64 << 20) else b""
        if not data.startswith(_CFB_MAGIC):
            return None
        size = 1 << int.from_bytes(data[0x1E:0x20], "little")
        mini_size = 1 << int.from_bytes(data[0x20:0x22], "little")
        cutoff = int.from_bytes(data[0x38:0x3C], "little")
        if size not in (512, 4096) or mini_size != 64:
            return None

        def words(raw: bytes) -> list[int]:
            return [int.from_bytes(raw[i : i + 4], "little") for i in range(0, len(raw) - 3, 4)]

        def sector(n: int) -> bytes:
            return data[(n + 1) * size : (n + 2) * size]

        difat = [n for n in words(data[0x4C:0x200]) if n < _END_OF_CHAIN]
        following, left = int.from_bytes(data[0x44:0x48], "little"), int.from_bytes(data[0x48:0x4C], "little")
        left = min(left, len(data) // size)  # a lying header cannot make this loop longer than the file
        while left and following < _END_OF_CHAIN:
            entries = words(sector(following))
            difat += [n for n in entries[:-1] if n < _END_OF_CHAIN]
            following, left = entries[-1], left - 1
        fat = [entry for n in difat for entry in words(sector(n))]

        def chain(start: int, table: list[int], read: Callable[[int], bytes]) -> bytes:
            parts: list[bytes] = []
            seen: set[int] = set()
            while start < _END_OF_CHAIN and start < len(table) and start not in seen:
                seen.add(start)
                parts.append(read(start))
                start = table[start]
            return b"".join(parts)

        directory = chain(int.from_bytes(data[0x30:0x34], "little"), fat, sector)
        records = [directory[i : i + 128] for i in range(0, len(directory), 128)]
        names = {
            e[: int.from_bytes(e[0x40:0x42], "little")].decode("utf-16-le", "replace").rstrip("\x00"): e
            for e in records
            if len(e) == 128
        }
        entry = names.get("Workbook")
        if entry is None or "Root Entry" not in names:
            return None
        start, length = int.from_bytes(entry[0x74:0x78], "little"), int.from_bytes(entry[0x78:0x7C], "little")
        if length < cutoff:
            root = names["Root Entry"]
            container = chain(int.from_bytes(root[0x74:0x78], "little"), fat, sector)
            mini_fat = words(chain(int.from_bytes(data[0x3C:0x40], "little"), fat, sector))
            stream = chain(start, mini_fat, lambda n: container[n * mini_size : (n + 1) * mini_size])
        else:
            stream = chain(start, fat, sector)
        stream = stream[:length]
        at = 0
        while at + 4 <= len(stream):
            kind = int.from_bytes(stream[at : at + 2], "little")
            body = stream[at + 4 : at + 4 + int.from_bytes(stream[at + 2 : at + 4], "little")]
            if at == 0 and (kind != 0x0809 or body[:2] != b"\x00\x06"):
                return None  # not a BIFF8 workbook globals substream
            if kind == 0x002F or kind == 0x000A:  # FILEPASS: encrypted from here on; EOF: no WINDOW1
                return None
            if kind == 0x003D and len(body) >= 12:  # WINDOW1
                return int.from_bytes(body[10:12], "little")
            at += 4 + len(body)
    except (OSError, ValueError, IndexError):
        return None
    return None


def _cell(value: object) -> object:
    if isinstance(value, clock):  # a time-only cell: not a date, keep it visible as text
        return value.isoformat()
    return value


def open_book(path: Path, display: str, sheet: str | None) -> Table:
    from python_calamine import CalamineWorkbook

    suffix = path.suffix.lower()
    active = (
        _check_zip(path, display)
        if suffix in (".xlsx", ".xlsm")
        else xls_active_sheet(path)
        if suffix == ".xls"
        else None
    )
    try:
        book = CalamineWorkbook.from_path(str(path))
        metadata = list(book.sheets_metadata)
    except Exception as exc:  # noqa: BLE001 - calamine raises several unrelated types for damaged files
        kind = "an old Excel (.xls)" if suffix == ".xls" else "an Excel"
        raise _refuse(
            display,
            f"expected {kind} workbook, found a damaged or unreadable file "
            f"({type(exc).__name__}: {str(exc)[:160]}); "
            "open it in Excel and save it again",
        ) from None
    names = [m.name for m in metadata]
    visible = [m.name for m in metadata if str(m.visible).rsplit(".", 1)[-1].lower() == "visible"]
    hidden = [n for n in names if n not in visible]
    if sheet is not None:
        if sheet not in names:
            raise PlaybookError(
                [
                    Problem(
                        "--sheet",
                        0,
                        0,
                        "",
                        f"expected a sheet of {display}, found no sheet "
                        f"'{sheet}'{did_you_mean(sheet, names)} "
                        f"(sheets: {', '.join(names)})",
                    )
                ]
            )
        chosen, why = sheet, "chosen with --sheet"
    elif active is not None and 0 <= active < len(names) and names[active] in visible:
        chosen, why = names[active], "the active sheet" if len(names) > 1 else "the only sheet"
    elif len(visible) == 1:
        chosen, why = visible[0], "the only visible sheet" if hidden else "the only sheet"
    else:
        listed = ", ".join(f"{n} (hidden)" if n in hidden else n for n in names) or "none"
        raise _refuse(
            display,
            f"expected one sheet to read, found {len(visible)} visible sheets ({listed}); choose one with --sheet NAME",
        )
    shown = f"{display}[{chosen}]"
    notes = [f"read sheet '{chosen}' ({why})"]
    others = [f"'{n}'" + (" (hidden)" if n in hidden else "") for n in names if n != chosen]
    if others:
        notes.append(f"not read: sheet{'s' if len(others) > 1 else ''} {', '.join(others)} (use --sheet NAME)")

    def rows() -> Iterator[Row]:
        try:
            reader = CalamineWorkbook.from_path(str(path))
            data = reader.get_sheet_by_name(chosen)
            start = data.start[0] if data.start else 0
        except Exception as exc:  # noqa: BLE001
            raise _refuse(
                shown,
                f"expected a readable sheet, found a damaged one ({type(exc).__name__}: "
                f"{str(exc)[:160]}); open the file in Excel and save it again",
            ) from None
        for offset, cells in enumerate(data.iter_rows()):
            yield start + offset + 1, [_cell(c) if c != "" else None for c in cells]

    formulas = (lambda: unsaved_formulas(path, chosen)) if suffix in (".xlsx", ".xlsm") else (lambda: [])
    return Table(shown, rows, notes, formulas)


_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_ATTRIBUTE = re.compile(rb'([\w:]+)="([^"]*)"')
_RELATION = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]")
"""A saved result: a non-empty ``<v>`` (a formula whose result is an empty string is ``t="str"``)."""
MAX_FORMULAS = 50
"""Formula cells without a saved result listed (the first ones; one is enough to stop the run)."""


def unsaved_formulas(path: Path, sheet: str) -> list[tuple[int, str, str]]:
    """Cells of ``sheet`` holding a formula and no saved result (no ``<v>``): what a workbook written by a
    program, never opened in Excel, holds. calamine reads them as empty: they would be read as 0."""
    import html

    try:
        with zipfile.ZipFile(path) as archive:
            book = archive.read("xl/workbook.xml")
            rid = None
            for entry in _SHEET_ENTRY.findall(book):
                attributes = dict(_ATTRIBUTE.findall(entry))
                if html.unescape(attributes.get(b"name", b"").decode("utf-8", "replace")) == sheet:
                    rid = next((v for k, v in attributes.items() if k.endswith(b":id")), None)
            target = None
            for entry in _RELATION.findall(archive.read("xl/_rels/workbook.xml.rels")):
                attributes = dict(_ATTRIBUTE.findall(entry))
                if attributes.get(b"Id") == rid:
                    target = attributes.get(b"Target", b"").decode()
            if target is None:
                return []
            member = target.lstrip("/") if target.startswith("/") else "xl/" + target
            found: list[tuple[int, str, str]] = []
            carry = b""
            with archive.open(member) as part:
                while chunk := part.read(CHUNK * 16):
                    data = carry + chunk
                    end = data.rfind(b"</row>")
                    if end < 0:
                        carry = data
                        continue
                    carry = data[end:]
                    _formulas_in(data[:end], found)
                    if len(found) >= MAX_FORMULAS:
                        return found
            _formulas_in(carry, found)
            return found
    except (KeyError, zipfile.BadZipFile, OSError, zlib.error, EOFError, RuntimeError):
        return []  # open_book has said what is wrong with the file, or calamine will


def _formulas_in(data: bytes, found: list[tuple[int, str, str]]) -> None:
    import html

    if b"<f" not in data and b":f" not in data:
        return
    for attributes, body in _CELL.findall(data):
        if not body or not _FORMULA.search(body) or _VALUE.search(body):
            continue
        named = dict(_ATTRIBUTE.findall(attributes))
        if named.get(b"t") == b"str" and b"<v" in body:
            continue  # saved: an empty text result
        ref = named.get(b"r", b"").decode()
        formula = _FORMULA.search(body)
        text = html.unescape((formula.group(1) or b"").decode("utf-8", "replace")) if formula else ""
        digits = "".join(c for c in ref if c.isdigit())
        found.append((int(digits) if digits else 0, ref, text))
        if len(found) >= MAX_FORMULAS:
            return


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The first bytes of a real old-Excel (BIFF) workbook: an OLE2 compound file."""


def _xls_kind(path: Path, display: str) -> str:
    """``book`` for a real .xls (or an .xlsx misnamed .xls), ``text`` for delimited text saved
    with the .xls extension (SAP GUI's «Spreadsheet» export); an HTML page is refused."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise _refuse(display, f"cannot read file: {exc.strerror}") from None
    if head.startswith(_OLE2) or head.startswith(b"PK\x03\x04") or not head:
        return "book"
    probe = head.replace(b"\x00", b"").lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").lower()
    if probe.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"<meta", b"<head", b"mime-version")):
        raise _refuse(
            display,
            "expected an old Excel (.xls) workbook, found a web page (HTML) saved with the "
            ".xls extension, as some web exports do; open it in Excel and save it as .xlsx",
        )
    if b"\t" in head.replace(b"\x00", b"") or b"," in head:
        return "text"
    return "book"  # calamine says what is wrong with it


def open_table(path: Path, display: str, sheet: str | None = None) -> Table:
    """A CSV, XLSX or XLS file (by extension), checked before reading."""
    check_file(path, display)
    suffix = path.suffix.lower()
    text_xls = suffix == ".xls" and _xls_kind(path, display) == "text"
    if suffix in BOOK_SUFFIXES and not text_xls:
        return open_book(path, display, sheet)
    if suffix in CSV_SUFFIXES or text_xls:
        if sheet is not None:
            raise PlaybookError(
                [
                    Problem(
                        "--sheet",
                        0,
                        0,
                        "",
                        f"expected a workbook (.xlsx, .xls), found a "
                        f"{'text' if text_xls else 'CSV'} file ({display}), "
                        "which has no sheets",
                    )
                ]
            )
        try:
            encoding = detect_encoding(path, display)
        except OSError as exc:
            raise _refuse(display, f"cannot read file: {exc.strerror}") from None
        names = {"utf-8-sig": "UTF-8 with BOM", "utf-8": "UTF-8", "gb18030": "GBK", "utf-16": "UTF-16"}
        note = f"read as {names[encoding]} text"
        if text_xls:
            note = (
                f"a text file named .xls (what SAP's «Local File → Spreadsheet» saves), read as {names[encoding]} text"
            )
        return Table(display, lambda: csv_rows(path, display, encoding), [note])
    raise _refuse(
        display, f"expected a .yaml case file, or a .csv, .xlsx or .xls bulk file, found '{path.suffix or path.name}'"
    )


def open_rows(path: Path, display: str) -> Iterator[Row]:
    """Rows of a CSV or workbook (its active sheet), for callers that need no summary."""
    return open_table(path, display).rows()


os.environ.setdefault("RUST_BACKTRACE", "0")  # calamine errors are reported as messages, never traces
