"""How long a patient's records must be kept, and why: what an erasure request meets.

DPDP s.8(7) erases personal data when its purpose is served or consent is withdrawn
"unless retention is necessary for compliance with any law". For a clinic that law is
(shared/reference/prescription.md §4): MCI regulation 1.3.1 (medical records, 3 years
from the start of treatment; kept here from the last visit, the cautious reading), the
Income-tax Rules 6F (Form 3C daily case register, 6 years), and the CGST Act s.36 for
bills (72 months). The longest period that applies decides.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from nidaan.billing.models import Bill
from nidaan.documents.models import Document
from nidaan.encounters.models import Encounter
from nidaan.patients.models import Patient


def _years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Retention:
    until: datetime.date | None
    reasons: list[str]

    @property
    def required(self) -> bool:
        return self.until is not None and self.until >= datetime.date.today()  # noqa: DTZ011


def retention_of(patient: Patient) -> Retention:
    reasons: list[str] = []
    until: datetime.date | None = None
    last_visit = (
        Encounter.objects.filter(patient=patient)
        .order_by("-started_at")
        .values_list("started_at", flat=True)
    ).first()
    if last_visit is not None:
        day = last_visit.date()
        medical = _years_after(day, 3)
        reasons.append(
            _(
                "Medical records are kept for 3 years after the last visit (%(day)s), "
                "as the Indian Medical Council regulations (1.3.1) require."
            )
            % {"day": day.strftime("%d-%m-%Y")}
        )
        case_register = _years_after(day, 7)
        reasons.append(
            _(
                "The daily case register (Form 3C) is kept for 6 years after the "
                "assessment year, as the Income-tax Rules (6F) require."
            )
        )
        until = max(medical, case_register)
    if Document.objects.filter(patient=patient).exists() and last_visit is None:
        reasons.append(_("Reports and images are medical records and are kept as they are."))
        until = _years_after(patient.created_at.date(), 3)
    last_bill = (
        Bill.objects.filter(patient=patient)
        .order_by("-issued_on")
        .values_list("issued_on", flat=True)
    ).first()
    if last_bill is not None:
        kept = _gst_records_until(last_bill)
        reasons.append(
            _(
                "Bills are kept for 72 months after the due date of the annual GST return "
                "of their year (last bill %(day)s), as the CGST Act (section 36) requires."
            )
            % {"day": last_bill.strftime("%d-%m-%Y")}
        )
        until = kept if until is None else max(until, kept)
    return Retention(until=until, reasons=reasons)


def _gst_records_until(issued_on: datetime.date) -> datetime.date:
    """CGST Act s.36: 72 months from the annual return's due date (31 December after the
    financial year, which ends on 31 March)."""
    year_ends = issued_on.year + 1 if issued_on.month > 3 else issued_on.year
    return datetime.date(year_ends + 6, 12, 31)
