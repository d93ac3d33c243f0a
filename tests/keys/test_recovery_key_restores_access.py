"""The printed recovery key opens the records when the passphrase is forgotten or the
key file is gone, and `nidaan keys recover` puts a new lock on them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from nidaan import keys
from tests.keys.nodes import PASSPHRASE, master_of, nidaan

NEW_PASSPHRASE = "after-the-flood-2027"


def _recovery_key(node: Path) -> str:
    """What `nidaan keys recovery` printed at set-up (tests/keys: test_keyring_…)."""
    return keys.recovery_text(master_of(node))


def _intact(node: Path, **env: str) -> bool:
    done = nidaan(node, "audit", "verify", **env)
    return done.returncode == 0 and "the chain is intact" in done.stdout


def test_forgotten_passphrase(protected_node: Callable[[str], Path]) -> None:
    node = protected_node("clinic-pc")
    recovery = _recovery_key(node)
    assert len(recovery.replace("-", "")) == 52

    done = nidaan(
        node,
        "keys",
        "recover",
        "--recovery-key",
        recovery.lower().replace("-", " "),  # typed from paper, any case and spacing
        "--passphrase",
        NIDAAN_KEY_PASSPHRASE=NEW_PASSPHRASE,
    )
    assert done.returncode == 0, done.stderr
    assert "Recovered" in done.stdout
    assert _intact(node, NIDAAN_KEY_PASSPHRASE=NEW_PASSPHRASE)
    assert not _intact(node, NIDAAN_KEY_PASSPHRASE=PASSPHRASE)


def test_lost_key_file(protected_node: Callable[[str], Path]) -> None:
    node = protected_node("clinic-pc")
    recovery = _recovery_key(node)
    (node / "keys" / "master.key").unlink()

    refused = nidaan(node, "audit", "verify")
    assert refused.returncode == 3
    assert "is encrypted but its key file" in refused.stderr
    assert "nidaan keys recover" in refused.stderr
    assert not (node / "keys" / "master.key").exists()  # no new, wrong key was made

    # The recovery key alone opens the records (a service manager's secret) …
    assert _intact(node, NIDAAN_MASTER_KEY=recovery)
    # … and `recover` makes a new key file.
    done = nidaan(
        node,
        "keys",
        "recover",
        "--passphrase",
        NIDAAN_MASTER_KEY=recovery,
        NIDAAN_KEY_PASSPHRASE=NEW_PASSPHRASE,
    )
    assert done.returncode == 0, done.stderr
    assert _intact(node, NIDAAN_KEY_PASSPHRASE=NEW_PASSPHRASE)


def test_a_wrong_recovery_key_changes_nothing(protected_node: Callable[[str], Path]) -> None:
    node = protected_node("clinic-pc")
    before = (node / "keys" / "master.key").read_bytes()
    wrong = "AAAA-" * 12 + "AAAA"
    done = nidaan(
        node,
        "keys",
        "recover",
        "--recovery-key",
        wrong,
        "--passphrase",
        NIDAAN_KEY_PASSPHRASE=NEW_PASSPHRASE,
    )
    assert done.returncode == 1
    assert "does not open" in done.stderr
    assert (node / "keys" / "master.key").read_bytes() == before
