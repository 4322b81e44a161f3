"""Row sources for bulk files: CSV (UTF-8, UTF-8 with BOM or GBK) and XLSX, streamed.

Each source yields ``(row_number, cells)`` with row numbers as a spreadsheet shows
them (the first row is 1); a CSV record with a quoted line break is still one row.
"""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Iterator
from pathlib import Path

from generator.errors import PlaybookError, Problem

Row = tuple[int, list[object]]
CHUNK = 1 << 16


def detect_encoding(path: Path, display: str) -> str:
    """``utf-8-sig`` (BOM), ``utf-8`` when every byte decodes, else ``gb18030`` (GBK's superset)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
            if head.startswith(codecs.BOM_UTF8):
                return "utf-8-sig"
            if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                raise PlaybookError(
                    [
                        Problem(
                            display,
                            1,
                            0,
                            "(file)",
                            "expected a CSV in UTF-8 or GBK, found UTF-16 text; "
                            "in Excel use «另存为 → CSV UTF-8（逗号分隔）»",
                        )
                    ]
                )
            handle.seek(0)
            decoder = codecs.getincrementaldecoder("utf-8")()
            try:
                for chunk in iter(lambda: handle.read(CHUNK), b""):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                return "gb18030"
    except OSError as exc:
        raise PlaybookError([Problem(display, 0, 0, "", f"cannot read file: {exc.strerror}")]) from None
    return "utf-8"


def csv_rows(path: Path, display: str, encoding: str) -> Iterator[Row]:
    with path.open(encoding=encoding, errors="strict", newline="") as handle:
        row = 0
        try:
            sample = handle.readline()
            handle.seek(0)
            delimiter = max(",;\t", key=sample.count) if sample else ","
            reader = csv.reader(handle, delimiter=delimiter)
            for row, cells in enumerate(reader, start=1):
                yield row, list(cells)
        except UnicodeDecodeError:
            raise PlaybookError(
                [
                    Problem(
                        display,
                        row + 1,
                        0,
                        "(file)",
                        "expected text in UTF-8 or GBK, found bytes that are neither; save the file as «CSV UTF-8»",
                    )
                ]
            ) from None
        except csv.Error as exc:
            raise PlaybookError(
                [
                    Problem(
                        display,
                        row + 1,
                        0,
                        "(file)",
                        f"expected CSV, found a malformed line ({exc})",
                    )
                ]
            ) from None


def xlsx_rows(path: Path, display: str) -> Iterator[Row]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise PlaybookError(
            [
                Problem(
                    display,
                    0,
                    0,
                    "(file)",
                    f"expected an Excel .xlsx workbook, found something else ({exc})",
                )
            ]
        ) from None
    try:
        sheet = book.worksheets[0]
        for row, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield row, list(cells)
    finally:
        book.close()


def open_rows(path: Path, display: str) -> Iterator[Row]:
    """Rows of a CSV or XLSX file (by extension)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return xlsx_rows(path, display)
    if suffix in (".csv", ".txt", ".tsv"):
        return csv_rows(path, display, detect_encoding(path, display))
    if suffix in (".xls", ".et"):
        raise PlaybookError(
            [
                Problem(
                    display,
                    0,
                    0,
                    "(file)",
                    "expected .xlsx or .csv, found an old Excel (.xls) file; save it as .xlsx or CSV",
                )
            ]
        )
    raise PlaybookError(
        [
            Problem(
                display,
                0,
                0,
                "(file)",
                f"expected a .yaml case file, or a .csv or .xlsx bulk file, found '{path.suffix or path.name}'",
            )
        ]
    )
