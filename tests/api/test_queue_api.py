"""The token queue through the JSON API: reception gives tokens, the doctor calls the
next one and sees the patient, the front desk takes a token off the line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from nidaan.core.permissions import Role
from nidaan.encounters.models import Encounter
from nidaan.opd.models import QueueEntry
from nidaan.patients.models import Patient
from tests.api.test_patients_api import Api
from tests.factories import ClinicWorld


def _token(api: Api, patient: Patient, doctor_id: Any, priority: str = "") -> Any:
    return api.call(
        "POST",
        "/queue",
        {"patient_id": str(patient.pk), "doctor_id": str(doctor_id), "priority": priority},
    )


def test_a_morning_of_tokens(world: ClinicWorld) -> None:
    doctor = world.user(Role.DOCTOR)
    reception, doctor_api = Api(world.token(Role.RECEPTIONIST)), Api(world.token(Role.DOCTOR))
    sunita, ravi, amma = (world.register(name=n) for n in ("Sunita Devi", "Ravi Kumar", "Amma"))

    first = _token(reception, sunita, doctor.pk)
    assert first.status_code == 201, first.content
    assert first.json()["token"] == 1
    assert first.json()["patient"]["name"] == "Sunita Devi"
    assert first.json()["doctor"] == {"id": str(doctor.pk), "name": doctor.get_full_name()}
    assert _token(reception, ravi, doctor.pk).json()["token"] == 2
    assert _token(reception, amma, doctor.pk, "elderly").json()["token"] == 3

    board = reception.call("GET", "/queue")
    assert board.status_code == 200
    assert [(e["token"], e["position"]) for e in board.json()] == [(3, 1), (1, 2), (2, 3)]

    called = doctor_api.call("POST", "/queue/call-next")
    assert called.status_code == 200
    assert (called.json()["token"], called.json()["status"]) == (3, "called")

    started = doctor_api.call("POST", f"/queue/{called.json()['id']}/start")
    assert started.status_code == 200, started.content
    visit = started.json()
    assert visit["patient_id"] == str(amma.pk)
    assert visit["queue_entry_id"] == called.json()["id"]
    assert visit["note"]["complete"] is False
    assert Encounter.objects.get().pk.hex == visit["id"].replace("-", "")

    done = doctor_api.call("POST", f"/queue/{called.json()['id']}/done")
    assert (done.status_code, done.json()["status"]) == (200, "done")

    left = reception.call("POST", f"/queue/{first.json()['id']}/status", {"status": "left"})
    assert (left.status_code, left.json()["status"]) == (200, "left")
    assert [e["token"] for e in doctor_api.call("GET", "/queue").json()] == [2, 1, 3]
    assert doctor_api.call("POST", "/queue/call-next").json()["token"] == 2
    assert doctor_api.call("POST", "/queue/call-next").status_code == 204


def test_refusals_say_what_is_wrong_and_store_nothing(world: ClinicWorld) -> None:
    doctor = world.user(Role.DOCTOR)
    reception = Api(world.token(Role.RECEPTIONIST))
    patient = world.register(name="Sunita Devi")
    entry = _token(reception, patient, doctor.pk).json()

    again = _token(reception, patient, doctor.pk)
    assert again.status_code == 400
    assert again.json() == {"errors": {"non_field": ["already in the queue with token 1"]}}
    not_a_doctor = _token(reception, world.register(name="Ravi"), world.user(Role.NURSE).pk)
    assert not_a_doctor.json() == {
        "errors": {
            "doctor_id": ["Select a valid choice. That choice is not one of the available choices."]
        }
    }
    priority = _token(reception, world.register(name="Amma"), doctor.pk, "vip")
    assert priority.json() == {
        "errors": {"priority": ["Select a valid choice. vip is not one of the available choices."]}
    }
    assert QueueEntry.objects.count() == 1

    done = reception.call("POST", f"/queue/{entry['id']}/status", {"status": "done"})
    assert done.json() == {"errors": {"status": ["That change of status is not offered here."]}}
    waiting = reception.call("POST", f"/queue/{entry['id']}/status", {"status": "waiting"})
    assert waiting.json() == {
        "errors": {"non_field": ["token 1 cannot go from waiting to waiting"]}
    }
    unknown = reception.call("POST", f"/queue/{entry['id']}/status", {"status": "gone"})
    assert list(unknown.json()["errors"]) == ["status"]
    assert QueueEntry.objects.get().status == "waiting"

    admin = Api(world.token(Role.ADMIN))
    assert admin.call("POST", "/queue/call-next").json() == {
        "errors": {"non_field": ["Only the doctor calls patients from their queue."]}
    }


def test_who_may_do_what_in_the_queue(world: ClinicWorld) -> None:
    doctor = world.user(Role.DOCTOR)
    patient = world.register(name="Sunita Devi")
    pharmacist = Api(world.token(Role.PHARMACIST))
    assert pharmacist.call("GET", "/queue").status_code == 200
    assert _token(pharmacist, patient, doctor.pk).status_code == 403
    entry = _token(Api(world.token(Role.RECEPTIONIST)), patient, doctor.pk).json()
    reception = Api(world.token(Role.RECEPTIONIST))
    assert reception.call("POST", "/queue/call-next").status_code == 403
    assert reception.call("POST", f"/queue/{entry['id']}/start").status_code == 403
    assert QueueEntry.objects.get().status == "waiting"


def test_another_clinics_tokens_are_not_found(
    world: ClinicWorld, other_world: Callable[[], ClinicWorld]
) -> None:
    doctor = world.user(Role.DOCTOR)
    patient = world.register(name="Sunita Devi")
    entry = _token(Api(world.token(Role.RECEPTIONIST)), patient, doctor.pk).json()
    outsider = Api(other_world().token(Role.ADMIN))
    assert outsider.call("GET", "/queue").json() == []
    assert _token(outsider, patient, doctor.pk).status_code == 404
    status = outsider.call("POST", f"/queue/{entry['id']}/status", {"status": "left"})
    assert status.status_code == 404
    assert outsider.call(
        "POST", f"/queue/{entry['id']}/priority", {"priority": ""}
    ).status_code == (404)
    assert QueueEntry.objects.get().status == "waiting"


def test_the_openapi_document_lists_the_queue_operations(
    world: ClinicWorld, client: Client
) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/queue"]) == {"get", "post"}
    for path in ("call-next", "{entry_id}/start", "{entry_id}/done", "{entry_id}/status"):
        assert set(paths[f"/api/v1/queue/{path}"]) == {"post"}, path
    assert set(paths["/api/v1/queue/{entry_id}/priority"]) == {"post"}
