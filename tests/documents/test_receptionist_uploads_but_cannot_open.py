"""Reception receives and uploads reports; only clinicians open them."""

from __future__ import annotations

from django.test import Client

from nidaan.documents.models import Document
from nidaan.patients.models import Patient
from tests.documents.files import pdf_bytes, uploaded
from tests.factories import ClinicWorld


def test_receptionist_uploads_then_gets_403_opening(world: ClinicWorld, patient: Patient) -> None:
    reception = world.client("receptionist")
    upload_page = f"/documents/patient/{patient.pk}/upload/"
    response = reception.post(upload_page, {"file": uploaded("cbc.pdf", pdf_bytes())})
    # Back to the upload form, ready for the next report.
    assert response.status_code == 302
    assert response["Location"] == upload_page
    assert "Uploaded “Lab report”." in reception.get(upload_page).content.decode()
    document = Document.objects.get()

    assert reception.get(f"/documents/{document.pk}/").status_code == 403
    assert reception.get(f"/documents/{document.pk}/file").status_code == 403
    assert reception.get(f"/documents/patient/{patient.pk}/").status_code == 403


def test_receptionist_token_uploads_then_gets_403_opening(
    world: ClinicWorld, patient: Patient
) -> None:
    headers = {"Authorization": f"Bearer {world.token('receptionist')}"}
    client = Client()
    response = client.post(
        f"/api/v1/patients/{patient.pk}/documents",
        {"file": uploaded("cbc.pdf", pdf_bytes())},
        headers=headers,
    )
    assert response.status_code == 201
    document_id = response.json()["id"]
    assert client.get(f"/api/v1/documents/{document_id}", headers=headers).status_code == 403
    assert client.get(f"/api/v1/documents/{document_id}/file", headers=headers).status_code == 403
    listing = client.get(f"/api/v1/patients/{patient.pk}/documents", headers=headers)
    assert listing.status_code == 403
