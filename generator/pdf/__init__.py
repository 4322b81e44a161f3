"""The PDF engine shared by printouts and letters: HTML → PDF bytes.

* Letters and printouts are typeset by Typst (``generator/pdf/typeset.py``): their HTML
  template stays the one source of the wording, a Typst layout file decides the look.
  Any other HTML, or a family whose CSS a company overrides (``letters/_style.css.j2``,
  ``print/print.css``), goes through WeasyPrint with that CSS, as before.
* Chinese never depends on the machine's fonts: ``font_face_css()`` loads the
  shipped subset of Noto Sans CJK SC (``fonts/``, SIL OFL 1.1, see ``fonts/OFL.txt``)
  by file URL, so rendering works even with an empty fontconfig.
* Output is reproducible: the same HTML gives byte-identical PDFs. The creation and
  modification dates are fixed (``SOURCE_DATE_EPOCH`` when set, else
  ``DEFAULT_EPOCH``) and no random file identifier is written.
* ``missing_glyphs(text)`` names the characters the shipped font lacks, so callers
  warn about them instead of printing blank boxes.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from generator.dates import source_date_epoch
from generator.pdf.shipped import FONT_DIR as FONT_DIR
from generator.pdf.shipped import FONT_FAMILY as FONT_FAMILY
from generator.pdf.shipped import FONT_FILES as FONT_FILES

if TYPE_CHECKING:
    from weasyprint.text.fonts import FontConfiguration


DEFAULT_EPOCH = 1767225600
"""2026-01-01T00:00:00Z: the PDF date when ``SOURCE_DATE_EPOCH`` is not set."""

_IGNORED = {"\n", "\r", "\t", "\u00ad", "\u200b", "\u200c", "\u200d", "\ufeff"}


def font_files() -> list[Path]:
    """The shipped font files (what a cache key must cover)."""
    return [FONT_DIR / name for name in FONT_FILES.values()]


def font_face_css() -> str:
    """``@font-face`` rules loading the shipped font by absolute file URL."""
    rules = []
    for weight, name in FONT_FILES.items():
        url = (FONT_DIR / name).as_uri()
        rules.append(
            f'@font-face {{ font-family: "{FONT_FAMILY}"; font-style: normal; '
            f'font-weight: {weight}; src: url("{url}") format("opentype"); }}'
        )
    return "\n".join(rules) + "\n"


@cache
def _cmap() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    font = TTFont(str(FONT_DIR / FONT_FILES[400]), lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


@cache
def _not_missing() -> dict[int, None]:
    """A ``str.translate`` table that deletes every character :func:`missing_glyphs` does not report:
    those the font draws, control characters and :data:`_IGNORED` (a bulk run checks each customer's
    name and address: deleted in C, not tested one by one)."""
    return dict.fromkeys(_cmap()) | dict.fromkeys(range(0x20)) | dict.fromkeys(map(ord, _IGNORED))


def missing_glyphs(text: str) -> set[str]:
    """Characters of ``text`` that the shipped font cannot draw (control characters aside)."""
    return set(text.translate(_not_missing()))


def pdf_date() -> datetime:
    """The date written into every PDF: ``SOURCE_DATE_EPOCH`` or ``DEFAULT_EPOCH``."""
    epoch = source_date_epoch()
    return datetime.fromtimestamp(DEFAULT_EPOCH if epoch is None else epoch, tz=UTC)


def engine_version(html: str = "", base_url: str | None = None) -> str:
    """What besides the input decides the output bytes (part of cache keys): the engine
    that will typeset ``html`` and, for Typst, the layout files it reads."""
    from generator.pdf import typeset

    date = pdf_date().isoformat()
    root = _root(base_url)
    layout = engine_for(html, root)
    if layout is not None:
        import hashlib

        digest = hashlib.sha256(typeset.layout_source(root, layout)).hexdigest()[:16]
        return f"{typeset.engine_version()}; layout {layout} {digest}; date {date}"
    import pydyf
    import weasyprint

    return f"weasyprint {weasyprint.__version__}; pydyf {pydyf.__version__}; date {date}"


CSS_OVERRIDES = {"letter": "letters/_style.css.j2", "print": "print/print.css"}
"""A company that restyles a family in CSS keeps WeasyPrint for it (its CSS is its layout)."""


def engine_for(html: str, root: Path | None) -> str | None:
    """The Typst layout for ``html`` ("letter" / "print"), or None for WeasyPrint."""
    from generator.pdf.typeset import layout_of

    layout = layout_of(html)
    if layout is None or not typst_family(root, layout):
        return None
    return layout


def typst_family(root: Path | None, layout: str) -> bool:
    """Whether the ``layout`` family goes through Typst (no company CSS restyles it)."""
    return root is None or not (root / "site_config" / "overrides" / CSS_OVERRIDES[layout]).is_file()


def unbatched_note(root: Path | None, layout: str) -> str | None:
    """A note for a company whose copy of a Typst layout cannot typeset batches, or None."""
    if not typst_family(root, layout):
        return None
    from generator.pdf import typeset

    return typeset.unbatched_note(root, layout)


def _root(base_url: str | None) -> Path | None:
    if not base_url:
        return None
    if base_url.startswith("file://"):
        from urllib.parse import unquote, urlparse

        return Path(unquote(urlparse(base_url).path))
    return Path(base_url)


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Render ``html`` to PDF bytes; the same input gives the same bytes.

    ``base_url`` is the project root (path or file URL): it resolves relative URLs and
    locates a company's layout overrides. Letters and printouts go through Typst; other
    HTML through WeasyPrint, which needs ``font_face_css()`` in the HTML for the shipped font.
    """
    root = _root(base_url)
    layout = engine_for(html, root)
    if layout is not None:
        from generator.pdf import typeset

        epoch = int(pdf_date().timestamp())
        return typeset.typeset(typeset.document(html, layout, root=root), root=root, epoch=epoch)
    return weasyprint_pdf(html, base_url=base_url)


