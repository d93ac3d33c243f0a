"""A copied blob folder reveals no report: files are AES-GCM sealed per organisation,
and a file moved under another name or altered does not open."""

from __future__ import annotations

import hashlib
import shutil
import uuid
from pathlib import Path

import pytest

from nidaan.documents import storage
from tests.documents.files import pdf_bytes, uploaded


def test_the_file_on_disk_holds_no_plain_text(data_dir: Path) -> None:
    content = pdf_bytes("HIV test: reactive")
    blob = storage.store(uploaded("r.pdf", content), organisation_id=uuid.uuid4())
    on_disk = storage.blob_path(blob.sha256).read_bytes()
    assert b"reactive" not in on_disk
    assert b"%PDF" not in on_disk
    assert storage.read(blob.sha256) == content


def test_a_file_renamed_to_another_blob_does_not_open(data_dir: Path) -> None:
    first = storage.store(uploaded("a.pdf", pdf_bytes("A")), organisation_id=uuid.uuid4())
    second = storage.store(uploaded("b.pdf", pdf_bytes("B")), organisation_id=uuid.uuid4())
    shutil.copyfile(storage.blob_path(first.sha256), storage.blob_path(second.sha256))
    assert storage.state_of(second.sha256) == storage.BlobState.CORRUPTED
    with pytest.raises(storage.BlobCorrupted):
        storage.read(second.sha256)


def test_files_from_before_encryption_still_open(data_dir: Path) -> None:
    content = pdf_bytes("old report")
    sha256 = hashlib.sha256(content).hexdigest()
    path = storage.blob_path(sha256)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    assert storage.read(sha256) == content
    assert storage.state_of(sha256) == storage.BlobState.INTACT
