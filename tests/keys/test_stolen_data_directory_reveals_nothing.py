"""A copy of a protected node's whole data directory, taken while Nidaan is writing
(database, its WAL, documents, the key file), shows no patient's name, and neither
SQLite nor Nidaan itself opens it without the passphrase."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlcipher3 import dbapi2 as sqlcipher

from tests.keys.nodes import PASSPHRASE, nidaan

# Patients of the demo clinic, one registered below, and words of a stored lab report.
NAMES = ["रमेश कुमार", "Fatima Khan", "प्रियंका श्रीवास्तव", "Mohd Arif", "Zubeida Qureshi"]

# Run inside `nidaan shell`: write, and copy the data directory while the connection is
# still open, so the copy holds the WAL with the newest rows (as a thief pulling the
# disk of a running PC would get).
STEAL = """
import shutil, sys
from django.core.files.base import ContentFile
from django.db import connection
from nidaan.accounts.models import User
from nidaan.clinics.models import Facility
from nidaan.documents import storage
from nidaan.patients.actions import register_patient
from nidaan.patients.forms import PatientForm

admin = User.objects.get(username="admin")
facility = Facility.objects.get()
form = PatientForm({"name": "Zubeida Qureshi", "sex": "F", "age": 51,
                    "mobile": "9839012345", "locality": "Nakhas"})
assert form.is_valid(), form.errors
register_patient(acting_user=admin, facility=facility, demographics=form.demographics())
storage.store(ContentFile(b"Haemoglobin report of Fatima Khan: 9.1 g/dL"),
              organisation_id=facility.organisation_id)
assert connection.connection is not None
shutil.copytree("{data}", "{stolen}")
print("copied")
"""


def _files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def test_a_stolen_copy_of_the_data_directory_reveals_nothing(
    protected_node: Callable[[str], Path], tmp_path: Path
) -> None:
    data, stolen = protected_node("clinic-pc"), tmp_path / "stolen"
    done = nidaan(
        data,
        "shell",
        "-c",
        STEAL.replace("{data}", str(data)).replace("{stolen}", str(stolen)),
        NIDAAN_KEY_PASSPHRASE=PASSPHRASE,
    )
    assert done.returncode == 0, done.stderr
    assert "copied" in done.stdout

    names = {path.name for path in _files(stolen)}
    assert {"nidaan.sqlite3", "nidaan.sqlite3-wal", "master.key"} <= names
    assert any(path.parent.parent.name == "blobs" for path in _files(stolen))
    for path in _files(stolen):
        content = path.read_bytes()
        for name in NAMES:
            assert name.encode() not in content, f"{name} readable in {path.name}"
        assert b"Haemoglobin" not in content, f"the report is readable in {path.name}"

    database = stolen / "nidaan.sqlite3"
    assert not database.read_bytes().startswith(b"SQLite format 3")
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(database).execute("SELECT COUNT(*) FROM patients_patient")
    with pytest.raises(sqlcipher.DatabaseError, match="not a database"):
        sqlcipher.connect(str(database)).execute("SELECT COUNT(*) FROM patients_patient")

    # Nidaan itself, pointed at the copy without the passphrase, refuses and says why.
    refused = nidaan(stolen, "audit", "verify")
    assert refused.returncode == 3
    assert "needs its passphrase" in refused.stderr
    assert "Fatima" not in refused.stdout + refused.stderr
