"""Reception gives a patient a token from the board: find the patient, pick doctor and
priority, and read the token number out from the board."""

from __future__ import annotations

from collections.abc import Callable

from nidaan.accounts.actions import create_staff_user
from nidaan.core.permissions import Role
from nidaan.opd.models import Priority, QueueEntry, QueueStatus
from tests.factories import PASSWORD, ClinicWorld


def test_reception_gives_a_token_and_sees_its_number(world: ClinicWorld) -> None:
    patient = world.register(name="सुनीता देवी")
    client = world.client(Role.RECEPTIONIST)

    form = client.get(f"/opd/token/new/?patient={patient.pk}").content.decode()
    assert "सुनीता देवी" in form
    # The clinic's only doctor is already chosen; Normal priority is the default.
    assert f'value="{world.user(Role.DOCTOR).pk}" required id="id_doctor_0" checked' in form
    assert 'value="" id="id_priority_0" checked' in form
    assert 'class="button primary big" autofocus' in form  # Enter gives the token

    response = client.post(
        f"/opd/token/new/?patient={patient.pk}",
        {"doctor": world.user(Role.DOCTOR).pk, "priority": Priority.PREGNANT},
        follow=True,
    )

    assert response.redirect_chain == [("/opd/", 302)]
    entry = QueueEntry.objects.get()
    assert (entry.patient, entry.doctor, entry.token, entry.priority, entry.status) == (
        patient,
        world.user(Role.DOCTOR),
        1,
        Priority.PREGNANT,
        QueueStatus.WAITING,
    )
    page = response.content.decode()
    assert 'Token given: <strong class="token-big mono">1</strong>' in page
    assert "सुनीता देवी (Sunita Devi) · Doctor of Shanti Clinic" in page


def test_the_doctor_is_chosen_when_the_clinic_has_two(world: ClinicWorld) -> None:
    second = create_staff_user(
        acting_user=world.user(Role.ADMIN),
        facility=world.facility,
        username="dr-two",
        password=PASSWORD,
        role=Role.DOCTOR,
        full_name="Dr. Second",
    )
    patient = world.register(name="Ramesh Kumar")
    client = world.client(Role.RECEPTIONIST)

    form = client.get(f"/opd/token/new/?patient={patient.pk}").content.decode()
    assert 'id="id_doctor_0" checked' not in form
    assert 'id="id_doctor_1" checked' not in form
    # The keyboard starts on the doctor's choice, not on the button.
    assert f'value="{second.pk}" autofocus required' in form
    assert 'class="button primary big" autofocus' not in form
    refused = client.post(f"/opd/token/new/?patient={patient.pk}", {"priority": ""})
    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()
    assert not QueueEntry.objects.exists()

    client.post(f"/opd/token/new/?patient={patient.pk}", {"doctor": second.pk, "priority": ""})
    assert QueueEntry.objects.get().doctor == second


def test_reception_finds_the_patient_first(world: ClinicWorld) -> None:
    patient = world.register(name="Fatima Khan", mobile="9935523456")
    client = world.client(Role.RECEPTIONIST)

    page = client.get("/opd/token/new/").content.decode()
    assert 'name="q"' in page

    found = client.get("/opd/token/new/", {"q": "fatima"}, headers={"HX-Request": "true"})
    assert f'href="/opd/token/new/?patient={patient.pk}"' in found.content.decode()
    assert "<html" not in found.content.decode()  # only the list, for htmx


def test_a_second_token_for_a_waiting_patient_is_refused_with_a_clear_message(
    world: ClinicWorld,
) -> None:
    patient = world.register(name="Sunita Devi")
    client = world.client(Role.RECEPTIONIST)
    url = f"/opd/token/new/?patient={patient.pk}"
    client.post(url, {"doctor": world.user(Role.DOCTOR).pk, "priority": ""})

    response = client.post(url, {"doctor": world.user(Role.DOCTOR).pk, "priority": ""})

    assert response.status_code == 200
    assert (
        "Sunita Devi already has token 1 for Doctor of Shanti Clinic today (Waiting)."
        in response.content.decode()
    )
    assert QueueEntry.objects.count() == 1


def test_a_patient_of_another_clinic_is_not_found(
    world: ClinicWorld, other_world: Callable[[], ClinicWorld]
) -> None:
    stranger = other_world().register(by=Role.ADMIN, name="Other Clinic Patient")
    client = world.client(Role.RECEPTIONIST)

    assert client.get(f"/opd/token/new/?patient={stranger.pk}").status_code == 404
    response = client.post(
        f"/opd/token/new/?patient={stranger.pk}",
        {"doctor": world.user(Role.DOCTOR).pk, "priority": ""},
    )
    assert response.status_code == 404
    assert client.get("/opd/token/new/?patient=not-a-uuid").status_code == 404
    assert not QueueEntry.objects.exists()


def test_a_pharmacist_cannot_give_tokens(world: ClinicWorld) -> None:
    patient = world.register(name="Sunita Devi")
    client = world.client(Role.PHARMACIST)

    assert client.get(f"/opd/token/new/?patient={patient.pk}").status_code == 403
    response = client.post(
        f"/opd/token/new/?patient={patient.pk}",
        {"doctor": world.user(Role.DOCTOR).pk, "priority": ""},
    )
    assert response.status_code == 403
    assert not QueueEntry.objects.exists()
