"""Cut a PDF of several documents (one Typst compile of a batch) into one PDF per document.

Typst lays out a batch of letters in a third of the time it needs for the same letters one
compile each (what it learnt about the shared wording is reused within a compile, and the
per-compile work is paid once), but a letter must be a file of its own. The layout restarts
the page numbers at each document (``each-document`` in ``templates/pdf/_tree.typ``), so the
PDF's page labels say where each one starts; qpdf (pikepdf) copies those pages into a new
file without re-encoding anything.

Each file keeps the batch's font subset (the glyphs of all its letters: a few KB more than a
letter alone) and gets its own title and author; its ``/ID`` is a hash of its content, so the
same batch gives the same bytes. The XMP metadata stream is not copied (it would describe the
batch); the document information dictionary carries the same fields.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pikepdf


@dataclass(frozen=True)
class Part:
    """What a document's own file says about it."""

    title: str
    author: str


def document_starts(pdf: pikepdf.Pdf) -> list[int]:
    """Indexes of the pages whose label restarts at 1 (the first page of each document)."""
    labels = pdf.Root.get("/PageLabels")
    if labels is None or "/Nums" not in labels:
        return [0]
    nums = labels.Nums
    starts = []
    for i in range(0, len(nums), 2):
        style = nums[i + 1]
        if int(style.get("/St", 1)) == 1:
            starts.append(int(nums[i]))
    return starts


def split_documents(data: bytes, parts: Sequence[Part]) -> list[bytes] | None:
    """One PDF per part, in order; None when the page labels do not show exactly
    ``len(parts)`` documents (a layout that does not restart its page numbers: the caller
    then typesets each document on its own, never guessing where one ends)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as batch:
        starts = document_starts(batch)
        if len(starts) != len(parts) or starts[0] != 0:
            return None
        ends = [*starts[1:], len(batch.pages)]
        info = batch.docinfo
        shared = {key: info[key] for key in ("/Creator", "/CreationDate", "/ModDate") if key in info}
        lang = batch.Root.get("/Lang")
        out = []
        for part, start, end in zip(parts, starts, ends, strict=True):
            one = pikepdf.new()
            for index in range(start, end):
                one.pages.append(batch.pages[index])
            for key, value in shared.items():
                one.docinfo[key] = value
            one.docinfo["/Title"] = pikepdf.String(part.title)
            one.docinfo["/Author"] = pikepdf.String(part.author)
            if lang is not None:
                one.Root.Lang = pikepdf.String(str(lang))
            buffer = io.BytesIO()
            one.save(buffer, deterministic_id=True, min_version=batch.pdf_version)
            out.append(buffer.getvalue())
        return out
