"""Visits and the consultation note through the JSON API: a doctor opens a visit, saves a
draft, completes it, and never overwrites a colleague's work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from nidaan.audit.models import AuditAction, AuditEvent
from nidaan.core.permissions import Role
from nidaan.encounters.models import ConsultationNote, Encounter
from nidaan.patients.models import Patient
from tests.api.test_patients_api import Api
from tests.factories import ClinicWorld


def _open_visit(api: Api, patient: Patient) -> dict[str, Any]:
    response = api.call("POST", f"/patients/{patient.pk}/encounters", {})
    assert response.status_code == 201, response.content
    body: dict[str, Any] = response.json()
    return body


def test_a_doctor_opens_a_visit_and_saves_the_consultation(world: ClinicWorld) -> None:
    doctor = world.user(Role.DOCTOR)
    patient = world.register(name="Sunita Devi")
    api = Api(world.token(Role.DOCTOR))

    visit = _open_visit(api, patient)
    assert visit["doctor"] == {"id": str(doctor.pk), "name": doctor.get_full_name()}
    assert visit["patient_id"] == str(patient.pk)
    draft = visit["note"]
    assert isinstance(draft, dict)
    assert draft["complete"] is False
    assert draft["complaints"] == []

    saved = api.call(
        "POST",
        f"/encounters/{visit['id']}/note",
        {
            "based_on": draft["id"],
            "complaints_text": "fever 3 days\ncough × 1 week",
            "examination": "chest clear",
            "follow_up_date": "15-01-2030",
        },
    )
    assert saved.status_code == 200, saved.content
    note = saved.json()
    assert note["complaints"] == [
        {"text": "fever", "duration": 3, "unit": "days"},
        {"text": "cough", "duration": 1, "unit": "weeks"},
    ]
    assert note["examination"] == "chest clear"
    assert note["follow_up_date"] == "2030-01-15"
    assert note["supersedes"] == draft["id"]
    assert note["recorded_by"]["id"] == str(doctor.pk)

    # Only the fields sent change; the complaints can also come as a list.
    completed = api.call(
        "POST",
        f"/encounters/{visit['id']}/note",
        {
            "based_on": note["id"],
            "complaints": [{"text": "fever", "duration": 4, "unit": "days"}],
            "advice": "paracetamol, fluids",
            "complete": True,
        },
    ).json()
    assert completed["complete"] is True
    assert completed["examination"] == "chest clear"
    assert completed["complaints"] == [{"text": "fever", "duration": 4, "unit": "days"}]
    assert completed["advice"] == "paracetamol, fluids"


def test_a_doctor_opens_a_visit_for_a_colleague(world: ClinicWorld) -> None:
    patient = world.register(name="Ravi Kumar")
    api = Api(world.token(Role.DOCTOR))
    not_a_doctor = api.call(
        "POST",
        f"/patients/{patient.pk}/encounters",
        {"doctor_id": str(world.user(Role.RECEPTIONIST).pk)},
    )
    assert not_a_doctor.status_code == 400
    assert not_a_doctor.json() == {
        "errors": {"doctor_id": ["This is not a doctor of this clinic."]}
    }
    assert not Encounter.objects.exists()

    owner = world.user(Role.ADMIN)  # the clinic's owner, who also sees patients
    opened = api.call("POST", f"/patients/{patient.pk}/encounters", {"doctor_id": str(owner.pk)})
    assert opened.status_code == 201
    assert opened.json()["doctor"]["id"] == str(owner.pk)


def test_a_stale_save_is_409_and_overwrites_nothing(world: ClinicWorld) -> None:
    patient = world.register(name="Sunita Devi")
    mine, colleague = Api(world.token(Role.DOCTOR)), Api(world.token(Role.DOCTOR))
    visit = _open_visit(mine, patient)
    read = visit["note"]
    assert isinstance(read, dict)

    first = mine.call(
        "POST", f"/encounters/{visit['id']}/note", {"based_on": read["id"], "advice": "rest"}
    )
    assert first.status_code == 200
    stale = colleague.call(
        "POST", f"/encounters/{visit['id']}/note", {"based_on": read["id"], "advice": "ORS"}
    )
    assert stale.status_code == 409
    conflict = stale.json()
    doctor = world.user(Role.DOCTOR)
    assert conflict["current"]["id"] == first.json()["id"]
    assert conflict["current"]["recorded_by"] == {
        "id": str(doctor.pk),
        "name": doctor.get_full_name(),
    }
    assert conflict["current"]["recorded_at"] == first.json()["recorded_at"]
    assert doctor.get_full_name() in conflict["detail"]
    current = ConsultationNote.objects.filter(encounter_id=visit["id"]).current().get()
    assert current.advice == "rest"


def test_a_completed_note_changes_only_with_a_reason(world: ClinicWorld) -> None:
    patient = world.register(name="Sunita Devi")
    api = Api(world.token(Role.DOCTOR))
    visit = _open_visit(api, patient)
    read = visit["note"]
    assert isinstance(read, dict)
    url = f"/encounters/{visit['id']}/note"
    done = api.call("POST", url, {"based_on": read["id"], "advice": "rest", "complete": True})
    assert done.status_code == 200

    refused = api.call("POST", url, {"based_on": done.json()["id"], "advice": "ORS"})
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["reason"]
    assert ConsultationNote.objects.filter(encounter_id=visit["id"]).count() == 2

    amended = api.call(
        "POST", url, {"based_on": done.json()["id"], "advice": "ORS", "reason": "ORS forgotten"}
    )
    assert amended.status_code == 200
    assert amended.json()["reason"] == "ORS forgotten"
    assert amended.json()["complete"] is True


def test_note_input_is_checked_by_the_pages_form(world: ClinicWorld) -> None:
    patient = world.register(name="Sunita Devi")
    api = Api(world.token(Role.DOCTOR))
    visit = _open_visit(api, patient)
    read = visit["note"]
    assert isinstance(read, dict)
    url = f"/encounters/{visit['id']}/note"
    bad_date = api.call("POST", url, {"based_on": read["id"], "follow_up_date": "31-02-2030"})
    assert bad_date.status_code == 400
    assert bad_date.json() == {"errors": {"follow_up_date": ["Enter a valid date."]}}
    both = api.call(
        "POST", url, {"based_on": read["id"], "complaints_text": "fever", "complaints": []}
    )
    assert both.status_code == 400
    assert "complaints" in both.json()["errors"]
    half = api.call(
        "POST", url, {"based_on": read["id"], "complaints": [{"text": "fever", "duration": 3}]}
    )
    assert half.status_code == 400
    assert "complaints.0" in half.json()["errors"]
    other_visit = _open_visit(api, world.register(name="Ravi Kumar"))
    wrong_note = api.call("POST", f"/encounters/{other_visit['id']}/note", {"based_on": read["id"]})
    assert wrong_note.status_code == 400
    assert list(wrong_note.json()["errors"]) == ["based_on"]
    assert ConsultationNote.objects.filter(encounter_id=visit["id"]).count() == 1


def test_history_lists_visits_newest_first_with_what_is_in_use(world: ClinicWorld) -> None:
    patient = world.register(name="Sunita Devi")
    api = Api(world.token(Role.DOCTOR))
    older = _open_visit(api, patient)
    newer = _open_visit(api, patient)
    vitals = api.call(
        "POST", f"/encounters/{older['id']}/vitals", {"bp_systolic": 150, "bp_diastolic": 95}
    ).json()
    api.call(
        "POST",
        f"/records/vitals/{vitals['id']}/amend",
        {"bp_systolic": 140, "reason": "misread"},
    )
    api.call("POST", f"/encounters/{older['id']}/diagnoses", {"icd10_code": "I10"})

    history = api.call("GET", f"/patients/{patient.pk}/encounters")
    assert history.status_code == 200
    visits = history.json()
    assert [v["id"] for v in visits] == [newer["id"], older["id"]]
    assert [(v["bp_systolic"], v["current"]) for v in visits[1]["vitals"]] == [(140, True)]
    assert [d["icd10_code"] for d in visits[1]["diagnoses"]] == ["I10"]
    assert visits[1]["note"]["id"] == older["note"]["id"]
    assert visits[0]["vitals"] == visits[0]["diagnoses"] == []
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, patient_id=patient.pk, channel="api", entity="patients.patient"
    ).exists()

    full = api.call("GET", f"/encounters/{older['id']}")
    assert full.status_code == 200
    detail = full.json()
    assert [(v["bp_systolic"], v["current"]) for v in detail["versions"]["vitals"]] == [
        (150, False),
        (140, True),
    ]
    assert detail["versions"]["vitals"][1]["reason"] == "misread"
    assert [n["current"] for n in detail["versions"]["notes"]] == [True]
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW,
        entity="encounters.encounter",
        entity_id=older["id"],
        channel="api",
    ).exists()


def test_the_front_desk_cannot_read_the_chart(world: ClinicWorld) -> None:
    patient = world.register(name="Sunita Devi")
    visit = _open_visit(Api(world.token(Role.DOCTOR)), patient)
    reception = Api(world.token(Role.RECEPTIONIST))
    before = AuditEvent.objects.filter(action=AuditAction.VIEW).count()
    assert reception.call("GET", f"/patients/{patient.pk}/encounters").status_code == 403
    assert reception.call("GET", f"/encounters/{visit['id']}").status_code == 403
    assert reception.call("POST", f"/patients/{patient.pk}/encounters", {}).status_code == 403
    nurse = Api(world.token(Role.NURSE))
    assert nurse.call("POST", f"/patients/{patient.pk}/encounters", {}).status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.VIEW).count() == before


def test_another_clinics_visits_are_not_found(
    world: ClinicWorld, other_world: Callable[[], ClinicWorld]
) -> None:
    patient = world.register(name="Sunita Devi")
    visit = _open_visit(Api(world.token(Role.DOCTOR)), patient)
    note = visit["note"]
    assert isinstance(note, dict)
    outsider = Api(other_world().token(Role.DOCTOR))
    assert outsider.call("GET", f"/patients/{patient.pk}/encounters").status_code == 404
    assert outsider.call("GET", f"/encounters/{visit['id']}").status_code == 404
    assert outsider.call("POST", f"/patients/{patient.pk}/encounters", {}).status_code == 404
    stale = outsider.call("POST", f"/encounters/{visit['id']}/note", {"based_on": note["id"]})
    assert stale.status_code == 404
    assert Encounter.objects.count() == 1
    assert ConsultationNote.objects.count() == 1


def test_the_openapi_document_lists_the_visit_operations(
    world: ClinicWorld, client: Client
) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/patients/{patient_id}/encounters"]) == {"get", "post"}
    assert set(paths["/api/v1/encounters/{encounter_id}"]) == {"get"}
    assert set(paths["/api/v1/encounters/{encounter_id}/note"]) == {"post"}
    note = paths["/api/v1/encounters/{encounter_id}/note"]["post"]
    assert {"200", "400", "403", "404", "409"} <= set(note["responses"])
