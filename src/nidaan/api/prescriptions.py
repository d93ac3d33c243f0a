"""/api/v1 for prescriptions: issue one in a visit, read it, print it.

Input goes through the prescription screen's form and line builder, so a client gets
the page's messages; safety warnings that were neither fixed nor overridden answer 409
with each warning's `key`: send `overrides: {key: reason}` to issue anyway."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from nidaan.accounts.models import User
from nidaan.api.auth import require
from nidaan.api.errors import FormErrors
from nidaan.api.schemas import Errors, Message
from nidaan.audit.models import AuditAction
from nidaan.audit.printouts import record_print
from nidaan.audit.record import Origin, record
from nidaan.core.permissions import Perm
from nidaan.encounters.models import Encounter
from nidaan.prescriptions import actions, records, signing
from nidaan.prescriptions.forms import PrescriptionForm
from nidaan.prescriptions.models import Prescription
from nidaan.prescriptions.printout import render as render_pdf
from nidaan.printing import LANGUAGES, page_size

router = Router(tags=["prescriptions"])


class _In(Schema):
    model_config = ConfigDict(extra="forbid")


class RxLineIn(_In):
    """One medicine. Give a formulary `drug_code` (e.g. `PCM650`), or a `generic` name
    with its `form` and `strength`. `frequency` in the usual notation: 1-0-1, 1-1-1,
    0-0-1, OD, BD, TDS, QID, HS, SOS, STAT. Instructions in English and Hindi and the
    total quantity are worked out unless given."""

    drug_code: str = ""
    generic: str = ""
    form: str = ""
    strength: str = ""
    brand: str = ""
    dose: Decimal | None = Field(default=None, description="units (tablets, ml …) per dose")
    frequency: str
    food: str = Field(default="", description="'', after, before, with, empty")
    duration: int | None = Field(default=None, ge=1)
    duration_unit: str = "days"
    note: str = ""
    note_hi: str = ""
    quantity: Decimal | None = None
    instructions_en: str = ""
    instructions_hi: str = ""


class PrescriptionIn(_In):
    lines: list[RxLineIn]
    investigations: str = ""
    advice: str = ""
    diet: str = ""
    follow_up_date: datetime.date | None = None
    language: str = Field(default="both", description="both, hi or en: how it prints")
    teleconsultation: bool = False
    weight_kg: Decimal | None = None
    overrides: dict[str, str] = Field(
        default_factory=dict, description="safety warning key → reason to prescribe anyway"
    )


class WarningOut(Schema):
    key: str
    kind: str
    line: int
    message: str


class SafetyRefusal(Schema):
    detail: str
    warnings: list[WarningOut]


class StaffOut(Schema):
    id: uuid.UUID
    name: str


class PrescriptionOut(Schema):
    id: uuid.UUID
    lineage: uuid.UUID
    supersedes: uuid.UUID | None
    status: str
    reason: str
    version_number: int
    current: bool
    short_code: str
    verify_url: str
    encounter_id: uuid.UUID
    patient_id: uuid.UUID
    doctor: StaffOut
    recorded_at: datetime.datetime
    lines: list[dict[str, Any]]
    investigations: str
    advice: str
    diet: str
    follow_up_date: datetime.date | None
    language: str
    teleconsultation: bool
    weight_kg: Decimal | None
    overrides: list[dict[str, Any]]


def _out(request: HttpRequest, rx: Prescription) -> dict[str, Any]:
    return {
        "id": rx.pk,
        "lineage": rx.lineage,
        "supersedes": rx.supersedes_id,
        "status": rx.status,
        "reason": rx.reason,
        "version_number": rx.version_number,
        "current": records.is_current(rx),
        "short_code": rx.short_code,
        "verify_url": records.verify_url(rx.short_code, request.build_absolute_uri("/")),
        "encounter_id": rx.encounter_id,
        "patient_id": rx.patient_id,
        "doctor": {"id": rx.doctor.pk, "name": rx.doctor.full_name or rx.doctor.username},
        "recorded_at": rx.recorded_at,
        "lines": rx.lines,
        "investigations": rx.investigations,
        "advice": rx.advice,
        "diet": rx.diet,
        "follow_up_date": rx.follow_up_date,
        "language": rx.language,
        "teleconsultation": rx.teleconsultation,
        "weight_kg": rx.weight_kg,
        "overrides": rx.overrides,
    }


def _encounter(user: User, encounter_id: uuid.UUID) -> Encounter:
    encounter = (
        Encounter.objects.select_related("patient")
        .filter(pk=encounter_id, organisation_id=user.organisation_uuid)
        .first()
    )
    if encounter is None:
        raise Http404("no such visit")
    return encounter


def _prescription(user: User, prescription_id: uuid.UUID) -> Prescription:
    rx = (
        Prescription.objects.select_related("doctor", "encounter", "patient")
        .filter(pk=prescription_id, organisation_id=user.organisation_uuid)
        .first()
    )
    if rx is None:
        raise Http404("no such prescription")
    return rx


@router.post(
    "/encounters/{encounter_id}/prescriptions",
    response={201: PrescriptionOut, 400: Errors, 403: Message, 404: Message, 409: SafetyRefusal},
)
def issue_prescription(
    request: HttpRequest, encounter_id: uuid.UUID, payload: PrescriptionIn
) -> Status[dict[str, Any]]:
    user = require(request, Perm.PRESCRIPTION_WRITE)
    encounter = _encounter(user, encounter_id)
    header = payload.model_dump(exclude={"lines", "overrides"})
    header = {k: ("" if v is None else v) for k, v in header.items()}
    if not payload.teleconsultation:
        header.pop("teleconsultation")
    form = PrescriptionForm(header)
    if not form.is_valid():
        raise FormErrors(form)
    data = form.cleaned_data
    draft = actions.RxDraft(
        lines=[line.model_dump(exclude_none=True) for line in payload.lines],
        investigations=data["investigations"],
        advice=data["advice"],
        diet=data["diet"],
        follow_up_date=data["follow_up_date"],
        language=data["language"],
        teleconsultation=data["teleconsultation"],
        weight_kg=data["weight_kg"],
        overrides=payload.overrides,
    )
    try:
        rx = actions.issue_prescription(
            encounter, draft, acting_user=user, origin=Origin.of(request, "api")
        )
    except actions.PrescriptionInvalid as exc:
        return Status(400, {"errors": exc.errors})
    except actions.SafetyWarnings as exc:
        return Status(
            409,
            {
                "detail": "safety warnings: fix them, or send overrides {key: reason}",
                "warnings": [w.__dict__ for w in exc.warnings],
            },
        )
    return Status(201, _out(request, rx))


@router.get(
    "/prescriptions/{prescription_id}",
    response={200: PrescriptionOut, 403: Message, 404: Message},
)
def get_prescription(request: HttpRequest, prescription_id: uuid.UUID) -> dict[str, Any]:
    user = require(request, Perm.PRESCRIPTION_VIEW)
    rx = _prescription(user, prescription_id)
    record(
        AuditAction.VIEW,
        actor=user,
        target=rx,
        patient_id=rx.patient_id,
        origin=Origin.of(request, "api"),
    )
    return _out(request, rx)


@router.get(
    "/prescriptions/{prescription_id}/pdf",
    response={400: Errors, 403: Message, 404: Message},
    openapi_extra={
        "responses": {200: {"description": "the PDF", "content": {"application/pdf": {}}}}
    },
)
def prescription_pdf(
    request: HttpRequest, prescription_id: uuid.UUID, lang: str = "", size: str = "A5"
) -> Any:
    """The printout: `lang` hi, en or both (default: the prescription's own); `size` A4/A5."""
    user = require(request, Perm.PRESCRIPTION_VIEW)
    rx = _prescription(user, prescription_id)
    language = lang or rx.language
    errors: dict[str, list[str]] = {}
    if language not in LANGUAGES:
        errors["lang"] = ["hi, en or both"]
    if size.upper() not in ("A4", "A5"):
        errors["size"] = ["A4 or A5"]
    if errors:
        return Status(400, {"errors": errors})
    page = page_size(size)
    pdf = render_pdf(records.printout_for(rx, request.build_absolute_uri("/")), language, page)  # type: ignore[arg-type]
    if not rx.is_entered_in_error:
        pdf = signing.sign(pdf, rx.doctor_id)
    record_print(
        rx,
        actor=user,
        patient_id=rx.patient_id,
        origin=Origin.of(request, "api"),
        printed="prescription",
        number=rx.short_code,
        version=rx.version_number,
        format="pdf",
        language=language,
        size=page.name,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="rx-{rx.short_code}.pdf"'
    return response
