"""On a PC with an OS keyring, the first start keeps the new key there: the key file on
disk holds only the key's id and where to find it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring

from nidaan import keys
from nidaan.keys import keyfile


@pytest.fixture
def user_keyring(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[PlaintextKeyring]:
    before = keyring.get_keyring()
    store = PlaintextKeyring()
    store.file_path = str(tmp_path / "keyring_pass.cfg")
    keyring.set_keyring(store)
    monkeypatch.delenv("NIDAAN_MASTER_KEY", raising=False)
    monkeypatch.delenv("NIDAAN_KEY_PASSPHRASE", raising=False)
    monkeypatch.setenv("NIDAAN_KEY_FILE", str(tmp_path / "keys" / "master.key"))
    yield store
    keyring.set_keyring(before)
    keys.forget_unlocked()


def test_first_start_keeps_the_key_in_the_keyring(user_keyring: PlaintextKeyring) -> None:
    unlocked = keys.unlock()
    assert unlocked.source == keys.FROM_KEYRING
    assert unlocked.protected is True
    stored = keyfile.read(unlocked.path)
    assert stored is not None
    assert stored.form == keyfile.SLOTS
    assert stored.key_id == keys.fingerprint(unlocked.key)
    assert stored.sealed == b""
    assert keys.recovery_text(unlocked.key).encode() not in unlocked.path.read_bytes()
    in_keyring = user_keyring.get_password("nidaan", stored.keyring_entry)
    assert in_keyring == keys.recovery_text(unlocked.key)

    keys.forget_unlocked()  # the next start reads it back from the keyring
    again = keys.unlock()
    assert again.key == unlocked.key
    assert again.source == keys.FROM_KEYRING
