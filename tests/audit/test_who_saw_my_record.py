"""The admin prints a patient's "who saw my record" report, and exports all their records."""

from __future__ import annotations

import json
from collections.abc import Callable

from nidaan.audit.models import AuditAction, AuditEvent
from nidaan.core.permissions import Role
from nidaan.opd import actions as opd_actions
from tests.factories import ClinicWorld


def test_report_lists_each_member_of_staff_who_opened_the_chart(world: ClinicWorld) -> None:
    patient = world.register(name="Meena Devi")
    world.client(Role.NURSE).get(f"/patients/{patient.pk}/")
    world.client(Role.DOCTOR).get(f"/visits/patient/{patient.pk}/")
    page = world.client(Role.ADMIN).get(f"/audit/patient/{patient.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Meena Devi" in text
    assert world.user(Role.NURSE).get_full_name() in text
    assert world.user(Role.DOCTOR).get_full_name() in text
    assert "Viewed" in text
    assert "Registration details" in text


def test_report_is_for_the_admin_only(world: ClinicWorld) -> None:
    patient = world.register(name="Meena Devi")
    for role in (Role.DOCTOR, Role.RECEPTIONIST):
        assert world.client(role).get(f"/audit/patient/{patient.pk}/").status_code == 403


def test_other_organisation_patient_is_not_found(
    world: ClinicWorld, other_world: Callable[[], ClinicWorld]
) -> None:
    patient = world.register(name="Meena Devi")
    other = other_world()
    client = other.client(Role.ADMIN)
    assert client.get(f"/audit/patient/{patient.pk}/").status_code == 404
    assert client.get(f"/audit/patient/{patient.pk}/export/").status_code == 404


def test_export_holds_every_record_and_is_audited(world: ClinicWorld) -> None:
    patient = world.register(name="Meena Devi")
    entry = opd_actions.issue_token(
        acting_user=world.user(Role.RECEPTIONIST),
        patient=patient,
        doctor=world.user(Role.DOCTOR),
        facility=world.facility,
    )
    encounter = opd_actions.start_consultation(entry, acting_user=world.user(Role.DOCTOR))
    response = world.client(Role.DOCTOR).get(f"/audit/patient/{patient.pk}/export/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    bundle = json.loads(response.content)
    assert bundle["format"] == "nidaan-records-export-v1"
    assert bundle["patient"]["pk"] == str(patient.pk)
    encounters = bundle["records"]["encounters.encounter"]
    assert [row["pk"] for row in encounters] == [str(encounter.pk)]
    assert bundle["records"]["opd.queueentry"][0]["pk"] == str(entry.pk)
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT, patient_id=patient.pk, actor_id=world.user(Role.DOCTOR).pk
    ).exists()
