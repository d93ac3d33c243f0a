"""Each clinic PC's audit chain reaches the hub, is kept there per PC and verified, shows
on the hub's pages, and cannot be rewritten after shipping without the hub refusing it."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.sync.harness import BIN, PASSWORD, Hub, Replica, new_node


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    running = Hub(tmp_path)
    yield running
    running.close()


def _hub_summary(hub: Hub) -> Any:
    settings = {
        k: v
        for k, v in hub.env.items()
        if k.startswith(("NIDAAN_", "DATABASE_URL")) and k != "NIDAAN_DATA_DIR"
    }
    reader = Replica(hub.data_dir, **settings)
    try:
        return reader.call("audit_summary")
    finally:
        reader.stop()


def _hub_call(hub: Hub, op: str, **args: object) -> Any:
    settings = {
        k: v
        for k, v in hub.env.items()
        if k.startswith(("NIDAAN_", "DATABASE_URL")) and k != "NIDAAN_DATA_DIR"
    }
    reader = Replica(hub.data_dir, **settings)
    try:
        return reader.call(op, **args)
    finally:
        reader.stop()


def _logged_in(hub: Hub, username: str, password: str = PASSWORD) -> httpx.Client:
    browser = httpx.Client(base_url=hub.url, follow_redirects=True, timeout=30)
    page = browser.get("/accounts/login/").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "login page has a CSRF token"
    answer = browser.post(
        "/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": f"{hub.url}/accounts/login/"},
    )
    assert "/accounts/login/" not in str(answer.url), "logged in"
    return browser


def test_both_pcs_chains_arrive_once_and_show_on_the_hubs_pages(hub: Hub, tmp_path: Path) -> None:
    reception = new_node(hub, tmp_path, "reception")
    laptop = new_node(hub, tmp_path, "laptop")
    patient = reception.call("register", name="Audit Trail Patient", mobile="9812345678")
    reception.call("sync")
    laptop.call("sync")
    # The doctor opens the chart on the laptop, and once at reception.
    laptop.call("audit_write", count=3, patient_id=patient["id"])
    reception.call("audit_write", count=2, patient_id=patient["id"])
    first = [reception.call("sync"), laptop.call("sync")]
    assert all(round_["audit_sent"] > 0 and not round_["audit_refused"] for round_ in first)

    summary = _hub_summary(hub)
    per_node = summary["per_node"]
    assert isinstance(per_node, dict)
    for pc in (reception, laptop):
        node_id = pc.call("state")["node_id"]
        mine = pc.call("audit_summary")["per_node"][node_id]
        assert per_node[node_id] == mine, "every event of the PC's chain, as it is numbered"
    assert summary["breaks"] == []

    # Sending again (a lost answer, a replayed request) stores nothing twice.
    again = [reception.call("sync"), laptop.call("sync")]
    assert [round_["audit_sent"] for round_ in again] == [0, 0]
    node_id = reception.call("state")["node_id"]
    replay = reception.call(
        "http",
        method="POST",
        path="/sync/v1/audit",
        body={"node_id": node_id, "from_seq": 1, "events": _events(reception, node_id, 1, 3)},
    )
    assert replay["status"] == 200
    assert replay["body"]["stored"] == 0
    assert _hub_summary(hub)["per_node"] == per_node

    # A gap is answered 409 with where the hub's copy ends.
    top = per_node[node_id][1]
    gap = reception.call(
        "http",
        method="POST",
        path="/sync/v1/audit",
        body={"node_id": node_id, "from_seq": top + 5, "events": []},
    )
    assert gap["status"] == 409
    assert gap["body"]["received_through"] == top

    # The hub's "who saw this record" report lists both PCs' reads, naming the PC.
    admin = _logged_in(hub, "admin")
    report = admin.get(f"/audit/patient/{patient['id']}/").text
    assert "<td>reception</td>" in report
    assert "<td>laptop</td>" in report
    assert report.count("10.0.0.7") >= 5
    log = admin.get("/audit/").text
    assert "laptop" in log

    # `nidaan audit verify` on the hub checks its own chain and each PC's copy, and names
    # the PC and the event when one of them was edited on the hub.
    laptop_id = laptop.call("state")["node_id"]
    done = _verify(hub)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 node(s) checked: the chain is intact" in done.stdout
    _hub_call(hub, "audit_tamper", seq=2, node_id=laptop_id)
    done = _verify(hub)
    assert done.returncode == 1
    assert f"node {laptop_id}: edited: event 2" in done.stdout
    reception.stop()
    laptop.stop()


def _verify(hub: Hub) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "nidaan"), "audit", "verify"],
        env=hub.env,
        capture_output=True,
        text=True,
        check=False,
    )


def _events(pc: Replica, node_id: str, first: int, last: int) -> list[dict[str, object]]:
    events: list[dict[str, object]] = pc.call("audit_wire", first=first, last=last)
    return events


def test_a_chain_rewritten_after_shipping_is_refused_by_name(hub: Hub, tmp_path: Path) -> None:
    pc = new_node(hub, tmp_path, "reception")
    pc.call("register", name="Tamper Target")
    pc.call("audit_write", count=3)
    assert pc.call("sync")["audit_sent"] >= 4
    node_id = pc.call("state")["node_id"]
    shipped = _hub_summary(hub)["per_node"][node_id]

    # An insider edits an event already shipped, recomputes every later hash and the head
    # (the node's own `audit verify` cannot tell), then the PC keeps working.
    pc.call("audit_tamper", seq=2, relink=True)
    assert pc.call("audit_summary")["breaks"] == []
    pc.call("audit_write", count=2)
    round_ = pc.call("sync")
    assert "failed" not in round_, "the clinic's records still sync"
    assert "rewritten after it was shipped" in round_["audit_refused"]
    summary = _hub_summary(hub)
    assert summary["per_node"][node_id] == shipped, "nothing of the rewritten chain stored"
    assert "rewritten" in summary["chains"][node_id]["refused"]
    log = _logged_in(hub, "admin").get("/audit/").text
    assert "was refused" in log

    # Events edited without recomputing the hash are refused for their content.
    fresh = new_node(hub, tmp_path, "laptop")
    fresh_id = fresh.call("state")["node_id"]
    fresh.call("sync")
    fresh.call("audit_write", count=2)
    top = fresh.call("audit_summary")["per_node"][fresh_id][1]
    fresh.call("audit_tamper", seq=top)
    refused = fresh.call("sync")["audit_refused"]
    assert f"event {top}: its content does not match its hash" in refused
    pc.stop()
    fresh.stop()


def test_another_clinics_pc_can_neither_push_into_nor_read_a_chain(
    hub: Hub, tmp_path: Path
) -> None:
    a = new_node(hub, tmp_path, "clinic-a")
    a.call("register", name="Private Person")
    a.call("sync")
    a_id = a.call("state")["node_id"]
    other = hub.add_clinic("Other Clinic", "otheradmin")
    b = new_node(hub, tmp_path, "clinic-b", facility=other["facility"])
    b_id = b.call("state")["node_id"]

    # B is told only where its own chain stands.
    position = b.call("http", method="GET", path="/sync/v1/audit")
    held_by_hub = _hub_summary(hub)["per_node"]
    assert position["body"]["received_through"] == held_by_hub.get(b_id, [0, 0])[1]

    # Posting A's events (under A's id or its own) is refused; nothing is stored.
    events = a.call("audit_wire", first=1, last=2)
    as_a = b.call(
        "http",
        method="POST",
        path="/sync/v1/audit",
        body={"node_id": a_id, "from_seq": 1, "events": events},
    )
    assert as_a["status"] == 400
    assert "credential" in as_a["body"]["error"]
    b_top = held_by_hub.get(b_id, [0, 0])[1]
    forged = [{**event, "node_id": b_id, "seq": b_top + i + 1} for i, event in enumerate(events)]
    as_b = b.call(
        "http",
        method="POST",
        path="/sync/v1/audit",
        body={"node_id": b_id, "from_seq": b_top + 1, "events": forged},
    )
    assert as_b["status"] == 400
    assert "refused" in as_b["body"]["error"]
    assert _hub_summary(hub)["per_node"] == held_by_hub

    # The other clinic's admin sees none of A's events on the hub.
    log = _logged_in(hub, "otheradmin", other["password"]).get("/audit/").text
    assert "clinic-a" not in log
    assert "Private Person" not in log
    own = _logged_in(hub, "admin").get("/audit/").text
    assert "clinic-a" in own
    a.stop()
    b.stop()
