"""Who may do what: the one permission table, checked by views, the API and exports alike.

Roles are per organisation. Rows are added here, never as ad-hoc checks in a view; the
test suite walks every URL and fails when an endpoint names no permission.
"""

from __future__ import annotations

import enum
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    DOCTOR = "doctor", _("Doctor")
    NURSE = "nurse", _("Nurse")
    RECEPTIONIST = "receptionist", _("Receptionist")
    BILLING = "billing", _("Billing")
    PHARMACIST = "pharmacist", _("Pharmacist")


class Perm(enum.StrEnum):
    PATIENT_SEARCH = "patient.search"
    PATIENT_VIEW = "patient.view"
    PATIENT_REGISTER = "patient.register"
    PATIENT_EDIT = "patient.edit"
    CLINIC_MANAGE = "clinic.manage"
    STAFF_MANAGE = "staff.manage"
    API_TOKEN_CREATE = "api.token.create"  # noqa: S105 - a permission name
    QUEUE_VIEW = "queue.view"
    QUEUE_MANAGE = "queue.manage"
    QUEUE_CALL = "queue.call"
    APPOINTMENT_BOOK = "appointment.book"
    SCHEDULE_MANAGE = "schedule.manage"
    CLINICAL_VIEW = "clinical.view"
    VITALS_RECORD = "vitals.record"
    CONSULTATION_WRITE = "consultation.write"
    ALLERGY_RECORD = "allergy.record"
    DOCUMENT_UPLOAD = "document.upload"
    DOCUMENT_VIEW = "document.view"
    SYNC_MANAGE = "sync.manage"
    PATIENT_MERGE = "patient.merge"
    PRESCRIPTION_WRITE = "prescription.write"
    PRESCRIPTION_VIEW = "prescription.view"
    FORMULARY_MANAGE = "formulary.manage"
    BILL_ISSUE = "bill.issue"
    BILL_CORRECT = "bill.correct"
    BILLING_REPORTS = "billing.reports"
    CATALOGUE_MANAGE = "catalogue.manage"
    AUDIT_VIEW = "audit.view"
    RECORDS_EXPORT = "records.export"
    PRIVACY_MANAGE = "privacy.manage"


_EVERYONE = frozenset(Role)
_FRONT_DESK = frozenset({Role.ADMIN, Role.DOCTOR, Role.NURSE, Role.RECEPTIONIST})
_CLINICIANS = frozenset({Role.ADMIN, Role.DOCTOR, Role.NURSE})

PERMISSIONS: dict[Perm, frozenset[Role]] = {
    # Finding a patient is needed at every counter, the pharmacy and billing included.
    Perm.PATIENT_SEARCH: _EVERYONE,
    Perm.PATIENT_VIEW: _EVERYONE,
    Perm.PATIENT_REGISTER: _FRONT_DESK | {Role.BILLING},
    Perm.PATIENT_EDIT: _FRONT_DESK,
    Perm.CLINIC_MANAGE: frozenset({Role.ADMIN}),
    Perm.STAFF_MANAGE: frozenset({Role.ADMIN}),
    Perm.API_TOKEN_CREATE: frozenset({Role.ADMIN}),
    # The waiting hall's TV and every counter see the queue (token numbers, names).
    Perm.QUEUE_VIEW: _EVERYONE,
    Perm.QUEUE_MANAGE: _FRONT_DESK,
    Perm.QUEUE_CALL: frozenset({Role.ADMIN, Role.DOCTOR}),
    Perm.APPOINTMENT_BOOK: _FRONT_DESK,
    Perm.SCHEDULE_MANAGE: frozenset({Role.ADMIN}),
    # The chart (notes, diagnoses, history) is for clinicians; the front desk sees
    # demographics, the queue and bills, never clinical notes.
    Perm.CLINICAL_VIEW: _CLINICIANS,
    Perm.VITALS_RECORD: _CLINICIANS,
    Perm.CONSULTATION_WRITE: frozenset({Role.DOCTOR}),
    Perm.ALLERGY_RECORD: frozenset({Role.DOCTOR, Role.NURSE}),
    # Reception often receives the lab report and uploads it; only clinicians open it.
    Perm.DOCUMENT_UPLOAD: _FRONT_DESK,
    Perm.DOCUMENT_VIEW: _CLINICIANS,
    # Enrolling and revoking clinic PCs, and releasing held-back changes.
    Perm.SYNC_MANAGE: frozenset({Role.ADMIN}),
    # Joining two records of one patient changes whose chart a visit shows in.
    Perm.PATIENT_MERGE: frozenset({Role.ADMIN, Role.DOCTOR}),
    # Only the doctor prescribes; the pharmacist reads and prints what to dispense.
    Perm.PRESCRIPTION_WRITE: frozenset({Role.DOCTOR}),
    Perm.PRESCRIPTION_VIEW: _CLINICIANS | {Role.PHARMACIST},
    Perm.FORMULARY_MANAGE: frozenset({Role.ADMIN, Role.DOCTOR}),
    # Billing (nidaan.billing): the counters that take money bill and take payments;
    # credit notes and cancellations stay with those who answer for the accounts.
    Perm.BILL_ISSUE: frozenset(
        {Role.ADMIN, Role.DOCTOR, Role.RECEPTIONIST, Role.BILLING, Role.PHARMACIST}
    ),
    Perm.BILL_CORRECT: frozenset({Role.ADMIN, Role.RECEPTIONIST, Role.BILLING}),
    Perm.BILLING_REPORTS: frozenset({Role.ADMIN, Role.BILLING}),
    Perm.CATALOGUE_MANAGE: frozenset({Role.ADMIN, Role.BILLING}),
    # The audit log and a patient's "who saw my record" report (DPDP s.11) are the
    # admin's (the data fiduciary's) to read; a records request (MCI 1.3.2) is answered
    # by the admin or a doctor.
    Perm.AUDIT_VIEW: frozenset({Role.ADMIN}),
    Perm.RECORDS_EXPORT: frozenset({Role.ADMIN, Role.DOCTOR}),
    # Erasure requests and breach incidents: the data fiduciary's duties (DPDP s.8).
    Perm.PRIVACY_MANAGE: frozenset({Role.ADMIN}),
}


def role_has(role: str, perm: Perm) -> bool:
    return role in PERMISSIONS[perm]


def user_has(user: Any, perm: Perm) -> bool:
    """True for an active, logged-in user of an organisation whose role grants `perm`."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if getattr(user, "organisation_id", None) is None:
        return False
    return role_has(user.role, perm)
