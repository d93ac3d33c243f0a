"""A doctor of another branch gives a reason before opening a patient's chart; the
reason is audited and access lasts some hours. Patients of their own branch open as
before, and a receptionist never gets this path."""

from __future__ import annotations

from nidaan.accounts.actions import create_staff_user
from nidaan.accounts.models import User
from nidaan.audit.models import AuditAction, AuditEvent
from nidaan.clinics.models import Facility
from nidaan.core import changelog
from nidaan.core.permissions import Role
from tests.factories import PASSWORD, ClinicWorld


def _doctor_of_another_branch(world: ClinicWorld) -> User:
    branch = Facility(
        organisation=world.organisation,
        name="Danapur branch",
        address_line="Main Road",
        city="Danapur",
        state="10",
        pin="801503",
        phone="0612 000 0000",
    )
    changelog.insert(branch, acting_user=world.user(Role.ADMIN))
    return create_staff_user(
        acting_user=world.user(Role.ADMIN),
        facility=branch,
        username="danapur-doctor",
        password=PASSWORD,
        role=Role.DOCTOR,
        full_name="Dr Danapur",
    )


def test_other_branch_doctor_gives_a_reason_first(world: ClinicWorld) -> None:
    patient = world.register(name="Meena Devi")
    doctor = _doctor_of_another_branch(world)
    from django.test import Client

    client = Client()
    client.force_login(doctor)
    history = f"/visits/patient/{patient.pk}/"
    response = client.get(history)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/privacy/patient/{patient.pk}/emergency/")
    form = client.get(response["Location"])
    assert "patient of another branch" in form.content.decode()
    refused = client.post(response["Location"], {"reason": "short"})
    assert refused.status_code == 200  # a reason of a few words is asked for
    granted = client.post(
        response["Location"], {"reason": "Brought in unconscious, needs allergy history"}
    )
    assert granted["Location"] == history
    assert client.get(history).status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.EMERGENCY)
    assert event.actor_id == doctor.pk
    assert event.patient_id == patient.pk
    assert event.detail["reason"] == "Brought in unconscious, needs allergy history"


def test_own_branch_patients_open_without_a_reason(world: ClinicWorld) -> None:
    patient = world.register(name="Meena Devi")
    response = world.client(Role.DOCTOR).get(f"/visits/patient/{patient.pk}/")
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action=AuditAction.EMERGENCY).exists()


def test_receptionist_gets_no_emergency_path(world: ClinicWorld) -> None:
    patient = world.register(name="Meena Devi")
    client = world.client(Role.RECEPTIONIST)
    assert client.get(f"/privacy/patient/{patient.pk}/emergency/").status_code == 403
    assert client.get(f"/visits/patient/{patient.pk}/").status_code == 403


def test_the_api_asks_for_the_same_reason(world: ClinicWorld) -> None:
    import json

    from django.test import Client

    from nidaan.accounts.actions import create_api_token

    patient = world.register(name="Meena Devi")
    doctor = _doctor_of_another_branch(world)
    headers = {"Authorization": f"Bearer {create_api_token(doctor)}"}
    url = f"/api/v1/patients/{patient.pk}/encounters"
    refused = Client().get(url, headers=headers)
    assert refused.status_code == 403
    assert "emergency" in json.dumps(refused.json())
    assert AuditEvent.objects.filter(
        action=AuditAction.DENIED, actor_id=doctor.pk, patient_id=patient.pk
    ).exists()
    client = Client()
    client.force_login(doctor)
    client.post(
        f"/privacy/patient/{patient.pk}/emergency/",
        {"reason": "Seen in casualty at night, unconscious"},
    )
    assert Client().get(url, headers=headers).status_code == 200


def test_exporting_another_branchs_patient_also_needs_a_reason(world: ClinicWorld) -> None:
    from django.test import Client

    patient = world.register(name="Meena Devi")
    client = Client()
    client.force_login(_doctor_of_another_branch(world))
    response = client.get(f"/audit/patient/{patient.pk}/export/")
    assert response.status_code == 302
    assert "/emergency/" in response["Location"]


def test_the_documents_api_asks_too(world: ClinicWorld) -> None:
    from django.test import Client

    from nidaan.accounts.actions import create_api_token
    from tests.documents.files import a_document

    patient = world.register(name="Meena Devi")
    document = a_document(world, patient)
    doctor = _doctor_of_another_branch(world)
    headers = {"Authorization": f"Bearer {create_api_token(doctor)}"}
    for url in (
        f"/api/v1/patients/{patient.pk}/documents",
        f"/api/v1/documents/{document.pk}",
        f"/api/v1/documents/{document.pk}/file",
    ):
        assert Client().get(url, headers=headers).status_code == 403, url
    own = world.token(Role.DOCTOR)
    response = Client().get(
        f"/api/v1/documents/{document.pk}", headers={"Authorization": f"Bearer {own}"}
    )
    assert response.status_code == 200
