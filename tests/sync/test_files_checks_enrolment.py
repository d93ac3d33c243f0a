"""Document files moving by SHA-256 (resumably), the divergence check, enrolment refusals
and auto-sync by `nidaan worker`, all against a real hub process."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.harness import (
    BIN,
    AgentError,
    Hub,
    Replica,
    assert_converged,
    new_node,
    sync_all,
)


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    running = Hub(tmp_path)
    yield running
    running.close()


def test_a_report_uploaded_on_one_pc_opens_on_the_other_after_a_broken_upload(
    hub: Hub, tmp_path: Path
) -> None:
    a = new_node(hub, tmp_path, "a")
    b = new_node(hub, tmp_path, "b")
    patient = a.call("register", name="Report Patient")
    size = 2_500_000
    doc = a.call("upload", patient_id=patient["id"], size=size, seed=7)
    a.call("push")
    first = a.call("send_first_chunk", sha256=doc["sha256"])
    assert first["body"] == {"complete": False, "received_bytes": 1024 * 1024}
    report = a.call("sync")
    assert report["blobs_sent"] == 1
    assert report["blob_bytes_sent"] == size - 1024 * 1024  # resumed, not restarted
    assert "missing" in b.call("blob", sha256=doc["sha256"])
    assert b.call("sync")["blobs_received"] == 1
    assert b.call("blob", sha256=doc["sha256"]) == {"size": size}
    assert_converged(hub, [a, b])
    a.stop()
    b.stop()


def test_divergence_check_repairs_only_what_differs(hub: Hub, tmp_path: Path) -> None:
    a = new_node(hub, tmp_path, "a")
    patients = [a.call("register", name=f"Check {i}") for i in range(5)]
    a.call("edit", patient_id=patients[2]["id"], field="district", value="Patna")
    a.call("sync")
    a.call("corrupt_row", patient_id=patients[2]["id"])
    with pytest.raises(AssertionError):
        assert_converged(hub, [a])
    report = a.call("sync", check=True)
    assert len(report["repaired"]) == 1
    assert_converged(hub, [a])
    assert a.call("sync", check=True)["repaired"] == []
    a.stop()


def test_used_expired_and_revoked_enrolments_are_refused_plainly(hub: Hub, tmp_path: Path) -> None:
    code = hub.enrolment_code()
    first = Replica(tmp_path / "first")
    first.call("setup")
    first.call("enrol", hub=hub.url, code=code, name="first")
    second = Replica(tmp_path / "second")
    second.call("setup")
    with pytest.raises(AgentError, match="already used"):
        second.call("enrol", hub=hub.url, code=code, name="second")
    with pytest.raises(AgentError, match="unknown enrolment code"):
        second.call("enrol", hub=hub.url, code="AAAA-BBBB-CCCC", name="second")
    expired = hub.nidaan("hub", "enrolment-code", "--hours", "0").strip().splitlines()[-1]
    with pytest.raises(AgentError, match="expired"):
        second.call("enrol", hub=hub.url, code=expired, name="second")

    # The CLI a clinic admin types says the same.
    cli = subprocess.run(
        [str(BIN / "nidaan"), "node", "enrol", "--hub", hub.url, "--code", code],
        env={**second.env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert cli.returncode != 0
    assert "already used" in cli.stderr

    assert "failed" not in first.call("sync")
    hub.nidaan("shell", "-c", _REVOKE_ALL)
    result = first.call("sync")
    assert "revoked" in result["failed"]
    first.stop()
    second.stop()


_REVOKE_ALL = (
    "from nidaan.sync.models import EnrolledNode\n"
    "from nidaan.sync.actions import revoke_node\n"
    "[revoke_node(enrolled=n, acting_user=None) for n in EnrolledNode.objects.all()]\n"
)


def test_the_worker_carries_a_change_to_the_other_pc_within_seconds(
    hub: Hub, tmp_path: Path
) -> None:
    a = new_node(hub, tmp_path, "a")
    b = new_node(hub, tmp_path, "b")
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "nidaan", "worker", "--interval", "1"],
            env=node.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for node in (a, b)
    ]
    try:
        patient = a.call("register", name="Worker Patient")
        started = time.monotonic()
        while time.monotonic() - started < 30:
            if patient["id"] in b.call("shown_as"):
                break
            time.sleep(0.2)
        visible_after = time.monotonic() - started
        assert patient["id"] in b.call("shown_as"), "never reached the other PC"
        assert visible_after < 30
    finally:
        for worker in workers:
            worker.terminate()
            assert worker.wait(15) == 0  # stops cleanly on SIGTERM
    sync_all([a, b])
    assert_converged(hub, [a, b])
    a.stop()
    b.stop()
