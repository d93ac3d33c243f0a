"""The API lists a patient's documents, newest first, and describes each one."""

from __future__ import annotations

from django.test import Client

from nidaan.patients.models import Patient
from tests.documents.files import a_document
from tests.factories import ClinicWorld


def test_list_and_metadata(world: ClinicWorld, patient: Patient) -> None:
    first = a_document(world, patient, title="CBC")
    second = a_document(world, patient, title="Lipid profile")
    headers = {"Authorization": f"Bearer {world.token('doctor')}"}
    client = Client()
    listing = client.get(f"/api/v1/patients/{patient.pk}/documents", headers=headers).json()
    assert [d["title"] for d in listing] == ["Lipid profile", "CBC"]

    body = client.get(f"/api/v1/documents/{first.pk}", headers=headers).json()
    assert body == {
        "id": str(first.pk),
        "lineage": str(first.pk),
        "patient_id": str(patient.pk),
        "encounter_id": None,
        "title": "CBC",
        "kind": "lab-report",
        "original_filename": "cbc.pdf",
        "content_type": "application/pdf",
        "size": first.size,
        "sha256": first.sha256,
        "status": "final",
        "reason": "",
        "recorded_by": world.user("receptionist").username,
        "recorded_at": body["recorded_at"],
        "file_url": f"/api/v1/documents/{first.pk}/file",
    }
    assert second.sha256 == first.sha256  # same bytes, one blob


def test_the_upload_is_in_the_openapi_document_as_multipart(world: ClinicWorld) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    upload = schema["paths"]["/api/v1/patients/{patient_id}/documents"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
