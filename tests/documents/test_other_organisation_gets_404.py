"""Another clinic's documents do not exist, as far as this clinic can tell."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from nidaan.documents.models import Document
from nidaan.patients.models import Patient
from tests.documents.files import a_document, pdf_bytes, uploaded
from tests.factories import ClinicWorld


def test_another_organisation_gets_404_everywhere(
    world: ClinicWorld, patient: Patient, other_world: Callable[[], ClinicWorld]
) -> None:
    document = a_document(world, patient)
    other = other_world()
    admin = other.client("admin")
    for url in (
        f"/documents/{document.pk}/",
        f"/documents/{document.pk}/file",
        f"/documents/patient/{patient.pk}/",
        f"/documents/patient/{patient.pk}/upload/",
    ):
        assert admin.get(url).status_code == 404, url
    response = admin.post(f"/documents/{document.pk}/entered-in-error/", {"reason": "mine"})
    assert response.status_code == 404
    response = admin.post(
        f"/documents/patient/{patient.pk}/upload/", {"file": uploaded("x.pdf", pdf_bytes())}
    )
    assert response.status_code == 404

    headers = {"Authorization": f"Bearer {other.token('admin')}"}
    client = Client()
    for url in (
        f"/api/v1/documents/{document.pk}",
        f"/api/v1/documents/{document.pk}/file",
        f"/api/v1/patients/{patient.pk}/documents",
    ):
        assert client.get(url, headers=headers).status_code == 404, url
    response = client.post(
        f"/api/v1/patients/{patient.pk}/documents",
        {"file": uploaded("x.pdf", pdf_bytes())},
        headers=headers,
    )
    assert response.status_code == 404
    assert Document.objects.count() == 1
