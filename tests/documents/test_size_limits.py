"""Too large and empty files are refused with a message saying what to do."""

from __future__ import annotations

from typing import Any

from django.test import Client

from nidaan.documents.models import Document
from nidaan.patients.models import Patient
from tests.documents.files import pdf_bytes, uploaded
from tests.factories import ClinicWorld


def test_a_file_over_the_limit_is_refused(
    world: ClinicWorld, patient: Patient, settings: Any
) -> None:
    settings.NIDAAN_MAX_UPLOAD_BYTES = 1024
    big = pdf_bytes() + b"%" + b"x" * (2048 - len(pdf_bytes()) - 1)
    response = world.client("receptionist").post(
        f"/documents/patient/{patient.pk}/upload/", {"file": uploaded("big.pdf", big)}
    )
    page = response.content.decode()
    assert (
        "The file “big.pdf” is 2 KB; the largest allowed is 1 KB. "
        "Scan or photograph the report at a lower resolution."
    ) in page
    assert not Document.objects.exists()


def test_the_default_limit_is_ten_megabytes(
    world: ClinicWorld, patient: Patient, settings: Any
) -> None:
    del settings.NIDAAN_MAX_UPLOAD_BYTES
    too_big = pdf_bytes() + b"0" * (10 * 1024 * 1024)
    response = Client().post(
        f"/api/v1/patients/{patient.pk}/documents",
        {"file": uploaded("big.pdf", too_big)},
        headers={"Authorization": f"Bearer {world.token('receptionist')}"},
    )
    assert response.status_code == 400
    assert "the largest allowed is 10 MB" in response.json()["errors"]["file"][0]


def test_an_empty_file_is_refused(world: ClinicWorld, patient: Patient) -> None:
    response = world.client("receptionist").post(
        f"/documents/patient/{patient.pk}/upload/", {"file": uploaded("cbc.pdf", b"")}
    )
    assert "The file “cbc.pdf” is empty: choose the report again." in response.content.decode()
    assert not Document.objects.exists()


def test_no_file_at_all_is_refused_by_page_and_api(world: ClinicWorld, patient: Patient) -> None:
    message = "Choose the report&#x27;s file, or take a photo of it."
    response = world.client("receptionist").post(
        f"/documents/patient/{patient.pk}/upload/", {"title": "CBC"}
    )
    assert message in response.content.decode()
    api = Client().post(
        f"/api/v1/patients/{patient.pk}/documents",
        {"title": "CBC"},
        headers={"Authorization": f"Bearer {world.token('receptionist')}"},
    )
    assert api.status_code == 400
    assert api.json() == {"errors": {"file": ["Choose the report's file, or take a photo of it."]}}
