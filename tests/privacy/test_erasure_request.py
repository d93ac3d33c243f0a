"""An erasure request is recorded with what the law makes the clinic keep, and why."""

from __future__ import annotations

from nidaan.audit.models import AuditEvent
from nidaan.core.permissions import Role
from nidaan.opd import actions as opd_actions
from nidaan.privacy.models import ErasureDecision, ErasureRequest
from tests.factories import ClinicWorld


def test_patient_with_visits_is_kept_with_the_reason_shown(world: ClinicWorld) -> None:
    patient = world.register(name="Meena Devi")
    entry = opd_actions.issue_token(
        acting_user=world.user(Role.RECEPTIONIST),
        patient=patient,
        doctor=world.user(Role.DOCTOR),
        facility=world.facility,
    )
    visit = opd_actions.start_consultation(entry, acting_user=world.user(Role.DOCTOR))
    client = world.client(Role.ADMIN)
    url = f"/privacy/patient/{patient.pk}/erasure/"
    response = client.post(url, {"note": "Asked at the counter to delete everything"})
    assert response.status_code == 302
    request = ErasureRequest.objects.get(patient=patient)
    assert request.decision == ErasureDecision.RETAINED
    assert "1.3.1" in request.retention_reason
    assert request.retained_until is not None
    assert request.retained_until.year == visit.started_at.year + 7
    page = client.get(url).content.decode()
    assert "Kept: the law requires it" in page
    assert "Indian Medical Council" in page
    assert AuditEvent.objects.filter(
        patient_id=patient.pk, detail__erasure_request="retained"
    ).exists()


def test_patient_with_no_records_may_be_erased(world: ClinicWorld) -> None:
    patient = world.register(name="Walk In")
    world.client(Role.ADMIN).post(
        f"/privacy/patient/{patient.pk}/erasure/", {"note": "Registered by mistake"}
    )
    assert ErasureRequest.objects.get(patient=patient).decision == ErasureDecision.ERASABLE


def test_only_the_admin_records_erasure_requests(world: ClinicWorld) -> None:
    patient = world.register(name="Meena Devi")
    for role in (Role.DOCTOR, Role.RECEPTIONIST):
        url = f"/privacy/patient/{patient.pk}/erasure/"
        assert world.client(role).get(url).status_code == 403
