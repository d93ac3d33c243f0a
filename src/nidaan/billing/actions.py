"""Billing writes: the GST profile, the catalogue and its rates, issuing bills and credit
notes, cancelling, payments, advances, refunds and the day-end cash count.

Each is one transaction writing its rows through the change log and an audit event.
A document is priced, numbered and inserted in the same transaction, so a failure at
any point leaves neither the document nor a used number behind.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nidaan.accounts.models import User
from nidaan.audit.models import AuditAction
from nidaan.audit.record import CLI, Origin, record
from nidaan.billing import calculations, numbering, queries, reports
from nidaan.billing.calculations import LineAmounts, LineInput, TaxError
from nidaan.billing.gstin import validate_gstin
from nidaan.billing.models import (
    CORRECTIONS,
    Bill,
    BillCancellation,
    BillLine,
    CashCount,
    CatalogueEntry,
    DocumentType,
    GstProfile,
    Payment,
    PaymentKind,
    PaymentMode,
    Taxability,
    TaxRate,
)
from nidaan.billing.money import ZERO, paise, rupees
from nidaan.clinics.models import Facility, Organisation
from nidaan.core import changelog, node
from nidaan.patients.models import Patient


class BillingError(ValueError):
    """A billing step refused, with the reason a receptionist can act on."""

    def __init__(self, message: str, field: str = "non_field") -> None:
        super().__init__(message)
        self.field = field


# CGST Rule 46(e): an unregistered recipient's name, address and state from this value.
UNREGISTERED_DETAILS_FROM = Decimal(50000)
COMPOSITION_WORDING = "composition taxable person, not eligible to collect tax on supplies"


def _same_org(acting_user: User, *rows: Any) -> None:
    for row in rows:
        if row is not None and row.organisation_id != acting_user.organisation_id:
            raise PermissionError("another organisation's record")


# --- settings: GST profile and catalogue ---------------------------------------------


@transaction.atomic
def set_gst_profile(
    organisation: Organisation, values: dict[str, Any], *, acting_user: User | None
) -> GstProfile:
    """Create or change the clinic's GST profile (GSTIN checked when registered)."""
    if values.get("registered"):
        values = {**values, "gstin": validate_gstin(values.get("gstin", ""))}
        values.setdefault("state", values["gstin"][:2])
        if values["gstin"][:2] != values["state"]:
            raise BillingError(_("The GSTIN's state code is not the clinic's state."), "gstin")
    else:
        values = {**values, "gstin": "", "composition": False}
    profile = GstProfile.objects.filter(organisation=organisation).first()
    if profile is None:
        profile = GstProfile(organisation=organisation, **values)
        changelog.insert(profile, acting_user=acting_user)
        record(AuditAction.CREATE, actor=acting_user, target=profile)
        return profile
    changed = changelog.changed_fields(profile, values)
    if changed:
        changelog.update(profile, changed, acting_user=acting_user)
        record(AuditAction.UPDATE, actor=acting_user, target=profile, detail={"fields": changed})
    return profile


@transaction.atomic
def add_catalogue_entry(
    organisation: Organisation,
    values: dict[str, Any],
    *,
    rates: Sequence[tuple[Decimal, datetime.date]] = (),
    acting_user: User | None,
) -> CatalogueEntry:
    """A new service, item or package, with its GST rate history for taxable ones."""
    entry = CatalogueEntry(organisation=organisation, **values)
    if entry.taxability == Taxability.TAXABLE and not rates:
        raise BillingError(_("Enter the GST rate of a taxable entry and the date it applies from."))
    changelog.insert(entry, acting_user=acting_user)
    record(AuditAction.CREATE, actor=acting_user, target=entry)
    for rate, effective_from in rates:
        add_tax_rate(entry, rate, effective_from, acting_user=acting_user)
    return entry


@transaction.atomic
def change_catalogue_entry(
    entry: CatalogueEntry, values: dict[str, Any], *, acting_user: User
) -> CatalogueEntry:
    """A new price or taking an entry out of use; bills already issued keep theirs."""
    _same_org(acting_user, entry)
    changed = changelog.changed_fields(entry, values)
    if changed:
        changelog.update(entry, changed, acting_user=acting_user)
        record(AuditAction.UPDATE, actor=acting_user, target=entry, detail={"fields": changed})
    return entry


