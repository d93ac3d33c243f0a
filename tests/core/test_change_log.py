"""Every action appends exactly the change entries it should, in the same transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import transaction

from nidaan.accounts import actions as account_actions
from nidaan.clinics.actions import set_up_clinic
from nidaan.core import changelog, node
from nidaan.core.hlc import CREATED, field_stamp, stamp_key
from nidaan.core.models import ChangeLogEntry, NodeState
from nidaan.core.synced import UnloggedWriteRefused
from nidaan.patients import actions as patient_actions
from nidaan.patients.forms import PatientForm
from nidaan.patients.models import Patient
from tests.factories import CLINIC, PASSWORD, ClinicWorld


@contextmanager
def new_entries() -> Iterator[list[ChangeLogEntry]]:
    last = ChangeLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    found: list[ChangeLogEntry] = []
    yield found
    found.extend(ChangeLogEntry.objects.filter(id__gt=last).order_by("node_seq"))


def demographics(**values: object) -> dict[str, object]:
    form = PatientForm({"name": "Ramesh Kumar", "sex": "M", "age": 40, **values})
    assert form.is_valid(), form.errors
    return form.demographics()


@pytest.mark.django_db
def test_setting_up_a_clinic_logs_organisation_branch_and_admin() -> None:
    with new_entries() as entries:
        organisation, _facility, _admin = set_up_clinic(
            clinic=CLINIC,
            admin={
                "username": "admin",
                "password": PASSWORD,
                "role": "admin",
                "full_name": "Admin",
            },
        )
    assert [(e.entity, e.op) for e in entries] == [
        ("clinics.organisation", "insert"),
        ("clinics.facility", "insert"),
        ("accounts.user", "insert"),
    ]
    assert {e.org_id for e in entries} == {organisation.pk}
    user_entry = entries[2]
    assert user_entry.fields["username"] == "admin"
    assert user_entry.fields["password"].startswith("argon2")
    assert "last_login" not in user_entry.fields  # local to each node


def test_registering_a_patient_logs_one_insert_with_every_synced_field(
    world: ClinicWorld,
) -> None:
    receptionist = world.user("receptionist")
    with new_entries() as entries:
        patient = patient_actions.register_patient(
            acting_user=receptionist,
            facility=world.facility,
            demographics=demographics(mobile="9876543210"),
        )
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.entity, entry.entity_id, entry.op) == ("patients.patient", patient.pk, "insert")
    assert entry.actor_id == receptionist.pk
    assert entry.org_id == world.organisation.pk
    synced = set(Patient.synced_field_names())
    expected = {f.attname for f in Patient._meta.concrete_fields if f.name in synced}
    assert set(entry.fields) == expected
    assert entry.fields["name"] == "Ramesh Kumar"
    assert entry.fields["mobile"] == "9876543210"
    assert entry.fields["uhid"] == patient.uhid


def test_an_edit_logs_only_the_fields_that_changed(world: ClinicWorld) -> None:
    patient = world.register(name="Ramesh Kumar", sex="M", age=40, mobile="9876543210")
    with new_entries() as entries:
        changed = patient_actions.update_patient(
            patient,
            acting_user=world.user("receptionist"),
            demographics=demographics(mobile="9812345678", locality="Kankarbagh"),
        )
    assert sorted(changed) == ["locality", "mobile"]
    assert len(entries) == 1
    assert entries[0].op == "update"
    assert entries[0].fields == {"mobile": "9812345678", "locality": "Kankarbagh"}
    patient.refresh_from_db()
    assert field_stamp(patient.field_clock, "mobile") == stamp_key(
        entries[0].hlc, entries[0].node_id
    )
    assert field_stamp(patient.field_clock, "name") < field_stamp(patient.field_clock, "mobile")
    # The clock names only what changed since registration; the rest share one stamp.
    assert set(patient.field_clock) == {CREATED, "mobile", "locality"}


def test_renaming_logs_the_name_and_its_latin_form_not_the_local_search_key(
    world: ClinicWorld,
) -> None:
    patient = world.register(name="Ramesh Kumar", sex="M", age=40)
    with new_entries() as entries:
        patient_actions.update_patient(
            patient,
            acting_user=world.user("receptionist"),
            demographics=demographics(name="रमेश कुमार सिंह"),
        )
    assert set(entries[0].fields) == {"name", "name_latin"}
    assert entries[0].fields["name_latin"] == "Ramesh Kumar Singh"
    patient.refresh_from_db()
    assert patient.name_key == " rames kumr sing "  # saved, but each replica derives it


def test_an_edit_that_changes_nothing_logs_nothing(world: ClinicWorld) -> None:
    patient = world.register(name="Ramesh Kumar", sex="M", age=40)
    with new_entries() as entries:
        changed = patient_actions.update_patient(
            patient, acting_user=world.user("receptionist"), demographics=demographics()
        )
    assert changed == []
    assert entries == []


def test_staff_actions_log_one_entry_each(world: ClinicWorld) -> None:
    nurse = world.user("nurse")
    with new_entries() as entries:
        account_actions.set_language(nurse, "hi")
        account_actions.change_password(nurse, "Another-Secret-77", acting_user=nurse)
        account_actions.create_api_token(nurse)  # tokens are node-local: no entry
    assert [(e.entity, e.op, sorted(e.fields)) for e in entries] == [
        ("accounts.user", "update", ["language"]),
        ("accounts.user", "update", ["password"]),
    ]


def test_sequence_is_gapless_and_contiguous(world: ClinicWorld) -> None:
    for i in range(5):
        world.register(name=f"Patient {i}")
    seqs = list(ChangeLogEntry.objects.order_by("node_seq").values_list("node_seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert NodeState.objects.get().last_seq == seqs[-1]
    hlcs = list(ChangeLogEntry.objects.order_by("node_seq").values_list("hlc", flat=True))
    assert hlcs == sorted(set(hlcs))


def test_a_failed_action_leaves_no_row_no_entry_and_no_gap(world: ClinicWorld) -> None:
    before_seq = NodeState.objects.get().last_seq
    before_patients = Patient.objects.count()

    class Boom(Exception):
        pass

    def register_then_fail() -> None:
        with transaction.atomic():
            world.register(name="Never Stored")
            raise Boom

    with pytest.raises(Boom):
        register_then_fail()
    assert NodeState.objects.get().last_seq == before_seq
    assert Patient.objects.count() == before_patients
    world.register(name="Stored")
    assert NodeState.objects.get().last_seq == before_seq + 1


def test_bulk_writes_that_bypass_the_log_are_refused(world: ClinicWorld) -> None:
    patient = world.register(name="Ramesh Kumar")
    with pytest.raises(UnloggedWriteRefused):
        Patient.objects.filter(pk=patient.pk).update(name="X")
    with pytest.raises(UnloggedWriteRefused):
        Patient.objects.filter(pk=patient.pk).delete()
    with pytest.raises(UnloggedWriteRefused):
        patient.delete()
    with pytest.raises(UnloggedWriteRefused):
        world.user("nurse").delete()
    patient.refresh_from_db()
    assert patient.name == "Ramesh Kumar"


@pytest.mark.django_db(transaction=True)
def test_counters_refuse_to_move_outside_a_transaction() -> None:
    with pytest.raises(node.NotInTransaction):
        node.next_change_stamps(1)


def test_updating_an_unsynced_field_is_refused(world: ClinicWorld) -> None:
    user = world.user("nurse")
    with pytest.raises(ValueError, match="not synced"):
        changelog.update(user, ["last_login"], acting_user=user)
