"""Each test stores its blobs in its own data directory, so files on disk can be counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from nidaan.patients.models import Patient
from tests.factories import ClinicWorld


@pytest.fixture(autouse=True)
def _files_in_own_directory(data_dir: Path) -> None:
    """Every test here stores files: each in its own directory (tests/conftest.py)."""


@pytest.fixture
def patient(world: ClinicWorld) -> Patient:
    return world.register(name="Sunita Devi", mobile="9876543210")