@transaction.atomic
def add_tax_rate(
    entry: CatalogueEntry, rate: Decimal, effective_from: datetime.date, *, acting_user: User | None
) -> TaxRate:
    """A rate from a date on (a GST rate change is a new row; old bills keep theirs)."""
    if not Decimal(0) <= rate <= Decimal(40):
        raise BillingError(_("A GST rate is between 0 and 40 per cent."), "rate")
    row = TaxRate(
        organisation_id=entry.organisation_id,
        entry=entry,
        rate=rate,
        effective_from=effective_from,
        recorded_by=acting_user,
    )
    changelog.insert(row, acting_user=acting_user)
    record(AuditAction.CREATE, actor=acting_user, target=row, detail={"rate": str(rate)})
    return row


# --- issuing documents ----------------------------------------------------------------


@dataclass(frozen=True)
class LineRequest:
    entry: CatalogueEntry
    quantity: Decimal = Decimal(1)
    discount: Decimal = ZERO
    unit_price: Decimal | None = None  # the catalogue price unless given


@dataclass
class Recipient:
    gstin: str = ""
    name: str = ""
    address: str = ""
    state: str = ""


@dataclass
class _Priced:
    entry: CatalogueEntry | None
    original_line: BillLine | None
    line: LineInput
    amounts: LineAmounts
    description: str
    description_hi: str
    code: str
    is_service: bool
    unit: str
    extra: dict[str, Any] = field(default_factory=dict)


def document_type_for(profile: GstProfile, taxabilities: set[str], b2b: bool) -> str:
    """Which document the law asks for (CGST Rules 46, 46A, 49)."""
    if not profile.registered:
        return DocumentType.RECEIPT
    if profile.composition:
        return DocumentType.BILL_OF_SUPPLY
    taxable = Taxability.TAXABLE in taxabilities
    untaxed = bool(taxabilities - {Taxability.TAXABLE})
    if taxable and untaxed:
        if b2b:
            # Rule 46A allows the combined document only for an unregistered recipient.
            raise BillingError(
                _(
                    "A registered buyer gets a tax invoice and a bill of supply: bill the "
                    "taxable and the exempt items separately."
                )
            )
        return DocumentType.INVOICE_CUM_BILL
    return DocumentType.TAX_INVOICE if taxable else DocumentType.BILL_OF_SUPPLY


def _address_of(patient: Patient) -> str:
    parts = [patient.address_line, patient.locality, patient.district, patient.pin]
    return ", ".join(part for part in parts if part)


def _supplier(profile: GstProfile, facility: Facility) -> dict[str, Any]:
    address = ", ".join(
        part for part in (facility.address_line, facility.city, facility.pin) if part
    )
    return {
        "supplier_name": profile.legal_name or facility.organisation.name,
        "supplier_trade_name": profile.trade_name,
        "supplier_address": address,
        "supplier_state": profile.state or facility.state,
        "supplier_gstin": profile.gstin if profile.registered else "",
        "composition": profile.registered and profile.composition,
    }


def _insert_document(
    *,
    acting_user: User,
    facility: Facility,
    doc_type: str,
    issued_on: datetime.date,
    header: dict[str, Any],
    priced: list[_Priced],
    round_off: bool,
    cap: Decimal | None = None,
    exact: Decimal | None = None,
    origin: Origin,
) -> Bill:
    result = calculations.totals(((p.line, p.amounts) for p in priced), round_off=round_off)
    adjustment = result.round_off
    before = result.total - result.round_off
    if exact is not None:
        adjustment = exact - before
    elif cap is not None and before + adjustment > cap:
        adjustment = cap - before
    number = numbering.allocate(facility.organisation_id, doc_type, issued_on)
    bill = Bill(
        organisation_id=facility.organisation_id,
        facility=facility,
        node_id=number.node_id,
        doc_type=doc_type,
        series=number.series,
        serial=number.serial,
        number=number.number,
        financial_year=number.financial_year,
        issued_on=issued_on,
        issued_at=timezone.now(),
        issued_by=acting_user,
        gross=result.gross,
        discount=result.discount,
        taxable_value=result.taxable_value,
        exempt_value=result.exempt_value,
        nil_value=result.nil_value,
        cgst=result.cgst,
        sgst=result.sgst,
        igst=result.igst,
        round_off=adjustment,
        total=before + adjustment,
        **header,
    )
    changelog.insert(bill, acting_user=acting_user)
    for position, p in enumerate(priced, start=1):
        row = BillLine(
            organisation_id=bill.organisation_id,
            bill=bill,
            position=position,
            entry=p.entry,
            original_line=p.original_line,
            description=p.description,
            description_hi=p.description_hi,
            code=p.code,
            is_service=p.is_service,
            unit=p.unit,
            quantity=p.line.quantity,
            unit_price=p.line.unit_price,
            price_includes_tax=p.line.price_includes_tax,
            taxability=p.line.taxability,
            rate=p.line.rate,
            gross=p.amounts.gross,
            discount=p.amounts.discount,
            value=p.amounts.value,
            cgst=p.amounts.cgst,
            sgst=p.amounts.sgst,
            igst=p.amounts.igst,
            total=p.amounts.total,
        )
        changelog.insert(row, acting_user=acting_user)
    record(
        AuditAction.CREATE,
        actor=acting_user,
        target=bill,
        patient_id=bill.patient_id,
        origin=origin,
        detail={"number": bill.number, "type": doc_type, "total": str(bill.total)},
    )
    return bill


