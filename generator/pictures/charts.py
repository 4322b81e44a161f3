"""The pictures: the company's penalty ladder as a staircase, the collection workflow as a
flow, and horizontal bar charts (the ladder report's totals).

Each function returns one ``<svg>`` element as text, for inline use in site pages,
printouts and reports (no outside requests, no scripts). Colours come from a
``Palette``; ``font`` is the CSS font stack of the text (the SVG renderer of the PDF
engine does not inherit it from the page).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from generator.money import format_amount
from generator.pictures.svg import Palette, Svg, esc, fit, num, text_width

INHERIT = "inherit"


@dataclass(frozen=True)
class Step:
    """One rung of the staircase."""

    title: str
    days: int | None
    min_amount: Decimal | None
    approver: str
    href: str = ""


def staircase(steps: list[Step], palette: Palette, *, font: str = INHERIT, title: str = "本公司的惩戒阶梯") -> str:
    """Rungs as rising steps: each shows its measure, the days overdue that start it,
    the minimum amount and who approves it."""
    count = max(len(steps), 1)
    step_w, gap, rise, base_h, top = 156.0, 6.0, 34.0, 104.0, 8.0
    width = count * step_w + (count - 1) * gap
    height = top + base_h + rise * (count - 1) + 22
    svg = Svg(width, height, title=title, css_class="pb-picture pb-staircase")
    svg.open("g", style=f"font-family:{font}")
    floor = height - 22
    for i, step in enumerate(steps):
        x = i * (step_w + gap)
        h = base_h + rise * i
        y = floor - h
        if step.href:
            svg.open("a", href=step.href)
        svg.add("rect", x=float(x), y=float(y), width=step_w, height=float(h), rx=4.0, style=f"fill:{palette.fill}")
        inner = step_w - 16
        lines = [
            (fit(step.title, 17, inner), 17, "700"),
            ("逾期 " + (f"≥ {step.days} 天" if step.days is not None else "—"), 13, "400"),
            ("欠款 " + (f"≥ ¥{format_amount(step.min_amount)}" if step.min_amount is not None else "不限"), 13, "400"),
            (fit("审批：" + (step.approver or "—"), 13, inner), 13, "400"),
        ]
        ty = y + 24
        for text, size, weight in lines:
            svg.add(
                "text",
                text,
                x=float(x + 8),
                y=float(ty),
                font_size=size,
                font_weight=weight,
                style=f"fill:{palette.on_fill}",
            )
            ty += size + 8
        if step.href:
            svg.close("a")
        svg.add(
            "text",
            f"第 {i + 1} 级",
            x=float(x + step_w / 2),
            y=float(floor + 16),
            font_size=12,
            text_anchor="middle",
            style=f"fill:{palette.ink}",
        )
    svg.add(
        "line",
        x1=0.0,
        y1=float(floor),
        x2=float(width),
        y2=float(floor),
        stroke_width=1.5,
        style=f"stroke:{palette.line}",
    )
    svg.close("g")
    return svg.render()


@dataclass(frozen=True)
class Box:
    """One stage of a flow."""

    title: str
    note: str = ""
    href: str = ""


def flow(rows: list[list[Box]], palette: Palette, *, font: str = INHERIT, title: str = "回款工作流程") -> str:
    """Stages left to right, one row after the other, joined by arrows; the last row
    (the ladder) is drawn in the theme colour, the rows before it outlined."""
    box_w, box_h, gap_x, gap_y, pad = 138.0, 58.0, 34.0, 40.0, 4.0
    per_row = max((len(r) for r in rows), default=1)
    width = per_row * box_w + (per_row - 1) * gap_x + 2 * pad
    height = len(rows) * box_h + (len(rows) - 1) * gap_y + 2 * pad
    svg = Svg(width, height, title=title, css_class="pb-picture pb-flow")
    svg.open("defs")
    svg.open(
        "marker",
        id="pb-arrow",
        viewBox="0 0 10 10",
        refX=9.0,
        refY=5.0,
        markerWidth=7.0,
        markerHeight=7.0,
        orient="auto-start-reverse",
    )
    svg.add("path", d="M0,0 L10,5 L0,10 z", style=f"fill:{palette.line}")
    svg.close("marker")
    svg.close("defs")
    svg.open("g", style=f"font-family:{font}")
    last_row = len(rows) - 1
    for r, row in enumerate(rows):
        y = pad + r * (box_h + gap_y)
        strong = r == last_row and len(rows) > 1
        for c, box in enumerate(row):
            x = pad + c * (box_w + gap_x)
            if box.href:
                svg.open("a", href=box.href)
            if strong:
                svg.add("rect", x=x, y=y, width=box_w, height=box_h, rx=6.0, style=f"fill:{palette.fill}")
                ink = palette.on_fill
            else:
                svg.add(
                    "rect",
                    x=x,
                    y=y,
                    width=box_w,
                    height=box_h,
                    rx=6.0,
                    stroke_width=2.0,
                    style=f"fill:none;stroke:{palette.fill}",
                )
                ink = palette.ink
            svg.add(
                "text",
                fit(box.title, 16, box_w - 12),
                x=x + box_w / 2,
                y=y + (24 if box.note else 35),
                font_size=16,
                font_weight="700",
                text_anchor="middle",
                style=f"fill:{ink}",
            )
            if box.note:
                svg.add(
                    "text",
                    fit(box.note, 12, box_w - 12),
                    x=x + box_w / 2,
                    y=y + 44,
                    font_size=12,
                    text_anchor="middle",
                    style=f"fill:{ink}",
                )
            if box.href:
                svg.close("a")
            if c + 1 < len(row):
                svg.add(
                    "line",
                    x1=x + box_w + 2,
                    y1=y + box_h / 2,
                    x2=x + box_w + gap_x - 3,
                    y2=y + box_h / 2,
                    stroke_width=2.0,
                    marker_end="url(#pb-arrow)",
                    style=f"stroke:{palette.line}",
                )
        if r < last_row:
            # From the end of this row down to the start of the next one.
            x_end = pad + (len(row) - 1) * (box_w + gap_x) + box_w / 2
            y_mid = y + box_h + gap_y / 2
            svg.add(
                "path",
                d=(
                    f"M{num(x_end)},{num(y + box_h + 2)} V{num(y_mid)} H{num(pad + box_w / 2)} "
                    f"V{num(y + box_h + gap_y - 3)}"
                ),
                stroke_width=2.0,
                marker_end="url(#pb-arrow)",
                style=f"fill:none;stroke:{palette.line}",
            )
    svg.close("g")
    return svg.render()


@dataclass(frozen=True)
class Bar:
    """One bar: a label, the amount it stands for and how many customers."""

    label: str
    amount: Decimal
    customers: int


def bars(title: str, items: list[Bar], palette: Palette, *, font: str = INHERIT) -> str:
    """Horizontal bars of amounts (the longest = the largest), each labelled with the
    amount in 元 and the number of customers."""
    label_w = max([text_width(b.label, 13) for b in items] + [40.0]) + 20
    label_w = min(label_w, 180.0)
    bar_w, row_h, value_w = 300.0, 26.0, 190.0
    width = label_w + bar_w + value_w
    height = 28 + row_h * len(items) + 6
    top = max((b.amount for b in items), default=Decimal(0))
    svg = Svg(width, height, title=title, css_class="pb-picture pb-bars")
    svg.open("g", style=f"font-family:{font}")
    svg.add("text", title, x=0.0, y=17.0, font_size=14, font_weight="700", style=f"fill:{palette.ink}")
    for i, bar in enumerate(items):
        y = 28 + i * row_h
        svg.add(
            "text",
            fit(bar.label, 13, label_w - 12),
            x=label_w - 8,
            y=y + 17,
            font_size=13,
            text_anchor="end",
            style=f"fill:{palette.ink}",
        )
        svg.add("rect", x=label_w, y=y + 4, width=bar_w, height=row_h - 8, style=f"fill:{palette.soft}")
        share = float(bar.amount / top) if top > 0 else 0.0
        if share > 0:
            svg.add(
                "rect",
                x=label_w,
                y=y + 4,
                width=max(bar_w * share, 1.5),
                height=row_h - 8,
                style=f"fill:{palette.fill}",
            )
        svg.add(
            "text",
            f"¥{format_amount(bar.amount)} · {bar.customers} 户",
            x=label_w + bar_w + 8,
            y=y + 17,
            font_size=12,
            style=f"fill:{palette.ink}",
        )
    svg.close("g")
    return svg.render()


__all__ = ["Bar", "Box", "Step", "bars", "esc", "flow", "staircase"]
