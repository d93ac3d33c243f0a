"""A node made before encryption was the default is told what to do, and
`nidaan keys encrypt-database` converts it in place: refused while Nidaan runs, every
row checked, the old plain file overwritten, a run cut short finished next time."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from tests.keys.nodes import NIDAAN, PASSPHRASE, decrypt_in_place, nidaan, node_env
from tests.node_database import open_node_database

PLAIN = {"NIDAAN_DB_ENCRYPTION": "off"}
UNLOCK = {"NIDAAN_KEY_PASSPHRASE": PASSPHRASE}


def test_an_old_plain_node_is_converted_in_place(
    protected_node: Callable[[str], Path],
) -> None:
    node = protected_node("clinic-pc")
    decrypt_in_place(node)
    database = node / "nidaan.sqlite3"
    assert database.read_bytes().startswith(b"SQLite format 3")
    assert b"Fatima Khan" in database.read_bytes()

    told = nidaan(node, "audit", "verify", **UNLOCK)
    assert told.returncode == 3
    assert "plain, unencrypted SQLite database" in told.stderr
    assert "nidaan keys encrypt-database" in told.stderr

    # Refused while the old Nidaan still has the database open.
    holder = subprocess.Popen(
        [
            NIDAAN,
            "shell",
            "--no-imports",
            "-c",
            "from nidaan.patients.models import Patient; "
            "print(Patient.objects.count(), flush=True); import time; time.sleep(120)",
        ],
        env=node_env(node, **PLAIN, **UNLOCK),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "5"
        busy = nidaan(node, "keys", "encrypt-database", **UNLOCK)
    finally:
        holder.kill()
        holder.wait()
    assert busy.returncode == 1
    assert "stop `nidaan serve` and `nidaan worker`" in busy.stderr
    assert database.read_bytes().startswith(b"SQLite format 3")

    started = time.monotonic()
    done = nidaan(node, "keys", "encrypt-database", **UNLOCK)
    assert done.returncode == 0, done.stderr
    for step in ("1/4 copying", "2/4 checking", "3/4 putting", "4/4 removing", "identical"):
        assert step in done.stdout
    assert time.monotonic() - started < 120
    content = database.read_bytes()
    assert not content.startswith(b"SQLite format 3")
    assert b"Fatima Khan" not in content
    assert sorted(path.name for path in node.glob("nidaan.sqlite3*")) == ["nidaan.sqlite3"]

    verified = nidaan(node, "audit", "verify", **UNLOCK)
    assert verified.returncode == 0, verified.stderr
    assert "the chain is intact" in verified.stdout
    db = open_node_database(node, PASSPHRASE)
    assert db.execute("SELECT COUNT(*) FROM patients_patient").fetchone() == (5,)
    db.close()

    again = nidaan(node, "keys", "encrypt-database", **UNLOCK)
    assert again.returncode == 1
    assert "already encrypted" in again.stderr


def test_a_conversion_cut_short_after_the_swap_is_finished(
    protected_node: Callable[[str], Path], tmp_path: Path
) -> None:
    node = protected_node("clinic-pc")  # encrypted since it was made
    # As a power cut between the swap and the overwrite leaves it: the old plain file.
    leftover = node / "nidaan.sqlite3.plain-old"
    leftover.write_bytes(b"SQLite format 3\x00 ... Fatima Khan ...")
    shutil.copy(node / "nidaan.sqlite3", tmp_path / "before.sqlite3")

    done = nidaan(node, "keys", "encrypt-database", "--if-needed", **UNLOCK)
    assert done.returncode == 0, done.stderr
    assert "finishing an earlier run" in done.stdout
    assert not leftover.exists()
    assert (node / "nidaan.sqlite3").read_bytes() == (tmp_path / "before.sqlite3").read_bytes()
