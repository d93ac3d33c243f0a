"""/api/v1: a patient's lab reports and images (upload, list, metadata, the file)."""

from __future__ import annotations

import datetime
import logging
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from nidaan.api.auth import require
from nidaan.api.errors import FormErrors
from nidaan.api.schemas import Errors, Message
from nidaan.audit.models import AuditAction
from nidaan.audit.record import Origin, record
from nidaan.core.permissions import Perm
from nidaan.documents import actions, storage
from nidaan.documents.forms import DocumentUploadForm
from nidaan.documents.models import Document
from nidaan.documents.queries import document_of, latest_version, patient_documents
from nidaan.patients.models import Patient
from nidaan.privacy import emergency

router = Router(tags=["documents"])
logger = logging.getLogger(__name__)


class DocumentOut(Schema):
    id: uuid.UUID
    lineage: uuid.UUID
    patient_id: uuid.UUID
    encounter_id: uuid.UUID | None
    title: str
    kind: str
    original_filename: str
    content_type: str
    size: int
    sha256: str
    status: str
    reason: str
    recorded_by: str
    recorded_at: datetime.datetime
    file_url: str


def _out(document: Document) -> dict[str, Any]:
    return {
        "id": document.pk,
        "lineage": document.lineage,
        "patient_id": document.patient_id,
        "encounter_id": document.encounter_id,
        "title": document.title,
        "kind": document.kind,
        "original_filename": document.original_filename,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "status": document.status,
        "reason": document.reason,
        "recorded_by": document.recorded_by.get_username(),
        "recorded_at": document.recorded_at,
        "file_url": reverse("api:get_document_file", kwargs={"document_id": document.pk}),
    }


def _patient(organisation_id: Any, patient_id: uuid.UUID) -> Patient:
    patient = Patient.objects.filter(pk=patient_id, organisation_id=organisation_id).first()
    if patient is None:
        raise Http404("no such patient")
    return patient


def _document(organisation_id: uuid.UUID, document_id: uuid.UUID) -> Document:
    document = document_of(organisation_id, document_id)
    if document is None:
        raise Http404("no such document")
    return document


@router.post(
    "/patients/{patient_id}/documents",
    response={201: DocumentOut, 400: Errors, 403: Message, 404: Message},
)
def upload_document(
    request: HttpRequest,
    patient_id: uuid.UUID,
    # Optional here so that a missing file gets the upload page's message (and a caller
    # without the permission a 403 before any validation); the form requires it.
    file: File[UploadedFile | None] = None,
    title: Form[str] = "",
    kind: Form[str] = "",
    encounter_id: Form[str] = "",
) -> Status[dict[str, Any]]:
    """Multipart upload: `file` (PDF, JPEG or PNG, checked by content), optional `title`,
    `kind` (lab-report, imaging, outside-prescription, other) and `encounter_id`."""
    user = require(request, Perm.DOCUMENT_UPLOAD)
    patient = _patient(user.organisation_uuid, patient_id)
    form = DocumentUploadForm(
        {"title": title, "kind": kind, "encounter": encounter_id},
        {"file": file} if file is not None else {},
        patient=patient,
    )
    if not form.is_valid():
        raise FormErrors(form)
    try:
        document = actions.upload_document(
            acting_user=user,
            patient=patient,
            upload=form.cleaned_data["upload"],
            title=form.cleaned_data["title"],
            kind=form.cleaned_data["kind"],
            encounter=form.cleaned_data["encounter"],
            origin=Origin.of(request, "api"),
        )
    except ValidationError as refusal:
        form.add_error("file", refusal)
        raise FormErrors(form) from None
    return Status(201, _out(document))


@router.get(
    "/patients/{patient_id}/documents",
    response={200: list[DocumentOut], 403: Message, 404: Message},
)
def list_documents(request: HttpRequest, patient_id: uuid.UUID) -> list[dict[str, Any]]:
    """The patient's documents in use (not entered in error), newest first."""
    user = require(request, Perm.DOCUMENT_VIEW)
    patient = _patient(user.organisation_uuid, patient_id)
    emergency.check_api(user, patient.pk, patient.registered_at_id)
    record(
        AuditAction.VIEW,
        actor=user,
        target=patient,
        patient_id=patient.pk,
        origin=Origin.of(request, "api"),
        detail={"documents": "list"},
    )
    return [_out(document) for document in patient_documents(patient)]


@router.get(
    "/documents/{document_id}",
    response={200: DocumentOut, 403: Message, 404: Message},
)
def get_document(request: HttpRequest, document_id: uuid.UUID) -> dict[str, Any]:
    """A document's details as of its latest version (status entered-in-error when
    withdrawn, with the reason)."""
    user = require(request, Perm.DOCUMENT_VIEW)
    document = _document(user.organisation_uuid, document_id)
    emergency.check_api(user, document.patient_id)
    actions.record_view(document, acting_user=user, origin=Origin.of(request, "api"))
    return _out(latest_version(document))


@router.get(
    "/documents/{document_id}/file",
    response={200: None, 403: Message, 404: Message, 500: Message},
    url_name="get_document_file",
)
def get_document_file(request: HttpRequest, document_id: uuid.UUID) -> HttpResponse:
    """The stored bytes, served with the content type found when uploaded."""
    user = require(request, Perm.DOCUMENT_VIEW)
    document = _document(user.organisation_uuid, document_id)
    emergency.check_api(user, document.patient_id)
    try:
        content = actions.open_file(document, acting_user=user, origin=Origin.of(request, "api"))
    except storage.BlobMissing:
        raise HttpError(404, "the file has not reached this node yet") from None
    except storage.BlobCorrupted:
        logger.exception("document %s: stored file is damaged", document.pk)
        raise HttpError(500, "the stored file is damaged and is not served") from None
    response = HttpResponse(content, content_type=document.content_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=False, filename=document.served_filename)
        or "inline"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
