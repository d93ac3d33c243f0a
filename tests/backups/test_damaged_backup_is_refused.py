"""A backup that was changed, cut short, or made with another key is refused, and
restore never writes into a data directory that is in use."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nidaan import keys
from nidaan.backups import archive
from tests.factories import make_world

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="node backups are of SQLite; the hub's refusal is in test_restore_drill",
    ),
]


@pytest.fixture
def backup(tmp_path: Path) -> Path:
    world = make_world()
    for name in ("Asha", "Bina"):
        world.register(name=name)
    return archive.make_backup(tmp_path / "usb").path


def test_intact_backup_checks(backup: Path, tmp_path: Path) -> None:
    result = archive.restore_backup(backup, tmp_path / "unused", check_only=True)
    assert result.rows > 0
    assert not (tmp_path / "unused").exists()


def test_a_flipped_byte_is_refused(backup: Path, tmp_path: Path) -> None:
    content = bytearray(backup.read_bytes())
    content[len(content) // 2] ^= 0x01
    backup.write_bytes(bytes(content))
    with pytest.raises(archive.RestoreRefused, match="does not open"):
        archive.restore_backup(backup, tmp_path / "restored")
    assert not (tmp_path / "restored").exists()


def test_a_backup_cut_short_is_refused(backup: Path, tmp_path: Path) -> None:
    content = backup.read_bytes()
    backup.write_bytes(content[: len(content) - 40])
    with pytest.raises(archive.RestoreRefused):
        archive.restore_backup(backup, tmp_path / "restored")
    assert not (tmp_path / "restored").exists()


def test_another_nodes_key_is_refused_and_the_right_one_opens(backup: Path, tmp_path: Path) -> None:
    with pytest.raises(archive.RestoreRefused, match="another key"):
        archive.restore_backup(backup, tmp_path / "a", master_key=os.urandom(32))
    recovery = keys.recovery_text(keys.master_key())
    result = archive.restore_backup(
        backup, tmp_path / "b", master_key=keys.from_recovery_text(recovery)
    )
    assert result.rows > 0


def test_restore_refuses_a_data_directory_in_use(backup: Path, tmp_path: Path) -> None:
    target = tmp_path / "in-use"
    target.mkdir()
    (target / "nidaan.sqlite3").write_bytes(b"the clinic's live data")
    with pytest.raises(archive.RestoreRefused, match="not empty"):
        archive.restore_backup(backup, target)
    assert (target / "nidaan.sqlite3").read_bytes() == b"the clinic's live data"


def test_the_backup_reveals_no_patient_name(backup: Path) -> None:
    assert b"Asha" not in backup.read_bytes()
    assert b"SQLite format 3" not in backup.read_bytes()
