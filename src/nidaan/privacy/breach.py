"""What a breach touched, from the audit log, and the notices DPDP Rule 7 asks for.

Rule 7(1): each affected Data Principal is told, without delay, what happened (nature,
extent, timing, location), the likely consequences, the mitigation done, the safety
measures they can take, and whom to contact. Rule 7(2): the Data Protection Board is told
without delay and sent a detailed report within 72 hours of becoming aware (shared/
reference/prescription.md §5).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from nidaan.audit.models import AuditAction
from nidaan.audit.queries import organisation_events
from nidaan.patients.models import Patient
from nidaan.privacy.models import BreachIncident

BOARD_REPORT_HOURS = 72


@dataclass(frozen=True)
class Exposure:
    patients: list[Patient]
    events: int


def exposure(incident: BreachIncident) -> Exposure:
    """Patients whose records were read, changed, printed or exported in the window (by
    the suspect account, if one is named)."""
    # On the hub, every PC's shipped events count too (audit.queries).
    events = organisation_events(incident.organisation_id).filter(
        at__gte=incident.window_start,
        at__lte=incident.window_end,
        patient_id__isnull=False,
        action__in=[
            AuditAction.VIEW,
            AuditAction.UPDATE,
            AuditAction.PRINT,
            AuditAction.EXPORT,
            AuditAction.EMERGENCY,
        ],
    )
    if incident.suspect_username:
        events = events.filter(actor_username__iexact=incident.suspect_username)
    patient_ids = {pk for pk in events.values_list("patient_id", flat=True) if pk is not None}
    patients = list(
        Patient.objects.filter(
            pk__in=patient_ids, organisation_id=incident.organisation_id
        ).order_by("name")
    )
    return Exposure(patients=patients, events=events.count())


def board_report_due(incident: BreachIncident) -> datetime.datetime:
    return incident.became_aware_at + datetime.timedelta(hours=BOARD_REPORT_HOURS)
