"""Every write of prescriptions. Each is one transaction: row(s), change log, audit.

Issuing freezes a prescription: nothing here changes a stored one. A change is a new
version (core.versioned) with a reason and a new short code; cancelling is a version
marked entered-in-error. Safety warnings must each be fixed or overridden with a reason
before anything is stored.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from nidaan.accounts.models import User
from nidaan.audit.models import AuditAction
from nidaan.audit.record import CLI, Origin, record
from nidaan.core import changelog, versioned
from nidaan.core.versioned import RecordStatus
from nidaan.encounters.history import active_allergies, patient_allergies
from nidaan.encounters.models import Encounter, VitalSigns
from nidaan.patients.models import Patient
from nidaan.prescriptions import safety
from nidaan.prescriptions.formulary import FORMS
from nidaan.prescriptions.lines import LineError, RxLine, build_line, formulary_for
from nidaan.prescriptions.models import ClinicDrug, Prescription, PrintLanguage, RxTemplate

# Crockford's base32 without I, L, O, U: nothing a chemist can misread when typing it.
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8
MAX_LINES = 20


class NotYourPatient(PermissionError):
    pass


class PrescriptionInvalid(ValueError):
    """Input that cannot be prescribed; `errors` maps a field (`lines.2.frequency`) to
    its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("invalid prescription")
        self.errors = errors


class SafetyWarnings(Exception):
    """Warnings neither fixed nor overridden with a reason; nothing was stored."""

    def __init__(self, warnings: list[safety.Warning]) -> None:
        super().__init__(f"{len(warnings)} safety warning(s) need a reason to override")
        self.warnings = warnings


@dataclass
class RxDraft:
    """What the doctor wrote, as the form or the API received it."""

    lines: list[dict[str, Any]]
    investigations: str = ""
    advice: str = ""
    diet: str = ""
    follow_up_date: datetime.date | None = None
    language: str = PrintLanguage.BOTH
    teleconsultation: bool = False
    weight_kg: Decimal | None = None
    overrides: dict[str, str] = field(default_factory=dict)


@dataclass
class Checked:
    lines: list[RxLine]
    warnings: list[safety.Warning]
    weight_kg: Decimal | None

    def unanswered(self, overrides: dict[str, str]) -> list[safety.Warning]:
        return [w for w in self.warnings if not overrides.get(w.key, "").strip()]


def new_short_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))


def last_weight(patient: Patient) -> Decimal | None:
    """The patient's most recent weight in use (any visit)."""
    row = (
        VitalSigns.objects.in_use()
        .filter(patient=patient, weight_kg__isnull=False)
        .order_by("-recorded_at")
        .first()
    )
    return row.weight_kg if row is not None else None


def allergy_substances(patient: Patient) -> list[str]:
    return [a.substance for a in active_allergies(patient_allergies(patient))]


def check_draft(encounter: Encounter, draft: RxDraft) -> Checked:
    """Build every line and run the safety checks; PrescriptionInvalid on bad input."""
    drugs = formulary_for(encounter.organisation_id)
    errors: dict[str, list[str]] = {}
    lines: list[RxLine] = []
    rows = [
        row for row in draft.lines if any(str(v).strip() for v in row.values() if v is not None)
    ]
    if not rows:
        errors["lines"] = [_("Write at least one medicine.")]
    if len(rows) > MAX_LINES:
        errors["lines"] = [
            _("At most %(count)s medicines on one prescription.") % {"count": MAX_LINES}
        ]
    for index, row in enumerate(rows):
        try:
            lines.append(build_line(row, drugs))
        except LineError as exc:
            errors.setdefault(f"lines.{index}.{exc.field}", []).append(str(exc))
    if draft.language not in PrintLanguage.values:
        errors["language"] = [_("Choose Hindi, English or both.")]
    if errors:
        raise PrescriptionInvalid(errors)
    weight = draft.weight_kg or last_weight(encounter.patient)
    warnings = safety.check(
        lines,
        allergies=allergy_substances(encounter.patient),
        drugs=drugs,
        teleconsultation=draft.teleconsultation,
        age_years=encounter.patient.age,
        weight_kg=weight,
    )
    return Checked(lines=lines, warnings=warnings, weight_kg=weight)


def _check_scope(patient: Patient, acting_user: User) -> None:
    if patient.organisation_id != acting_user.organisation_id:
        raise NotYourPatient("the patient belongs to another organisation")


def _overrides(checked: Checked, draft: RxDraft) -> list[dict[str, Any]]:
    missing = checked.unanswered(draft.overrides)
    if missing:
        raise SafetyWarnings(missing)
    return [
        {
            "key": w.key,
            "kind": w.kind,
            "line": w.line,
            "message": w.message,
            "reason": draft.overrides[w.key].strip(),
        }
        for w in checked.warnings
    ]


def _content(checked: Checked, draft: RxDraft, overrides: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "lines": [line.as_json() for line in checked.lines],
        "investigations": draft.investigations.strip(),
        "advice": draft.advice.strip(),
        "diet": draft.diet.strip(),
        "follow_up_date": draft.follow_up_date,
        "language": draft.language,
        "teleconsultation": draft.teleconsultation,
        "weight_kg": checked.weight_kg,
        "overrides": overrides,
    }


