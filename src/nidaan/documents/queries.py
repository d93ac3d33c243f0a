"""Read-only questions about documents, for views, the API and other apps' pages."""

from __future__ import annotations

import uuid

from nidaan.documents.models import Document
from nidaan.patients.models import Patient


def patient_documents(patient: Patient, *, entered_in_error: bool = False) -> list[Document]:
    """The patient's documents in use, newest first; with `entered_in_error`, also the
    ones withdrawn (their entered-in-error version, which carries the reason)."""
    rows = Document.objects.filter(patient=patient)
    rows = rows.current() if entered_in_error else rows.in_use()
    return list(rows.select_related("recorded_by", "encounter").order_by("-recorded_at", "-id"))


def document_of(organisation_id: uuid.UUID, document_id: uuid.UUID) -> Document | None:
    """Any version of a document of this organisation (another organisation's: None)."""
    return (
        Document.objects.filter(pk=document_id, organisation_id=organisation_id)
        .select_related("patient", "recorded_by", "encounter")
        .first()
    )


def latest_version(document: Document) -> Document:
    """The newest current version of `document`'s lineage (itself when never changed)."""
    latest = (
        Document.objects.filter(lineage=document.lineage)
        .current()
        .select_related("recorded_by")
        .order_by("-recorded_at", "-id")
        .first()
    )
    return latest or document
