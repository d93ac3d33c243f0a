"""Break-the-glass: a doctor or nurse opening the chart of a patient of another branch
gives a reason first, and may then see it for EMERGENCY_HOURS.

A patient belongs to a branch where they were registered or have been seen (a visit
there). Anyone else's chart is one a clinician has no everyday reason to open; in an
emergency (DPDP s.7(d): medical emergency involving a threat to life) they still can,
and the reason is in the audit log for the admin to review. Roles without the clinical
permission never get this path: they are refused (403) and the attempt is audited.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from nidaan.accounts.decorators import SCOPE_CHECKS
from nidaan.core.permissions import Perm, Role

EMERGENCY_HOURS = 12
CLINICAL = frozenset(
    {
        Perm.CLINICAL_VIEW,
        Perm.DOCUMENT_VIEW,
        Perm.CONSULTATION_WRITE,
        Perm.VITALS_RECORD,
        Perm.ALLERGY_RECORD,
        Perm.RECORDS_EXPORT,
    }
)
_GUARDED_ROLES = frozenset({Role.DOCTOR, Role.NURSE})


def _patient_and_place(
    organisation_id: uuid.UUID, kwargs: dict[str, Any]
) -> tuple[uuid.UUID, uuid.UUID | None] | None:
    """The patient a page is about, and a branch that page belongs to (the visit's, or
    where the patient was registered), within the user's organisation (another
    organisation's ids are left to the view's 404). One query."""
    from nidaan.documents.models import Document
    from nidaan.encounters.models import Encounter
    from nidaan.patients.models import Patient

    if encounter_id := kwargs.get("encounter_id"):
        row = Encounter.objects.filter(pk=encounter_id, organisation_id=organisation_id)
        found = row.values("patient_id", "facility_id").first()
        return (found["patient_id"], found["facility_id"]) if found else None
    if document_id := kwargs.get("document_id"):
        rows = Document.objects.filter(pk=document_id, organisation_id=organisation_id)
        value = rows.values_list("patient_id", flat=True).first()
        return (value, None) if value else None
    if patient_id := kwargs.get("patient_id"):
        patients = Patient.objects.filter(pk=patient_id, organisation_id=organisation_id)
        registered: tuple[uuid.UUID] | None = patients.values_list("registered_at_id").first()
        return (patient_id, registered[0]) if registered else None
    return None


def belongs_here(patient_id: uuid.UUID, facility_id: uuid.UUID) -> bool:
    from nidaan.encounters.models import Encounter
    from nidaan.patients.models import Patient

    if Patient.objects.filter(pk=patient_id, registered_at_id=facility_id).exists():
        return True
    return Encounter.objects.filter(patient_id=patient_id, facility_id=facility_id).exists()


def has_grant(user: Any, patient_id: uuid.UUID) -> bool:
    from nidaan.privacy.models import EmergencyAccess

    return EmergencyAccess.objects.filter(
        user=user, patient_id=patient_id, expires_at__gt=timezone.now()
    ).exists()


def check(request: HttpRequest, perm: Perm, kwargs: dict[str, Any]) -> HttpResponse | None:
    user: Any = request.user
    if perm not in CLINICAL or user.role not in _GUARDED_ROLES or user.facility_id is None:
        return None
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name == "privacy:emergency":
        return None  # the page where the reason is given
    found = _patient_and_place(user.organisation_id, kwargs)
    if found is None:
        return None  # not found: the view answers 404 as usual
    patient_id, visit_facility = found
    if visit_facility == user.facility_id or belongs_here(patient_id, user.facility_id):
        return None
    if has_grant(user, patient_id):
        return None
    if request.method != "GET":
        return HttpResponseForbidden()
    url = reverse("privacy:emergency", args=[patient_id])
    return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")


def expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=EMERGENCY_HOURS)


def install() -> None:
    if check not in SCOPE_CHECKS:
        SCOPE_CHECKS.append(check)


class EmergencyAccessNeeded(PermissionDenied):
    """The API's answer (403) where a page would ask for a reason."""


def check_api(user: Any, patient_id: uuid.UUID, visit_facility: uuid.UUID | None = None) -> None:
    """The same rule for the JSON API: a clinician reading or writing the chart of another
    branch's patient needs a grant, given with a reason on the emergency page first."""
    if user.role not in _GUARDED_ROLES or user.facility_id is None:
        return
    if visit_facility == user.facility_id or belongs_here(patient_id, user.facility_id):
        return
    if has_grant(user, patient_id):
        return
    from nidaan.audit.models import AuditAction
    from nidaan.audit.record import Origin, record

    record(
        AuditAction.DENIED,
        actor=user,
        patient_id=patient_id,
        origin=Origin(channel="api"),
        detail={"permission": "emergency-access"},
    )
    url = reverse("privacy:emergency", args=[patient_id])
    raise EmergencyAccessNeeded(
        f"a patient of another branch: give the reason for emergency access at {url} first"
    )
