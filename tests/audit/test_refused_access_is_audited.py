"""A receptionist opening a clinical page by URL is refused, and the attempt is logged."""

from __future__ import annotations

from nidaan.audit.models import AuditAction, AuditEvent
from nidaan.core.permissions import Role
from tests.factories import ClinicWorld


def test_receptionist_opening_history_by_url_is_refused_and_audited(world: ClinicWorld) -> None:
    patient = world.register(name="Meena Devi")
    receptionist = world.user(Role.RECEPTIONIST)
    response = world.client(Role.RECEPTIONIST).get(f"/visits/patient/{patient.pk}/")
    assert response.status_code == 403
    event = AuditEvent.objects.get(action=AuditAction.DENIED, actor_id=receptionist.pk)
    assert event.patient_id == patient.pk
    assert event.detail["permission"] == "clinical.view"
    assert event.detail["path"] == f"/visits/patient/{patient.pk}/"
    log = world.client(Role.ADMIN).get("/audit/?action=denied").content.decode()
    assert f"/visits/patient/{patient.pk}/" in log
    assert receptionist.get_full_name() in log


def test_refused_api_call_is_audited(world: ClinicWorld) -> None:
    patient = world.register(name="Meena Devi")
    token = world.token(Role.RECEPTIONIST)
    from django.test import Client

    response = Client().get(
        f"/api/v1/patients/{patient.pk}/encounters", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 403
    event = AuditEvent.objects.get(action=AuditAction.DENIED)
    assert event.channel == "api"
    assert event.detail["permission"] == "clinical.view"
