"""Typst as the PDF engine: a document tree (generator/pdf/tree.py) + a layout → PDF bytes.

* The layout is a Typst file: ``templates/letters/letter.typ`` for letters and
  ``templates/print/print.typ`` for printouts (a company's copy under
  ``site_config/overrides/`` comes first), with ``templates/pdf/_tree.typ`` put in front.
* Data goes in as JSON through ``sys.inputs`` only; the layout never contains data.
* Only the shipped font is visible to Typst (no system fonts, not Typst's own), so the
  output is the same on every machine; the PDF date is ``SOURCE_DATE_EPOCH`` or
  ``DEFAULT_EPOCH``: the same input gives the same bytes.
* One compiler per process, kept for the process's life (fonts are loaded once; Typst
  remembers what did not change between documents).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from generator.errors import PlaybookError, Problem
from generator.pdf.tree import Node, find, html_tree, measure_tables, take, text_of

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
"""The shipped templates (a project's own ``templates/`` is used when it has the file)."""
PRELUDE = "pdf/_tree.typ"
LAYOUTS = {"letter": "letters/letter.typ", "print": "print/print.typ"}
"""Layout family → template path (relative to a templates folder)."""


@dataclass(frozen=True)
class Document:
    """What Typst needs for one PDF: the layout family, the tree and the page furniture."""

    layout: str
    tree: Node
    meta: dict[str, Any]


def layout_of(html: str) -> str | None:
    """Which Typst layout typesets this HTML: "letter", "print", or None (not ours: WeasyPrint)."""
    if '<article class="letter letter-' in html:
        return "letter"
    if '<body class="kind-' in html:
        return "print"
    return None


def document(html: str, layout: str, *, root: Path | None = None) -> Document:
    """The tree and page furniture of ``html`` (``root``: the project, where a logo may be)."""
    tree = html_tree(html)
    meta: dict[str, Any] = {"title": _title(html), "author": "", "logo": ""}
    if layout == "print":
        for cls in ("page-header", "page-footer"):
            part = take(tree, cls)
            meta[cls] = part if part is not None else {"t": "div", "c": [], "k": []}
        author = _meta_content(html, "author")
        meta["author"] = author
        logo = find(meta["page-header"], lambda n: n["t"] == "img")
        meta["logo"] = _inside(root, logo["a"].get("src", "") if logo and "a" in logo else "")
        meta["kind"] = next((c.removeprefix("kind-") for c in tree["c"] if c.startswith("kind-")), "")
    else:
        company = find(tree, lambda n: "company" in n["c"])
        meta["author"] = text_of(company).strip() if company is not None else ""
    measure_tables(tree)
    return Document(layout, tree, meta)


def _inside(root: Path | None, url: str) -> str:
    """A file URL as Typst's root-relative path ("" when it is outside the project)."""
    if not url.startswith("file://") or root is None:
        return ""
    from urllib.parse import unquote, urlparse

    path = Path(unquote(urlparse(url).path))
    try:
        return "/" + path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return ""


def _title(html: str) -> str:
    start = html.find("<title>")
    end = html.find("</title>", start)
    if start < 0 or end < 0:
        return ""
    import html as html_lib
    import re

    # The PDF title is plain text: a blank letter's «客户名称» line (``<span class="fill">``)
    # is markup, not part of the name, and a title ending on its separator loses it.
    text = html_lib.unescape(re.sub(r"<[^>]*>", "", html[start + 7 : end]))
    return text.strip().rstrip("·").strip(" \u3000")


def _meta_content(html: str, name: str) -> str:
    import html as html_lib
    import re

    found = re.search(rf'<meta name="{name}" content="([^"]*)"', html[:4000])
    return html_lib.unescape(found.group(1)) if found else ""


def layout_files(root: Path | None, layout: str) -> list[Path]:
    """The Typst sources of a layout, the company's copies first (what a cache key covers)."""
    return [_find(root, name) for name in (PRELUDE, LAYOUTS[layout])]


def _find(root: Path | None, name: str) -> Path:
    if root is not None:
        for folder in (root / "site_config" / "overrides", root / "templates"):
            if (folder / name).is_file():
                return folder / name
    return TEMPLATES / name


@cache
def _source(paths: tuple[Path, ...], stamps: tuple[int, ...]) -> bytes:
    return b"\n".join(path.read_bytes() for path in paths)


def layout_source(root: Path | None, layout: str) -> bytes:
    paths = tuple(layout_files(root, layout))
    return _source(paths, tuple(p.stat().st_mtime_ns for p in paths))


@cache
def _compiler(root: str) -> Any:
    import typst

    from generator.pdf.shipped import FONT_DIR

    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(FONT_DIR)])
    return typst.Compiler(root=root, font_paths=fonts, ignore_system_fonts=True)