@transaction.atomic
def issue_bill(
    *,
    acting_user: User,
    facility: Facility,
    patient: Patient | None,
    lines: Sequence[LineRequest],
    recipient: Recipient | None = None,
    place_of_supply: str = "",
    issued_on: datetime.date | None = None,
    origin: Origin = CLI,
) -> Bill:
    """Price the lines at the rates in force on the bill's date, choose the document the
    rules ask for, number it and issue it."""
    _same_org(acting_user, facility, patient)
    if not lines:
        raise BillingError(_("A bill needs at least one line."), "lines")
    day = issued_on or timezone.localdate()
    profile = queries.gst_profile(facility.organisation)
    recipient = recipient or Recipient()
    gstin = ""
    if recipient.gstin.strip():
        try:
            gstin = validate_gstin(recipient.gstin)
        except ValueError as error:
            raise BillingError(str(error), "payer_gstin") from error
    supplier = _supplier(profile, facility)
    home = supplier["supplier_state"]
    has_services = any(request.entry.is_service for request in lines)
    pos = place_of_supply or home
    if pos != home and has_services:
        # IGST Act s.12(4): health and cosmetic services are supplied where performed.
        raise BillingError(
            _(
                "Services at the clinic are supplied in the clinic's state: bill goods sent "
                "to another state on their own."
            ),
            "place_of_supply",
        )
    inter_state = pos != home
    priced: list[_Priced] = []
    for request in lines:
        entry = request.entry
        _same_org(acting_user, entry)
        if not entry.active:
            raise BillingError(
                _("%(name)s is no longer in the catalogue.") % {"name": entry.name}, "lines"
            )
        rate: Decimal | None = None
        if profile.charges_tax and entry.taxability == Taxability.TAXABLE:
            found = queries.rate_on(entry, day)
            if found is None:
                raise BillingError(
                    _("%(name)s has no GST rate in force on %(day)s.")
                    % {"name": entry.name, "day": f"{day:%d-%m-%Y}"},
                    "lines",
                )
            rate = found.rate
        line = LineInput(
            quantity=request.quantity,
            unit_price=entry.price if request.unit_price is None else request.unit_price,
            discount=request.discount,
            taxability=entry.taxability,
            rate=rate,
            price_includes_tax=entry.price_includes_tax,
        )
        try:
            amounts = calculations.line_amounts(line, inter_state=inter_state)
        except TaxError as error:
            raise BillingError(f"{entry.name}: {error}", "lines") from error
        priced.append(
            _Priced(
                entry=entry,
                original_line=None,
                line=line,
                amounts=amounts,
                description=entry.name,
                description_hi=entry.name_hi,
                code=entry.code,
                is_service=entry.is_service,
                unit="NA" if entry.is_service else entry.unit,
            )
        )
    doc_type = document_type_for(profile, {p.line.taxability for p in priced}, bool(gstin))
    header = {
        "patient": patient,
        "recipient_name": recipient.name or (patient.name if patient else ""),
        "recipient_address": recipient.address or (_address_of(patient) if patient else ""),
        "recipient_state": (gstin[:2] if gstin else recipient.state)
        or (patient.state if patient else ""),
        "recipient_gstin": gstin,
        "place_of_supply": pos,
        **supplier,
    }
    value = sum((p.amounts.total for p in priced), ZERO)
    if (
        doc_type in (DocumentType.TAX_INVOICE, DocumentType.INVOICE_CUM_BILL)
        and not gstin
        and value >= UNREGISTERED_DETAILS_FROM
        and not (header["recipient_name"] and header["recipient_address"])
    ):
        # Rule 46(e): above this value an unregistered recipient's name and address
        # (and state) must be on the invoice.
        raise BillingError(
            _("A tax invoice of %(value)s or more needs the buyer's name and address.")
            % {"value": rupees(UNREGISTERED_DETAILS_FROM)},
            "payer_address",
        )
    return _insert_document(
        acting_user=acting_user,
        facility=facility,
        doc_type=doc_type,
        issued_on=day,
        header=header,
        priced=priced,
        round_off=profile.round_off,
        origin=origin,
    )


