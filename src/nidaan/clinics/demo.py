"""The demo clinic that `nidaan demo` (and `make run`) sets up: a small OPD in Lucknow."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from nidaan.accounts.actions import change_password, create_staff_user
from nidaan.accounts.models import User
from nidaan.clinics.actions import set_up_clinic
from nidaan.clinics.models import Facility, Organisation
from nidaan.clinics.states import State
from nidaan.core.permissions import Role
from nidaan.patients.actions import register_patient
from nidaan.patients.forms import PatientForm
from nidaan.patients.models import Patient

CLINIC: dict[str, Any] = {
    "clinic_name": "Nidaan Demo Clinic",
    "clinic_name_hi": "निदान डेमो क्लिनिक",
    "address_line": "12 Hazratganj Road",
    "city": "Lucknow",
    "district": "Lucknow",
    "state": State.UTTAR_PRADESH,
    "pin": "226001",
    "phone": "0522 400 1234",
    "timings": "Mon–Sat 9:00–13:00, 17:00–20:00",
    "gstin": "",
}

STAFF: dict[str, dict[str, Any]] = {
    "admin": {"role": Role.ADMIN, "full_name": "Clinic Admin", "full_name_hi": "क्लिनिक एडमिन"},
    "doctor": {
        "role": Role.DOCTOR,
        "full_name": "Dr. Anjali Verma",
        "full_name_hi": "डॉ. अंजलि वर्मा",
        "qualification": "MBBS, MD (Medicine)",
        "registration_number": "UPMC 54321",
        "council": "Uttar Pradesh Medical Council",
        "language": "en",
    },
    "reception": {
        "role": Role.RECEPTIONIST,
        "full_name": "Sunil Yadav",
        "full_name_hi": "सुनील यादव",
        "language": "hi",
    },
}

PATIENTS: list[dict[str, Any]] = [
    {
        "name": "रमेश कुमार",
        "sex": "M",
        "age": 45,
        "mobile": "9876501234",
        "guardian_name": "सुरेश प्रसाद",
        "guardian_relation": "father",
        "locality": "आलमबाग",
    },
    {
        "name": "Ramesh Kumar",
        "sex": "M",
        "age": 62,
        "mobile": "9415012345",
        "guardian_name": "Late Shyam Lal",
        "guardian_relation": "father",
        "locality": "Chinhat",
    },
    {
        "name": "Fatima Khan",
        "sex": "F",
        "age": 29,
        "mobile": "9935523456",
        "guardian_name": "Imran Khan",
        "guardian_relation": "husband",
        "locality": "Aminabad",
    },
    {
        "name": "प्रियंका श्रीवास्तव",
        "sex": "F",
        "age": 8,
        "mobile": "7007034567",
        "guardian_name": "अमित श्रीवास्तव",
        "guardian_relation": "father",
        "locality": "गोमती नगर",
    },
    {
        "name": "Mohd Arif",
        "sex": "M",
        "age": 35,
        "mobile": "8299045678",
        "guardian_name": "Mohd Rafiq",
        "guardian_relation": "father",
        "locality": "Chowk",
    },
]


@dataclass(frozen=True)
class DemoLogins:
    created: bool
    passwords: dict[str, str]  # empty when the passwords were left as they were


def _new_password() -> str:
    return "demo-" + secrets.token_urlsafe(8)


@transaction.atomic
def ensure_demo_clinic(password: str | None = None) -> DemoLogins:
    """Create the demo clinic once; later runs change nothing unless given `password`."""
    organisation = Organisation.objects.first()
    if organisation is None:
        passwords = {username: password or _new_password() for username in STAFF}
        _org, facility, admin = set_up_clinic(
            clinic=CLINIC,
            admin={"username": "admin", "password": passwords["admin"], **STAFF["admin"]},
        )
        for username in ("doctor", "reception"):
            create_staff_user(
                acting_user=admin,
                facility=facility,
                username=username,
                password=passwords[username],
                **STAFF[username],
            )
        patients = []
        for demographics in PATIENTS:
            form = PatientForm(demographics)
            if not form.is_valid():
                raise ValueError(f"demo patient is invalid: {form.errors.as_json()}")
            patients.append(
                register_patient(
                    acting_user=admin, facility=facility, demographics=form.demographics()
                )
            )
        _demo_opd(facility, admin, patients[0])
        return DemoLogins(created=True, passwords=passwords)
    if password is None:
        return DemoLogins(created=False, passwords={})
    admin = User.objects.get(username="admin", organisation=organisation)
    for username in STAFF:
        user = User.objects.filter(username=username, organisation=organisation).first()
        if user is not None:
            change_password(user, password, acting_user=admin)
    return DemoLogins(created=False, passwords=dict.fromkeys(STAFF, password))


def _demo_opd(facility: Facility, admin: User, patient: Patient) -> None:
    """OPD hours for the demo doctor, and one earlier visit so the chart is not empty."""
    from nidaan.encounters import actions as chart
    from nidaan.encounters.models import ConsultationNote
    from nidaan.opd.actions import save_schedule

    doctor = User.objects.get(username="doctor", organisation_id=facility.organisation_id)
    for weekday in range(6):  # Monday to Saturday, 9–13 and 17–20
        save_schedule(
            acting_user=admin,
            doctor=doctor,
            facility=facility,
            weekday=weekday,
            values={
                "starts": datetime.time(9),
                "ends": datetime.time(20),
                "break_starts": datetime.time(13),
                "break_ends": datetime.time(17),
                "slot_minutes": 10,
            },
        )
    visit = chart.start_encounter(acting_user=doctor, patient=patient, facility=facility)
    chart.record_vitals(
        visit,
        {
            "bp_systolic": 148,
            "bp_diastolic": 94,
            "pulse": 82,
            "weight_kg": Decimal("71.5"),
            "height_cm": Decimal("168"),
        },
        acting_user=doctor,
    )
    chart.add_diagnosis(
        visit,
        {
            "icd10_code": "I10",
            "text": "Essential (primary) hypertension",
            "certainty": "provisional",
        },
        acting_user=doctor,
    )
    chart.record_allergy(
        patient,
        {"category": "drug", "substance": "Penicillin", "reaction": "Rash", "severity": "moderate"},
        acting_user=doctor,
    )
    note = ConsultationNote.objects.get(encounter=visit)
    chart.save_consultation(
        note,
        {
            "complaints": [{"text": "headache", "duration": 5, "unit": "days"}],
            "advice": "Less salt, walk 30 minutes a day. Recheck BP in 2 weeks.",
        },
        acting_user=doctor,
        complete=True,
    )


def demo_counts() -> dict[str, int]:
    return {
        "facilities": Facility.objects.count(),
        "staff": User.objects.count(),
        "patients": Patient.objects.count(),
    }
