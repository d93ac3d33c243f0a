"""Compact field clocks: one creation stamp plus later writes, read and compared as if every
field were listed, so rows replicated before and after compaction still agree."""

from __future__ import annotations

import copy

from nidaan.core.hlc import CREATED, expanded_clock, field_stamp, set_field_stamp
from nidaan.patients.models import Patient
from nidaan.sync import checksums
from tests.factories import ClinicWorld

OLD = "0000018c00000000" + "a" * 32
NEW = "0000018d00000000" + "b" * 32


def test_a_field_without_its_own_stamp_reads_the_creation_stamp() -> None:
    clock: dict[str, object] = {CREATED: OLD}
    assert field_stamp(clock, "name") == OLD
    set_field_stamp(clock, "mobile", NEW)
    assert clock == {CREATED: OLD, "mobile": NEW}
    assert field_stamp(clock, "mobile") == NEW
    # A write stamped as the creation adds nothing: replicas keep the same text.
    set_field_stamp(clock, "mobile", OLD)
    assert clock == {CREATED: OLD}
    # Clocks written before compaction name every field and have no creation key.
    assert field_stamp({"name": 7}, "name") == f"{7:016x}{'0' * 32}"
    assert field_stamp({"name": OLD}, "mobile") == ""


def test_a_registration_keeps_one_stamp_and_an_edit_adds_only_its_fields(
    world: ClinicWorld,
) -> None:
    patient = world.register(name="Kavita Singh", mobile="9876500011")
    assert set(patient.field_clock) == {CREATED}
    names = Patient.synced_field_names()
    assert set(expanded_clock(patient.field_clock, names).values()) == {
        patient.field_clock[CREATED]
    }


def test_divergence_checksums_compare_stamps_not_how_the_clock_is_written(
    world: ClinicWorld,
) -> None:
    patient = world.register(name="Kavita Singh", mobile="9876500011")
    compact = checksums._digest(patient)
    # The same row as a replica that stored it before compaction holds it.
    listed = copy.copy(patient)
    listed.field_clock = expanded_clock(patient.field_clock, Patient.synced_field_names())
    assert CREATED not in listed.field_clock
    assert checksums._digest(listed) == compact
    # One field with another stamp is a real difference.
    listed.field_clock["mobile"] = NEW
    assert checksums._digest(listed) != compact
