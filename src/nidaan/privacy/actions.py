"""Writes of the privacy records. Each is atomic and audited in the same transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from nidaan.accounts.models import User
from nidaan.audit.models import AuditAction
from nidaan.audit.record import Origin, record
from nidaan.patients.models import Patient
from nidaan.privacy import emergency
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
