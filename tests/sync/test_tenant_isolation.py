"""A node of one clinic can neither read nor write another clinic's records on the hub."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.harness import Hub, Replica, new_node


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    running = Hub(tmp_path)
    yield running
    running.close()


def test_a_node_of_clinic_b_cannot_push_into_or_pull_from_clinic_a(
    hub: Hub, tmp_path: Path
) -> None:
    a = new_node(hub, tmp_path, "clinic-a")
    patient = a.call("register", name="Secret Patient", mobile="9898989898")
    a.call("visit", patient_id=patient["id"], pulse=77)
    a.call("sync")
    before = hub.state()

    other = hub.add_clinic("Other Clinic", "otheradmin")
    b: Replica = new_node(hub, tmp_path, "clinic-b", facility=other["facility"])
    b_state = b.call("state")
    assert not any(patient["id"] in key for key in b_state["rows"])
    assert not any(key.startswith("patients.patient:") for key in b_state["rows"])
    pulled = b.call("http", method="GET", path="/sync/v1/pull?after=0&limit=1000")
    assert pulled["status"] == 200
    assert all(c["org_id"] == other["organisation"] for c in pulled["body"]["changes"])

    # B's own valid change, to learn its shape; then three hostile variants of it.
    mine = b.call("register", name="B's own patient")
    b.call("sync")
    template = b.call("last_change")
    next_seq = template["node_seq"] + 1
    hostile = [
        # 1. Claims to be clinic A's change.
        {
            **template,
            "node_seq": next_seq,
            "op": "update",
            "org_id": before_org(before),
            "entity_id": patient["id"],
            "fields": {"district": "Hacked"},
        },
        # 2. Honest about its organisation, but edits A's patient by id.
        {
            **template,
            "node_seq": next_seq + 1,
            "op": "update",
            "entity_id": patient["id"],
            "fields": {"district": "Hacked"},
        },
        # 3. A new row of B's pointing at A's patient.
        {
            **template,
            "node_seq": next_seq + 2,
            "entity": "opd.appointment",
            "entity_id": str(uuid.uuid4()),
            "fields": {"patient_id": patient["id"]},
        },
    ]
    pushed = b.call(
        "http",
        method="POST",
        path="/sync/v1/push",
        body={"node_id": template["node_id"], "from_seq": next_seq, "changes": hostile},
    )
    assert pushed["status"] == 200
    reasons = [held["reason"] for held in pushed["body"]["quarantined"]]
    assert len(reasons) == 3, reasons
    assert "another organisation" in reasons[0]
    assert "another organisation" in reasons[1]

    # Another node's identity is refused outright.
    forged = b.call(
        "http",
        method="POST",
        path="/sync/v1/push",
        body={"node_id": a.call("state")["node_id"], "from_seq": 1, "changes": []},
    )
    assert forged["status"] == 400

    after = hub.state()
    for key, digest in before["rows"].items():
        assert after["rows"][key] == digest, f"{key} changed"
    a.call("sync")
    assert a.call("edit", patient_id=patient["id"], field="district", value="") == {"changed": []}
    assert mine["id"]
    a.stop()
    b.stop()


def before_org(state: dict[str, object]) -> str:
    rows = state["rows"]
    assert isinstance(rows, dict)
    org_key: str = next(key for key in rows if key.startswith("clinics.organisation:"))
    return org_key.split(":", 1)[1]
