"""Hypothesis fuzzing of what the hub takes from a node: a push batch, after a real
registration's changes have been bent out of shape.

Whatever arrives, either the whole batch is refused by `parse_changes` with a message
(nothing stored) or every change in it is stored: applied, or quarantined with its
reason. Applying never raises, on SQLite or PostgreSQL (CI runs both), so one bad change
can neither fail a hub's push transaction nor be lost.

    NIDAAN_FUZZ_EXAMPLES=2000 pytest tests/security/test_sync_batch_fuzz.py   # long mode
"""

from __future__ import annotations

import json
import os
import uuid
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nidaan.core import fastjson
from nidaan.core.models import ChangeLogEntry
from nidaan.sync.merge import apply_changes
from nidaan.sync.wire import BadChange, change_to_wire, parse_changes
from tests.factories import ClinicWorld

EXAMPLES = int(os.environ.get("NIDAAN_FUZZ_EXAMPLES", "150"))

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=400)
    | st.sampled_from(["", "2026-02-30", "01900000-0000-7000-8000-00000000beef", "x" * 300]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=6,
)


@st.composite
def bent(draw: Any, change: dict[str, Any]) -> dict[str, Any]:
    """One change with a few of its keys, or of its fields' values, replaced or dropped."""
    change = json.loads(json.dumps(change))
    change["node_id"] = str(uuid.UUID(int=draw(st.integers(1, 2**64))))
    for _ in range(draw(st.integers(0, 3))):
        where = draw(st.sampled_from(["top", "fields"]))
        target = change if where == "top" else change.get("fields")
        if not isinstance(target, dict) or not target:
            continue
        key = draw(st.sampled_from(sorted(target)))
        if draw(st.booleans()):
            target[key] = draw(JSON_VALUES)
        else:
            del target[key]
    return change


@pytest.mark.django_db(transaction=True)
def test_a_bent_push_batch_is_refused_whole_or_stored_whole(world: ClinicWorld) -> None:
    patient = world.register(name="Fuzz Kumar", mobile="9812345678")
    templates = [
        change_to_wire(entry)
        for entry in ChangeLogEntry.objects.filter(entity_id=patient.pk).order_by("node_seq")
    ]
    organisation = world.organisation.pk

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.lists(st.sampled_from(templates).flatmap(bent), min_size=1, max_size=4))
    def push(batch: list[dict[str, Any]]) -> None:
        body = fastjson.dumps_bytes({"changes": batch})
        before = ChangeLogEntry.objects.count()
        try:
            changes = parse_changes(fastjson.loads(body)["changes"])
        except (BadChange, ValueError):
            assert ChangeLogEntry.objects.count() == before
            return
        with transaction.atomic():
            result = apply_changes(changes, scope_org=organisation, assign_server_seq=True)
        assert len(result.stored) + result.duplicates == len(changes)
        for entry, reason in result.quarantined:
            assert reason
            assert entry.quarantine_reason
        assert ChangeLogEntry.objects.count() == before + len(result.stored)

    push()