def _audit(
    action: AuditAction, rx: Prescription, acting_user: User, origin: Origin, **detail: Any
) -> None:
    record(
        action, actor=acting_user, target=rx, patient_id=rx.patient_id, origin=origin, detail=detail
    )


@transaction.atomic
def issue_prescription(
    encounter: Encounter, draft: RxDraft, *, acting_user: User, origin: Origin = CLI
) -> Prescription:
    """Issue the visit's prescription (frozen from now on)."""
    _check_scope(encounter.patient, acting_user)
    checked = check_draft(encounter, draft)
    overrides = _overrides(checked, draft)
    rx = Prescription(
        organisation_id=encounter.organisation_id,
        patient_id=encounter.patient_id,
        encounter=encounter,
        doctor=acting_user,
        short_code=new_short_code(),
        version_number=1,
        **_content(checked, draft, overrides),
    )
    versioned.record_first(rx, acting_user=acting_user)
    _audit(
        AuditAction.CREATE,
        rx,
        acting_user,
        origin,
        short_code=rx.short_code,
        overrides=[{"key": o["key"], "reason": o["reason"]} for o in overrides],
    )
    return rx


@transaction.atomic
def revise_prescription(
    previous: Prescription,
    draft: RxDraft,
    *,
    acting_user: User,
    reason: str,
    origin: Origin = CLI,
) -> Prescription:
    """A new version of an issued prescription, with the reason; the old one stays as
    issued, and its verification page says it was replaced."""
    _check_scope(previous.patient, acting_user)
    checked = check_draft(previous.encounter, draft)
    overrides = _overrides(checked, draft)
    rx = versioned.record_next(
        previous,
        {
            **_content(checked, draft, overrides),
            "short_code": new_short_code(),
            "version_number": _next_version(previous),
            "doctor": acting_user,
        },
        acting_user=acting_user,
        reason=reason,
    )
    _audit(
        AuditAction.UPDATE,
        rx,
        acting_user,
        origin,
        revises=str(previous.pk),
        reason=reason,
        short_code=rx.short_code,
        overrides=[{"key": o["key"], "reason": o["reason"]} for o in overrides],
    )
    return rx


@transaction.atomic
def cancel_prescription(
    previous: Prescription, *, acting_user: User, reason: str, origin: Origin = CLI
) -> Prescription:
    """Withdraw an issued prescription (entered in error); its printout stops verifying."""
    _check_scope(previous.patient, acting_user)
    rx = versioned.record_next(
        previous,
        {"short_code": new_short_code(), "version_number": _next_version(previous)},
        acting_user=acting_user,
        reason=reason,
        status=RecordStatus.ENTERED_IN_ERROR,
    )
    _audit(AuditAction.UPDATE, rx, acting_user, origin, entered_in_error=True, reason=reason)
    return rx


def _next_version(previous: Prescription) -> int:
    newest = (
        Prescription.objects.filter(lineage=previous.lineage)
        .order_by("-version_number")
        .values_list("version_number", flat=True)
        .first()
    )
    return int(newest or previous.version_number) + 1


@transaction.atomic
def add_clinic_drug(
    values: dict[str, Any], *, acting_user: User, origin: Origin = CLI
) -> ClinicDrug:
    """Add a medicine to the clinic's own formulary. Its code is random (`C` and five
    characters), so two offline PCs adding medicines never make the same code."""
    if values.get("form") not in FORMS:
        raise PrescriptionInvalid({"form": [_("choose the form (tablet, capsule, syrup …)")]})
    organisation_id = acting_user.organisation_uuid
    code = "C" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(5))
    while ClinicDrug.objects.filter(organisation_id=organisation_id, code=code).exists():
        code = "C" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(5))
    row = ClinicDrug(organisation_id=organisation_id, code=code, **values)
    changelog.insert(row, acting_user=acting_user)
    record(AuditAction.CREATE, actor=acting_user, target=row, origin=origin)
    return row


TEMPLATE_FIELDS = (
    "drug_code",
    "generic",
    "dose",
    "frequency",
    "food",
    "duration",
    "duration_unit",
    "note",
    "quantity",
)


@transaction.atomic
def save_template(
    name: str, lines: list[RxLine], *, acting_user: User, origin: Origin = CLI
) -> RxTemplate:
    """Keep checked lines as a clinic template (instructions are worked out again when
    it is used, so a template never carries stale text)."""
    name = name.strip()
    if not name:
        raise PrescriptionInvalid({"template_name": [_("Name the template.")]})
    rows = []
    for line in lines:
        data = line.as_json()
        row = {key: str(data[key]) for key in TEMPLATE_FIELDS if data.get(key) not in (None, "")}
        if line.drug_code:
            row.pop("generic", None)
        if data.get("quantity") is not None and line.frequency not in ("SOS", "STAT"):
            row.pop("quantity", None)  # worked out again from the duration
        rows.append(row)
    template = RxTemplate(
        organisation_id=acting_user.organisation_uuid,
        name=name,
        lines=rows,
        created_by=acting_user,
    )
    changelog.insert(template, acting_user=acting_user)
    record(AuditAction.CREATE, actor=acting_user, target=template, origin=origin)
    return template
