"""Every open of a document, on a page or through the API, is in the audit trail."""

from __future__ import annotations

from django.test import Client

from nidaan.audit.models import AuditAction, AuditEvent
from nidaan.patients.models import Patient
from tests.documents.files import a_document
from tests.factories import ClinicWorld


def test_each_open_leaves_a_view_event(world: ClinicWorld, patient: Patient) -> None:
    document = a_document(world, patient)
    doctor = world.user("doctor")
    client = world.client("doctor")
    client.get(f"/documents/{document.pk}/")
    client.get(f"/documents/{document.pk}/file")
    client.get(f"/documents/{document.pk}/file")
    headers = {"Authorization": f"Bearer {world.token('doctor')}"}
    Client().get(f"/api/v1/documents/{document.pk}/file", headers=headers)

    opens = AuditEvent.objects.filter(
        action=AuditAction.VIEW, entity="documents.document", entity_id=document.pk
    ).order_by("id")
    assert [(e.actor_id, e.channel, e.detail["opened"]) for e in opens] == [
        (doctor.pk, "web", "page"),
        (doctor.pk, "web", "file"),
        (doctor.pk, "web", "file"),
        (doctor.pk, "api", "file"),
    ]
    assert {e.patient_id for e in opens} == {patient.pk}


def test_a_refused_open_is_not_recorded_as_an_open(world: ClinicWorld, patient: Patient) -> None:
    document = a_document(world, patient)
    world.client("receptionist").get(f"/documents/{document.pk}/file")
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW, entity_id=document.pk).exists()
