"""Backing up an encrypted node never writes a plain copy of its database, not even in a
temporary folder: the copy is encrypted under a key made for that one backup."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from nidaan import keys
from nidaan.backups import archive
from nidaan.keys.sqlcipher.base import connect
from tests.factories import make_world

# The copy is read by another connection, as in the clinic: committed rows only.
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_database_copy_is_encrypted_under_its_own_key(tmp_path: Path) -> None:
    world = make_world()
    if connection.vendor != "sqlite":  # the hub's refusal is in test_restore_drill
        assert connection.vendor == "postgresql"
        return
    world.register(name="Shabnam Ansari", mobile="9839011111")
    copy = tmp_path / "copy.sqlite3"
    copy_key = archive._copy_database(copy)
    assert copy_key is not None
    assert copy_key != keys.master_key()
    content = copy.read_bytes()
    assert not content.startswith(b"SQLite format 3")
    assert b"Shabnam" not in content
    db = connect(copy, copy_key)
    (count,) = db.execute(
        "SELECT COUNT(*) FROM patients_patient WHERE name = 'Shabnam Ansari'"
    ).fetchone()
    db.close()
    assert count == 1
