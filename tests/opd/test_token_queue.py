from __future__ import annotations

import pytest

from nidaan.opd import actions
from nidaan.opd.models import QueueStatus
from tests.factories import ClinicWorld


def test_tokens_of_the_day_are_consecutive_per_doctor(world: ClinicWorld) -> None:
    reception, doctor = world.user("receptionist"), world.user("doctor")
    tokens = [
        actions.issue_token(
            acting_user=reception,
            patient=world.register(name=f"P {i}"),
            doctor=doctor,
            facility=world.facility,
        ).token
        for i in range(3)
    ]
    assert tokens == [1, 2, 3]


def test_a_patient_already_waiting_is_not_given_a_second_token(world: ClinicWorld) -> None:
    reception, doctor = world.user("receptionist"), world.user("doctor")
    patient = world.register(name="Sunita Devi")
    actions.issue_token(
        acting_user=reception, patient=patient, doctor=doctor, facility=world.facility
    )
    with pytest.raises(actions.QueueError, match="already in the queue with token 1"):
        actions.issue_token(
            acting_user=reception, patient=patient, doctor=doctor, facility=world.facility
        )


def test_only_doctors_have_a_queue(world: ClinicWorld) -> None:
    with pytest.raises(actions.QueueError, match="not a doctor"):
        actions.issue_token(
            acting_user=world.user("receptionist"),
            patient=world.register(name="X"),
            doctor=world.user("nurse"),
            facility=world.facility,
        )


def test_call_next_takes_emergencies_then_elderly_then_tokens(world: ClinicWorld) -> None:
    reception, doctor = world.user("receptionist"), world.user("doctor")

    def token(name: str, priority: str = "") -> int:
        return actions.issue_token(
            acting_user=reception,
            patient=world.register(name=name),
            doctor=doctor,
            facility=world.facility,
            priority=priority,
        ).token

    first, elderly, second, emergency = (
        token("A"),
        token("B", "elderly"),
        token("C"),
        token("D", "emergency"),
    )
    order = []
    while (entry := actions.call_next(doctor=doctor, facility=world.facility)) is not None:
        order.append(entry.token)
        actions.start_consultation(entry, acting_user=doctor)
    assert order == [emergency, elderly, first, second]


def test_a_visit_follows_the_token_through_to_done(world: ClinicWorld) -> None:
    reception, doctor = world.user("receptionist"), world.user("doctor")
    entry = actions.issue_token(
        acting_user=reception,
        patient=world.register(name="A"),
        doctor=doctor,
        facility=world.facility,
    )
    called = actions.call_next(doctor=doctor, facility=world.facility)
    assert called is not None
    assert called.status == QueueStatus.CALLED
    encounter = actions.start_consultation(called, acting_user=doctor)
    assert actions.start_consultation(called, acting_user=doctor) == encounter  # idempotent
    entry.refresh_from_db()
    assert (entry.status, entry.encounter_id) == (QueueStatus.IN_CONSULTATION, encounter.pk)
    with pytest.raises(actions.QueueError, match="cannot go from with the doctor to waiting"):
        actions.set_queue_status(entry, QueueStatus.WAITING, acting_user=doctor)
    actions.set_queue_status(entry, QueueStatus.DONE, acting_user=doctor)
    entry.refresh_from_db()
    assert entry.status == QueueStatus.DONE
    assert entry.finished_at is not None