def credit_note_deadline(original: Bill) -> datetime.date:
    """CGST Act s.34(2): by 30 November after the end of the original's financial year."""
    _, last = numbering.financial_year(original.issued_on)
    return datetime.date(last, 11, 30)


def _amounts_of(line: BillLine) -> LineAmounts:
    return LineAmounts(line.gross, line.discount, line.value, line.cgst, line.sgst, line.igst)


def _credited_so_far(line: BillLine) -> tuple[Decimal, LineAmounts]:
    rows = list(BillLine.objects.filter(original_line=line, bill__cancellation__isnull=True))
    quantity = sum((r.quantity for r in rows), Decimal(0))
    done = LineAmounts(
        *(
            sum((getattr(r, name) for r in rows), ZERO)
            for name in ("gross", "discount", "value", "cgst", "sgst", "igst")
        )
    )
    return quantity, done


@transaction.atomic
def issue_credit_note(
    original: Bill,
    *,
    acting_user: User,
    reason: str,
    quantities: dict[uuid.UUID, Decimal] | None = None,
    refund_mode: str = "",
    issued_on: datetime.date | None = None,
    origin: Origin = CLI,
) -> Bill:
    """A credit note (Rule 53) against `original`: the named quantities of its lines, or
    all that is left of it. With `refund_mode`, what the patient overpaid is paid back
    at once. An unregistered clinic's receipt is corrected by a refund document."""
    _same_org(acting_user, original)
    if not reason.strip():
        raise BillingError(_("Say why the credit note is issued."), "reason")
    if original.is_correction:
        raise BillingError(_("A credit note corrects a bill, not another credit note."))
    if queries.is_cancelled(original):
        raise BillingError(_("The bill is cancelled: there is nothing to credit."))
    day = issued_on or timezone.localdate()
    if day < original.issued_on:
        raise BillingError(_("A credit note cannot be dated before its bill."))
    if original.doc_type != DocumentType.RECEIPT and day > credit_note_deadline(original):
        raise BillingError(
            _("The time for a credit note on %(number)s ended on %(day)s (CGST Act s.34).")
            % {"number": original.number, "day": f"{credit_note_deadline(original):%d-%m-%Y}"}
        )
    # Under the write lock, so two credit notes at once cannot both take the last of it.
    node.serialise_writes()
    original_lines = list(original.lines.all())
    wanted = quantities or {}
    unknown = set(wanted) - {line.pk for line in original_lines}
    if unknown:
        raise BillingError(_("Those lines are not on the bill."), "lines")
    priced: list[_Priced] = []
    exhausted = True
    for line in original_lines:
        done_quantity, done = _credited_so_far(line)
        left = line.quantity - done_quantity
        quantity = wanted.get(line.pk, left if not wanted else Decimal(0))
        if quantity > left:
            raise BillingError(
                _("%(name)s: only %(left)s left to credit.")
                % {"name": line.description, "left": f"{left.normalize():f}"},
                "lines",
            )
        if quantity < left:
            exhausted = False
        if quantity <= 0:
            continue
        amounts = calculations.credit_share(
            _amounts_of(line), line.quantity, done, done_quantity, quantity
        )
        priced.append(
            _Priced(
                entry=line.entry,
                original_line=line,
                line=LineInput(
                    quantity=quantity,
                    unit_price=line.unit_price,
                    discount=amounts.discount,
                    taxability=line.taxability,
                    rate=line.rate,
                    price_includes_tax=line.price_includes_tax,
                ),
                amounts=amounts,
                description=line.description,
                description_hi=line.description_hi,
                code=line.code,
                is_service=line.is_service,
                unit=line.unit,
            )
        )
    if not priced:
        raise BillingError(_("Nothing is left of this bill to credit."), "lines")
    already = queries.credited(original)
    header = {
        name: getattr(original, name)
        for name in (
            "patient",
            "recipient_name",
            "recipient_address",
            "recipient_state",
            "recipient_gstin",
            "place_of_supply",
            "supplier_name",
            "supplier_trade_name",
            "supplier_address",
            "supplier_state",
            "supplier_gstin",
            "composition",
        )
    }
    header.update({"original": original, "reason": reason.strip()})
    doc_type = (
        DocumentType.REFUND
        if original.doc_type == DocumentType.RECEIPT
        else DocumentType.CREDIT_NOTE
    )
    # The last credit note takes exactly what is left, the original's round-off
    # included; no earlier one may take more than is left.
    note = _insert_document(
        acting_user=acting_user,
        facility=original.facility,
        doc_type=doc_type,
        issued_on=day,
        header=header,
        priced=priced,
        round_off=False,
        cap=original.total - already,
        exact=original.total - already if exhausted else None,
        origin=origin,
    )
    if refund_mode:
        overpaid = -queries.balance(original)
        if overpaid > 0:
            refund(
                note,
                mode=refund_mode,
                amount=min(overpaid, note.total),
                acting_user=acting_user,
                origin=origin,
            )
    return note


