"""函号: reference numbers from ``reference_pattern`` in ``site_config/company.yaml``."""

from __future__ import annotations

import string
from datetime import date

from generator.errors import PlaybookError, Problem, did_you_mean
from generator.project import Project
from generator.schema.site import Company
from generator.yamlload import load_file

FIELDS = ("short_name", "year", "month", "day", "seq", "template", "customer_no")


def reference(company: Company, *, on: date, seq: int, template: str, customer_no: int) -> str:
    return company.reference_pattern.format(
        short_name=company.short_name,
        year=on.year,
        month=on.month,
        day=on.day,
        seq=seq,
        template=template,
        customer_no=customer_no,
    )


def check_pattern(project: Project, company: Company) -> None:
    """Fail early, located in company.yaml, on an unknown field or a malformed pattern."""
    pattern = company.reference_pattern
    message = ""
    try:
        for _text, name, _spec, _conv in string.Formatter().parse(pattern):
            if name is not None and name not in FIELDS:
                message = f"unknown field '{{{name}}}'{did_you_mean(name, FIELDS)}; fields: {', '.join(FIELDS)}"
                break
        if not message:
            reference(company, on=date(2026, 1, 1), seq=1, template="reminder-1", customer_no=1)
    except (ValueError, IndexError, KeyError) as exc:
        example = "{short_name}催字〔{year}〕第{seq:04d}号"
        message = f"expected a pattern like «{example}», found an error: {exc}"
    if message:
        path = project.site_config_dir / "company.yaml"
        display = project.display(path)
        line, col = load_file(path, display).mark(("reference_pattern",))
        raise PlaybookError([Problem(display, line, col, "reference_pattern", message)])
