"""The content decides what a file is: not its name, not the browser's content type."""

from __future__ import annotations

from django.test import Client

from nidaan.documents.models import Document
from nidaan.patients.models import Patient
from tests.documents.files import exe_bytes, png_bytes, uploaded
from tests.factories import ClinicWorld

REFUSAL = (
    "“report.pdf” is named like a PDF file but is really a Windows program. "
    "Only PDF, JPEG and PNG files can be uploaded."
)


def test_a_program_renamed_pdf_is_refused_on_the_page(
    world: ClinicWorld, patient: Patient, data_dir: object
) -> None:
    response = world.client("receptionist").post(
        f"/documents/patient/{patient.pk}/upload/",
        {"file": uploaded("report.pdf", exe_bytes(), "application/pdf")},
    )
    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert not Document.objects.exists()


def test_a_program_renamed_pdf_is_refused_by_the_api_with_the_same_message(
    world: ClinicWorld, patient: Patient
) -> None:
    response = Client().post(
        f"/api/v1/patients/{patient.pk}/documents",
        {"file": uploaded("report.pdf", exe_bytes(), "application/pdf")},
        headers={"Authorization": f"Bearer {world.token('receptionist')}"},
    )
    assert response.status_code == 400
    assert response.json() == {"errors": {"file": [REFUSAL]}}
    assert not Document.objects.exists()


def test_an_unknown_file_is_refused_saying_what_to_do(world: ClinicWorld, patient: Patient) -> None:
    response = world.client("receptionist").post(
        f"/documents/patient/{patient.pk}/upload/",
        {"file": uploaded("notes.txt", b"Hb 13.2", "text/plain")},
    )
    assert (
        "“notes.txt” is not a PDF, JPEG or PNG file. Only these can be uploaded: "
        "save or scan the report as one of them."
    ) in response.content.decode()
    assert not Document.objects.exists()


def test_a_png_claimed_as_pdf_is_stored_and_served_as_png(
    world: ClinicWorld, patient: Patient
) -> None:
    content = png_bytes()
    response = world.client("nurse").post(
        f"/documents/patient/{patient.pk}/upload/",
        {"file": uploaded("scan.pdf", content, "application/pdf")},
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.content_type == "image/png"
    assert document.original_filename == "scan.pdf"

    served = world.client("doctor").get(f"/documents/{document.pk}/file")
    assert served["Content-Type"] == "image/png"
    assert served["Content-Disposition"] == 'inline; filename="scan.png"'
    assert served.content == content
    page = world.client("doctor").get(f"/documents/{document.pk}/").content.decode()
    assert f'<img class="document-image" src="/documents/{document.pk}/file"' in page
