"""Two clinic PCs and a hub, as real processes over real HTTP: what one records reaches
the other, and concurrent work merges the same way everywhere."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.harness import Hub, Replica, assert_converged, new_node, sync_all


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    running = Hub(tmp_path)
    yield running
    running.close()


@pytest.fixture
def pair(hub: Hub, tmp_path: Path) -> Iterator[tuple[Replica, Replica]]:
    a = new_node(hub, tmp_path, "reception")
    b = new_node(hub, tmp_path, "doctor-laptop")
    yield a, b
    a.stop()
    b.stop()


def test_enrolled_node_receives_the_clinic_and_its_staff(hub: Hub, tmp_path: Path) -> None:
    node = new_node(hub, tmp_path, "first")
    report = node.call("sync")
    assert report.get("failed") is None
    # The snapshot brought the demo clinic's users: the node can act as them offline.
    made = node.call("register", name="Kamla Devi", mobile="9812345678")
    assert made["uhid"]
    node.stop()


def test_a_patient_registered_on_one_node_appears_on_the_other(
    hub: Hub, pair: tuple[Replica, Replica]
) -> None:
    a, b = pair
    patient = a.call("register", name="Ramesh Kumar", mobile="9876543210")
    assert b.call("edit", patient_id=patient["id"], field="locality", value="Kankarbagh") == {
        "skipped": "patient not here yet"
    }
    sync_all([a, b])
    assert b.call("edit", patient_id=patient["id"], field="locality", value="Kankarbagh")[
        "changed"
    ] == ["locality"]
    sync_all([a, b])
    assert_converged(hub, [a, b])


def test_offline_edits_of_different_fields_both_survive(
    hub: Hub, pair: tuple[Replica, Replica]
) -> None:
    a, b = pair
    patient = a.call("register", name="Sunita Sharma")
    sync_all([a, b])
    # Both offline: reception fixes the mobile, the doctor's laptop the locality.
    a.call("edit", patient_id=patient["id"], field="mobile", value="9811122233")
    b.call("edit", patient_id=patient["id"], field="locality", value="Boring Road")
    sync_all([a, b])
    hub_state = assert_converged(hub, [a, b])
    assert any(key.endswith(patient["id"]) for key in hub_state["rows"])
    # Neither edit was lost: each node can see the other's value by editing it back.
    assert a.call("edit", patient_id=patient["id"], field="locality", value="Boring Road") == {
        "changed": []
    }
    assert b.call("edit", patient_id=patient["id"], field="mobile", value="9811122233") == {
        "changed": []
    }


def test_concurrent_edits_of_one_field_resolve_the_same_way_everywhere(
    hub: Hub, pair: tuple[Replica, Replica]
) -> None:
    a, b = pair
    patient = a.call("register", name="Geeta Kumari")
    sync_all([a, b])
    # The laptop's clock runs 10 s ahead, so its edit is the later one by the clocks that
    # decide: each node corrects its clock to the hub's at enrolment, to within one
    # network trip, and on a busy machine that error can exceed the gap between two calls.
    b.call("skew", ms=10_000)
    a.call("edit", patient_id=patient["id"], field="district", value="Patna")
    b.call("edit", patient_id=patient["id"], field="district", value="Gaya")  # later clock
    sync_all([a, b])
    assert_converged(hub, [a, b])
    # The later writer won on both nodes.
    assert a.call("edit", patient_id=patient["id"], field="district", value="Gaya") == {
        "changed": []
    }


def test_concurrent_amendments_are_both_kept(hub: Hub, pair: tuple[Replica, Replica]) -> None:
    a, b = pair
    patient = a.call("register", name="Mohan Lal")
    a.call("visit", patient_id=patient["id"], pulse=80)
    sync_all([a, b])
    first = a.call("amend_vitals", patient_id=patient["id"], pulse=82)
    second = b.call("amend_vitals", patient_id=patient["id"], pulse=84)
    sync_all([a, b])
    hub_state = assert_converged(hub, [a, b])
    rows = hub_state["rows"]
    assert f"encounters.vitalsigns:{first['version']}" in rows
    assert f"encounters.vitalsigns:{second['version']}" in rows


def test_redelivery_changes_nothing(hub: Hub, pair: tuple[Replica, Replica]) -> None:
    a, b = pair
    patient = a.call("register", name="Asha Devi")
    a.call("visit", patient_id=patient["id"], pulse=72)
    a.call("edit", patient_id=patient["id"], field="district", value="Nalanda")
    sync_all([a, b])
    before = b.call("state")
    b.call("reset_pull_cursor")
    assert b.call("sync")["pulled"] > 0
    after = b.call("state")
    # Rows are untouched; the only addition is the log entries of changes the snapshot
    # had delivered as rows (the hub's own set-up of the clinic).
    assert after["rows"] == before["rows"]
    assert set(before["changes"]) <= set(after["changes"])
    assert_converged(hub, [a, b])


def test_two_offline_reception_pcs_never_issue_the_same_token(
    hub: Hub, pair: tuple[Replica, Replica]
) -> None:
    a, b = pair
    first = a.call("register", name="Rani Kumari")
    second = b.call("register", name="Babloo Singh")
    # Both PCs offline, both give the first token of the day for the same doctor.
    issued = {a.call("token", patient_id=first["id"])["label"]}
    issued.add(b.call("token", patient_id=second["id"])["label"])
    assert len(issued) == 2, issued
    assert {label[0] for label in issued} == {"A", "B"}
    sync_all([a, b])
    assert a.call("tokens_today") == b.call("tokens_today") == sorted(issued)
    assert_converged(hub, [a, b])


def test_a_visit_recorded_offline_under_a_merged_record_shows_under_the_survivor(
    hub: Hub, pair: tuple[Replica, Replica]
) -> None:
    a, b = pair
    kept = a.call("register", name="Lalita Devi", mobile="9812300000")
    twin = b.call("register", name="Lalita", mobile="9812300000")
    sync_all([a, b])
    a.call("merge", survivor=kept["id"], merged=twin["id"])
    # B has not heard of the merge: its doctor records a visit under the duplicate.
    visit = b.call("visit", patient_id=twin["id"], pulse=88)
    sync_all([a, b])
    assert_converged(hub, [a, b])
    for node in (a, b):
        assert node.call("shown_as")[twin["id"]] == kept["id"]
        assert visit["encounter"] in node.call("history_visits", patient_id=kept["id"])
    # Unmerged on B: both PCs show two records again.
    b.call("unmerge_any", patient_id=twin["id"])
    sync_all([a, b])
    assert a.call("shown_as")[twin["id"]] == twin["id"]
    assert_converged(hub, [a, b])


def test_opposite_merges_on_two_offline_pcs_settle_the_same_everywhere(
    hub: Hub, pair: tuple[Replica, Replica]
) -> None:
    a, b = pair
    one = a.call("register", name="Shyam")
    two = a.call("register", name="Shyam Babu")
    sync_all([a, b])
    a.call("merge", survivor=one["id"], merged=two["id"])
    b.call("merge", survivor=two["id"], merged=one["id"])
    sync_all([a, b])
    assert_converged(hub, [a, b])
    assert a.call("shown_as") == b.call("shown_as")
    assert a.call("shown_as")[two["id"]] == a.call("shown_as")[one["id"]]


def test_bills_issued_on_two_offline_pcs_never_share_a_number(
    hub: Hub, pair: tuple[Replica, Replica]
) -> None:
    a, b = pair
    first = a.call("register", name="Bill Patient A")
    second = b.call("register", name="Bill Patient B")
    numbers = {a.call("bill", patient_id=first["id"])["number"] for _ in range(2)}
    numbers |= {b.call("bill", patient_id=second["id"])["number"] for _ in range(2)}
    assert len(numbers) == 4, numbers
    sync_all([a, b])
    assert a.call("bill_numbers") == b.call("bill_numbers") == sorted(numbers)
    assert_converged(hub, [a, b])
