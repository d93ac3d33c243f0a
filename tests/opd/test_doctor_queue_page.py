"""The doctor works through their own queue: call next, start the consultation, done."""

from __future__ import annotations

from collections.abc import Callable

from nidaan.core.permissions import Role
from nidaan.encounters.models import Encounter
from nidaan.opd import actions
from nidaan.opd.models import Priority, QueueEntry, QueueStatus
from tests.factories import ClinicWorld


def _token(world: ClinicWorld, name: str, priority: str = "") -> QueueEntry:
    return actions.issue_token(
        acting_user=world.user(Role.RECEPTIONIST),
        patient=world.register(name=name),
        doctor=world.user(Role.DOCTOR),
        facility=world.facility,
        priority=priority,
    )


def test_the_doctor_sees_the_waiting_line_in_calling_order(world: ClinicWorld) -> None:
    _token(world, "Sunita Devi")
    _token(world, "Ramesh Kumar", priority=Priority.EMERGENCY)

    page = world.client(Role.DOCTOR).get("/opd/doctor/").content.decode()

    assert page.index("Ramesh Kumar") < page.index("Sunita Devi")
    assert "Call next" in page
    assert 'hx-get="/opd/doctor/waiting/"' in page
    assert 'hx-trigger="every 10s"' in page


def test_call_next_calls_the_emergency_first_and_shows_its_token(world: ClinicWorld) -> None:
    _token(world, "Sunita Devi")
    emergency = _token(world, "Ramesh Kumar", priority=Priority.EMERGENCY)

    response = world.client(Role.DOCTOR).post("/opd/doctor/call-next/", follow=True)

    assert response.redirect_chain == [("/opd/doctor/", 302)]
    emergency.refresh_from_db()
    assert emergency.status == QueueStatus.CALLED
    page = response.content.decode()
    assert 'Called: <strong class="token-big mono">2</strong>' in page
    assert "Start consultation" in page


def test_call_next_with_nobody_waiting_says_so(world: ClinicWorld) -> None:
    response = world.client(Role.DOCTOR).post("/opd/doctor/call-next/", follow=True)

    assert "Nobody is waiting." in response.content.decode()


def test_starting_the_consultation_opens_the_visit(world: ClinicWorld) -> None:
    entry = _token(world, "Sunita Devi")
    client = world.client(Role.DOCTOR)
    client.post("/opd/doctor/call-next/")

    response = client.post(f"/opd/queue/{entry.pk}/start/")

    entry.refresh_from_db()
    encounter = Encounter.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/visits/{encounter.pk}/"
    assert (entry.status, entry.encounter_id) == (QueueStatus.IN_CONSULTATION, encounter.pk)
    assert encounter.patient == entry.patient
    page = client.get("/opd/doctor/").content.decode()
    assert f'href="/visits/{encounter.pk}/"' in page


def test_done_finishes_the_token(world: ClinicWorld) -> None:
    entry = _token(world, "Sunita Devi")
    actions.start_consultation(entry, acting_user=world.user(Role.DOCTOR))

    response = world.client(Role.DOCTOR).post(f"/opd/queue/{entry.pk}/done/", follow=True)

    entry.refresh_from_db()
    assert entry.status == QueueStatus.DONE
    page = response.content.decode()
    assert "Token 1 marked “Done”." in page
    assert "1 patient seen today." in page


def test_done_before_the_consultation_is_refused_with_a_message(world: ClinicWorld) -> None:
    entry = _token(world, "Sunita Devi")

    response = world.client(Role.DOCTOR).post(f"/opd/queue/{entry.pk}/done/", follow=True)

    assert "Token 1 is “Waiting”, so it cannot be marked “Done”." in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == QueueStatus.WAITING


def test_a_receptionist_cannot_call_or_start(world: ClinicWorld) -> None:
    entry = _token(world, "Sunita Devi")
    client = world.client(Role.RECEPTIONIST)

    assert client.get("/opd/doctor/").status_code == 403
    assert client.post("/opd/doctor/call-next/").status_code == 403
    assert client.post(f"/opd/queue/{entry.pk}/start/").status_code == 403
    entry.refresh_from_db()
    assert entry.status == QueueStatus.WAITING


def test_an_admin_sees_a_doctors_queue_but_does_not_call(world: ClinicWorld) -> None:
    _token(world, "Sunita Devi")
    client = world.client(Role.ADMIN)

    page = client.get("/opd/doctor/").content.decode()
    assert "Sunita Devi" in page
    assert 'action="/opd/doctor/call-next/"' not in page

    response = client.post("/opd/doctor/call-next/", follow=True)
    assert "Only the doctor calls patients from their queue." in response.content.decode()
    assert QueueEntry.objects.get().status == QueueStatus.WAITING


def test_another_clinics_token_is_not_found(
    world: ClinicWorld, other_world: Callable[[], ClinicWorld]
) -> None:
    other = other_world()
    entry = actions.issue_token(
        acting_user=other.user(Role.RECEPTIONIST),
        patient=other.register(name="Other Patient"),
        doctor=other.user(Role.DOCTOR),
        facility=other.facility,
    )

    client = world.client(Role.DOCTOR)
    assert client.post(f"/opd/queue/{entry.pk}/start/").status_code == 404
    assert client.post(f"/opd/queue/{entry.pk}/done/").status_code == 404
