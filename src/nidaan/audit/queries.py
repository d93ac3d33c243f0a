"""Reading the audit log for people: a patient's access report, the admin's log."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from nidaan.accounts.models import User
from nidaan.audit.models import AuditAction, AuditEvent, NodeChain

# What a patient is told was looked at or changed, by kind of record.
_ENTITY_LABELS = {
    "patients.patient": _("Registration details"),
    "encounters.encounter": _("Visit"),
    "encounters.consultationnote": _("Consultation note"),
    "encounters.vitalsigns": _("Vitals"),
    "encounters.diagnosis": _("Diagnosis"),
    "encounters.allergy": _("Allergy"),
    "documents.document": _("Report or image"),
    "opd.queueentry": _("Token"),
    "opd.appointment": _("Appointment"),
    "prescriptions.prescription": _("Prescription"),
    "billing.bill": _("Bill"),
}
# What a print or an export was, from its detail (audit/printouts.py, privacy/actions.py).
_PRINTED = {
    "prescription": _("Prescription %(number)s"),
    "bill": _("Bill %(number)s"),
}
_EXPORTED = {
    "fhir-r4-bundle": _("All records (FHIR file)"),
    "pdf-summary": _("Records summary (PDF)"),
    "json": _("All records (JSON)"),
}

# A patient's report lists what was done to their record, not refused attempts (which
# saw nothing) nor logins.
PATIENT_ACTIONS = [
    AuditAction.VIEW,
    AuditAction.CREATE,
    AuditAction.UPDATE,
    AuditAction.PRINT,
    AuditAction.EXPORT,
    AuditAction.EMERGENCY,
]


@dataclass(frozen=True)
class AccessLine:
    event: AuditEvent
    who: str
    role: str
    what: str
    # The clinic PC that recorded it, on the hub ("" for the replica's own events).
    where: str = ""


def entity_label(entity: str) -> str:
    return str(_ENTITY_LABELS.get(entity, entity or "—"))


def what_was_done_to(event: AuditEvent) -> str:
    """The record an event touched, in words; for a print or an export, which document."""
    detail = event.detail if isinstance(event.detail, dict) else {}
    if event.action == AuditAction.PRINT and detail.get("printed") == "records-summary":
        return str(_EXPORTED["pdf-summary"])
    if event.action == AuditAction.PRINT and detail.get("printed") in _PRINTED:
        text = str(_PRINTED[detail["printed"]]) % {"number": detail.get("number", "")}
        if detail.get("version", 1) != 1:
            text += " " + str(_("(version %(number)s)") % {"number": detail["version"]})
        return text
    if event.action == AuditAction.EXPORT and detail.get("format") in _EXPORTED:
        return str(_EXPORTED[detail["format"]])
    return entity_label(event.entity)


def organisation_events(organisation_id: uuid.UUID) -> QuerySet[AuditEvent]:
    """Every audit event of the organisation held here (on the hub: from all its PCs)."""
    return AuditEvent.objects.filter(_of_organisation(organisation_id))


def _of_organisation(organisation_id: uuid.UUID) -> Q:
    """This replica's own events of the organisation, and on the hub every event its PCs
    shipped (a PC's failed login of an unknown name carries no organisation of its own;
    a PC can ship no event naming another organisation)."""
    nodes = NodeChain.objects.filter(organisation_id=organisation_id).values("node_id")
    return Q(org_id=organisation_id) | Q(node_id__in=nodes)


def _lines(events: QuerySet[AuditEvent]) -> list[AccessLine]:
    rows = list(events)
    pcs = dict(
        NodeChain.objects.filter(node_id__in={e.node_id for e in rows}).values_list(
            "node_id", "name"
        )
    )
    staff = {
        user.pk: user
        for user in User.objects.filter(pk__in={e.actor_id for e in rows if e.actor_id})
    }
    lines = []
    for event in rows:
        user = staff.get(event.actor_id)
        lines.append(
            AccessLine(
                event=event,
                who=user.get_full_name() if user else event.actor_username or "—",
                role=str(user.get_role_display()) if user else "",
                what=what_was_done_to(event),
                where=pcs.get(event.node_id, ""),
            )
        )
    return lines


def patient_access(organisation_id: uuid.UUID, patient_id: uuid.UUID) -> list[AccessLine]:
    """Everyone who saw or changed this patient's record, newest first."""
    events = AuditEvent.objects.filter(
        _of_organisation(organisation_id), patient_id=patient_id, action__in=PATIENT_ACTIONS
    ).order_by("-at", "-seq")
    return _lines(events)


def recent_events(organisation_id: uuid.UUID, action: str = "", limit: int = 200) -> list[Any]:
    events = AuditEvent.objects.filter(_of_organisation(organisation_id))
    if action:
        events = events.filter(action=action)
    return _lines(events.order_by("-at", "-seq")[:limit])


def refused_chains(organisation_id: uuid.UUID) -> list[NodeChain]:
    """On the hub: the organisation's PCs whose shipped audit chain was last refused."""
    return list(
        NodeChain.objects.filter(organisation_id=organisation_id, refused_at__isnull=False)
        .exclude(refused_reason="")
        .order_by("-refused_at")
    )
