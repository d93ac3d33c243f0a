"""The audit log's pages: a patient's "who saw my record" report, the admin's log, and a
patient's records export."""

from __future__ import annotations

import json
import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from nidaan.accounts.decorators import requires, staff_user
from nidaan.audit import queries
from nidaan.audit.export import patient_bundle
from nidaan.audit.models import AuditAction
from nidaan.audit.record import Origin, record
from nidaan.core.permissions import Perm
from nidaan.patients.models import Patient


def _patient_of(request: HttpRequest, patient_id: uuid.UUID) -> Patient:
    user = staff_user(request)
    return get_object_or_404(Patient, pk=patient_id, organisation_id=user.organisation_uuid)


@requires(Perm.AUDIT_VIEW)
def patient_access_view(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    patient = _patient_of(request, patient_id)
    lines = queries.patient_access(user.organisation_uuid, patient.pk)
    # Reading who read the record is itself a read of it.
    record(
        AuditAction.VIEW,
        actor=user,
        target=patient,
        patient_id=patient.pk,
        origin=Origin.of(request),
        detail={"page": "access-report"},
    )
    return render(
        request,
        "audit/patient_access.html",
        {"patient": patient, "lines": lines, "show_pc": any(line.where for line in lines)},
    )


@requires(Perm.AUDIT_VIEW)
def log_view(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    action = request.GET.get("action", "")
    if action not in AuditAction.values:
        action = ""
    lines = queries.recent_events(user.organisation_uuid, action)
    return render(
        request,
        "audit/log.html",
        {
            "lines": lines,
            "action": action,
            "actions": AuditAction.choices,
            "show_pc": any(line.where for line in lines),
            "refused_chains": queries.refused_chains(user.organisation_uuid),
        },
    )


@requires(Perm.RECORDS_EXPORT)
def patient_export_view(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    patient = _patient_of(request, patient_id)
    record(
        AuditAction.EXPORT,
        actor=user,
        target=patient,
        patient_id=patient.pk,
        origin=Origin.of(request),
        detail={"format": "json"},
    )
    body = json.dumps(patient_bundle(patient), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="records-{patient.uhid}.json"'
    return response
