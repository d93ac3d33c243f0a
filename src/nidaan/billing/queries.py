"""Read-only questions about billing: the rate on a day, what a bill still owes, a
patient's dues and advance. Used by actions, pages, the API and the reports alike."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.db.models import Q, Sum

from nidaan.billing.models import (
    CORRECTIONS,
    Bill,
    CatalogueEntry,
    GstProfile,
    Payment,
    PaymentKind,
    PaymentMode,
    TaxRate,
)
from nidaan.billing.money import ZERO
from nidaan.clinics.models import Organisation


def gst_profile(organisation: Organisation) -> GstProfile:
    """The clinic's GST profile; an unsaved default when none is set yet."""
    profile = GstProfile.objects.filter(organisation=organisation).first()
    if profile is None:
        # Until GST settings are saved, the GSTIN given at set-up (clinic settings)
        # makes the clinic registered in that GSTIN's state.
        facility = organisation.facilities.order_by("created_at").first()
        gstin = organisation.gstin
        profile = GstProfile(
            organisation=organisation,
            registered=bool(gstin),
            gstin=gstin,
            legal_name=organisation.name,
            state=gstin[:2] if gstin else (facility.state if facility else ""),
        )
    return profile


def rate_on(entry: CatalogueEntry, day: datetime.date) -> TaxRate | None:
    """The rate in force on `day`: the latest one that took effect on or before it."""
    return (
        TaxRate.objects.filter(entry=entry, effective_from__lte=day)
        .order_by("-effective_from", "-recorded_at")
        .first()
    )


def _sum(rows: object) -> Decimal:
    value = rows.aggregate(total=Sum("amount"))["total"]  # type: ignore[attr-defined]
    return value if value is not None else ZERO


def is_cancelled(bill: Bill) -> bool:
    return hasattr(bill, "cancellation") and bill.cancellation is not None


def live_corrections(bill: Bill) -> list[Bill]:
    return list(
        Bill.objects.filter(original=bill, doc_type__in=CORRECTIONS, cancellation__isnull=True)
    )


def credited(bill: Bill) -> Decimal:
    """What credit notes (not cancelled) have taken off `bill`."""
    return sum((note.total for note in live_corrections(bill)), ZERO)


def paid(bill: Bill) -> Decimal:
    return _sum(Payment.objects.filter(bill=bill, kind=PaymentKind.PAYMENT))


def refunded(bill: Bill) -> Decimal:
    """Money paid back against the credit notes of `bill`."""
    return _sum(
        Payment.objects.filter(
            bill__original=bill, bill__cancellation__isnull=True, kind=PaymentKind.REFUND
        )
    )


def balance(bill: Bill) -> Decimal:
    """What the patient still owes on `bill` (negative: the clinic owes them a refund)."""
    if is_cancelled(bill):
        return ZERO
    return bill.total - credited(bill) - paid(bill) + refunded(bill)


def advance_balance(patient_id: uuid.UUID) -> Decimal:
    """The patient's advance deposit not yet used or refunded."""
    rows = Payment.objects.filter(patient_id=patient_id)
    deposited = _sum(rows.filter(kind=PaymentKind.ADVANCE))
    used = _sum(rows.filter(kind=PaymentKind.PAYMENT, mode=PaymentMode.ADVANCE))
    returned = _sum(rows.filter(kind=PaymentKind.REFUND, bill__isnull=True))
    return deposited - used - returned


def patient_dues(patient_id: uuid.UUID) -> Decimal:
    """The sum of what the patient's bills still owe (only what is owed; no credit)."""
    bills = Bill.objects.filter(
        Q(patient_id=patient_id), ~Q(doc_type__in=CORRECTIONS), cancellation__isnull=True
    )
    return sum((max(balance(bill), ZERO) for bill in bills), ZERO)


def patient_bills(patient_id: uuid.UUID) -> list[Bill]:
    """The patient's documents, newest first."""
    return list(
        Bill.objects.filter(patient_id=patient_id)
        .select_related("cancellation", "original")
        .order_by("-issued_at")
    )


def latest_correction(bill: Bill) -> Bill | None:
    """The newest credit note (not cancelled) of `bill`: refunds are paid against it."""
    notes = live_corrections(bill)
    return max(notes, key=lambda note: (note.issued_at, note.serial)) if notes else None
