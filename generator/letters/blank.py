"""Blank letters for reps without the CLI: each letter with lines where the case data goes,
to print and fill in by hand (PDF) or to type into (DOCX).

The same templates as filled letters; the case-specific values are ``Blank`` objects
that render as a line to write on (``<span class="fill">``, which the DOCX writer also
draws), and the filters of the letter environment let them through unchanged. The
company's own details (name, bank account, contact, seal position) stay filled in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jinja2
from markupsafe import Markup

from generator.letters import context as ctx
from generator.letters.render import letter_context, letter_env, render_html
from generator.project import Project
from generator.session import Session

BLANK_ROWS = 4
"""Empty rows of the invoice table and of the instalment plan."""


class Blank:
    """A value to be written by hand: renders as a line (``wide`` for names, sums in words)."""

    def __init__(self, wide: bool = False, *, text: str = "") -> None:
        self.wide = wide
        self.text = text

    def __html__(self) -> str:
        if self.text:
            return self.text
        return f'<span class="fill{" wide" if self.wide else ""}">　</span>'

    def __str__(self) -> str:
        return self.__html__()

    def __bool__(self) -> bool:  # «if value» in templates: show the line, not a fallback
        return True


DATE = Blank(
    text='<span class="fill date">　</span>年<span class="fill short">　</span>月<span class="fill short">　</span>日'
)
"""A date to write in: underlined year, month and day."""

BLANK_HISTORY: dict[str, dict[str, Any]] = {
    "reminder-2": {"reminders": [DATE], "summary": ""},
    "final-demand": {"summary": Markup(f"我司已于{DATE}向贵司书面催告，贵司至今仍未支付。")},
    "stop-supply": {"summary": Markup(f"我司已于{DATE}向贵司发出最后催告函，贵司至今仍未支付。")},
    "stop-service": {"summary": Markup(f"我司已于{DATE}向贵司发出最后催告函，贵司至今仍未支付。")},
    "terminate-authorization": {"summary": Markup(f"我司已于{DATE}向贵司发出最后催告函，贵司至今仍未支付。")},
}
"""The earlier steps a blank letter refers to, as lines to fill in (never the sample case's dates):
a second reminder names the first one, a final demand the reminders, and a measure the final demand
the company's ladder requires before it. Other letters claim no earlier step."""

CELL = Blank(text="　")
"""A table cell to write in (the cell's border is the line)."""

CELL_DATE = Blank(text="　　　年　　月　　日")
"""A date in a table cell (the cell is the field: no underline)."""


def _pass_blanks(filter_: Callable[..., Any]) -> Callable[..., Any]:
    def wrapped(value: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(value, Blank):
            return value
        return filter_(value, *args, **kwargs)

    return wrapped


def blank_env(project: Project) -> jinja2.Environment:
    env = letter_env(project)
    for name in ("money", "rmb", "cn_date"):
        env.filters[name] = _pass_blanks(env.filters[name])
    return env


def _blank_row(no: int) -> dict[str, Any]:
    return {
        "no": no,
        "invoice_no": CELL,
        "contract_no": CELL,
        "invoice_date": CELL_DATE,
        "due_date": CELL_DATE,
        "amount": CELL,
        "paid": CELL,
        "outstanding": CELL,
        "days_overdue": CELL,
        "amount_in_words": CELL,
    }


def blank_context(session: Session, env: jinja2.Environment, letter_id: str, fmt: str) -> dict[str, Any]:
    """A letter's context with every case-specific value left blank."""
    request = ctx.Request(template=letter_id, fmt=fmt, letter_date=ctx.SAMPLE_DATE)
    context = letter_context(session, env, ctx.sample_case(), request, seq=1, reference="")
    rows = [_blank_row(n) for n in range(1, BLANK_ROWS + 1)]
    context["letter"] = {**context["letter"], "reference": Blank(wide=True), "date": DATE, "deadline": DATE}
    context["debtor"] = {"name": Blank(wide=True), "contact": Blank(), "address": Blank(wide=True), "phone": Blank()}
    context.update(
        {
            "invoices": rows,
            "all_invoices": rows,
            "contracts": [],
            "total": Blank(),
            "total_in_words": Blank(wide=True),
            "total_amount": Blank(),
            "total_paid": Blank(),
            "oldest_due": DATE,
            "latest_due": DATE,
            "days_overdue": Blank(),
            "plan": rows,
            "sent_letter": None,
            "delivery": {key: "" for key in context["delivery"]} | {"sent_date": None},
            # No sample contract, clause, earlier letter or assignment: lines to fill in.
            "suspension": {
                **context["suspension"],
                "basis": "contract-clause",
                "clause": Blank(wide=True),
                "evidence": [],
                "contracts": [Blank(wide=True)],
                "orders": False,
                "every_contract": False,
                "cross_default": "",
                "continuing": [],
                "total": Blank(),
                "total_in_words": Blank(wide=True),
            },
            "history": {
                "reminders": [],
                "final_demand": None,
                "supply_suspended": None,
                "service_suspended": None,
                "summary": "",
                **BLANK_HISTORY.get(letter_id, {}),
            },
        }
    )
    if context.get("assignment") is not None:
        context["assignment"] = {
            "assignee": Blank(wide=True),
            "date": DATE,
            "agreement": Blank(wide=True),
            "account_name": Blank(wide=True),
            "bank_name": Blank(wide=True),
            "bank_account": Blank(wide=True),
            # the whole debt written in by hand; a partial assignment needs the case's schedule
            "every_invoice": True,
            "invoices": rows,
            "others": [],
            "total": Blank(),
            "total_in_words": Blank(wide=True),
        }
    return context


def blank_html(session: Session, letter_id: str, fmt: str = "pdf") -> str:
    project = session.project
    env = blank_env(project)
    context = blank_context(session, env, letter_id, fmt)
    if fmt == "pdf":
        from generator.pdf import font_face_css

        context["font_css"] = Markup(font_face_css())
    return render_html(project, env, letter_id, context)


def blank_docx(session: Session, letter_id: str) -> bytes:
    from generator.letters.docx import html_to_docx

    title = session.letters.title(letter_id)
    return html_to_docx(blank_html(session, letter_id, "docx"), title=f"{title}（空白）")
