"""Clinical records are never changed: corrections are versions with a reason."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from nidaan.core.changelog import AppendOnly
from nidaan.core.models import ChangeLogEntry
from nidaan.core.synced import UnloggedWriteRefused
from nidaan.core.versioned import ReasonRequired, RecordStatus, VersionConflict
from nidaan.encounters import actions
from nidaan.encounters.models import ConsultationNote, Diagnosis, Encounter, VitalSigns
from tests.factories import ClinicWorld


@pytest.fixture
def visit(world: ClinicWorld) -> Encounter:
    patient = world.register(name="Sunita Devi")
    return actions.start_encounter(
        acting_user=world.user("doctor"), patient=patient, facility=world.facility
    )


def test_amending_vitals_keeps_the_original_with_who_and_why(
    world: ClinicWorld, visit: Encounter
) -> None:
    doctor = world.user("doctor")
    first = actions.record_vitals(
        visit, {"bp_systolic": 180, "bp_diastolic": 80}, acting_user=world.user("nurse")
    )
    fixed = actions.amend(
        first, {"bp_systolic": 130}, acting_user=doctor, reason="typed 180 for 130"
    )
    first.refresh_from_db()
    assert first.bp_systolic == 180  # untouched
    assert (fixed.bp_systolic, fixed.bp_diastolic) == (130, 80)
    assert fixed.supersedes == first
    assert fixed.lineage == first.lineage == first.pk
    assert fixed.reason == "typed 180 for 130"
    assert fixed.recorded_by == doctor
    assert list(VitalSigns.objects.filter(encounter=visit).current()) == [fixed]
    assert [v.pk for v in fixed.versions()] == [first.pk, fixed.pk]


def test_an_amendment_needs_a_reason(world: ClinicWorld, visit: Encounter) -> None:
    first = actions.add_diagnosis(
        visit, {"icd10_code": "A01.0", "text": "Typhoid fever"}, acting_user=world.user("doctor")
    )
    with pytest.raises(ReasonRequired):
        actions.amend(first, {"certainty": "final"}, acting_user=world.user("doctor"), reason="  ")
    assert Diagnosis.objects.count() == 1


def test_two_doctors_never_overwrite_each_other(world: ClinicWorld, visit: Encounter) -> None:
    opened = ConsultationNote.objects.get(encounter=visit)
    mine = actions.save_consultation(
        opened, {"examination": "chest clear"}, acting_user=world.user("doctor")
    )
    with pytest.raises(VersionConflict) as conflict:
        actions.save_consultation(
            opened, {"examination": "wheeze"}, acting_user=world.user("admin")
        )
    assert conflict.value.current == mine
    assert ConsultationNote.objects.filter(encounter=visit).current().get().examination == (
        "chest clear"
    )


def test_a_draft_saves_freely_but_a_completed_note_needs_a_reason(
    world: ClinicWorld, visit: Encounter
) -> None:
    doctor = world.user("doctor")
    note = ConsultationNote.objects.get(encounter=visit)
    note = actions.save_consultation(note, {"advice": "rest"}, acting_user=doctor)
    note = actions.save_consultation(
        note, {"advice": "rest, fluids"}, acting_user=doctor, complete=True
    )
    assert note.complete
    with pytest.raises(ReasonRequired):
        actions.save_consultation(note, {"advice": "rest"}, acting_user=doctor)
    amended = actions.save_consultation(
        note, {"advice": "rest, ORS"}, acting_user=doctor, reason="ORS forgotten"
    )
    assert amended.complete
    assert ConsultationNote.objects.filter(encounter=visit).count() == 4


def test_entered_in_error_hides_but_keeps(world: ClinicWorld, visit: Encounter) -> None:
    wrong = actions.add_diagnosis(visit, {"text": "Malaria"}, acting_user=world.user("doctor"))
    gone = actions.mark_entered_in_error(
        wrong, acting_user=world.user("doctor"), reason="wrong patient"
    )
    assert gone.status == RecordStatus.ENTERED_IN_ERROR
    assert not Diagnosis.objects.filter(encounter=visit).in_use().exists()
    assert Diagnosis.objects.filter(encounter=visit).count() == 2


def test_concurrent_amendments_are_both_kept(world: ClinicWorld, visit: Encounter) -> None:
    """As when two offline PCs amend the same record: both versions stay current."""
    from nidaan.core import changelog

    first = actions.record_vitals(visit, {"pulse": 80}, acting_user=world.user("nurse"))
    ours = actions.amend(first, {"pulse": 88}, acting_user=world.user("doctor"), reason="a")
    theirs = VitalSigns(
        organisation_id=first.organisation_id,
        patient_id=first.patient_id,
        encounter=visit,
        pulse=92,
        lineage=first.lineage,
        supersedes=first,
        reason="b",
        recorded_by=world.user("admin"),
    )
    changelog.insert(theirs, acting_user=world.user("admin"))  # as sync would apply it
    assert set(VitalSigns.objects.filter(lineage=first.lineage).current()) == {ours, theirs}


def test_stored_clinical_rows_cannot_be_changed_in_place(
    world: ClinicWorld, visit: Encounter
) -> None:
    from nidaan.core import changelog

    vitals = actions.record_vitals(visit, {"pulse": 80}, acting_user=world.user("nurse"))
    vitals.pulse = 60
    with pytest.raises(AppendOnly):
        changelog.update(vitals, ["pulse"], acting_user=world.user("nurse"))
    with pytest.raises(UnloggedWriteRefused):
        VitalSigns.objects.filter(pk=vitals.pk).update(pulse=60)
    assert VitalSigns.objects.get(pk=vitals.pk).pulse == 80


def test_every_version_is_one_insert_in_the_change_log(
    world: ClinicWorld, visit: Encounter
) -> None:
    before = ChangeLogEntry.objects.count()
    first = actions.record_vitals(
        visit, {"temperature_c": Decimal("38.4")}, acting_user=world.user("nurse")
    )
    actions.amend(
        first,
        {"temperature_c": Decimal("37.4")},
        acting_user=world.user("doctor"),
        reason="fever gone",
    )
    entries = list(ChangeLogEntry.objects.order_by("node_seq")[before:])
    assert [(e.entity, e.op) for e in entries] == [("encounters.vitalsigns", "insert")] * 2
    assert entries[1].fields["supersedes_id"] == str(first.pk)
    assert entries[1].fields["temperature_c"] == "37.4"


def test_a_record_entered_in_error_is_not_amended_or_marked_again(
    world: ClinicWorld, visit: Encounter
) -> None:
    from nidaan.core.versioned import AlreadyEnteredInError

    wrong = actions.add_diagnosis(visit, {"text": "Malaria"}, acting_user=world.user("doctor"))
    gone = actions.mark_entered_in_error(
        wrong, acting_user=world.user("doctor"), reason="wrong patient"
    )
    with pytest.raises(AlreadyEnteredInError):
        actions.amend(gone, {"text": "Dengue"}, acting_user=world.user("doctor"), reason="x")
    with pytest.raises(AlreadyEnteredInError):
        actions.mark_entered_in_error(gone, acting_user=world.user("doctor"), reason="again")
    assert Diagnosis.objects.filter(lineage=wrong.lineage).count() == 2


def test_a_stale_save_is_shown_the_newest_version(world: ClinicWorld, visit: Encounter) -> None:
    doctor = world.user("doctor")
    opened = ConsultationNote.objects.get(encounter=visit)
    second = actions.save_consultation(opened, {"advice": "a"}, acting_user=doctor)
    third = actions.save_consultation(second, {"advice": "b"}, acting_user=doctor)
    with pytest.raises(VersionConflict) as conflict:
        actions.save_consultation(opened, {"advice": "c"}, acting_user=doctor)
    assert conflict.value.current == third


def test_a_visit_is_opened_only_for_an_active_doctor_of_the_clinic(
    world: ClinicWorld, other_world: Callable[[], ClinicWorld]
) -> None:
    patient = world.register(name="Ramesh")
    for doctor in (world.user("nurse"), other_world().user("doctor")):
        with pytest.raises(PermissionError):
            actions.start_encounter(
                acting_user=world.user("receptionist"),
                patient=patient,
                facility=world.facility,
                doctor=doctor,
            )