def htmls_to_pdfs(htmls: list[str], *, base_url: str | None = None) -> list[bytes]:
    """``html_to_pdf`` of each of ``htmls``, in order, faster: documents of the same Typst
    layout are typeset in one compile and cut apart (``typeset.typeset_many``)."""
    from generator.pdf import typeset

    root = _root(base_url)
    epoch = int(pdf_date().timestamp())
    out: list[bytes] = []
    group: list[typeset.Document] = []
    for html in htmls:
        layout = engine_for(html, root)
        if group and layout != group[0].layout:
            out.extend(typeset.typeset_many(group, root=root, epoch=epoch))
            group = []
        if layout is None:
            out.append(weasyprint_pdf(html, base_url=base_url))
        else:
            group.append(typeset.document(html, layout, root=root))
    if group:
        out.extend(typeset.typeset_many(group, root=root, epoch=epoch))
    return out


def weasyprint_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """WeasyPrint's PDF of ``html`` (the engine of documents Typst does not typeset)."""
    from weasyprint import HTML

    # fontTools reports every glyph it drops while WeasyPrint subsets the font; only that
    # noise is silenced. WeasyPrint's own warnings (bad CSS, missing images) stay visible.
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = HTML(string=html, base_url=base_url).render(font_config=_font_configuration())
    stamp = pdf_date().strftime("%Y-%m-%dT%H:%M:%SZ")
    document.metadata.created = stamp
    document.metadata.modified = stamp
    # No /ID: WeasyPrint would serialize and compress the whole file a second time to hash
    # it, and without one the bytes are just as reproducible.
    return document.write_pdf()


@cache
def _font_configuration() -> FontConfiguration:
    """One per process: loading the @font-face fonts anew for every document costs time
    and native memory that is never given back (bulk letters render thousands)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


__all__ = [
    "FONT_DIR",
    "FONT_FAMILY",
    "engine_version",
    "font_face_css",
    "font_files",
    "engine_for",
    "html_to_pdf",
    "htmls_to_pdfs",
    "typst_family",
    "unbatched_note",
    "missing_glyphs",
    "pdf_date",
    "weasyprint_pdf",
]
