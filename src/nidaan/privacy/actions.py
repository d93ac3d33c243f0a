"""Writes of the privacy records. Each is atomic and audited in the same transaction."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone

from nidaan.accounts.models import User
from nidaan.audit.models import AuditAction
from nidaan.audit.record import Origin, record
from nidaan.core import changelog
from nidaan.documents import storage
from nidaan.documents.models import Document
from nidaan.fhir.bundle import patient_bundle
from nidaan.patients.models import Patient
from nidaan.privacy import emergency, summary
from nidaan.privacy.erasure import REDACTED_PATIENT, erase_on_this_replica
from nidaan.privacy.models import (
    BreachIncident,
    EmergencyAccess,
    ErasureDecision,
    ErasureRequest,
    PatientErasure,
)
from nidaan.privacy.retention import Retention, retention_of


class ErasureRefused(Exception):
    """The law still requires the records; `retention` says why and until when."""

    def __init__(self, retention: Retention) -> None:
        super().__init__("; ".join(retention.reasons))
        self.retention = retention


@transaction.atomic
def record_erasure_request(
    patient: Patient, *, note: str, acting_user: User, origin: Origin
) -> ErasureRequest:
    """Record a patient's request to erase their data, and what the law allows.

    Nothing is deleted here: records the law requires are kept (the decision says until
    when and why); an erasable record is erased by the admin as a separate, audited step
    (`erase_patient`).
    """
    retention = retention_of(patient)
    request = ErasureRequest.objects.create(
        organisation_id=patient.organisation_id,
        patient=patient,
        requested_at=timezone.now(),
        recorded_by=acting_user,
        note=note,
        decision=ErasureDecision.RETAINED if retention.required else ErasureDecision.ERASABLE,
        retention_reason="\n".join(retention.reasons),
        retained_until=retention.until,
    )
    record(
        AuditAction.CREATE,
        actor=acting_user,
        target=request,
        patient_id=patient.pk,
        origin=origin,
        detail={"erasure_request": request.decision},
    )
    return request


@transaction.atomic
def erase_patient(patient: Patient, *, acting_user: User, origin: Origin) -> PatientErasure:
    """Erase the patient's personal data, where no law requires keeping their records.

    Writes two changes that replicate: the personal fields set to redaction markers (an
    ordinary per-field change) and the erasure fact, which makes every replica holding it
    redact those fields for good, its change log, search index and files
    (privacy/erasure.py). Refused, with the reasons and the date, while retention applies.
    The audit event names the patient by id only.
    """
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    done = PatientErasure.objects.filter(patient=patient).first()
    if done is not None:
        return done
    retention = retention_of(patient)
    if retention.required:
        raise ErasureRefused(retention)
    changed = changelog.changed_fields(patient, dict(REDACTED_PATIENT))
    if changed:
        changelog.update(
            patient, [*changed, *patient.derive_local_fields()], acting_user=acting_user
        )
    erasure = changelog.insert(
        PatientErasure(
            organisation_id=patient.organisation_id,
            patient=patient,
            erased_by=acting_user,
            erased_at=timezone.now(),
        ),
        acting_user=acting_user,
    )
    erase_on_this_replica({patient.pk})
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        target=patient,
        patient_id=patient.pk,
        origin=origin,
        detail={"erased": True},
    )
    return erasure


@transaction.atomic
def record_breach(*, values: dict[str, Any], acting_user: User, origin: Origin) -> BreachIncident:
    incident = BreachIncident.objects.create(
        organisation_id=acting_user.organisation_uuid,
        recorded_by=acting_user,
        recorded_at=timezone.now(),
        **values,
    )
    record(AuditAction.CREATE, actor=acting_user, target=incident, origin=origin)
    return incident


@transaction.atomic
def grant_emergency_access(
    patient: Patient, *, reason: str, acting_user: User, origin: Origin
) -> EmergencyAccess:
    grant = EmergencyAccess.objects.create(
        user=acting_user,
        patient=patient,
        reason=reason,
        granted_at=timezone.now(),
        expires_at=emergency.expiry(),
    )
    record(
        AuditAction.EMERGENCY,
        actor=acting_user,
        target=patient,
        patient_id=patient.pk,
        origin=origin,
        detail={"reason": reason, "hours": emergency.EMERGENCY_HOURS},
    )
    return grant


@dataclass(frozen=True)
class RecordsExport:
    """A records request's file, ready to hand over."""

    content: bytes
    content_type: str
    filename: str


def _document_bytes(document: Document) -> bytes | None:
    try:
        return storage.read(document.sha256)
    except storage.BlobError:
        return None  # not on this PC (yet): the entry still names the file and its hash


@transaction.atomic
def export_records(
    patient: Patient,
    *,
    kind: Literal["fhir", "pdf"],
    acting_user: User,
    origin: Origin,
    with_files: bool = False,
) -> RecordsExport:
    """A patient's records for a records request (MCI 1.3.2, DPDP s.11): the FHIR R4
    bundle (`fhir`, optionally with the reports' files inside), or the printed summary
    (`pdf`). Audited as an export, the summary also as a printout, in the same
    transaction: no file leaves without its audit row."""
    if kind == "fhir":
        bundle = patient_bundle(patient, document_data=_document_bytes if with_files else None)
        content = json.dumps(bundle, ensure_ascii=False, indent=1).encode()
        made = RecordsExport(content, "application/fhir+json", f"records-{patient.uhid}.fhir.json")
        detail: dict[str, Any] = {
            "format": "fhir-r4-bundle",
            "bundle": bundle["id"],
            "resources": len(bundle["entry"]),
            "with_files": with_files,
        }
    else:
        pdf = summary.render(summary.summary_for(patient))
        made = RecordsExport(pdf, "application/pdf", f"records-{patient.uhid}.pdf")
        detail = {"format": "pdf-summary"}
    detail["sha256"] = hashlib.sha256(made.content).hexdigest()
    record(
        AuditAction.EXPORT,
        actor=acting_user,
        target=patient,
        patient_id=patient.pk,
        origin=origin,
        detail=detail,
    )
    if kind == "pdf":
        record(
            AuditAction.PRINT,
            actor=acting_user,
            target=patient,
            patient_id=patient.pk,
            origin=origin,
            detail={"printed": "records-summary", "sha256": detail["sha256"]},
        )
    return made
