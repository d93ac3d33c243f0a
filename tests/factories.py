"""Test data: a clinic with one user per role, and helpers to register patients."""

from __future__ import annotations

from typing import Any

from django.test import Client

from nidaan.accounts.actions import create_api_token, create_staff_user
from nidaan.accounts.models import User
from nidaan.clinics.actions import set_up_clinic
from nidaan.clinics.models import Facility, Organisation
from nidaan.core.permissions import Role
from nidaan.patients.actions import register_patient
from nidaan.patients.forms import PatientForm
from nidaan.patients.models import Patient

PASSWORD = "Correct-Horse-42"

CLINIC = {
    "clinic_name": "Shanti Clinic",
    "clinic_name_hi": "शांति क्लिनिक",
    "address_line": "Boring Road",
    "city": "Patna",
    "district": "Patna",
    "state": "10",
    "pin": "800001",
    "phone": "0612 222 3333",
}


class ClinicWorld:
    """One organisation with a branch and a user for every role."""

    def __init__(self, organisation: Organisation, facility: Facility, admin: User) -> None:
        self.organisation = organisation
        self.facility = facility
        self.users: dict[str, User] = {Role.ADMIN: admin}
        for role in Role:
            if role == Role.ADMIN:
                continue
            is_doctor = role == Role.DOCTOR
            self.users[role] = create_staff_user(
                acting_user=admin,
                facility=facility,
                # Digits, not hex: letters of a random suffix can make a name "too
                # similar" to PASSWORD for the similarity rule (a flaky failure).
                username=f"{role}-{facility.pk.int % 10**8:08d}",
                password=PASSWORD,
                role=role,
                full_name=f"{role.label} of {facility.name}",
                qualification="MBBS" if is_doctor else "",
                registration_number="BMC 1234" if is_doctor else "",
                council="Bihar Medical Council" if is_doctor else "",
            )

    def user(self, role: str) -> User:
        return self.users[role]

    def client(self, role: str) -> Client:
        client = Client()
        client.force_login(self.users[role])
        return client

    def token(self, role: str) -> str:
        return create_api_token(self.users[role])

    def register(self, by: str = Role.RECEPTIONIST, **values: Any) -> Patient:
        data = {"sex": "F", "age": 30, **values}
        form = PatientForm(data)
        assert form.is_valid(), form.errors.as_json()
        return register_patient(
            acting_user=self.users[by], facility=self.facility, demographics=form.demographics()
        )


def make_world(name: str = "Shanti Clinic", admin_username: str = "admin") -> ClinicWorld:
    org, facility, admin = set_up_clinic(
        clinic={**CLINIC, "clinic_name": name},
        admin={
            "username": admin_username,
            "password": PASSWORD,
            "role": Role.ADMIN,
            "full_name": f"Admin of {name}",
        },
    )
    return ClinicWorld(org, facility, admin)
