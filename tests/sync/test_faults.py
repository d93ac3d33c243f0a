"""Fault injection with real processes over real HTTP: nodes killed at every step of push,
pull and apply, the hub killed mid-transaction, a wire that drops, duplicates, replays
and truncates requests, and clocks years off. Every run ends with the invariants: no
change lost or duplicated, every replica identical.

NIDAAN_SYNC_LONG=1 runs 1,000 seeded lossy-network rounds instead of a handful.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from nidaan.sync.faults import POINTS
from tests.sync.harness import Hub, ProcessDied, Replica, assert_converged, new_node, sync_all

LONG = os.environ.get("NIDAAN_SYNC_LONG") == "1"
TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    running = Hub(tmp_path)
    yield running
    running.close()


def _work(node: Replica, rng: random.Random, label: str) -> None:
    patient = node.call("register", name=f"Patient {label}")
    node.call("visit", patient_id=patient["id"], pulse=rng.randint(60, 100))
    node.call(
        "edit", patient_id=patient["id"], field="district", value=rng.choice(["Patna", "Gaya"])
    )


@pytest.mark.parametrize("point", [p for p in POINTS if not p.startswith(("hub.", "snapshot."))])
def test_a_node_killed_at_any_step_loses_and_duplicates_nothing(
    hub: Hub, tmp_path: Path, point: str
) -> None:
    a = new_node(hub, tmp_path, "a")
    b = new_node(hub, tmp_path, "b")
    rng = random.Random(point)
    _work(a, rng, "a1")
    _work(b, rng, "b1")
    b.call("sync")  # so A has something to pull when it dies pulling
    with pytest.raises(ProcessDied) as died:
        a.call("crash_during_sync", point=point)
    assert died.value.code == 137
    a.restart()
    _work(a, rng, "a2")
    sync_all([a, b])
    assert_converged(hub, [a, b])
    a.stop()
    b.stop()


def test_a_new_node_killed_while_applying_its_snapshot_starts_again_cleanly(
    hub: Hub, tmp_path: Path
) -> None:
    a = new_node(hub, tmp_path, "a")
    _work(a, random.Random(1), "a1")
    a.call("sync")
    c = Replica(tmp_path / "c")
    c.call("setup")
    c.call("enrol", hub=hub.url, code=hub.enrolment_code(), name="c")
    with pytest.raises(ProcessDied):
        c.call("crash_during_sync", point="snapshot.applied")
    c.restart()
    assert c.call("sync")["snapshot_rows"] > 0
    sync_all([a, c])
    assert_converged(hub, [a, c], bootstrapped=(c,))
    a.stop()
    c.stop()


def test_the_hub_killed_mid_push_keeps_none_of_it_and_takes_it_again(
    hub: Hub, tmp_path: Path
) -> None:
    a = new_node(hub, tmp_path, "a")
    b = new_node(hub, tmp_path, "b")
    _work(a, random.Random(2), "a1")
    hub.restart(NIDAAN_SYNC_CRASH_AT="hub.push.applied")
    assert "failed" in a.call("sync")  # the hub died under the push
    assert hub.process is not None
    assert hub.process.wait(10) == 137
    hub.start()
    sync_all([a, b])
    assert_converged(hub, [a, b])
    a.stop()
    b.stop()


def test_a_lossy_network_never_loses_or_doubles_a_change(hub: Hub, tmp_path: Path) -> None:
    nodes = [new_node(hub, tmp_path, name) for name in ("a", "b", "c")]
    rounds = 1000 if LONG else 24
    faults: dict[str, int] = {}
    for seed in range(rounds):
        rng = random.Random(seed)
        node = rng.choice(nodes)
        if rng.random() < 0.6:
            _work(node, rng, f"{seed}")
        result = node.call("sync", seed=seed, rate=0.3)
        for name, count in result["faults"].items():
            faults[name] = faults.get(name, 0) + count
    # Every kind of fault happened at least once, and the clean rounds that follow repair
    # everything (any failed or half-answered sync above simply resumes).
    assert set(faults) >= {"drop", "duplicate", "lose-answer", "truncate", "replay-old"}, faults
    sync_all(nodes)
    assert_converged(hub, nodes)
    for node in nodes:
        node.stop()


def test_clocks_ten_years_off_still_merge_by_real_order(hub: Hub, tmp_path: Path) -> None:
    ahead = new_node(hub, tmp_path, "ahead", skew_ms=TEN_YEARS_MS)
    behind = new_node(hub, tmp_path, "behind", skew_ms=-TEN_YEARS_MS)
    patient = ahead.call("register", name="Kusum Devi")
    sync_all([ahead, behind])
    ahead.call("edit", patient_id=patient["id"], field="district", value="Patna")
    ahead.call("sync")
    # Later in real time, on the PC whose clock says 2016: its edit must still win.
    behind.call("edit", patient_id=patient["id"], field="district", value="Gaya")
    # And its clock jumps back a further year: the clock never runs backwards.
    behind.call("skew", ms=-TEN_YEARS_MS - 365 * 24 * 3600 * 1000)
    behind.call("edit", patient_id=patient["id"], field="locality", value="Station Road")
    sync_all([ahead, behind])
    assert_converged(hub, [ahead, behind])
    assert ahead.call("edit", patient_id=patient["id"], field="district", value="Gaya") == {
        "changed": []
    }
    assert ahead.call("edit", patient_id=patient["id"], field="locality", value="Station Road") == {
        "changed": []
    }
    ahead.stop()
    behind.stop()


def test_a_clock_jumping_years_ahead_offline_is_held_back_not_lost(
    hub: Hub, tmp_path: Path
) -> None:
    a = new_node(hub, tmp_path, "a")
    patient = a.call("register", name="Parvati")
    a.call("sync")
    a.call("skew", ms=TEN_YEARS_MS)  # the CMOS battery died while the link was down
    a.call("edit", patient_id=patient["id"], field="district", value="Bhojpur")
    result = a.call("sync")
    held = result["held_on_hub"]
    assert len(held) == 1
    assert "ahead of the hub's clock" in held[0]["reason"]
    hub_state = hub.state()
    assert len(hub_state["held"]) == 1  # kept on the hub, visible to its admins
    assert any(h[1] == held[0]["node_seq"] for h in hub_state["held"])
    a.stop()
