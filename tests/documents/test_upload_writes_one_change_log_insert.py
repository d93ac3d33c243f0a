"""An upload is one synced write: one change-log insert carrying the whole record."""

from __future__ import annotations

from nidaan.core.models import ChangeLogEntry, ChangeOp
from nidaan.patients.models import Patient
from tests.documents.files import pdf_bytes, uploaded
from tests.factories import ClinicWorld


def test_an_upload_appends_one_insert(world: ClinicWorld, patient: Patient) -> None:
    before = ChangeLogEntry.objects.count()
    world.client("receptionist").post(
        f"/documents/patient/{patient.pk}/upload/",
        {"file": uploaded("cbc.pdf", pdf_bytes()), "title": "CBC", "kind": "lab-report"},
    )
    entries = list(ChangeLogEntry.objects.order_by("node_seq")[before:])
    assert len(entries) == 1
    (entry,) = entries
    assert (entry.entity, entry.op) == ("documents.document", ChangeOp.INSERT)
    assert entry.org_id == world.organisation.pk
    assert entry.fields["title"] == "CBC"
    assert entry.fields["content_type"] == "application/pdf"
    assert len(entry.fields["sha256"]) == 64
    assert entry.fields["patient_id"] == str(patient.pk)
