"""`nidaan` commands run as an operator runs them, each on its own data directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

NIDAAN = str(Path(sys.executable).parent / "nidaan")
PASSPHRASE = "monsoon-clinic-ledger-42"


def node_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("NIDAAN_", "DJANGO_")) and key != "DATABASE_URL"
    }
    env.update(NIDAAN_DATA_DIR=str(data_dir), **extra)
    return env


def nidaan(
    data_dir: Path, *args: str, stdin: str | None = None, **extra: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [NIDAAN, *args],
        env=node_env(data_dir, **extra),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def demo_node(data_dir: Path, **extra: str) -> None:
    """migrate + the demo clinic (its patients: रमेश कुमार, Fatima Khan …)."""
    for args in (("migrate", "--verbosity", "0"), ("demo", "--password", "Demo-Keys-2026")):
        done = nidaan(data_dir, *args, **extra)
        assert done.returncode == 0, done.stderr


def master_of(data_dir: Path, passphrase: str = PASSPHRASE) -> bytes:
    """The node's master key, read as the test (not the node) would: from its key file."""
    from nidaan import keys
    from nidaan.keys import keyfile

    stored = keyfile.read(data_dir / "keys" / "master.key")
    assert stored is not None
    if stored.form == keyfile.PLAIN:
        return keys.from_recovery_text(stored.plain_text)
    return keys.unseal(stored.sealed, passphrase)


def decrypt_in_place(data_dir: Path, passphrase: str = PASSPHRASE) -> None:
    """Turn a node's database back into plain SQLite (as one made before encryption was
    the default), leaving its key file as it is."""
    from nidaan.keys.sqlcipher.base import export, raw_key

    database = data_dir / "nidaan.sqlite3"
    plain = data_dir / "plain.sqlite3"
    export(database, plain, source_key=raw_key(master_of(data_dir, passphrase)), target_key="''")
    for suffix in ("-wal", "-shm"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    plain.replace(database)
