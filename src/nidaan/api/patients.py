"""/api/v1/patients: register, read, correct and find patients."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Status

from nidaan.api.auth import require
from nidaan.api.errors import FormErrors
from nidaan.api.schemas import Errors, Message, PatientHit, PatientIn, PatientOut
from nidaan.audit.models import AuditAction
from nidaan.audit.record import Origin, record
from nidaan.core.permissions import Perm
from nidaan.patients import actions
from nidaan.patients.forms import PatientForm, form_data_of
from nidaan.patients.models import Patient
from nidaan.patients.search import search_patients

router = Router(tags=["patients"])


def _patient(organisation_id: Any, patient_id: uuid.UUID) -> Patient:
    patient = Patient.objects.filter(pk=patient_id, organisation_id=organisation_id).first()
    if patient is None:
        raise Http404("no such patient")
    return patient


def _valid_form(data: dict[str, Any]) -> PatientForm:
    form = PatientForm(data)
    if not form.is_valid():
        raise FormErrors(form)
    return form


@router.post("/patients", response={201: PatientOut, 400: Errors, 403: Message})
def create_patient(request: HttpRequest, payload: PatientIn) -> Status[Patient]:
    user = require(request, Perm.PATIENT_REGISTER)
    form = _valid_form(payload.model_dump(exclude_none=True))
    patient = actions.register_patient(
        acting_user=user,
        facility=user.home_facility,
        demographics=form.demographics(),
        origin=Origin.of(request, "api"),
    )
    return Status(201, patient)


@router.get("/patients/{patient_id}", response={200: PatientOut, 403: Message, 404: Message})
def get_patient(request: HttpRequest, patient_id: uuid.UUID) -> Patient:
    user = require(request, Perm.PATIENT_VIEW)
    patient = _patient(user.organisation_uuid, patient_id)
    record(
        AuditAction.VIEW,
        actor=user,
        target=patient,
        patient_id=patient.pk,
        origin=Origin.of(request, "api"),
    )
    return patient


@router.patch(
    "/patients/{patient_id}", response={200: PatientOut, 400: Errors, 403: Message, 404: Message}
)
def patch_patient(request: HttpRequest, patient_id: uuid.UUID, payload: PatientIn) -> Patient:
    user = require(request, Perm.PATIENT_EDIT)
    patient = _patient(user.organisation_uuid, patient_id)
    if patient.is_erased:
        raise Http404("this registration was erased at the patient's request")
    sent = payload.model_dump(exclude_unset=True)
    data = form_data_of(patient)
    if "age" in sent:
        data["date_of_birth"] = None
    if "date_of_birth" in sent:
        data["age"] = None
    data.update({key: "" if value is None else value for key, value in sent.items()})
    form = _valid_form(data)
    actions.update_patient(
        patient,
        acting_user=user,
        demographics=form.demographics(),
        origin=Origin.of(request, "api"),
    )
    return patient


@router.get("/patients", response={200: list[PatientHit], 403: Message})
def find_patients(request: HttpRequest, q: str = "", limit: int = 20) -> list[dict[str, Any]]:
    user = require(request, Perm.PATIENT_SEARCH)
    hits = search_patients(
        user.organisation_uuid, q, limit=max(1, min(limit, 100)), facility_id=user.facility_id
    )
    return [
        {
            "id": hit.patient.pk,
            "uhid": hit.patient.uhid,
            "name": hit.patient.name,
            "name_latin": hit.patient.name_latin,
            "sex": hit.patient.sex,
            "age": hit.patient.age,
            "mobile": hit.patient.mobile,
            "guardian_name": hit.patient.guardian_name,
            "locality": hit.patient.locality,
            "matched": hit.matched,
        }
        for hit in hits
    ]
