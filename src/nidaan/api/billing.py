"""/api/v1/bills and /api/v1/reports: issue a bill from catalogue lines, take payments,
credit notes and cancellations, the printout, the day-end and GSTR-1. Every write is an
action of nidaan.billing.actions; input is checked by the billing pages' forms."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import ConfigDict

from nidaan.accounts.models import User
from nidaan.api.auth import require
from nidaan.api.encounters import FieldErrors
from nidaan.api.errors import FormErrors
from nidaan.api.schemas import Errors, Message
from nidaan.audit.record import Origin
from nidaan.billing import actions, queries, reports
from nidaan.billing.actions import BillingError, LineRequest, Recipient
from nidaan.billing.forms import (
    AdvanceForm,
    CancelForm,
    CreditNoteForm,
    LineForm,
    PaymentForm,
    RecipientForm,
)
from nidaan.billing.models import Bill, CatalogueEntry
from nidaan.billing.pdf import SIZES, pdf_response
from nidaan.billing.presenting import bill_json, money
from nidaan.core.permissions import Perm
from nidaan.patients.models import Patient
from nidaan.printing import LANGUAGES

router = Router(tags=["billing"])


class LineIn(Schema):
    model_config = ConfigDict(extra="forbid")

    entry_id: uuid.UUID
    quantity: Decimal = Decimal(1)
    discount: Decimal = Decimal(0)


class BillIn(Schema):
    """A bill: catalogue lines for a patient; `payer_gstin` for a registered buyer;
    `place_of_supply` (state code) only for goods sent to another state."""

    model_config = ConfigDict(extra="forbid")

    patient_id: uuid.UUID | None = None
    lines: list[LineIn]
    payer_gstin: str = ""
    payer_name: str = ""
    payer_address: str = ""
    place_of_supply: str = ""


class CreditLineIn(Schema):
    model_config = ConfigDict(extra="forbid")

    line_id: uuid.UUID
    quantity: Decimal


class CreditNoteIn(Schema):
    """Credit the named quantities of the bill's lines, or (no `lines`) all that is left.
    `refund_mode` pays back at once what the patient overpaid."""

    model_config = ConfigDict(extra="forbid")

    reason: str
    lines: list[CreditLineIn] = []
    refund_mode: str = ""


class PaymentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    mode: str
    amount: Decimal
    reference: str = ""


class CancelIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str


def _bill(user: User, bill_id: uuid.UUID) -> Bill:
    bill = (
        Bill.objects.filter(pk=bill_id, organisation_id=user.organisation_uuid)
        .select_related("original", "organisation")
        .first()
    )
    if bill is None:
        raise Http404("no such bill")
    return bill


def _refused(error: BillingError) -> FieldErrors:
    return FieldErrors({error.field: [str(error)]})


@router.get("/billing/catalogue", response={200: list[dict[str, Any]], 403: Message})
def catalogue(request: HttpRequest) -> list[dict[str, Any]]:
    """What can be billed, with the GST rate in force today."""
    user = require(request, Perm.BILL_ISSUE)
    today = timezone.localdate()
    rows = []
    for entry in CatalogueEntry.objects.filter(
        organisation_id=user.organisation_uuid, active=True
    ).order_by("kind", "name"):
        rate = queries.rate_on(entry, today)
        rows.append(
            {
                "id": entry.pk,
                "kind": entry.kind,
                "name": entry.name,
                "name_hi": entry.name_hi,
                "sac_hsn": entry.code,
                "unit": entry.unit,
                "taxability": entry.taxability,
                "price": money(entry.price),
                "price_includes_tax": entry.price_includes_tax,
                "rate_today": None if rate is None else f"{rate.rate.normalize():f}",
            }
        )
    return rows


@router.post("/bills", response={201: dict[str, Any], 400: Errors, 403: Message, 404: Message})
def issue_bill(request: HttpRequest, payload: BillIn) -> Status[dict[str, Any]]:
    """Issue the document the rules ask for (receipt, bill of supply, tax invoice or
    invoice-cum-bill of supply), numbered in this node's series, with per-line tax,
    totals, round-off and the amount in words."""
    user = require(request, Perm.BILL_ISSUE)
    patient = None
    if payload.patient_id is not None:
        patient = Patient.objects.filter(
            pk=payload.patient_id, organisation_id=user.organisation_uuid, entered_in_error=False
        ).first()
        if patient is None:
            raise Http404("no such patient")
    recipient_form = RecipientForm(
        payload.model_dump(
            include={"payer_gstin", "payer_name", "payer_address", "place_of_supply"}
        )
    )
    errors: dict[str, list[str]] = {}
    if not recipient_form.is_valid():
        errors.update(FormErrors(recipient_form).errors)
    if not payload.lines:
        errors["lines"] = ["A bill needs at least one line."]
    requests = []
    for i, line in enumerate(payload.lines):
        form = LineForm(
            {"entry": str(line.entry_id), "quantity": line.quantity, "discount": line.discount},
            organisation_id=user.organisation_uuid,
        )
        if not form.is_valid():
            for name, messages in FormErrors(form).errors.items():
                errors[f"lines.{i}.{name}"] = messages
            continue
        requests.append(
            LineRequest(
                entry=form.cleaned_data["entry"],
                quantity=form.cleaned_data["quantity"],
                discount=form.cleaned_data["discount"] or Decimal(0),
            )
        )
    if errors:
        raise FieldErrors(errors)
    data = recipient_form.cleaned_data
    try:
        bill = actions.issue_bill(
            acting_user=user,
            facility=user.home_facility,
            patient=patient,
            lines=requests,
            recipient=Recipient(
                gstin=data["payer_gstin"], name=data["payer_name"], address=data["payer_address"]
            ),
            place_of_supply=data["place_of_supply"],
            origin=Origin.of(request, "api"),
        )
    except BillingError as error:
        raise _refused(error) from error
    return Status(201, bill_json(bill))


@router.get("/bills/{bill_id}", response={200: dict[str, Any], 403: Message, 404: Message})
def get_bill(request: HttpRequest, bill_id: uuid.UUID) -> dict[str, Any]:
    user = require(request, Perm.BILL_ISSUE)
    return bill_json(_bill(user, bill_id))


@router.post(
    "/bills/{bill_id}/payments",
    response={201: dict[str, Any], 400: Errors, 403: Message, 404: Message},
)
def take_payment(
    request: HttpRequest, bill_id: uuid.UUID, payload: PaymentIn
) -> Status[dict[str, Any]]:
    """Cash, UPI, card, other or from the patient's advance; all of what is due or part."""
    user = require(request, Perm.BILL_ISSUE)
    bill = _bill(user, bill_id)
    form = PaymentForm(payload.model_dump())
    if not form.is_valid():
        raise FormErrors(form)
    try:
        actions.record_payment(
            bill,
            mode=form.cleaned_data["mode"],
            amount=form.cleaned_data["amount"],
            reference=form.cleaned_data["reference"],
            acting_user=user,
            origin=Origin.of(request, "api"),
        )
    except BillingError as error:
        raise _refused(error) from error
    return Status(201, bill_json(bill))


