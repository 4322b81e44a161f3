"""The PDF engine shared by printouts and letters: HTML (+ CSS) → PDF bytes.

* WeasyPrint lays out the HTML; ``@page`` rules and margin boxes come from the
  caller's CSS.
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

if TYPE_CHECKING:
    from weasyprint.text.fonts import FontConfiguration

FONT_DIR = Path(__file__).resolve().parent / "fonts"
"""Where the shipped font files and their licence live."""

FONT_FAMILY = "Playbook Sans SC"
"""CSS family name of the shipped font (use it in ``font-family``)."""

FONT_FILES: dict[int, str] = {400: "PlaybookSansSC-Regular.otf", 700: "PlaybookSansSC-Bold.otf"}
"""CSS weight → file name in ``FONT_DIR``."""

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


def missing_glyphs(text: str) -> set[str]:
    """Characters of ``text`` that the shipped font cannot draw (control characters aside)."""
    codes = _cmap()
    return {c for c in text if ord(c) not in codes and c not in _IGNORED and ord(c) >= 0x20}


def pdf_date() -> datetime:
    """The date written into every PDF: ``SOURCE_DATE_EPOCH`` or ``DEFAULT_EPOCH``."""
    epoch = source_date_epoch()
    return datetime.fromtimestamp(DEFAULT_EPOCH if epoch is None else epoch, tz=UTC)


def engine_version() -> str:
    """What besides the input decides the output bytes (part of cache keys)."""
    import pydyf
    import weasyprint

    date = pdf_date().isoformat()
    return f"weasyprint {weasyprint.__version__}; pydyf {pydyf.__version__}; date {date}"


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Render ``html`` to PDF bytes; the same input gives the same bytes.

    ``base_url`` resolves relative URLs (images, stylesheets); the HTML should
    include ``font_face_css()`` (directly or through its stylesheet) to get the
    shipped Chinese font.
    """
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
    "html_to_pdf",
    "missing_glyphs",
    "pdf_date",
]
