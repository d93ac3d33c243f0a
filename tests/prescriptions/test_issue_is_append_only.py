"""An issued prescription is frozen: a change is a new version with a reason."""

from __future__ import annotations

import pytest

from nidaan.core.models import ChangeLogEntry
from nidaan.core.synced import UnloggedWriteRefused
from nidaan.core.versioned import ReasonRequired, RecordStatus, VersionConflict
from nidaan.encounters.models import Encounter
from nidaan.prescriptions import actions, records
from nidaan.prescriptions.models import Prescription
from tests.factories import ClinicWorld
from tests.prescriptions.conftest import draft


def test_issue_stores_structured_lines_with_instructions_and_quantities(
    world: ClinicWorld, visit: Encounter
) -> None:
    rx = actions.issue_prescription(visit, draft(), acting_user=world.user("doctor"))
    first = rx.lines[0]
    assert first["generic"] == "Paracetamol"
    assert first["instructions_en"] == "1 morning, 1 afternoon, 1 night, after food, 3 days"
    assert first["instructions_hi"] == "सुबह 1, दोपहर 1, रात 1, खाने के बाद, 3 दिन"
    assert (first["quantity"], first["quantity_unit"]) == ("9", "tab")
    assert rx.drug_names == ["PARACETAMOL", "CETIRIZINE", "PANTOPRAZOLE"]
    assert len(rx.short_code) == 8
    assert ChangeLogEntry.objects.filter(entity="prescriptions.prescription").count() == 1


def test_a_change_is_a_new_version_with_reason_and_the_original_is_untouched(
    world: ClinicWorld, visit: Encounter
) -> None:
    doctor = world.user("doctor")
    first = actions.issue_prescription(visit, draft(), acting_user=doctor)
    with pytest.raises(ReasonRequired):
        actions.revise_prescription(first, draft(), acting_user=doctor, reason=" ")
    second = actions.revise_prescription(
        first, draft(advice="Steam inhalation"), acting_user=doctor, reason="add advice"
    )
    first.refresh_from_db()
    assert first.advice == ""
    assert (second.version_number, second.supersedes_id, second.lineage) == (2, first.pk, first.pk)
    assert second.short_code != first.short_code
    assert records.verify(first.short_code).state == "replaced"  # type: ignore[union-attr]
    assert records.verify(second.short_code).state == "valid"  # type: ignore[union-attr]
    with pytest.raises(VersionConflict):
        actions.revise_prescription(first, draft(), acting_user=doctor, reason="stale copy")


def test_cancelling_keeps_the_record_and_stops_it_verifying(
    world: ClinicWorld, visit: Encounter
) -> None:
    doctor = world.user("doctor")
    rx = actions.issue_prescription(visit, draft(), acting_user=doctor)
    cancelled = actions.cancel_prescription(rx, acting_user=doctor, reason="wrong patient")
    assert cancelled.status == RecordStatus.ENTERED_IN_ERROR
    assert records.verify(rx.short_code).state == "cancelled"  # type: ignore[union-attr]
    assert records.verify(cancelled.short_code).state == "cancelled"  # type: ignore[union-attr]
    assert Prescription.objects.filter(lineage=rx.lineage).count() == 2


def test_stored_prescriptions_cannot_be_bulk_changed(world: ClinicWorld, visit: Encounter) -> None:
    actions.issue_prescription(visit, draft(), acting_user=world.user("doctor"))
    with pytest.raises(UnloggedWriteRefused):
        Prescription.objects.update(advice="changed")
