"""/api/v1/queue: the day's tokens at the caller's branch, giving a token, the doctor's
"call next", starting the visit, and taking a token off the line. Every write is an
action of nidaan.opd.actions; a step that does not fit the token's state is a 400."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Status

from nidaan.accounts.models import User
from nidaan.api.auth import require
from nidaan.api.clinical_schemas import (
    EncounterOut,
    PriorityIn,
    QueueEntryOut,
    QueueStatusIn,
    TokenIn,
)
from nidaan.api.encounters import FieldErrors, visits_as_json
from nidaan.api.errors import FormErrors
from nidaan.api.schemas import Errors, Message
from nidaan.audit.record import Origin
from nidaan.core.permissions import Perm, Role
from nidaan.opd import actions
from nidaan.opd.actions import QueueError
from nidaan.opd.forms import PriorityForm, TokenForm
from nidaan.opd.models import QueueEntry, QueueStatus
from nidaan.patients.models import Patient

router = Router(tags=["queue"])

# As on the reception board: the front desk takes a token off the line or puts it back;
# "done" is the doctor's, and only a doctor calls or sees patients from their queue.
DESK_STATUSES = (QueueStatus.LEFT, QueueStatus.NO_SHOW, QueueStatus.WAITING)
WITH_DOCTOR = (QueueStatus.CALLED, QueueStatus.IN_CONSULTATION)
ONLY_DOCTORS = "Only the doctor calls patients from their queue."
_BODY_NAMES = {"doctor": "doctor_id"}


def _entry(user: User, entry_id: uuid.UUID) -> QueueEntry:
    entry = (
        QueueEntry.objects.filter(pk=entry_id, organisation_id=user.organisation_uuid)
        .select_related("patient", "doctor")
        .first()
    )
    if entry is None:
        raise Http404("no such token")
    return entry


def _refused(error: QueueError) -> FieldErrors:
    return FieldErrors({"non_field": [str(error)]})


def _own_queue(user: User) -> None:
    if user.role != Role.DOCTOR:
        raise FieldErrors({"non_field": [ONLY_DOCTORS]})


def _json(entry: QueueEntry, position: int | None = None) -> dict[str, Any]:
    patient = entry.patient
    return {
        "id": entry.pk,
        "day": entry.day,
        "token": entry.token,
        "series": entry.series,
        "label": entry.label,
        "status": entry.status,
        "priority": entry.priority,
        "source": entry.source,
        "position": position,
        "doctor": {"id": entry.doctor.pk, "name": entry.doctor.get_full_name()},
        "patient": {
            "id": patient.pk,
            "uhid": patient.uhid,
            "name": patient.name,
            "name_latin": patient.name_latin,
            "sex": patient.sex,
            "age": patient.age,
        },
        "encounter_id": entry.encounter_id,
        "created_at": entry.created_at,
        "called_at": entry.called_at,
        "finished_at": entry.finished_at,
    }


@router.get("/queue", response={200: list[QueueEntryOut], 403: Message})
def list_queue(
    request: HttpRequest, doctor: uuid.UUID | None = None, day: datetime.date | None = None
) -> list[dict[str, Any]]:
    """The day's tokens (today unless `day`) at the caller's branch, per doctor as on the
    board: those with the doctor, then the waiting line in calling order (`position`
    1, 2, …: emergencies, then elderly and pregnant, then by token), then the rest."""
    user = require(request, Perm.QUEUE_VIEW)
    entries = QueueEntry.objects.filter(
        facility=user.home_facility, day=day or timezone.localdate()
    ).select_related("patient", "doctor")
    if doctor is not None:
        entries = entries.filter(doctor_id=doctor)
    per_doctor: dict[Any, list[QueueEntry]] = {}
    for entry in entries.order_by("doctor__full_name", "doctor_id", "token"):
        per_doctor.setdefault(entry.doctor_id, []).append(entry)
    result = []
    for tokens in per_doctor.values():
        seeing = [e for e in tokens if e.status in WITH_DOCTOR]
        waiting = actions.waiting_order([e for e in tokens if e.status == QueueStatus.WAITING])
        rest = [e for e in tokens if e not in seeing and e not in waiting]
        result += [_json(e) for e in seeing]
        result += [_json(e, position) for position, e in enumerate(waiting, start=1)]
        result += [_json(e) for e in rest]
    return result


@router.post("/queue", response={201: QueueEntryOut, 400: Errors, 403: Message, 404: Message})
def issue_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    """Give the patient today's next token for the doctor at the caller's branch."""
    user = require(request, Perm.QUEUE_MANAGE)
    patient = Patient.objects.filter(
        pk=payload.patient_id, organisation_id=user.organisation_uuid
    ).first()
    if patient is None:
        raise Http404("no such patient")
    form = TokenForm(
        {"doctor": str(payload.doctor_id), "priority": payload.priority},
        organisation_id=user.organisation_uuid,
    )
    if not form.is_valid():
        # The page's form names the doctor `doctor`; the API's body says `doctor_id`.
        errors = FormErrors(form).errors
        raise FieldErrors({_BODY_NAMES.get(f, f): msgs for f, msgs in errors.items()})
    doctor, priority = form.cleaned_data["doctor"], form.cleaned_data["priority"]
    try:
        entry = actions.issue_token(
            acting_user=user,
            patient=patient,
            doctor=doctor,
            facility=user.home_facility,
            priority=priority,
            origin=Origin.of(request, "api"),
        )
    except QueueError as error:
        raise _refused(error) from error
    return Status(201, _json(entry))


@router.post(
    "/queue/call-next", response={200: QueueEntryOut, 204: None, 400: Errors, 403: Message}
)
def call_next(request: HttpRequest) -> Status[dict[str, Any] | None]:
    """The calling doctor's next waiting token, now called; 204 when nobody is waiting."""
    user = require(request, Perm.QUEUE_CALL)
    _own_queue(user)
    entry = actions.call_next(
        doctor=user, facility=user.home_facility, origin=Origin.of(request, "api")
    )
    if entry is None:
        return Status(204, None)
    return Status(200, _json(entry))


