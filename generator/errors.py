"""User-facing problems and the error that carries them.

Every message a user can cause is reported as one line:
``path:line:col: where: what was expected, what was found`` (English, see docs/architecture.md «Error messages»).
A run collects *all* problems before it stops, so one run shows everything to fix.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the user's input, located as precisely as we can."""

    path: str
    line: int = 0
    col: int = 0
    where: str = ""
    message: str = ""

    def __str__(self) -> str:
        loc = self.path
        if self.line:
            loc += f":{self.line}"
            if self.col:
                loc += f":{self.col}"
        parts = [part for part in (loc, self.where, self.message) if part]
        return ": ".join(parts)


class PlaybookError(Exception):
    """Raised with every problem found; the CLI prints them and exits 1."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems), key=_sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(Exception):
    """Wrong command-line use (exit code 2)."""


def _sort_key(p: Problem) -> tuple[str, int, int, str, str]:
    return (p.path, p.line, p.col, p.where, p.message)


@dataclass
class Collector:
    """Gathers problems across a whole run; ``raise_if_any`` ends it cleanly."""

    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def warn(self, problem: Problem) -> None:
        self.warnings.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise PlaybookError(self.problems)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``; did you mean 'x'?`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def valid_choices(choices: Iterable[str], limit: int = 12) -> str:
    items = sorted(choices)
    shown = ", ".join(items[:limit])
    more = f", … ({len(items) - limit} more)" if len(items) > limit else ""
    return f"valid: {shown}{more}"


def describe(value: object) -> str:
    """Name a YAML value's kind the way a user reads it: 'a list', 'the number 3'."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"the number {value}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "…"
        return f"the text '{shown}'" if value else "an empty text"
    from datetime import date
    from decimal import Decimal

    if isinstance(value, Decimal):
        return f"the number {value}"
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    return f"a {type(value).__name__}"


ANSI_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
"""A terminal escape sequence (CSI such as colours or clear-screen, OSC such as a window title)."""


def printable(text: str) -> str:
    """``text`` safe to echo on a terminal: ANSI escape sequences and control or format characters
    (C0, DEL, C1, zero-width, bidi overrides) shown as ``\\x1b[31m``, ``\\u200b`` … instead of acting."""

    if text.isprintable():  # the usual name: no control, format, surrogate, private or unassigned character
        return text

    def escape(char: str) -> str:
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    def sequence(match: re.Match[str]) -> str:
        return "".join(escape(c) if unicodedata.category(c)[0] == "C" else c for c in match.group(0))

    shown = ANSI_ESCAPE.sub(sequence, text)
    return "".join(
        escape(c) if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") and c != "\\" else c for c in shown
    )
