"""The chart reads in Hindi for a doctor who chose Hindi, numbers and codes staying Latin."""

from __future__ import annotations

from decimal import Decimal

from nidaan.core.permissions import Role
from nidaan.encounters import actions
from tests.factories import ClinicWorld


def test_the_history_and_consultation_read_in_hindi(world: ClinicWorld) -> None:
    patient = world.register(name="प्रियंका श्रीवास्तव", age=8)
    doctor = world.user(Role.DOCTOR)
    visit = actions.start_encounter(acting_user=doctor, patient=patient, facility=world.facility)
    actions.record_vitals(
        visit,
        {"weight_kg": Decimal("25.5"), "head_circumference_cm": Decimal("51.5"), "pulse": 130},
        acting_user=doctor,
    )
    actions.add_diagnosis(visit, {"icd10_code": "R50.9", "text": "Fever"}, acting_user=doctor)
    client = world.client(Role.DOCTOR)
    assert client.post("/accounts/language/", {"language": "hi", "next": "/"}).status_code == 302

    history = client.get(f"/visits/patient/{patient.pk}/").content.decode()
    consultation = client.get(f"/visits/{visit.pk}/").content.decode()

    for text in ("बीमारियों की सूची", "बढ़त और ट्रेंड", "वाइटल्स", "सिर 51.5 cm", "पल्स 130"):
        assert text in history, text
    for text in ("परामर्श", "ड्राफ़्ट सेव करें", "बुखार", "ICD-10 खोजें, या डायग्नोसिस लिखें"):
        assert text in consultation, text
    assert "R50.9" in history
    assert "Head " not in history
    assert "Problem list" not in history