@router.post(
    "/bills/{bill_id}/credit-notes",
    response={201: dict[str, Any], 400: Errors, 403: Message, 404: Message},
)
def credit_note(
    request: HttpRequest, bill_id: uuid.UUID, payload: CreditNoteIn
) -> Status[dict[str, Any]]:
    """A credit note against the bill (a refund document for an unregistered clinic's
    receipt); never more than what is left of the bill."""
    user = require(request, Perm.BILL_CORRECT)
    bill = _bill(user, bill_id)
    form = CreditNoteForm(payload.model_dump(include={"reason", "refund_mode"}))
    if not form.is_valid():
        raise FormErrors(form)
    wrong = [i for i, line in enumerate(payload.lines) if line.quantity <= 0]
    if wrong:
        raise FieldErrors({f"lines.{i}.quantity": ["More than zero."] for i in wrong})
    try:
        note = actions.issue_credit_note(
            bill,
            acting_user=user,
            reason=form.cleaned_data["reason"],
            quantities={line.line_id: line.quantity for line in payload.lines} or None,
            refund_mode=form.cleaned_data["refund_mode"],
            origin=Origin.of(request, "api"),
        )
    except BillingError as error:
        raise _refused(error) from error
    return Status(201, bill_json(note))


@router.post(
    "/bills/{bill_id}/refunds",
    response={201: dict[str, Any], 400: Errors, 403: Message, 404: Message},
)
def pay_back(
    request: HttpRequest, bill_id: uuid.UUID, payload: PaymentIn
) -> Status[dict[str, Any]]:
    """Pay back what was overpaid on the bill, against its latest credit note."""
    user = require(request, Perm.BILL_CORRECT)
    bill = _bill(user, bill_id)
    form = AdvanceForm(payload.model_dump())
    if not form.is_valid():
        raise FormErrors(form)
    note = queries.latest_correction(bill)
    if note is None:
        raise FieldErrors({"non_field": ["Nothing was credited on this bill."]})
    try:
        actions.refund(
            note, acting_user=user, origin=Origin.of(request, "api"), **form.cleaned_data
        )
    except BillingError as error:
        raise _refused(error) from error
    return Status(201, bill_json(bill))


