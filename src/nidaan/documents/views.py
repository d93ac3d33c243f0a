"""Document pages: upload, a patient's list, the viewer and the raw file. Thin adapters
over forms, actions and queries."""

from __future__ import annotations

import logging
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from nidaan.accounts.decorators import requires, staff_user
from nidaan.accounts.models import User
from nidaan.audit.models import AuditAction
from nidaan.audit.record import Origin, record
from nidaan.core.permissions import Perm, user_has
from nidaan.core.versioned import ReasonRequired, VersionConflict
from nidaan.documents import actions, storage
from nidaan.documents.forms import DocumentUploadForm, EnteredInErrorForm
from nidaan.documents.models import Document
from nidaan.documents.queries import document_of, latest_version, patient_documents
from nidaan.documents.uploads import max_upload_bytes, size_label
from nidaan.encounters.models import Encounter
from nidaan.patients.models import Patient

logger = logging.getLogger(__name__)


def _patient_of(user: User, patient_id: uuid.UUID) -> Patient:
    """Another organisation's patient is simply not found."""
    return get_object_or_404(Patient, pk=patient_id, organisation_id=user.organisation_uuid)


def _document_of(user: User, document_id: uuid.UUID) -> Document:
    document = document_of(user.organisation_uuid, document_id)
    if document is None:
        raise Http404("no such document")
    return document


def _encounter_of(patient: Patient, value: str) -> Encounter | None:
    if not value:
        return None
    try:
        encounter_id = uuid.UUID(value)
    except ValueError:
        raise Http404("no such visit") from None
    return get_object_or_404(Encounter, pk=encounter_id, patient=patient)


@requires(Perm.DOCUMENT_VIEW)
def list_view(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    patient = _patient_of(user, patient_id)
    show_all = request.GET.get("all") == "1"
    record(
        AuditAction.VIEW,
        actor=user,
        target=patient,
        patient_id=patient.pk,
        origin=Origin.of(request),
        detail={"documents": "list"},
    )
    return render(
        request,
        "documents/list.html",
        {
            "patient": patient,
            "documents": patient_documents(patient, entered_in_error=show_all),
            "show_all": show_all,
        },
    )


@requires(Perm.DOCUMENT_UPLOAD)
def upload_view(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    patient = _patient_of(user, patient_id)
    encounter = _encounter_of(patient, request.GET.get("encounter", ""))
    initial = {"encounter": encounter.pk if encounter else None}
    if request.method == "POST":
        form = DocumentUploadForm(request.POST, request.FILES, patient=patient, initial=initial)
    else:
        form = DocumentUploadForm(patient=patient, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            document = actions.upload_document(
                acting_user=user,
                patient=patient,
                upload=form.cleaned_data["upload"],
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
                encounter=form.cleaned_data["encounter"],
                origin=Origin.of(request),
            )
        except ValidationError as refusal:
            form.add_error("file", refusal)
        else:
            messages.success(
                request, _("Uploaded “%(title)s”.") % {"title": document.display_title}
            )
            if user_has(user, Perm.DOCUMENT_VIEW):
                return redirect("documents:list", patient_id=patient.pk)
            # Reception uploads but does not open reports: ready for the next one.
            return redirect(request.get_full_path())
    return render(
        request,
        "documents/upload.html",
        {
            "patient": patient,
            "encounter": encounter,
            "form": form,
            "max_size": size_label(max_upload_bytes()),
        },
    )


@requires(Perm.DOCUMENT_VIEW)
def document_view(request: HttpRequest, document_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    document = _document_of(user, document_id)
    actions.record_view(document, acting_user=user, origin=Origin.of(request))
    latest = latest_version(document)
    return render(
        request,
        "documents/view.html",
        {
            "document": document,
            "latest": latest,
            "patient": document.patient,
            "versions": document.versions(),
            "state": storage.state_of(document.sha256).value,
            "form": EnteredInErrorForm(),
        },
    )


@requires(Perm.DOCUMENT_VIEW)
@xframe_options_sameorigin  # the viewer page embeds the PDF; other sites still may not
def file_view(request: HttpRequest, document_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    document = _document_of(user, document_id)
    try:
        content = actions.open_file(document, acting_user=user, origin=Origin.of(request))
    except storage.BlobMissing:
        return render(
            request,
            "documents/file_problem.html",
            {"document": document, "state": "missing"},
            status=404,
        )
    except storage.BlobCorrupted:
        logger.exception("document %s: stored file is damaged", document.pk)
        return render(
            request,
            "documents/file_problem.html",
            {"document": document, "state": "corrupted"},
            status=500,
        )
    response = HttpResponse(content, content_type=document.content_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=False, filename=document.served_filename)
        or "inline"
    )
    response["Content-Length"] = str(len(content))
    response["X-Content-Type-Options"] = "nosniff"
    # Reports are medical records on shared clinic PCs: keep them out of the browser cache.
    response["Cache-Control"] = "private, no-store"
    return response


@requires(Perm.DOCUMENT_UPLOAD)
@require_POST
def entered_in_error_view(request: HttpRequest, document_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    document = _document_of(user, document_id)
    if document.is_entered_in_error:
        messages.info(request, _("This document is already marked as entered in error."))
        return redirect("documents:view", document_id=document.pk)
    form = EnteredInErrorForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("reason", []):
            messages.error(request, str(error))
        return redirect("documents:view", document_id=document.pk)
    try:
        actions.mark_entered_in_error(
            document,
            acting_user=user,
            reason=form.cleaned_data["reason"],
            origin=Origin.of(request),
        )
    except VersionConflict as conflict:
        messages.warning(
            request,
            _("Someone changed this document just now. Here it is as it is now."),
        )
        return redirect("documents:view", document_id=conflict.current.pk)
    except ReasonRequired:
        messages.error(request, _("Write why, so the history shows it."))
        return redirect("documents:view", document_id=document.pk)
    messages.success(
        request,
        _("“%(title)s” was marked as entered in error. It stays in the history.")
        % {"title": document.display_title},
    )
    if user_has(user, Perm.DOCUMENT_VIEW):
        return redirect("documents:list", patient_id=document.patient_id)
    return redirect("patients:detail", patient_id=document.patient_id)
