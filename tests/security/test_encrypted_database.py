"""A node started with NIDAAN_DB_ENCRYPTION=sqlcipher keeps its database file encrypted:
it works as usual with its key, reveals nothing without it, and its backups restore into
an encrypted database again."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from nidaan import keys

NIDAAN = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "nidaan"


def _run(data_dir: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "NIDAAN_ROLE", "NIDAAN_KEY_FILE")
    }
    env.update(NIDAAN_DATA_DIR=str(data_dir), NIDAAN_DB_ENCRYPTION="sqlcipher", **extra)
    return subprocess.run(
        [str(NIDAAN), *args], env=env, capture_output=True, text=True, timeout=180
    )


def test_encrypted_node_works_and_its_file_reveals_nothing(tmp_path: Path) -> None:
    node = tmp_path / "node"
    assert _run(node, "migrate", "--verbosity", "0").returncode == 0
    demo = _run(node, "demo", "--password", "Cipher-Test-2026")
    assert demo.returncode == 0, demo.stderr
    database = (node / "nidaan.sqlite3").read_bytes()
    assert not database.startswith(b"SQLite format 3")
    for text in ("Nidaan Demo Clinic", "Fatima Khan", "रमेश कुमार"):
        assert text.encode() not in database
    with pytest.raises(sqlite3.DatabaseError), sqlite3.connect(node / "nidaan.sqlite3") as db:
        db.execute("SELECT COUNT(*) FROM patients_patient").fetchone()
    verified = _run(node, "audit", "verify")
    assert verified.returncode == 0
    assert "intact" in verified.stdout

    wrong = keys.recovery_text(os.urandom(32))
    refused = _run(node, "audit", "verify", NIDAAN_MASTER_KEY=wrong)
    assert refused.returncode != 0
    assert "is not the key" in refused.stderr

    backup = _run(node, "backup", "--to", str(tmp_path / "usb"))
    assert backup.returncode == 0, backup.stderr
    (archive,) = (tmp_path / "usb").glob("*.nbak")
    restored = tmp_path / "restored"
    recovery = (node / "keys" / "master.key").read_text().strip()
    done = _run(
        tmp_path / "elsewhere",
        "restore",
        str(archive),
        "--into",
        str(restored),
        "--recovery-key",
        recovery,
    )
    assert done.returncode == 0, done.stderr
    assert not (restored / "nidaan.sqlite3").read_bytes().startswith(b"SQLite format 3")
    after = _run(restored, "audit", "verify")
    assert after.returncode == 0, after.stderr
    assert "intact" in after.stdout
