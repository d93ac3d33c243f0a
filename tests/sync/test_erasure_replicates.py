"""An erasure carried out on one PC reaches the hub and every other PC, each of which erases
the same data the same way, keeps it erased when an older change of the patient arrives
late from a PC that was offline, and keeps no erased value in its change log or its
database file; a PC set up afterwards never receives the erased values."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from tests.sync.harness import Hub, Replica, _on_postgres, assert_converged, new_node, sync_all

SECRET = "Qadribhai"


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    running = Hub(tmp_path)
    yield running
    running.close()


PAGE = 4096
RESERVED = 80  # SQLCipher 4: each page ends with its IV (16 bytes) and HMAC-SHA512 (64)


def _page_plaintext(page: bytes, number: int, key: bytes) -> bytes:
    """One SQLCipher page decrypted (AES-256-CBC; page 1 starts with the file's salt)."""
    start = 16 if number == 1 else 0
    iv = page[PAGE - RESERVED : PAGE - RESERVED + 16]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(page[start : PAGE - RESERVED]) + decryptor.finalize()


def _readable(path: Path, key: bytes | None) -> bytes:
    """What someone holding the key reads in the file: every page, free ones included."""
    data = path.read_bytes()
    if key is None or path.name.endswith("-shm"):
        return data  # plain, or the WAL index (page numbers, no content)
    if path.name.endswith("-wal"):
        frames = [
            data[at : at + 24 + PAGE] for at in range(32, len(data) - 24 - PAGE + 1, 24 + PAGE)
        ]
        return b"".join(
            _page_plaintext(frame[24:], int.from_bytes(frame[:4], "big"), key) for frame in frames
        )
    pages = [data[at : at + PAGE] for at in range(0, len(data) - PAGE + 1, PAGE)]
    return b"".join(_page_plaintext(page, n, key) for n, page in enumerate(pages, 1))


def _key_of(replica: Replica) -> bytes | None:
    key_hex = replica.call("database_key")["key"]
    return bytes.fromhex(key_hex) if key_hex else None


def _on_disk(data_dir: Path, secret: str, key: bytes | None = None) -> list[str]:
    """Files of a database (main file and WAL) that contain `secret`, read as its pages
    decrypted when the file is encrypted (a stolen disk alone shows nothing; erasure must
    also hide the values from whoever holds the key)."""
    found = []
    for path in sorted(data_dir.glob("nidaan.sqlite3*")):
        data = _readable(path, key)
        if secret.encode() in data or secret.lower().encode() in data:
            found.append(path.name)
    return found


def _hub_personal(hub: Hub, patient_id: str) -> dict[str, object]:
    settings = {
        k: v
        for k, v in hub.env.items()
        if k.startswith(("NIDAAN_", "DATABASE_URL")) and k != "NIDAAN_DATA_DIR"
    }
    reader = Replica(hub.data_dir, **settings)
    try:
        answer: dict[str, object] = reader.call("personal", patient_id=patient_id, secret=SECRET)
        return answer
    finally:
        reader.stop()


def test_an_erasure_reaches_every_replica_and_a_late_old_change_does_not_undo_it(
    hub: Hub, tmp_path: Path
) -> None:
    reception = new_node(hub, tmp_path, "reception")
    laptop = new_node(hub, tmp_path, "laptop")
    offline = new_node(hub, tmp_path, "offline-pc")
    patient = reception.call("register", name=f"Zorawar {SECRET}", mobile="9876501234")
    sync_all([reception, laptop, offline], rounds=1)
    before = laptop.call("personal", patient_id=patient["id"], secret=SECRET)
    assert before["changes_with_secret"] >= 1
    assert before["search_terms"] > 0
    assert _on_disk(laptop.data_dir, SECRET, _key_of(laptop)), "the check below can see a name"

    # The offline PC corrects the name and mobile before the erasure, but its changes
    # reach the hub only after it.
    late = f"Zorawar {SECRET} Sr"
    assert offline.call("edit", patient_id=patient["id"], field="name", value=late)["changed"]
    assert offline.call("edit", patient_id=patient["id"], field="mobile", value="9876501299")[
        "changed"
    ]

    report = offline.call("upload", patient_id=patient["id"], size=5000, seed=7)

    reception.call("erase", patient_id=patient["id"])
    reception.call("sync")
    laptop.call("sync")
    offline.call("sync")  # pushes its old changes, then pulls the erasure
    sync_all([reception, laptop, offline], rounds=2)
    assert_converged(hub, [reception, laptop, offline])

    # A PC set up now starts from the hub's snapshot and tail.
    newcomer = new_node(hub, tmp_path, "newcomer")
    sync_all([reception, laptop, offline, newcomer], rounds=1)
    assert_converged(hub, [reception, laptop, offline, newcomer], bootstrapped=(newcomer,))

    replicas = {
        "reception": reception,
        "laptop": laptop,
        "offline-pc": offline,
        "newcomer": newcomer,
    }
    for name, replica in replicas.items():
        seen = replica.call("personal", patient_id=patient["id"], secret=SECRET)
        assert seen["name"] == "[erased]", name
        assert seen["name_latin"] == "[erased]", name
        assert seen["mobile"] == "", name
        assert seen["changes_with_secret"] == 0, f"{name}: the change log keeps the name"
        assert seen["search_terms"] == 0, name
        assert seen["vocabulary"] == 0, name
        held = _on_disk(replica.data_dir, SECRET, _key_of(replica))
        assert held == [], f"{name}: the file still holds the name"
        assert "missing" in replica.call("blob", sha256=report["sha256"]), name
    on_hub = _hub_personal(hub, patient["id"])
    assert on_hub["name"] == "[erased]"
    assert on_hub["changes_with_secret"] == 0
    if not _on_postgres():
        assert _on_disk(hub.data_dir, SECRET) == []
    assert not list(hub.data_dir.rglob(report["sha256"])), "the report's file left the hub"
    for replica in replicas.values():
        replica.stop()
