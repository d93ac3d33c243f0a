"""The upload page offers the file chooser and the camera, and can attach to a visit."""

from __future__ import annotations

import uuid

from nidaan.documents.models import Document
from nidaan.encounters import actions as encounter_actions
from nidaan.patients.models import Patient
from tests.documents.files import jpeg_bytes, pdf_bytes, uploaded
from tests.factories import ClinicWorld


def test_the_form_offers_files_and_the_camera(world: ClinicWorld, patient: Patient) -> None:
    page = world.client("receptionist").get(f"/documents/patient/{patient.pk}/upload/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in html
    assert 'accept="application/pdf,image/jpeg,image/png"' in html
    assert 'capture="environment"' in html


def test_a_camera_photo_is_uploaded_like_a_file(world: ClinicWorld, patient: Patient) -> None:
    response = world.client("nurse").post(
        f"/documents/patient/{patient.pk}/upload/",
        {
            "photo": uploaded("image.jpg", jpeg_bytes(), "image/jpeg"),
            "kind": "outside-prescription",
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.content_type, document.kind) == ("image/jpeg", "outside-prescription")


def test_a_file_and_a_photo_together_are_refused(world: ClinicWorld, patient: Patient) -> None:
    response = world.client("nurse").post(
        f"/documents/patient/{patient.pk}/upload/",
        {"file": uploaded("a.pdf", pdf_bytes()), "photo": uploaded("b.jpg", jpeg_bytes())},
    )
    assert "Choose either a file or a photo, not both." in response.content.decode()
    assert not Document.objects.exists()


def test_an_upload_from_a_visit_is_attached_to_it(world: ClinicWorld, patient: Patient) -> None:
    visit = encounter_actions.start_encounter(
        acting_user=world.user("doctor"), patient=patient, facility=world.facility
    )
    url = f"/documents/patient/{patient.pk}/upload/?encounter={visit.pk}"
    client = world.client("doctor")
    assert "It will be attached to the visit of" in client.get(url).content.decode()
    client.post(url, {"file": uploaded("cbc.pdf", pdf_bytes()), "encounter": str(visit.pk)})
    assert Document.objects.get().encounter == visit


def test_another_patients_visit_is_not_found(world: ClinicWorld, patient: Patient) -> None:
    other = world.register(name="Ramesh Kumar")
    visit = encounter_actions.start_encounter(
        acting_user=world.user("doctor"), patient=other, facility=world.facility
    )
    client = world.client("doctor")
    base = f"/documents/patient/{patient.pk}/upload/"
    assert client.get(f"{base}?encounter={visit.pk}").status_code == 404
    assert client.get(f"{base}?encounter={uuid.uuid4()}").status_code == 404
    assert client.get(f"{base}?encounter=nonsense").status_code == 404
    client.post(base, {"file": uploaded("cbc.pdf", pdf_bytes()), "encounter": str(visit.pk)})
    assert not Document.objects.exists()