def typeset(doc: Document, *, root: Path | None, epoch: int, fmt: str = "pdf") -> bytes:
    """PDF (or PNG/SVG of the first page) of ``doc``; a Typst error in a layout is a problem
    naming the layout file, never a traceback."""
    import typst

    compiler = _compiler(str(root or TEMPLATES.parent))
    inputs = {
        "tree": json.dumps(doc.tree, ensure_ascii=False, separators=(",", ":")),
        "meta": json.dumps(doc.meta, ensure_ascii=False, separators=(",", ":")),
    }
    try:
        out = compiler.compile(
            input=layout_source(root, doc.layout), format=fmt, sys_inputs=inputs, timestamp=epoch, pdf_tags=False
        )
    except typst.TypstError as exc:
        where = layout_files(root, doc.layout)[-1]
        raise PlaybookError([Problem(str(where), 0, 0, "typst", f"the layout failed: {exc.message}")]) from None
    if isinstance(out, list):
        return out[0]
    assert isinstance(out, bytes)
    return out


BATCH_ENTRY = b"#each-document("
"""A layout typesets batches when it hands its documents to ``each-document`` (the prelude's):
a company's copy of an older layout does not, and gets one compile per document."""


def batches(root: Path | None, layout: str) -> bool:
    """Whether ``layout`` (a company's copy included) can typeset several documents at once."""
    return BATCH_ENTRY in layout_source(root, layout)


def unbatched_note(root: Path | None, layout: str) -> str | None:
    """What to tell a company whose copy of ``layout`` cannot typeset batches (it is correct,
    only about three times slower in bulk), or None."""
    if batches(root, layout):
        return None
    where = layout_files(root, layout)[-1]
    shown = where.relative_to(root).as_posix() if root is not None and where.is_relative_to(root) else str(where)
    name = LAYOUTS[layout].removesuffix(".typ")
    return (
        f"note: {shown} typesets one document per Typst compile (it has no "
        f"`{BATCH_ENTRY.decode()}…)`), about three times slower in bulk than upstream's layout; "
        f"see `playbook override --diff {name}.typ` for the change to merge"
    )


def typeset_many(docs: list[Document], *, root: Path | None, epoch: int) -> list[bytes]:
    """The PDF of each of ``docs`` (one layout family), in order: one Typst compile for all
    of them, cut into one file per document (``generator/pdf/split.py``) when the layout can,
    else one compile each. The bytes of a document depend on the batch it was typeset in
    (the font subset is the batch's); the same batch gives the same bytes."""
    if len(docs) < 2 or not batches(root, docs[0].layout):
        return [typeset(doc, root=root, epoch=epoch) for doc in docs]
    from generator.pdf.split import Part, split_documents

    batch = Document(docs[0].layout, {"t": "batch", "c": [], "k": [doc.tree for doc in docs]}, docs[0].meta)
    parts = [Part(str(doc.meta.get("title", "")), str(doc.meta.get("author", ""))) for doc in docs]
    data = typeset(batch, root=root, epoch=epoch)
    _forget(root)
    split = split_documents(data, parts)
    if split is None:  # the layout did not restart its page numbers per document: never guess
        return [typeset(doc, root=root, epoch=epoch) for doc in docs]
    return split


KEPT_FOR = 10
"""typst-py keeps what a compile worked out for the next 10 compiles (``comemo::evict(10)``)."""


def _forget(root: Path | None) -> None:
    """Drop what Typst keeps from the last compile: after a batch that is about 120 MB per
    worker and buys nothing (the next batch has other letters; what repeats inside a batch
    is reused within its own compile). Each empty compile ages the cache by one; together
    they cost about a twentieth of the batch."""
    compiler = _compiler(str(root or TEMPLATES.parent))
    for _ in range(KEPT_FOR):
        compiler.compile(input=b"", format="svg")


def engine_version() -> str:
    import importlib.metadata

    return f"typst {importlib.metadata.version('typst')}"
