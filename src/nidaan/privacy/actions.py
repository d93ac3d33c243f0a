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
from nidaan.documents import storage
from nidaan.documents.models import Document
from nidaan.fhir.bundle import patient_bundle
from nidaan.patients.models import Patient
from nidaan.privacy import emergency, summary
from nidaan.privacy.models import (
    BreachIncident,
    EmergencyAccess,
    ErasureDecision,
    ErasureRequest,
)
from nidaan.privacy.retention import retention_of


@transaction.atomic
def record_erasure_request(
    patient: Patient, *, note: str, acting_user: User, origin: Origin
) -> ErasureRequest:
    """Record a patient's request to erase their data, and what the law allows.

    Nothing is deleted here: records the law requires are kept (the decision says until
    when and why); an erasable record is erased by the admin as a separate, audited step
    (not built yet: synced rows are only ever tombstoned, design.md §2).
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
