from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone

from nidaan.audit.models import AuditAction, AuditEvent
from nidaan.core import uhid
from nidaan.core.permissions import Role
from nidaan.patients.models import Patient
from tests.factories import ClinicWorld

FORM = {
    "name": "सुनीता देवी",
    "sex": "F",
    "age": "34",
    "mobile": "98765 43210",
    "guardian_relation": "husband",
    "guardian_name": "राजेश कुमार",
    "locality": "कंकड़बाग",
    "district": "Patna",
    "state": "10",
    "pin": "800020",
    "abha_number": "91-6285-4575-5116",
    "abha_address": "sunita.devi@abdm",
}


def test_reception_registers_a_patient_in_hindi(world: ClinicWorld) -> None:
    client = world.client(Role.RECEPTIONIST)
    response = client.post("/patients/new/", FORM)
    assert response.status_code == 302
    patient = Patient.objects.get()
    assert response["Location"] == f"/patients/{patient.pk}/"
    assert patient.name == "सुनीता देवी"
    assert patient.name_latin == "Sunita Devi"
    assert patient.mobile == "9876543210"
    assert patient.abha_number == "91628545755116"
    assert uhid.parse(patient.uhid) == patient.uhid
    assert patient.date_of_birth_estimated
    assert patient.age == 34
    assert patient.registered_at == world.facility

    page = client.get(response["Location"]).content.decode()
    assert "सुनीता देवी" in page
    assert "Sunita Devi" in page
    assert patient.uhid in page
    assert "91-6285-4575-5116" in page


def test_an_invalid_mobile_is_refused_and_nothing_is_stored(world: ClinicWorld) -> None:
    response = world.client(Role.RECEPTIONIST).post(
        "/patients/new/", {**FORM, "mobile": "1234567890"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "1234567890 is not a valid Indian mobile number." in page
    assert 'value="सुनीता देवी"' in page  # what was typed is kept
    assert not Patient.objects.exists()


def test_age_or_date_of_birth_is_needed_and_the_future_is_refused(world: ClinicWorld) -> None:
    client = world.client(Role.RECEPTIONIST)
    page = client.post("/patients/new/", {**FORM, "age": ""}).content.decode()
    assert "Enter the age in years or the date of birth." in page
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page = client.post(
        "/patients/new/", {**FORM, "age": "", "date_of_birth": tomorrow.isoformat()}
    ).content.decode()
    assert "Date of birth cannot be in the future." in page
    assert not Patient.objects.exists()


def test_a_date_of_birth_is_exact(world: ClinicWorld) -> None:
    world.client(Role.RECEPTIONIST).post(
        "/patients/new/", {**FORM, "age": "", "date_of_birth": "2020-02-29"}
    )
    patient = Patient.objects.get()
    assert patient.date_of_birth == datetime.date(2020, 2, 29)
    assert not patient.date_of_birth_estimated


def test_uhids_are_unique_and_consecutive_on_a_node(world: ClinicWorld) -> None:
    uhids = [world.register(name=f"Patient {i}").uhid for i in range(3)]
    prefixes = {u.split("-")[0] for u in uhids}
    numbers = [int(u.split("-")[1]) for u in uhids]
    assert len(prefixes) == 1
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]


def test_opening_a_patient_is_audited(world: ClinicWorld) -> None:
    patient = world.register(name="Ramesh Kumar")
    doctor = world.user(Role.DOCTOR)
    world.client(Role.DOCTOR).get(f"/patients/{patient.pk}/")
    event = AuditEvent.objects.get(action=AuditAction.VIEW, patient_id=patient.pk)
    assert event.actor_id == doctor.pk
    assert event.channel == "web"


def test_another_clinics_patient_is_not_found(
    world: ClinicWorld, other_world: Callable[[], ClinicWorld]
) -> None:
    other = other_world()
    theirs = other.register(name="Their Patient")
    client = world.client(Role.ADMIN)
    assert client.get(f"/patients/{theirs.pk}/").status_code == 404
    assert client.get(f"/patients/{theirs.pk}/edit/").status_code == 404
