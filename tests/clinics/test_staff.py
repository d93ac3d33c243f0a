from __future__ import annotations

from nidaan.accounts.models import User
from nidaan.core.permissions import Role
from tests.factories import ClinicWorld

NEW_DOCTOR = {
    "username": "drsharma",
    "full_name": "Dr. Neha Sharma",
    "full_name_hi": "डॉ. नेहा शर्मा",
    "role": "doctor",
    "language": "hi",
    "password": "Neha-Sharma-2026",
    "qualification": "MBBS, DCH",
    "registration_number": "BMC 98765",
    "council": "Bihar Medical Council",
}


def test_admin_adds_a_doctor_who_can_log_in(world: ClinicWorld) -> None:
    response = world.client(Role.ADMIN).post("/staff/", NEW_DOCTOR)
    assert response.status_code == 302
    doctor = User.objects.get(username="drsharma")
    assert doctor.organisation == world.organisation
    assert doctor.registration_number == "BMC 98765"
    assert doctor.check_password("Neha-Sharma-2026")


def test_a_doctor_needs_registration_particulars(world: ClinicWorld) -> None:
    response = world.client(Role.ADMIN).post(
        "/staff/", {**NEW_DOCTOR, "registration_number": "", "council": ""}
    )
    assert response.status_code == 200
    assert response.content.decode().count("Required for a doctor.") == 2
    assert not User.objects.filter(username="drsharma").exists()


def test_receptionist_cannot_add_staff(world: ClinicWorld) -> None:
    response = world.client(Role.RECEPTIONIST).post("/staff/", NEW_DOCTOR)
    assert response.status_code == 403
    assert not User.objects.filter(username="drsharma").exists()
