"""The merge rules in one process, on the suite's database (SQLite, and PostgreSQL under
make test-pg): order-independence, idempotence, and what is held back and why."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from nidaan.core.models import ChangeLogEntry
from nidaan.patients.models import Patient
from nidaan.sync.merge import apply_changes
from tests.factories import ClinicWorld

NODE_A = uuid.UUID("00000000-0000-7000-8000-00000000000a")
NODE_B = uuid.UUID("00000000-0000-7000-8000-00000000000b")
HOUR_MS = 3600 * 1000


def _change(
    world: ClinicWorld,
    patient: Patient,
    node: uuid.UUID,
    seq: int,
    hlc_ms: int,
    fields: dict[str, Any],
    op: str = "update",
    entity: str = "patients.patient",
) -> ChangeLogEntry:
    return ChangeLogEntry(
        node_id=node,
        node_seq=seq,
        hlc=hlc_ms << 16,
        org_id=world.organisation.pk,
        entity=entity,
        entity_id=patient.pk,
        op=op,
        fields=fields,
        schema_version=1,
    )


def _apply(changes: list[ChangeLogEntry], **kwargs: Any) -> Any:
    with transaction.atomic():
        return apply_changes(changes, **kwargs)


def test_per_field_last_writer_wins_in_any_delivery_order(world: ClinicWorld) -> None:
    base = 1_900_000_000_000
    edits = [
        ("a", 1, base + 1, {"district": "Patna"}),
        ("b", 1, base + 2, {"district": "Gaya", "locality": "Station Road"}),
        ("a", 2, base + 3, {"locality": "Boring Road"}),
        ("b", 2, base + 3, {"mobile": "9812345678"}),  # same clock, other field
    ]
    outcomes = set()
    for order in itertools.permutations(edits):
        # Fresh node ids per ordering: the same (node, seq) twice is a re-delivery.
        nodes = {"a": uuid.uuid4(), "b": uuid.uuid4()}
        patient = world.register(name="Order Test")
        changes = [
            _change(world, patient, nodes[name], seq, hlc_ms, fields)
            for name, seq, hlc_ms, fields in order
        ]
        _apply(changes)
        _apply(changes)  # re-delivery
        patient.refresh_from_db()
        outcomes.add((patient.district, patient.locality, patient.mobile))
    assert outcomes == {("Gaya", "Boring Road", "9812345678")}


def test_same_clock_same_field_is_won_by_the_larger_node_id(world: ClinicWorld) -> None:
    patient = world.register(name="Tie")
    clock = 1_900_000_000_000
    _apply([_change(world, patient, NODE_B, 1, clock, {"district": "Nalanda"})])
    _apply([_change(world, patient, NODE_A, 1, clock, {"district": "Patna"})])
    patient.refresh_from_db()
    assert patient.district == "Nalanda"


def test_changes_that_cannot_apply_are_kept_with_their_reason(
    world: ClinicWorld, other_world: Callable[[], ClinicWorld]
) -> None:
    patient = world.register(name="Held")
    stranger = other_world()
    now_ms = 1_900_000_000_000
    changes = [
        _change(world, patient, NODE_A, 1, now_ms, {"district": "X"}, entity="nosuch.model"),
        _change(world, patient, NODE_A, 2, now_ms, {"nonsense_field": 1}),
        _change(world, patient, NODE_A, 3, now_ms + 10 * HOUR_MS, {"district": "Future"}),
        _change(world, patient, NODE_A, 4, now_ms, {"district": "Y"}, op="update"),
    ]
    changes[3].schema_version = 99
    foreign = _change(stranger, patient, NODE_A, 5, now_ms, {"district": "Hacked"})
    result = _apply([*changes, foreign], scope_org=world.organisation.pk, wall_ms=now_ms)
    reasons = [reason for _, reason in result.quarantined]
    assert len(reasons) == 5
    assert "unknown record type" in reasons[0]
    assert "no synced field nonsense_field" in reasons[1]
    assert "ahead of the hub's clock" in reasons[2]
    assert "newer Nidaan" in reasons[3]
    assert "another organisation" in reasons[4]
    held = ChangeLogEntry.objects.filter(node_id=NODE_A).exclude(quarantine_reason="")
    assert held.count() == 5  # stored, never dropped
    assert all(entry.server_seq is None for entry in held)
    patient.refresh_from_db()
    assert patient.district == ""


def test_a_malformed_batch_is_refused_before_anything_is_stored(world: ClinicWorld) -> None:
    from nidaan.sync.wire import BadChange, parse_changes

    good = {
        "node_id": str(NODE_A),
        "node_seq": 1,
        "hlc": 5,
        "org_id": None,
        "entity": "patients.patient",
        "entity_id": str(uuid.uuid4()),
        "op": "insert",
        "fields": {},
        "schema_version": 1,
        "actor_id": None,
    }
    for bad, message in [
        ({**good, "node_seq": "1"}, "node_seq must be a non-negative 64-bit integer"),
        ({**good, "node_seq": 0}, "node_seq starts at 1"),
        ({**good, "hlc": 2**63}, "hlc must be a non-negative 64-bit integer"),
        ({**good, "op": ["insert"]}, "op must be one of"),
        ({**good, "op": "delete"}, "op must be one of"),
        ({**good, "entity_id": "not-a-uuid"}, "entity_id is not a UUID"),
        ({**good, "fields": []}, "fields must be an object"),
        ({**good, "fields": {"name": "Ram\x00"}}, "field 'name' contains a NUL character"),
        ({**good, "fields": {"extra": {"a": ["\x00"]}}}, "field 'extra' contains a NUL"),
    ]:
        with pytest.raises(BadChange, match=message):
            parse_changes([good, bad])
    assert not ChangeLogEntry.objects.filter(node_id=NODE_A).exists()


def test_append_only_rows_are_never_changed_by_sync(world: ClinicWorld) -> None:
    from nidaan.core.permissions import Role
    from nidaan.encounters import actions as chart

    patient = world.register(name="Fact")
    doctor = world.user(Role.DOCTOR)
    encounter = chart.start_encounter(acting_user=doctor, patient=patient, facility=world.facility)
    vitals = chart.record_vitals(encounter, {"pulse": 80}, acting_user=doctor)
    change = ChangeLogEntry(
        node_id=NODE_B,
        node_seq=1,
        hlc=(2_000_000_000_000 << 16),
        org_id=world.organisation.pk,
        entity="encounters.vitalsigns",
        entity_id=vitals.pk,
        op="update",
        fields={"pulse": 200},
        schema_version=1,
    )
    result = _apply([change])
    assert "append-only" in result.quarantined[0][1]
    vitals.refresh_from_db()
    assert vitals.pulse == 80


def test_a_change_from_a_newer_nidaan_waits_and_applies_after_the_upgrade(
    world: ClinicWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nidaan.sync.actions import retry_held

    patient = world.register(name="Upgrade")
    change = _change(world, patient, NODE_B, 1, 1_900_000_000_000, {"district": "Siwan"})
    change.schema_version = 2
    assert "newer Nidaan" in _apply([change]).quarantined[0][1]
    assert retry_held(only_newer_schema=True) == (0, 1)  # still the old code
    monkeypatch.setattr(Patient, "schema_version", 2)  # this replica is upgraded
    assert retry_held(only_newer_schema=True) == (1, 0)
    patient.refresh_from_db()
    assert patient.district == "Siwan"
    assert not ChangeLogEntry.objects.exclude(quarantine_reason="").exists()


def _found(world: ClinicWorld, query: str) -> list[uuid.UUID]:
    from nidaan.patients.search import search_patients

    return [hit.patient.pk for hit in search_patients(world.organisation.pk, query)]


def test_pulled_edits_keep_search_in_step_only_where_search_looks(world: ClinicWorld) -> None:
    from nidaan.patients.models import SearchTerm

    patient = world.register(name="Sunita Devi", mobile="9876543210")
    terms = set(SearchTerm.objects.filter(patient=patient).values_list("pk", "kind", "term"))
    clock = 1_900_000_000_000
    # An address edit from another PC: the index rows stay as they are (same row ids).
    _apply([_change(world, patient, NODE_A, 1, clock, {"locality": "Boring Road"})])
    assert set(SearchTerm.objects.filter(patient=patient).values_list("pk", "kind", "term")) == (
        terms
    )
    # A new name and mobile from another PC: found by them, no longer by the old ones.
    _apply([_change(world, patient, NODE_A, 2, clock + 1, {"name": "Sunita Kumari"})])
    _apply([_change(world, patient, NODE_B, 1, clock + 2, {"mobile": "9123456780"})])
    assert _found(world, "Sunita Kumari") == [patient.pk]
    assert patient.pk not in _found(world, "Devi")
    assert _found(world, "9123456780") == [patient.pk]
    assert patient.pk not in _found(world, "9876543210")
    # Entered in error elsewhere: found by nobody.
    _apply([_change(world, patient, NODE_B, 2, clock + 3, {"entered_in_error": True})])
    assert _found(world, "Sunita Kumari") == []


def test_a_pulled_edit_of_a_merged_away_record_leaves_it_out_of_search(
    world: ClinicWorld,
) -> None:
    from nidaan.patients.actions import merge_patients
    from nidaan.patients.models import SearchTerm

    survivor = world.register(name="Ramesh Prasad", mobile="9812300001")
    duplicate = world.register(name="Ramesh Prasad", mobile="9812300002")
    merge_patients(
        survivor=survivor,
        merged=duplicate,
        reason="same man, registered twice",
        acting_user=world.user("doctor"),
    )
    assert _found(world, "Ramesh Prasad") == [survivor.pk]
    # Another PC, not yet aware of the merge, edits the duplicate's address.
    clock = 1_900_000_000_000
    _apply([_change(world, duplicate, NODE_A, 1, clock, {"locality": "Kankarbagh"})])
    assert _found(world, "Ramesh Prasad") == [survivor.pk]
    assert not SearchTerm.objects.filter(patient=duplicate).exists()
