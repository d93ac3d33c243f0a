"""/api/v1 for records requests: a patient's whole chart as a FHIR R4 Bundle."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router

from nidaan.api.auth import require
from nidaan.api.schemas import Message
from nidaan.audit.record import Origin
from nidaan.core.permissions import Perm
from nidaan.patients.models import Patient
from nidaan.privacy import emergency
from nidaan.privacy.actions import export_records

router = Router(tags=["records"])


@router.get(
    "/patients/{patient_id}/records/fhir",
    response={403: Message, 404: Message},
    openapi_extra={
        "responses": {
            200: {
                "description": "a FHIR R4 collection Bundle",
                "content": {"application/fhir+json": {}},
            }
        }
    },
)
def records_fhir(request: HttpRequest, patient_id: uuid.UUID, files: bool = False) -> HttpResponse:
    """A records request (MCI 1.3.2, DPDP s.11) as a FHIR R4 `collection` Bundle: the
    patient, visits, diagnoses, vitals, allergies, prescriptions and reports (`files`:
    with each report's bytes). Audited as an export, like the page's download."""
    user = require(request, Perm.RECORDS_EXPORT)
    patient = Patient.objects.filter(pk=patient_id, organisation_id=user.organisation_uuid).first()
    if patient is None:
        raise Http404("no such patient")
    emergency.check_api(user, patient.pk, patient.registered_at_id)
    export = export_records(
        patient,
        kind="fhir",
        acting_user=user,
        origin=Origin.of(request, "api"),
        with_files=files,
    )
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
