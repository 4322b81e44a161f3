"""Case data for letters and the ladder: who owes what, since when.

Usage (any command)::

    from generator.cases import open_cases, read_cases

    for case in read_cases(Path("overdue.csv"), project):   # raises PlaybookError first
        case.customer, case.outstanding, case.oldest_unpaid_due, case.latest_due, case.invoices

Inputs: a YAML case file (one debtor, ``generator.schema.cases.CaseFile``) or a bulk
CSV/XLSX file with one row per invoice (columns ``customer, contact, address,
contract_no, invoice_no, invoice_date, due_date, amount, paid`` or their Chinese
names, or a company's own names from ``site_config/columns.yaml``). CSV may be
UTF-8, UTF-8 with BOM or GBK. The whole file is checked before the first case is
returned; every problem is reported as ``FILE:ROW: column: what is wrong``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.cases import bulk
from generator.cases.bulk import Horizon
from generator.cases.columns import Columns, load_columns
from generator.cases.model import Case, Delivery, Instalment, Invoice
from generator.cases.tabular import open_rows
from generator.cases.yamlcase import read_yaml_case
from generator.errors import PlaybookError, Problem
from generator.project import Project

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class CaseSource:
    """A checked case file: how many customers it holds; iterate it for the cases."""

    path: Path
    display: str
    customers: int
    rows: int
    _columns: Columns | None = None
    _contiguous: bool = True
    _single: Case | None = None

    def __iter__(self) -> Iterator[Case]:
        if self._single is not None:
            yield self._single
            return
        assert self._columns is not None
        yield from bulk.cases(open_rows(self.path, self.display), self._columns, self.display, self._contiguous)


def open_cases(path: Path, project: Project, display: str | None = None,
               horizon: Horizon | None = None) -> CaseSource:
    """Check the whole file (raising PlaybookError with every problem) and return its source.
    With ``horizon``, invoices dated after that day are reported (they cannot exist yet)."""
    shown = display or project.display(path)
    if not path.is_file():
        what = "a folder" if path.is_dir() else "nothing"
        raise PlaybookError([Problem(shown, 0, 0, "", f"expected a case file (.yaml, .csv or .xlsx), found {what}")])
    if path.suffix.lower() in YAML_SUFFIXES:
        case = read_yaml_case(path, shown, horizon)
        return CaseSource(path, shown, 1, len(case.invoices), _single=case)
    columns = load_columns(project)
    summary = bulk.check(open_rows(path, shown), columns, shown, horizon)
    if summary.problems:
        raise PlaybookError(summary.problems)
    return CaseSource(path, shown, summary.customers, summary.rows, columns, summary.contiguous)


def read_cases(path: Path, project: Project) -> Iterator[Case]:
    """Every case in ``path``, after checking the whole file (PlaybookError lists all problems)."""
    return iter(open_cases(path, project))


__all__ = ["Case", "CaseSource", "Horizon", "Delivery", "Instalment", "Invoice", "open_cases", "read_cases"]
