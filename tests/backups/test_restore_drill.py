"""The restore drill: back a working clinic up, restore it into an empty data directory,
and find every row of every table and every document byte-identical."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from nidaan.backups import archive
from nidaan.core.permissions import Role
from nidaan.documents.actions import upload_document
from nidaan.opd import actions as opd_actions
from tests.documents.files import pdf_bytes, uploaded
from tests.factories import ClinicWorld, make_world
from tests.node_database import open_node_database, open_test_database

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def own_data_directory(settings: Any, tmp_path: Path) -> None:
    """Documents stored by other tests of the run stay out of this node's backup."""
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()


def _clinic_with_a_morning() -> ClinicWorld:
    world = make_world()
    for name in ("Asha Devi", "रमेश कुमार", "Salma Khan"):
        patient = world.register(name=name)
        entry = opd_actions.issue_token(
            acting_user=world.user(Role.RECEPTIONIST),
            patient=patient,
            doctor=world.user(Role.DOCTOR),
            facility=world.facility,
        )
        opd_actions.start_consultation(entry, acting_user=world.user(Role.DOCTOR))
        upload_document(
            acting_user=world.user(Role.RECEPTIONIST),
            patient=patient,
            upload=uploaded("cbc.pdf", pdf_bytes(f"Haemoglobin of {patient.uhid}")),
            title="CBC",
        )
    return world


def _rows(db: Any) -> dict[str, list[tuple[object, ...]]]:
    tables = [
        name
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
        )
    ]
    result = {}
    for name in tables:
        try:
            result[name] = db.execute(f'SELECT * FROM "{name}" ORDER BY rowid').fetchall()  # noqa: S608
        except Exception as error:  # sqlite3's or sqlcipher3's: a WITHOUT ROWID table
            if type(error).__name__ != "OperationalError":
                raise
            result[name] = sorted(db.execute(f'SELECT * FROM "{name}"').fetchall())  # noqa: S608
    return result


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file() and not path.name.startswith(".")
    }


def _hub_refuses(tmp_path: Path) -> bool:
    """On PostgreSQL (the hub) `nidaan backup` refuses and points at pg_dump; checked here
    so the node-only tests below still assert something there."""
    if connection.vendor == "sqlite":
        return False
    with pytest.raises(archive.RestoreRefused, match="pg_dump"):
        archive.make_backup(tmp_path)
    return True


def test_backup_restores_every_row_and_document(tmp_path: Path) -> None:
    if _hub_refuses(tmp_path):
        return
    _clinic_with_a_morning()
    result = archive.make_backup(tmp_path / "usb")
    assert result.path.exists()
    assert result.files == 4  # the database and three documents

    into = tmp_path / "new-pc" / "data"
    restored = archive.restore_backup(result.path, into)
    assert restored.rows == result.rows

    name = str(connection.settings_dict["NAME"])
    original = open_test_database(name)
    before = _rows(original)
    original.close()
    copy = open_node_database(into)
    after = _rows(copy)
    copy.close()
    assert not (into / archive.DB_NAME).read_bytes().startswith(b"SQLite format 3")
    assert set(after) == set(before)
    for table, rows in before.items():
        assert after[table] == rows, table
    assert sum(len(rows) for rows in before.values()) == restored.rows
    blobs = _files(Path(settings.DATA_DIR) / "blobs")
    assert len(blobs) == 3
    assert _files(into / "blobs") == blobs


def test_restored_node_starts_and_its_audit_chain_is_intact(tmp_path: Path) -> None:
    if _hub_refuses(tmp_path):
        return
    _clinic_with_a_morning()
    result = archive.make_backup(tmp_path / "usb")
    into = tmp_path / "restored"
    done = subprocess.run(
        [Path(sys.executable).parent / "nidaan", "restore", str(result.path), "--into", str(into)],
        env={**os.environ, "NIDAAN_DATA_DIR": str(settings.DATA_DIR)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "match the backup" in done.stdout
    assert (into / "keys" / "master.key").exists()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    verify = subprocess.run(
        [Path(sys.executable).parent / "nidaan", "audit", "verify"],
        env={**env, "NIDAAN_DATA_DIR": str(into)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "the chain is intact" in verify.stdout
