"""A wrong upload is withdrawn with a reason: gone from the list, kept in the history."""

from __future__ import annotations

from django.test import Client

from nidaan.core.models import ChangeLogEntry, ChangeOp
from nidaan.documents.models import Document
from nidaan.patients.models import Patient
from tests.documents.files import a_document
from tests.factories import ClinicWorld


def test_entered_in_error_hides_it_and_keeps_the_history(
    world: ClinicWorld, patient: Patient
) -> None:
    document = a_document(world, patient, title="Someone else's CBC")
    doctor = world.client("doctor")
    response = doctor.post(
        f"/documents/{document.pk}/entered-in-error/", {"reason": "another patient's report"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/documents/patient/{patient.pk}/"

    listing = doctor.get(f"/documents/patient/{patient.pk}/").content.decode()
    assert "Someone else&#x27;s CBC</a>" not in listing
    assert "No reports or images yet." in listing
    with_withdrawn = doctor.get(f"/documents/patient/{patient.pk}/?all=1").content.decode()
    assert "Someone else&#x27;s CBC</a>" in with_withdrawn
    assert "another patient&#x27;s report" in with_withdrawn

    page = doctor.get(f"/documents/{document.pk}/").content.decode()
    assert "Marked as entered in error" in page
    assert "another patient&#x27;s report" in page
    # The original row is untouched; the withdrawal is a new version.
    document.refresh_from_db()
    assert document.status == "final"
    assert Document.objects.filter(lineage=document.lineage).count() == 2
    assert (
        ChangeLogEntry.objects.filter(entity="documents.document", op=ChangeOp.INSERT).count() == 2
    )


def test_a_reason_is_required(world: ClinicWorld, patient: Patient) -> None:
    document = a_document(world, patient)
    doctor = world.client("doctor")
    response = doctor.post(f"/documents/{document.pk}/entered-in-error/", {"reason": "  "})
    assert response.status_code == 302
    page = doctor.get(response["Location"]).content.decode()
    assert "Write why, so the history shows it." in page
    assert Document.objects.count() == 1


def test_the_api_reports_the_withdrawal(world: ClinicWorld, patient: Patient) -> None:
    document = a_document(world, patient)
    world.client("nurse").post(
        f"/documents/{document.pk}/entered-in-error/", {"reason": "uploaded twice"}
    )
    headers = {"Authorization": f"Bearer {world.token('doctor')}"}
    client = Client()
    assert client.get(f"/api/v1/patients/{patient.pk}/documents", headers=headers).json() == []
    body = client.get(f"/api/v1/documents/{document.pk}", headers=headers).json()
    assert (body["status"], body["reason"], body["lineage"]) == (
        "entered-in-error",
        "uploaded twice",
        str(document.pk),
    )
