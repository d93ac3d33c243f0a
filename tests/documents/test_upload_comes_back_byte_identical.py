"""A report uploaded from the page or the API is served back exactly as it was."""

from __future__ import annotations

import pytest
from django.test import Client

from nidaan.documents.models import Document
from nidaan.patients.models import Patient
from tests.documents.files import jpeg_bytes, pdf_bytes, png_bytes, uploaded
from tests.factories import ClinicWorld

FILES = [
    ("cbc.pdf", pdf_bytes(), "application/pdf"),
    ("chest-xray.png", png_bytes(), "image/png"),
    ("ecg.jpg", jpeg_bytes(), "image/jpeg"),
]


@pytest.mark.parametrize(("name", "content", "content_type"), FILES)
def test_page_upload_is_served_byte_identical(
    world: ClinicWorld, patient: Patient, name: str, content: bytes, content_type: str
) -> None:
    doctor = world.client("doctor")
    response = doctor.post(
        f"/documents/patient/{patient.pk}/upload/",
        {"file": uploaded(name, content), "kind": "lab-report", "title": "Report"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get(patient=patient)
    assert (document.original_filename, document.content_type) == (name, content_type)
    assert document.size == len(content)

    served = doctor.get(f"/documents/{document.pk}/file")
    assert served.status_code == 200
    assert served.content == content
    assert served["Content-Type"] == content_type
    assert served["Content-Disposition"] == f'inline; filename="{name}"'
    assert served["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("name", "content", "content_type"), FILES)
def test_api_upload_is_served_byte_identical(
    world: ClinicWorld, patient: Patient, name: str, content: bytes, content_type: str
) -> None:
    headers = {"Authorization": f"Bearer {world.token('nurse')}"}
    client = Client()
    response = client.post(
        f"/api/v1/patients/{patient.pk}/documents",
        {"file": uploaded(name, content), "title": "Report", "kind": "imaging"},
        headers=headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["content_type"], body["size"], body["kind"]) == (
        content_type,
        len(content),
        "imaging",
    )

    served = client.get(body["file_url"], headers=headers)
    assert served.status_code == 200
    assert served.content == content
    assert served["Content-Type"] == content_type
    assert served["X-Content-Type-Options"] == "nosniff"