@router.post(
    "/bills/{bill_id}/cancel",
    response={200: dict[str, Any], 400: Errors, 403: Message, 404: Message},
)
def cancel(request: HttpRequest, bill_id: uuid.UUID, payload: CancelIn) -> dict[str, Any]:
    """Cancel a document nothing was paid on; the number stays used."""
    user = require(request, Perm.BILL_CORRECT)
    bill = _bill(user, bill_id)
    form = CancelForm(payload.model_dump())
    if not form.is_valid():
        raise FormErrors(form)
    try:
        actions.cancel_document(
            bill,
            acting_user=user,
            reason=form.cleaned_data["reason"],
            origin=Origin.of(request, "api"),
        )
    except BillingError as error:
        raise _refused(error) from error
    return bill_json(_bill(user, bill_id))


@router.get("/reports/gstr1", response={200: dict[str, Any], 400: Errors, 403: Message})
def gstr1(request: HttpRequest, period: str = "") -> dict[str, Any]:
    """The month's GSTR-1 (`period` MMYYYY, this month if not given) in the GST portal's
    JSON keys."""
    user = require(request, Perm.BILLING_REPORTS)
    period = period or f"{timezone.localdate():%m%Y}"
    try:
        reports.parse_period(period)
    except ValueError as error:
        raise FieldErrors({"period": [str(error)]}) from error
    try:
        return reports.gstr1(user.home_facility.organisation, period)
    except reports.NoGstr1 as error:
        raise FieldErrors({"non_field": [str(error)]}) from error


@router.get("/reports/day-end", response={200: dict[str, Any], 403: Message})
def day_end(request: HttpRequest, day: datetime.date | None = None) -> dict[str, Any]:
    """The day's money by mode and by user at the caller's branch, and the documents."""
    user = require(request, Perm.BILLING_REPORTS)
    report = reports.day_end(user.home_facility, day or timezone.localdate())
    return {
        "day": report.day,
        "by_mode": {mode: money(amount) for mode, amount in report.by_mode.items()},
        "net": money(report.net),
        "users": [
            {
                "user_id": c.user.pk,
                "name": c.user.get_full_name(),
                "by_mode": {mode: money(amount) for mode, amount in c.by_mode.items()},
                "refunds": money(c.refunds),
                "net": money(c.net),
                "expected_cash": money(c.expected_cash),
                "counted_cash": None if c.count is None else money(c.count.counted),
            }
            for c in report.cashiers
        ],
        "documents": {
            kind: {"count": count, "total": money(total)}
            for kind, (count, total) in report.documents.items()
        },
        "cancelled": [bill.number for bill in report.cancelled],
    }


