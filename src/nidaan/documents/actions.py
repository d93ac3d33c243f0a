"""Every write of a document, and every open of one (opens are audited like writes).

The file goes to the blob store before the row is written: a crash in between leaves a
file nobody points at (harmless, stored once), never a record whose file is missing.
The blob is written outside the database transaction so that a slow disk does not hold
the node's write lock while a 10 MB scan is fsync'd.
"""

from __future__ import annotations

from typing import Any

from django.core.files import File
from django.db import transaction

from nidaan.accounts.models import User
from nidaan.audit.models import AuditAction
from nidaan.audit.record import CLI, Origin, record
from nidaan.core import versioned
from nidaan.documents import storage
from nidaan.documents.models import Document, DocumentKind
from nidaan.documents.uploads import check_upload
from nidaan.encounters.models import Encounter
from nidaan.patients.models import Patient


class NotYourPatient(PermissionError):
    pass


def _check_scope(patient: Patient, acting_user: User) -> None:
    if patient.organisation_id != acting_user.organisation_id:
        raise NotYourPatient("the patient belongs to another organisation")


def upload_document(
    *,
    acting_user: User,
    patient: Patient,
    upload: File[Any],
    title: str = "",
    kind: str = DocumentKind.LAB_REPORT,
    encounter: Encounter | None = None,
    origin: Origin = CLI,
) -> Document:
    """Keep an uploaded report or image for `patient` (and the visit, if given).

    Raises ValidationError when the file is empty, too large or not a PDF, JPEG or PNG
    by its content (whatever its name says).
    """
    _check_scope(patient, acting_user)
    if encounter is not None and encounter.patient_id != patient.pk:
        raise ValueError("the visit is not this patient's")
    content_type = check_upload(upload)
    blob = storage.store(upload, organisation_id=patient.organisation_id)
    return _record(
        Document(
            organisation_id=patient.organisation_id,
            patient=patient,
            encounter=encounter,
            title=title.strip(),
            kind=kind,
            original_filename=upload.name or "",
            content_type=content_type,
            size=blob.size,
            sha256=blob.sha256,
        ),
        acting_user=acting_user,
        origin=origin,
    )


@transaction.atomic
def _record(document: Document, *, acting_user: User, origin: Origin) -> Document:
    versioned.record_first(document, acting_user=acting_user)
    record(
        AuditAction.CREATE,
        actor=acting_user,
        target=document,
        patient_id=document.patient_id,
        origin=origin,
        detail={"sha256": document.sha256, "size": document.size},
    )
    return document


@transaction.atomic
def mark_entered_in_error(
    document: Document, *, acting_user: User, reason: str, origin: Origin = CLI
) -> Document:
    """Hide a wrong upload from the patient's documents; it stays in the history.

    Raises core.versioned.ReasonRequired without a reason, VersionConflict when someone
    changed the document since it was read.
    """
    _check_scope(document.patient, acting_user)
    version = versioned.mark_entered_in_error(document, acting_user=acting_user, reason=reason)
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        target=version,
        patient_id=version.patient_id,
        origin=origin,
        detail={"entered_in_error": True, "reason": version.reason},
    )
    return version


def record_view(document: Document, *, acting_user: User, origin: Origin = CLI) -> None:
    """Audit that `acting_user` opened the document's page."""
    _audit_open(document, acting_user, origin, part="page")


def open_file(document: Document, *, acting_user: User, origin: Origin = CLI) -> bytes:
    """The document's bytes, proven intact, with the open audited.

    The open is audited before the file is read, so a failed read (storage.BlobMissing,
    storage.BlobCorrupted) is in the trail too.
    """
    _audit_open(document, acting_user, origin, part="file")
    return storage.read(document.sha256)


def _audit_open(document: Document, acting_user: User, origin: Origin, *, part: str) -> None:
    _check_scope(document.patient, acting_user)
    record(
        AuditAction.VIEW,
        actor=acting_user,
        target=document,
        patient_id=document.patient_id,
        origin=origin,
        detail={"opened": part},
    )