@router.post(
    "/queue/{entry_id}/start",
    response={200: EncounterOut, 400: Errors, 403: Message, 404: Message},
)
def start_consultation(request: HttpRequest, entry_id: uuid.UUID) -> dict[str, Any]:
    """The called patient comes in: their visit, opened now or already open."""
    user = require(request, Perm.QUEUE_CALL)
    entry = _entry(user, entry_id)
    _own_queue(user)
    try:
        encounter = actions.start_consultation(
            entry, acting_user=user, origin=Origin.of(request, "api")
        )
    except QueueError as error:
        raise _refused(error) from error
    (visit,) = visits_as_json(user, [encounter])
    return visit


@router.post(
    "/queue/{entry_id}/done",
    response={200: QueueEntryOut, 400: Errors, 403: Message, 404: Message},
)
def finish(request: HttpRequest, entry_id: uuid.UUID) -> dict[str, Any]:
    """The doctor has seen the patient."""
    user = require(request, Perm.QUEUE_CALL)
    entry = _entry(user, entry_id)
    _own_queue(user)
    try:
        actions.set_queue_status(
            entry, QueueStatus.DONE, acting_user=user, origin=Origin.of(request, "api")
        )
    except QueueError as error:
        raise _refused(error) from error
    return _json(entry)


@router.post(
    "/queue/{entry_id}/status",
    response={200: QueueEntryOut, 400: Errors, 403: Message, 404: Message},
)
def set_status(request: HttpRequest, entry_id: uuid.UUID, payload: QueueStatusIn) -> dict[str, Any]:
    """The front desk: `left`, `no_show`, or back to `waiting`."""
    user = require(request, Perm.QUEUE_MANAGE)
    entry = _entry(user, entry_id)
    if payload.status not in DESK_STATUSES:
        raise FieldErrors({"status": ["That change of status is not offered here."]})
    try:
        actions.set_queue_status(
            entry, payload.status, acting_user=user, origin=Origin.of(request, "api")
        )
    except QueueError as error:
        raise _refused(error) from error
    return _json(entry)


@router.post(
    "/queue/{entry_id}/priority",
    response={200: QueueEntryOut, 400: Errors, 403: Message, 404: Message},
)
def set_priority(request: HttpRequest, entry_id: uuid.UUID, payload: PriorityIn) -> dict[str, Any]:
    user = require(request, Perm.QUEUE_MANAGE)
    entry = _entry(user, entry_id)
    form = PriorityForm(payload.model_dump())
    if not form.is_valid():
        raise FormErrors(form)
    actions.set_priority(
        entry, form.cleaned_data["priority"], acting_user=user, origin=Origin.of(request, "api")
    )
    return _json(entry)