@router.get(
    "/bills/{bill_id}/pdf",
    response={200: None, 400: Errors, 403: Message, 404: Message},
)
def bill_pdf(
    request: HttpRequest, bill_id: uuid.UUID, size: str = "A4", lang: str = "both"
) -> HttpResponse:
    """The printout: `size` A4, A5 or 80mm (thermal roll); `lang` en, hi or both."""
    user = require(request, Perm.BILL_ISSUE)
    bill = _bill(user, bill_id)
    errors = {}
    if size not in SIZES:
        errors["size"] = [f"choose one of {', '.join(SIZES)}"]
    if lang not in LANGUAGES:
        errors["lang"] = ["choose en, hi or both"]
    if errors:
        raise FieldErrors(errors)
    return pdf_response(bill, size, lang, acting_user=user, origin=Origin.of(request, "api"))


class AdvanceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    mode: str
    amount: Decimal
    reference: str = ""


def _patient(user: User, patient_id: uuid.UUID) -> Patient:
    patient = Patient.objects.filter(
        pk=patient_id, organisation_id=user.organisation_uuid, entered_in_error=False
    ).first()
    if patient is None:
        raise Http404("no such patient")
    return patient


def _account(patient: Patient) -> dict[str, Any]:
    bills = queries.patient_bills(patient.pk)
    return {
        "patient_id": patient.pk,
        "dues": money(queries.patient_dues(patient.pk)),
        "advance": money(queries.advance_balance(patient.pk)),
        "bills": [
            {
                "id": bill.pk,
                "type": bill.doc_type,
                "number": bill.number,
                "date": bill.issued_on,
                "total": money(bill.total),
                "status": "cancelled" if queries.is_cancelled(bill) else "issued",
                "balance": None if bill.is_correction else money(queries.balance(bill)),
            }
            for bill in bills
        ],
    }


@router.get(
    "/patients/{patient_id}/account",
    response={200: dict[str, Any], 403: Message, 404: Message},
)
def account(request: HttpRequest, patient_id: uuid.UUID) -> dict[str, Any]:
    """The patient's dues, advance and bills."""
    user = require(request, Perm.BILL_ISSUE)
    return _account(_patient(user, patient_id))


@router.post(
    "/patients/{patient_id}/advances",
    response={201: dict[str, Any], 400: Errors, 403: Message, 404: Message},
)
def take_advance(
    request: HttpRequest, patient_id: uuid.UUID, payload: AdvanceIn
) -> Status[dict[str, Any]]:
    """An advance deposit, used later to pay bills (payment mode `advance`)."""
    user = require(request, Perm.BILL_ISSUE)
    patient = _patient(user, patient_id)
    form = AdvanceForm(payload.model_dump())
    if not form.is_valid():
        raise FormErrors(form)
    try:
        actions.record_advance(
            patient,
            facility=user.home_facility,
            acting_user=user,
            origin=Origin.of(request, "api"),
            **form.cleaned_data,
        )
    except BillingError as error:
        raise _refused(error) from error
    return Status(201, _account(patient))


@router.post(
    "/patients/{patient_id}/advance-refunds",
    response={201: dict[str, Any], 400: Errors, 403: Message, 404: Message},
)
def refund_advance(
    request: HttpRequest, patient_id: uuid.UUID, payload: AdvanceIn
) -> Status[dict[str, Any]]:
    """Pay back (part of) the patient's advance."""
    user = require(request, Perm.BILL_ISSUE)
    patient = _patient(user, patient_id)
    form = AdvanceForm(payload.model_dump())
    if not form.is_valid():
        raise FormErrors(form)
    try:
        actions.refund(
            None,
            patient=patient,
            facility=user.home_facility,
            acting_user=user,
            origin=Origin.of(request, "api"),
            **form.cleaned_data,
        )
    except BillingError as error:
        raise _refused(error) from error
    return Status(201, _account(patient))
