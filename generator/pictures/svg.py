"""A very small SVG writer: elements with escaped text, colours from a palette.

Every picture the project draws (``generator.pictures.charts``) is built with this, so
text is always escaped (names come from customers' data and companies' YAML) and the
output is deterministic: attributes in the order given, numbers rounded to 0.1.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from generator.project import Project


@dataclass(frozen=True)
class Palette:
    """The colours of a picture as CSS values.

    ``fill`` is the theme colour (bars, steps, boxes), ``on_fill`` the text drawn on it,
    ``ink`` ordinary text, ``line`` rules and arrows, ``soft`` a light tint for backgrounds.
    On the site these are Material's CSS variables, so a company's palette (mkdocs.yml or
    ``site_config/extra.css``) recolours the pictures; printouts and reports get literal
    colours from the same mkdocs.yml setting (``theme_palette``).
    """

    fill: str
    on_fill: str
    ink: str = "#222"
    line: str = "#777"
    soft: str = "#eef0f7"


MATERIAL_PRIMARY: dict[str, tuple[str, str]] = {
    "red": ("#ef5350", "#fff"),
    "pink": ("#e92063", "#fff"),
    "purple": ("#ab47bd", "#fff"),
    "deep-purple": ("#7e56c2", "#fff"),
    "indigo": ("#4051b5", "#fff"),
    "blue": ("#2094f3", "#fff"),
    "light-blue": ("#02a6f2", "#fff"),
    "cyan": ("#00bdd6", "#fff"),
    "teal": ("#009485", "#fff"),
    "green": ("#4cae4f", "#fff"),
    "light-green": ("#8bc34b", "#000"),
    "lime": ("#cbdc38", "#000"),
    "yellow": ("#ffec3d", "#000"),
    "amber": ("#ffc105", "#000"),
    "orange": ("#ffa724", "#000"),
    "deep-orange": ("#ff6e42", "#fff"),
    "brown": ("#795649", "#fff"),
    "grey": ("#757575", "#fff"),
    "blue-grey": ("#546d78", "#fff"),
    "black": ("#000000", "#fff"),
    "white": ("#ffffff", "#000"),
}
"""Material for MkDocs' primary colours (``--md-primary-fg-color`` / ``--md-primary-bg-color``)."""

SITE = Palette(
    fill="var(--md-primary-fg-color, #4051b5)",
    on_fill="var(--md-primary-bg-color, #fff)",
    ink="var(--md-default-fg-color, #222)",
    line="var(--md-default-fg-color--light, #777)",
    soft="var(--md-default-fg-color--lightest, #eef0f7)",
)
"""Pictures inside site pages: they follow the page's theme (and its dark mode)."""


def theme_palette(project: Project) -> Palette:
    """Literal colours for printouts and reports: the primary colour mkdocs.yml names."""
    name = _primary_name(project.mkdocs_yml)
    fill, on_fill = MATERIAL_PRIMARY.get(name, MATERIAL_PRIMARY["indigo"])
    return Palette(fill=fill, on_fill=on_fill)


def _primary_name(mkdocs_yml: Path) -> str:
    try:
        text = mkdocs_yml.read_text("utf-8")
    except OSError:
        return "indigo"
    match = re.search(r"^\s+primary:\s*['\"]?([A-Za-z -]+?)['\"]?\s*(?:#.*)?$", text, re.M)
    return match.group(1).strip().lower().replace(" ", "-") if match else "indigo"


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def num(value: float) -> str:
    """A coordinate: at most one decimal, no trailing zeros (deterministic text)."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def text_width(text: str, size: float) -> float:
    """Width of a line of text: CJK and full-width characters 1 em, others about 0.6 em."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else size * 0.62 for c in text)


def fit(text: str, size: float, width: float) -> str:
    """``text`` cut with «…» so that it fits ``width``."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


class Svg:
    """An SVG document built element by element."""

    def __init__(self, width: float, height: float, *, title: str, css_class: str) -> None:
        self.width = width
        self.height = height
        self.title = title
        self.css_class = css_class
        self.parts: list[str] = []

    def add(self, tag: str, text: str | None = None, **attrs: object) -> None:
        """One element; ``attrs`` names use ``_`` for ``-`` (``font_size`` → ``font-size``)."""
        rendered = "".join(
            f' {name.rstrip("_").replace("_", "-")}="{num(v) if isinstance(v, float) else esc(v)}"'
            for name, v in attrs.items()
            if v is not None
        )
        if text is None:
            self.parts.append(f"<{tag}{rendered}/>")
        else:
            self.parts.append(f"<{tag}{rendered}>{esc(text)}</{tag}>")

    def open(self, tag: str, **attrs: object) -> None:
        self.add(tag, None, **attrs)
        self.parts[-1] = self.parts[-1][:-2] + ">"

    def close(self, tag: str) -> None:
        self.parts.append(f"</{tag}>")

    def render(self) -> str:
        """The SVG as one line (so Markdown keeps it a single HTML block)."""
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="{esc(self.css_class)}" role="img" '
            f'viewBox="0 0 {num(self.width)} {num(self.height)}" width="{num(self.width)}" '
            f'height="{num(self.height)}" aria-label="{esc(self.title)}">'
            f"<title>{esc(self.title)}</title>"
        )
        return head + "".join(self.parts) + "</svg>"
