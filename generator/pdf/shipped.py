"""The shipped CJK font (Playbook Sans SC): where its files are and how CSS and Typst name it.

Its own module so that the Typst and WeasyPrint sides both read it without importing each other.
"""

from __future__ import annotations

from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"
"""Where the shipped font files and their licence live."""

FONT_FAMILY = "Playbook Sans SC"
"""CSS family name of the shipped font (use it in ``font-family``)."""

FONT_FILES: dict[int, str] = {400: "PlaybookSansSC-Regular.otf", 700: "PlaybookSansSC-Bold.otf"}
"""CSS weight → file name in ``FONT_DIR``."""

__all__ = ["FONT_DIR", "FONT_FAMILY", "FONT_FILES"]
