"""The same report uploaded twice is two records but one file on disk."""

from __future__ import annotations

import hashlib
from pathlib import Path

from nidaan.documents import storage
from nidaan.documents.models import Document
from nidaan.patients.models import Patient
from tests.documents.files import pdf_bytes, uploaded
from tests.factories import ClinicWorld


def test_identical_content_is_stored_once(
    world: ClinicWorld, patient: Patient, data_dir: Path
) -> None:
    content = pdf_bytes()
    client = world.client("receptionist")
    for name in ("cbc.pdf", "cbc-again.pdf"):
        response = client.post(
            f"/documents/patient/{patient.pk}/upload/", {"file": uploaded(name, content)}
        )
        assert response.status_code == 302

    assert Document.objects.filter(patient=patient).count() == 2
    sha256 = hashlib.sha256(content).hexdigest()
    stored = [p for p in (data_dir / "blobs").rglob("*") if p.is_file()]
    assert stored == [data_dir / "blobs" / sha256[:2] / sha256]
    assert storage.read(sha256) == content
