"""A YAML case file: one debtor and its invoices (schema: ``generator.schema.cases.CaseFile``)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from generator.cases.model import Assignment, Authorization, Case, Delivery, History, Instalment, Invoice, Suspension
from generator.cases.rules import Horizon, already_listed, invoice_problems, over_maximum
from generator.cases.values import customer_key
from generator.errors import PlaybookError, Problem, did_you_mean
from generator.money import format_amount
from generator.schema.base import validate
from generator.schema.cases import CaseFile
from generator.yamlload import Document, load_file


def read_yaml_case(path: Path, display: str, horizon: Horizon | None = None) -> Case:
    doc = load_file(path, display)
    if doc.data is None:
        raise PlaybookError(
            [
                Problem(
                    display,
                    1,
                    1,
                    "(file)",
                    "expected a case (customer, invoices …), found an empty file",
                )
            ]
        )
    parsed, problems = validate(CaseFile, doc)
    if parsed is None:
        raise PlaybookError(problems)
    seen: dict[str, int] = {}
    invoices = []
    for i, entry in enumerate(parsed.invoices):
        line = doc.mark(("invoices", i))[0]
        for name, message in invoice_problems(entry.amount, entry.paid, entry.invoice_date, entry.due_date, horizon):
            problems.append(doc.problem(("invoices", i, name), message))
        if entry.invoice_no in seen:
            problems.append(
                doc.problem(
                    ("invoices", i, "invoice_no"), already_listed(entry.invoice_no, f"line {seen[entry.invoice_no]}")
                )
            )
        seen.setdefault(entry.invoice_no, line)
        invoices.append(
            Invoice(
                entry.invoice_no,
                entry.due_date,
                entry.amount,
                entry.paid,
                entry.invoice_date,
                entry.contract_no,
                line,
            )
        )
    case = Case(
        customer=customer_key(parsed.customer),
        invoices=tuple(invoices),
        contact=parsed.contact,
        address=parsed.address,
        phone=parsed.phone,
        source=f"{display}:{doc.mark(('customer',))[0]}",
        number=1,
        deadline=parsed.deadline,
        plan=tuple(Instalment(p.due_date, p.amount) for p in parsed.plan),
    )
    too_much = over_maximum(case.outstanding)
    if too_much:
        problems.append(doc.problem(("invoices",), too_much))
    if parsed.plan:
        total = sum((p.amount for p in parsed.plan), Decimal("0.00"))
        if total != case.outstanding:
            problems.append(
                doc.problem(
                    ("plan",),
                    f"expected the instalments to add up to the "
                    f"outstanding amount {format_amount(case.outstanding)}, "
                    f"found {format_amount(total)}",
                )
            )
        dates = [p.due_date for p in parsed.plan]
        if dates != sorted(dates):
            problems.append(doc.problem(("plan",), "expected the instalments in date order"))
    if parsed.delivery:
        d = parsed.delivery
        delivery = Delivery(
            d.method,
            d.tracking_no,
            d.sent_date,
            d.recipient,
            d.recipient_phone,
            d.address,
            d.letter or "",
            d.reference,
            d.sender,
            d.note,
        )
        case = _with(case, delivery=delivery)
    if parsed.suspension:
        sus = parsed.suspension
        if sus.basis == "contract-clause" and not sus.clause.strip():
            problems.append(
                doc.problem(
                    ("suspension",),
                    "expected 'clause' (the contract clause that allows "
                    "the suspension, e.g. 《购销合同》第8.2条) with basis "
                    "'contract-clause', found none",
                )
            )
        if sus.basis == "insecurity" and not sus.evidence:
            problems.append(
                doc.problem(
                    ("suspension",),
                    "expected 'evidence' (the proof required by 民法典第527条: "
                    "被执行记录、停产、转移财产 …, one per line) with basis "
                    "'insecurity', found none",
                )
            )
        contracts = _suspension_contracts(sus.contracts, sus.clause, sus.cross_default, case, doc, problems)
        case = _with(
            case,
            suspension=Suspension(
                sus.basis, sus.clause.strip(), tuple(sus.evidence), contracts, sus.cross_default.strip()
            ),
        )
    if parsed.history:
        h = parsed.history
        if h.reminders != sorted(h.reminders):
            problems.append(doc.problem(("history", "reminders"), "expected the reminder dates oldest first"))
        case = _with(case, history=History(tuple(h.reminders), h.final_demand, h.supply_suspended, h.service_suspended))
    if parsed.assignment:
        a = parsed.assignment
        known = [i.invoice_no for i in case.invoices]
        for n, number in enumerate(a.invoices):
            if number not in known:
                problems.append(
                    doc.problem(
                        ("assignment", "invoices", n),
                        f"expected an invoice number of this case ({', '.join(known)}), "
                        f"found '{number}'{did_you_mean(number, known)}",
                    )
                )
        case = _with(
            case,
            assignment=Assignment(
                a.assignee,
                a.date,
                a.agreement,
                a.account_name or a.assignee,
                a.bank_name,
                a.bank_account,
                tuple(dict.fromkeys(a.invoices)),
            ),
        )
    if parsed.authorization:
        case = _with(
            case,
            authorization=Authorization(parsed.authorization.agreement.strip(), parsed.authorization.clause.strip()),
        )
    if problems:
        raise PlaybookError(problems)
    return case


def _suspension_contracts(
    named: list[str], clause: str, cross_default: str, case: Case, doc: Document, problems: list[Problem]
) -> tuple[str, ...]:
    """The contracts a suspension basis belongs to (supply stops under these only).

    Named ones must be the case's; without names, those the clause names; a case with invoices
    under several contracts and a clause naming none must name them (or give a cross-default
    clause): a suspension without scope would stop supply under contracts without a basis."""
    known = case.contracts
    for i, number in enumerate(named):
        if number not in known:
            problems.append(
                doc.problem(
                    ("suspension", "contracts", i),
                    f"expected a contract number of this case's invoices ({', '.join(known) or 'none given'}), "
                    f"found '{number}'{did_you_mean(number, known)}",
                )
            )
    if named:
        return tuple(dict.fromkeys(n for n in named if n in known))
    if cross_default.strip():
        return ()
    in_clause = tuple(n for n in known if n in clause)
    if in_clause or len(known) <= 1:
        return in_clause or known
    problems.append(
        doc.problem(
            ("suspension",),
            f"expected 'contracts' (the contracts whose clause or basis allows the suspension; supply under "
            f"the others continues) because the invoices are under {len(known)} contracts "
            f"({', '.join(known)}) and the clause names none of them, found none; or give 'cross_default' "
            "(the cross-default clause that lets a default under one contract suspend the others)",
        )
    )
    return ()


def _with(case: Case, **changes: object) -> Case:
    from dataclasses import replace

    return replace(case, **changes)  # type: ignore[arg-type]
