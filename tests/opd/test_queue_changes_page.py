"""The front desk changes a token from the board: priority, left, did not come, back in
line; a change the queue does not allow is refused with a message saying why."""

from __future__ import annotations

from nidaan.core.permissions import Role
from nidaan.opd import actions
from nidaan.opd.models import Priority, QueueEntry, QueueStatus
from tests.factories import ClinicWorld


def _token(world: ClinicWorld, name: str = "Sunita Devi") -> QueueEntry:
    return actions.issue_token(
        acting_user=world.user(Role.RECEPTIONIST),
        patient=world.register(name=name),
        doctor=world.user(Role.DOCTOR),
        facility=world.facility,
    )


def test_reception_marks_a_patient_an_emergency(world: ClinicWorld) -> None:
    entry = _token(world)

    response = world.client(Role.RECEPTIONIST).post(
        f"/opd/queue/{entry.pk}/priority/", {"priority": Priority.EMERGENCY}, follow=True
    )

    entry.refresh_from_db()
    assert entry.priority == Priority.EMERGENCY
    page = response.content.decode()
    assert "Token 1: priority is now Emergency." in page
    assert '<span class="badge priority-emergency">Emergency</span>' in page


def test_a_patient_who_left_is_marked_and_can_come_back(world: ClinicWorld) -> None:
    entry = _token(world)
    client = world.client(Role.RECEPTIONIST)

    response = client.post(f"/opd/queue/{entry.pk}/status/", {"status": "left"}, follow=True)
    entry.refresh_from_db()
    assert entry.status == QueueStatus.LEFT
    assert entry.finished_at is not None
    assert "Token 1 marked “Left”." in response.content.decode()

    client.post(f"/opd/queue/{entry.pk}/status/", {"status": "waiting"})
    entry.refresh_from_db()
    assert entry.status == QueueStatus.WAITING


def test_reception_marks_a_no_show(world: ClinicWorld) -> None:
    entry = _token(world)

    world.client(Role.RECEPTIONIST).post(f"/opd/queue/{entry.pk}/status/", {"status": "no_show"})

    entry.refresh_from_db()
    assert entry.status == QueueStatus.NO_SHOW


def test_a_finished_visit_cannot_be_marked_left(world: ClinicWorld) -> None:
    entry = _token(world)
    doctor = world.user(Role.DOCTOR)
    actions.start_consultation(entry, acting_user=doctor)
    actions.set_queue_status(entry, QueueStatus.DONE, acting_user=doctor)

    response = world.client(Role.RECEPTIONIST).post(
        f"/opd/queue/{entry.pk}/status/", {"status": "left"}, follow=True
    )

    assert "Token 1 is “Done”, so it cannot be marked “Left”." in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == QueueStatus.DONE


def test_reception_cannot_mark_a_visit_done(world: ClinicWorld) -> None:
    entry = _token(world)

    response = world.client(Role.RECEPTIONIST).post(
        f"/opd/queue/{entry.pk}/status/", {"status": "done"}, follow=True
    )

    assert "That change of status is not offered here." in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == QueueStatus.WAITING


def test_billing_cannot_change_the_queue(world: ClinicWorld) -> None:
    entry = _token(world)
    client = world.client(Role.BILLING)

    assert client.post(f"/opd/queue/{entry.pk}/status/", {"status": "left"}).status_code == 403
    assert client.post(f"/opd/queue/{entry.pk}/priority/", {"priority": ""}).status_code == 403
    entry.refresh_from_db()
    assert entry.status == QueueStatus.WAITING
