"""Reading a chart page leaves an audit VIEW event: who read whose chart, from where."""

from __future__ import annotations

from nidaan.audit.models import AuditAction, AuditEvent
from nidaan.core.permissions import Role
from nidaan.encounters import actions
from tests.factories import ClinicWorld


def test_reading_the_chart_writes_an_audit_view_event(world: ClinicWorld) -> None:
    patient = world.register(name="Sunita Devi")
    visit = actions.start_encounter(
        acting_user=world.user(Role.DOCTOR), patient=patient, facility=world.facility
    )
    nurse = world.user(Role.NURSE)

    assert world.client(Role.NURSE).get(f"/visits/{visit.pk}/").status_code == 200
    assert world.client(Role.NURSE).get(f"/visits/patient/{patient.pk}/").status_code == 200

    views = AuditEvent.objects.filter(action=AuditAction.VIEW, actor_id=nurse.pk)
    assert [(e.entity, e.entity_id, e.patient_id) for e in views.order_by("at")] == [
        ("encounters.encounter", visit.pk, patient.pk),
        ("patients.patient", patient.pk, patient.pk),
    ]
    assert all(e.channel == "web" for e in views)
