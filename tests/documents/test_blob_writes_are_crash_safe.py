"""A blob is whole under its final name or absent: never half a file."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from nidaan.documents import storage
from tests.documents.files import pdf_bytes, uploaded


def test_a_failed_write_leaves_no_file_under_the_final_name(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = pdf_bytes()
    sha256 = hashlib.sha256(content).hexdigest()

    def power_cut(fd: int) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(os, "fsync", power_cut)
    with pytest.raises(OSError, match="power cut"):
        storage.store(uploaded("cbc.pdf", content))
    assert not storage.blob_path(sha256).exists()
    assert [p.name for p in storage.blob_path(sha256).parent.iterdir()] == []


def test_a_stored_blob_is_whole_and_named_by_its_hash(data_dir: Path) -> None:
    content = pdf_bytes()
    blob = storage.store(uploaded("cbc.pdf", content))
    assert blob == storage.StoredBlob(hashlib.sha256(content).hexdigest(), len(content))
    path = data_dir / "blobs" / blob.sha256[:2] / blob.sha256
    # Whole on disk, and encrypted at rest: the file is not the report's bytes.
    assert path.read_bytes().startswith(storage.MAGIC)
    assert content not in path.read_bytes()
    assert storage.read(blob.sha256) == content
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]


def test_a_missing_blob_is_reported_not_served(data_dir: Path) -> None:
    sha256 = hashlib.sha256(b"never stored").hexdigest()
    assert storage.state_of(sha256) == storage.BlobState.MISSING
    with pytest.raises(storage.BlobMissing):
        storage.read(sha256)


def test_a_name_that_is_not_a_hash_is_refused() -> None:
    with pytest.raises(ValueError, match="not a SHA-256"):
        storage.blob_path("../../secret_key")