@transaction.atomic
def cancel_document(bill: Bill, *, acting_user: User, reason: str, origin: Origin = CLI) -> None:
    """Cancel an issued document; its number stays used and is reported as cancelled."""
    _same_org(acting_user, bill)
    if not reason.strip():
        raise BillingError(_("Say why the document is cancelled."), "reason")
    node.serialise_writes()
    if queries.is_cancelled(bill):
        raise BillingError(_("%(number)s is already cancelled.") % {"number": bill.number})
    if Payment.objects.filter(bill=bill).exists():
        raise BillingError(
            _("Money was taken or paid against %(number)s: issue a credit note instead.")
            % {"number": bill.number}
        )
    if not bill.is_correction and queries.live_corrections(bill):
        raise BillingError(
            _("%(number)s has credit notes: it cannot be cancelled.") % {"number": bill.number}
        )
    row = BillCancellation(
        organisation_id=bill.organisation_id,
        bill=bill,
        reason=reason.strip(),
        cancelled_by=acting_user,
    )
    changelog.insert(row, acting_user=acting_user)
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        target=bill,
        patient_id=bill.patient_id,
        origin=origin,
        detail={"cancelled": bill.number, "reason": row.reason},
    )


# --- payments -------------------------------------------------------------------------


def _payment(
    *,
    acting_user: User,
    facility: Facility,
    patient_id: Any,
    bill: Bill | None,
    kind: str,
    mode: str,
    amount: Decimal,
    reference: str,
    origin: Origin,
) -> Payment:
    if mode not in PaymentMode.values:
        raise BillingError(_("Choose cash, UPI, card or other."), "mode")
    amount = paise(amount)
    if amount <= 0:
        raise BillingError(_("The amount must be more than zero."), "amount")
    now = timezone.now()
    row = Payment(
        organisation_id=facility.organisation_id,
        facility=facility,
        patient_id=patient_id,
        bill=bill,
        kind=kind,
        mode=mode,
        amount=amount,
        reference=reference.strip()[:100],
        day=timezone.localdate(now),
        received_by=acting_user,
        received_at=now,
    )
    changelog.insert(row, acting_user=acting_user)
    record(
        AuditAction.CREATE,
        actor=acting_user,
        target=row,
        patient_id=patient_id,
        origin=origin,
        detail={"kind": kind, "mode": mode, "amount": str(amount)},
    )
    return row


