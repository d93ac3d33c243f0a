"""Each test stores its blobs in its own data directory, so files on disk can be counted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nidaan.patients.models import Patient
from tests.factories import ClinicWorld


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def patient(world: ClinicWorld) -> Patient:
    return world.register(name="Sunita Devi", mobile="9876543210")
