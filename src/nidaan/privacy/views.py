"""Pages: a patient's records request (FHIR bundle, printed summary), erasure request,
breach incidents and their notices, and the emergency-access reason form."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from nidaan.accounts.decorators import requires, staff_user
from nidaan.audit.record import Origin
from nidaan.core.permissions import Perm
from nidaan.patients.models import Patient
from nidaan.privacy import actions, breach, emergency
from nidaan.privacy.forms import BreachForm, EmergencyAccessForm, ErasureRequestForm
from nidaan.privacy.models import BreachIncident, ErasureRequest, PatientErasure
from nidaan.privacy.retention import retention_of


def _patient_of(request: HttpRequest, patient_id: uuid.UUID) -> Patient:
    user = staff_user(request)
    return get_object_or_404(Patient, pk=patient_id, organisation_id=user.organisation_uuid)


def _download(export: actions.RecordsExport, *, inline: bool) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{export.filename}"'
    return response


@requires(Perm.RECORDS_EXPORT)
@require_GET
def records_fhir_view(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    """The patient's records as a FHIR R4 bundle (`?files=1`: the reports inside it)."""
    user = staff_user(request)
    patient = _patient_of(request, patient_id)
    export = actions.export_records(
        patient,
        kind="fhir",
        acting_user=user,
        origin=Origin.of(request),
        with_files=request.GET.get("files") == "1",
    )
    return _download(export, inline=False)


@requires(Perm.RECORDS_EXPORT)
@require_GET
def records_pdf_view(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    """The printed summary of the patient's whole chart."""
    user = staff_user(request)
    patient = _patient_of(request, patient_id)
    export = actions.export_records(
        patient, kind="pdf", acting_user=user, origin=Origin.of(request)
    )
    return _download(export, inline=True)


@requires(Perm.PRIVACY_MANAGE)
def erasure_view(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    patient = _patient_of(request, patient_id)
    erasing = request.method == "POST" and "erase" in request.POST
    form = ErasureRequestForm(None if erasing else request.POST or None)
    refused = None
    if erasing:
        try:
            actions.erase_patient(patient, acting_user=user, origin=Origin.of(request))
        except actions.ErasureRefused as refusal:
            refused = refusal.retention
        else:
            messages.success(request, _("The patient's personal data was erased."))
            return redirect("privacy:erasure", patient_id=patient.pk)
    elif request.method == "POST" and form.is_valid():
        actions.record_erasure_request(
            patient, note=form.cleaned_data["note"], acting_user=user, origin=Origin.of(request)
        )
        return redirect("privacy:erasure", patient_id=patient.pk)
    requests = ErasureRequest.objects.filter(patient=patient).order_by("-requested_at")
    return render(
        request,
        "privacy/erasure.html",
        {
            "patient": patient,
            "form": form,
            "requests": requests,
            "retention": retention_of(patient),
            "refused": refused,
            "erasure": PatientErasure.objects.filter(patient=patient).first(),
        },
        status=409 if refused else 200,
    )


@requires(Perm.PRIVACY_MANAGE)
def incidents_view(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    form = BreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        incident = actions.record_breach(
            values=form.cleaned_data, acting_user=user, origin=Origin.of(request)
        )
        return redirect("privacy:incident", incident_id=incident.pk)
    incidents = BreachIncident.objects.filter(organisation_id=user.organisation_uuid)
    return render(
        request,
        "privacy/incidents.html",
        {"form": form, "incidents": incidents.order_by("-became_aware_at")},
    )


@requires(Perm.PRIVACY_MANAGE)
def incident_view(request: HttpRequest, incident_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    incident = get_object_or_404(
        BreachIncident, pk=incident_id, organisation_id=user.organisation_uuid
    )
    return render(
        request,
        "privacy/incident.html",
        {
            "incident": incident,
            "exposure": breach.exposure(incident),
            "board_due": breach.board_report_due(incident),
            "clinic": user.organisation,
        },
    )


@requires(Perm.CLINICAL_VIEW)
def emergency_view(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    patient = _patient_of(request, patient_id)
    target = request.GET.get("next") or f"/visits/patient/{patient.pk}/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    form = EmergencyAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.grant_emergency_access(
            patient, reason=form.cleaned_data["reason"], acting_user=user, origin=Origin.of(request)
        )
        return redirect(target)
    return render(
        request,
        "privacy/emergency.html",
        {"patient": patient, "form": form, "hours": emergency.EMERGENCY_HOURS},
    )
