"""The `nidaan` console script as an operator runs it, in real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.node_database import open_node_database

NIDAAN = str(Path(sys.executable).parent / "nidaan")


def run(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "NIDAAN_ROLE")
    }
    environment.update({"NIDAAN_DATA_DIR": str(data_dir), **env})
    return subprocess.run(
        [NIDAAN, *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def node_identity(data_dir: Path) -> tuple[str, str]:
    db = open_node_database(data_dir)
    row = db.execute("SELECT node_id, uhid_prefix FROM core_nodestate").fetchone()
    db.close()
    return row[0], row[1]


def test_two_nodes_side_by_side_keep_their_own_data(tmp_path: Path) -> None:
    reception_pc, doctor_laptop = tmp_path / "reception", tmp_path / "laptop"
    for data_dir in (reception_pc, doctor_laptop):
        assert run(data_dir, "migrate", "--verbosity", "0").returncode == 0
        created = run(data_dir, "demo", "--password", "Side-By-Side-1")
        assert created.returncode == 0, created.stderr
        assert "admin" in created.stdout
        assert "Side-By-Side-1" in created.stdout
    assert node_identity(reception_pc) != node_identity(doctor_laptop)
    assert node_identity(reception_pc)[1] != node_identity(doctor_laptop)[1]
    db = open_node_database(reception_pc)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    # Each data directory keeps its own secret key, never one from the repository.
    assert (reception_pc / "secret_key").read_text() != (doctor_laptop / "secret_key").read_text()
    assert oct((reception_pc / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_token_create_prints_only_the_token_last(tmp_path: Path) -> None:
    run(tmp_path, "migrate", "--verbosity", "0")
    run(tmp_path, "demo", "--password", "Token-Maker-1")
    result = run(tmp_path, "token", "create", "reception")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("ndn_")
    missing = run(tmp_path, "token", "create", "nobody")
    assert missing.returncode != 0
    assert "no active user named 'nobody'" in missing.stderr


def test_the_hub_refuses_to_start_without_postgresql(tmp_path: Path) -> None:
    result = run(tmp_path, "check", NIDAAN_ROLE="hub")
    assert result.returncode != 0
    assert "The hub runs on PostgreSQL" in result.stderr
    allowed = run(tmp_path, "check", NIDAAN_ROLE="hub", NIDAAN_HUB_ALLOW_SQLITE="1")
    assert allowed.returncode == 0, allowed.stderr


@pytest.mark.parametrize("role", ["clinic", ""])
def test_an_unknown_role_is_a_clear_error(tmp_path: Path, role: str) -> None:
    result = run(tmp_path, "check", NIDAAN_ROLE=role)
    assert result.returncode == 2
    assert "NIDAAN_ROLE must be 'node' or 'hub'" in result.stderr