@transaction.atomic
def record_payment(
    bill: Bill,
    *,
    mode: str,
    amount: Decimal,
    acting_user: User,
    reference: str = "",
    origin: Origin = CLI,
) -> Payment:
    """Money received against a bill: all of what it owes or part of it."""
    _same_org(acting_user, bill)
    node.serialise_writes()
    if bill.is_correction:
        raise BillingError(_("Payments are taken against bills, not credit notes."))
    if queries.is_cancelled(bill):
        raise BillingError(_("%(number)s is cancelled.") % {"number": bill.number})
    due = queries.balance(bill)
    if paise(amount) > due:
        raise BillingError(
            _("Only %(due)s is due on %(number)s: take the rest as an advance.")
            % {"due": rupees(max(due, ZERO)), "number": bill.number},
            "amount",
        )
    if mode == PaymentMode.ADVANCE and bill.patient_id is not None:
        if paise(amount) > queries.advance_balance(bill.patient_id):
            raise BillingError(_("The patient's advance is smaller than that."), "amount")
    elif mode == PaymentMode.ADVANCE:
        raise BillingError(_("This bill names no patient with an advance."), "mode")
    return _payment(
        acting_user=acting_user,
        facility=bill.facility,
        patient_id=bill.patient_id,
        bill=bill,
        kind=PaymentKind.PAYMENT,
        mode=mode,
        amount=amount,
        reference=reference,
        origin=origin,
    )


@transaction.atomic
def record_advance(
    patient: Patient,
    *,
    facility: Facility,
    mode: str,
    amount: Decimal,
    acting_user: User,
    reference: str = "",
    origin: Origin = CLI,
) -> Payment:
    """An advance deposit, later used to pay bills or refunded."""
    _same_org(acting_user, patient, facility)
    if mode == PaymentMode.ADVANCE:
        raise BillingError(_("An advance is paid in cash, UPI, card or other."), "mode")
    return _payment(
        acting_user=acting_user,
        facility=facility,
        patient_id=patient.pk,
        bill=None,
        kind=PaymentKind.ADVANCE,
        mode=mode,
        amount=amount,
        reference=reference,
        origin=origin,
    )


@transaction.atomic
def refund(
    note: Bill | None,
    *,
    mode: str,
    amount: Decimal,
    acting_user: User,
    patient: Patient | None = None,
    facility: Facility | None = None,
    reference: str = "",
    origin: Origin = CLI,
) -> Payment:
    """Pay money back: against a credit note (up to what was overpaid on its bill), or
    from the patient's advance when no note is named."""
    node.serialise_writes()
    if mode == PaymentMode.ADVANCE:
        raise BillingError(_("A refund is paid in cash, UPI, card or other."), "mode")
    if note is None:
        if patient is None or facility is None:
            raise BillingError(_("Name the credit note or the patient to refund."))
        _same_org(acting_user, patient, facility)
        if paise(amount) > queries.advance_balance(patient.pk):
            raise BillingError(_("That is more than the patient's advance."), "amount")
        return _payment(
            acting_user=acting_user,
            facility=facility,
            patient_id=patient.pk,
            bill=None,
            kind=PaymentKind.REFUND,
            mode=mode,
            amount=amount,
            reference=reference,
            origin=origin,
        )
    _same_org(acting_user, note)
    if note.doc_type not in CORRECTIONS or note.original is None:
        raise BillingError(_("A refund is paid against a credit note."))
    overpaid = -queries.balance(note.original)
    if paise(amount) > overpaid:
        raise BillingError(
            _("Only %(amount)s is owed back.") % {"amount": rupees(max(overpaid, ZERO))},
            "amount",
        )
    return _payment(
        acting_user=acting_user,
        facility=note.facility,
        patient_id=note.patient_id,
        bill=note,
        kind=PaymentKind.REFUND,
        mode=mode,
        amount=amount,
        reference=reference,
        origin=origin,
    )


@transaction.atomic
def record_cash_count(
    *,
    acting_user: User,
    facility: Facility,
    cashier: User,
    day: datetime.date,
    counted: Decimal,
    note: str = "",
    origin: Origin = CLI,
) -> CashCount:
    """The day-end count of one user's cash against the cash their entries expect."""
    _same_org(acting_user, facility, cashier)
    row = CashCount(
        organisation_id=facility.organisation_id,
        facility=facility,
        cashier=cashier,
        day=day,
        expected=reports.expected_cash(facility, cashier, day),
        counted=paise(counted),
        note=note.strip(),
        recorded_by=acting_user,
    )
    changelog.insert(row, acting_user=acting_user)
    record(
        AuditAction.CREATE,
        actor=acting_user,
        target=row,
        origin=origin,
        detail={"expected": str(row.expected), "counted": str(row.counted)},
    )
    return row
