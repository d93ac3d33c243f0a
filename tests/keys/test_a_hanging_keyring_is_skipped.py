"""A keyring that never answers (a locked Secret Service waiting on an unlock dialog
nobody sees at boot) costs NIDAAN_KEYRING_TIMEOUT seconds, not the start of the clinic."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest

from nidaan import keys
from nidaan.keys import keyfile

PASSPHRASE = "waiting-for-a-dialog-9"


class LockedKeyring(keyring.backend.KeyringBackend):
    """A real keyring backend whose store is locked: every call waits to be unlocked."""

    priority = 5

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.unlocked = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.unlocked.wait(60)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.unlocked.wait(60)

    def delete_password(self, service: str, username: str) -> None:
        self.unlocked.wait(60)


@pytest.fixture
def locked_keyring(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    before = keyring.get_keyring()
    locked = LockedKeyring()
    keyring.set_keyring(locked)
    monkeypatch.setenv("NIDAAN_KEYRING_TIMEOUT", "0.5")
    monkeypatch.delenv("NIDAAN_MASTER_KEY", raising=False)
    monkeypatch.setenv("NIDAAN_KEY_FILE", str(tmp_path / "keys" / "master.key"))
    yield tmp_path / "keys" / "master.key"
    locked.unlocked.set()
    keyring.set_keyring(before)
    keys.forget_unlocked()


def test_unlock_falls_back_to_the_passphrase(locked_keyring: Path) -> None:
    key = b"k" * 32
    stored = keyfile.KeyFile(
        keyfile.SLOTS,
        key_id=keys.fingerprint(key),
        keyring_entry=keys.keyring_entry(key),
        sealed=keys.seal(key, PASSPHRASE),
    )
    assert keyfile.create(locked_keyring, stored)
    started = time.monotonic()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("NIDAAN_KEY_PASSPHRASE", PASSPHRASE)
        unlocked = keys.unlock()
    assert time.monotonic() - started < 5
    assert unlocked.key == key
    assert unlocked.source == keys.FROM_PASSPHRASE


def test_a_first_start_keeps_the_key_beside_the_data_and_says_so(locked_keyring: Path) -> None:
    started = time.monotonic()
    unlocked = keys.unlock()
    assert time.monotonic() - started < 5
    assert unlocked.source == keys.FROM_PLAIN_FILE
    assert unlocked.protected is False
    stored = keyfile.read(locked_keyring)
    assert stored is not None
    assert stored.form == keyfile.PLAIN
    assert keys.from_recovery_text(stored.plain_text) == unlocked.key
