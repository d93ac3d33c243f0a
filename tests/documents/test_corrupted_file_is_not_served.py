"""A stored file whose bytes no longer match its SHA-256 is an error, never served."""

from __future__ import annotations

import pytest
from django.test import Client

from nidaan.documents import storage
from nidaan.patients.models import Patient
from tests.documents.files import a_document
from tests.factories import ClinicWorld


@pytest.fixture
def damaged(world: ClinicWorld, patient: Patient) -> str:
    document = a_document(world, patient)
    path = storage.blob_path(document.sha256)
    content = bytearray(path.read_bytes())
    content[40] ^= 0x01  # one flipped bit, as a failing disk would
    path.write_bytes(bytes(content))
    return str(document.pk)


def test_the_page_and_the_file_say_it_is_damaged(world: ClinicWorld, damaged: str) -> None:
    doctor = world.client("doctor")
    response = doctor.get(f"/documents/{damaged}/file")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert b"%PDF" not in response.content
    assert "The stored file is damaged" in response.content.decode()

    page = doctor.get(f"/documents/{damaged}/").content.decode()
    assert "The stored file is damaged" in page
    assert "<iframe" not in page


def test_the_api_refuses_to_serve_it(world: ClinicWorld, damaged: str) -> None:
    response = Client().get(
        f"/api/v1/documents/{damaged}/file",
        headers={"Authorization": f"Bearer {world.token('doctor')}"},
    )
    assert response.status_code == 500
    assert response.json() == {"detail": "the stored file is damaged and is not served"}


def test_uploading_the_report_again_repairs_it(
    world: ClinicWorld, patient: Patient, damaged: str
) -> None:
    a_document(world, patient, title="CBC again")
    assert world.client("doctor").get(f"/documents/{damaged}/file").status_code == 200
