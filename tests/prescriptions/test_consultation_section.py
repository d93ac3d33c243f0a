"""The doctor writes, checks and issues in the consultation's prescription section."""

from __future__ import annotations

from django.test import Client

from nidaan.encounters.models import Encounter
from nidaan.prescriptions.models import Prescription
from tests.factories import ClinicWorld


def _post(client: Client, visit: Encounter, rows: list[dict[str, str]], **extra: str) -> str:
    data: dict[str, str] = {"language": "both", **extra}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"line-{i}-{key}"] = value
    response = client.post(f"/rx/visit/{visit.pk}/write/", data, HTTP_HX_REQUEST="true")
    return response.content.decode()


def test_template_fills_lines_and_check_shows_instructions(
    world: ClinicWorld, visit: Encounter
) -> None:
    client = world.client("doctor")
    page = _post(client, visit, [], template="fever-adult", apply_template="1")
    assert "Paracetamol 650 mg tablet [PCM650]" in page
    assert "Cetirizine 10 mg tablet [CTZ10]" in page
    rows = [
        {
            "drug": "Paracetamol 650 mg tablet [PCM650]",
            "frequency": "1-0-1",
            "food": "after",
            "duration": "5",
            "duration_unit": "days",
        },
    ]
    page = _post(client, visit, rows, check="1")
    assert "1 morning, 1 night, after food, 5 days" in page
    assert "सुबह 1, रात 1, खाने के बाद, 5 दिन" in page
    assert not Prescription.objects.exists()


def test_allergy_warning_needs_a_reason_then_issues(world: ClinicWorld, visit: Encounter) -> None:
    client = world.client("doctor")
    rows = [
        {
            "drug": "Amoxicillin 500 mg capsule [AMX500]",
            "frequency": "1-0-1",
            "food": "after",
            "duration": "5",
            "duration_unit": "days",
        },
    ]
    page = _post(client, visit, rows, issue="1")
    assert "allergic to Penicillin" in page
    assert 'name="override-allergy:1:penicillin"' in page
    assert not Prescription.objects.exists()
    page = _post(client, visit, rows, issue="1", **{"override-allergy:1:penicillin": "tolerated"})
    rx = Prescription.objects.get()
    assert rx.short_code in page
    assert f"/rx/{rx.pk}/pdf/?lang=both&amp;size=A5" in page


def test_bad_line_is_refused_with_its_line_number(world: ClinicWorld, visit: Encounter) -> None:
    client = world.client("doctor")
    rows = [{"drug": "Paracetamol 650 mg tablet [PCM650]", "frequency": "thrice", "duration": "3"}]
    page = _post(client, visit, rows, issue="1")
    assert "Line 1:" in page
    assert "1-0-1, OD, BD" in page
    assert not Prescription.objects.exists()


def test_nurse_sees_the_section_but_cannot_write(world: ClinicWorld, visit: Encounter) -> None:
    nurse = world.client("nurse")
    page = nurse.get(f"/rx/visit/{visit.pk}/").content.decode()
    assert "Prescription" in page
    assert "Issue prescription" not in page
    assert nurse.post(f"/rx/visit/{visit.pk}/write/", {"issue": "1"}).status_code == 403


def test_edited_instructions_are_kept_and_follow_up_is_booked(
    world: ClinicWorld, visit: Encounter
) -> None:
    import datetime

    from django.utils import timezone

    from nidaan.opd.actions import save_schedule
    from nidaan.opd.models import Appointment

    doctor = world.user("doctor")
    day = timezone.localdate() + datetime.timedelta(days=7)
    save_schedule(
        acting_user=world.user("admin"),
        doctor=doctor,
        facility=world.facility,
        weekday=day.weekday(),
        values={
            "starts": datetime.time(9),
            "ends": datetime.time(13),
            "break_starts": None,
            "break_ends": None,
            "slot_minutes": 10,
        },
    )
    client = world.client("doctor")
    row = {
        "drug": "Cetirizine 10 mg tablet [CTZ10]",
        "frequency": "0-0-1",
        "duration": "5",
        "duration_unit": "days",
    }
    page = _post(client, visit, [row], check="1")
    assert "1 night, 5 days" in page
    edited = {
        **row,
        "instructions_en": "1 at night, 5 days; may cause sleepiness",
        "auto_en": "1 night, 5 days",
        "instructions_hi": "रात 1, 5 दिन",
        "auto_hi": "रात 1, 5 दिन",
    }
    _post(client, visit, [edited], issue="1", follow_up_date=day.isoformat(), book_follow_up="1")
    rx = Prescription.objects.get()
    assert rx.lines[0]["instructions_en"] == "1 at night, 5 days; may cause sleepiness"
    assert rx.lines[0]["instructions_hi"] == "रात 1, 5 दिन"
    assert rx.follow_up_date == day
    booked = Appointment.objects.get(follow_up_of=visit.pk)
    assert timezone.localtime(booked.starts_at).date() == day


def test_doctor_saves_lines_as_a_clinic_template_and_reuses_them(
    world: ClinicWorld, visit: Encounter
) -> None:
    from nidaan.prescriptions.models import RxTemplate

    client = world.client("doctor")
    rows = [
        {
            "drug": "Azithromycin 500 mg tablet [AZI500]",
            "frequency": "OD",
            "food": "after",
            "duration": "3",
            "duration_unit": "days",
        },
        {
            "drug": "Paracetamol 650 mg tablet [PCM650]",
            "frequency": "SOS",
            "quantity": "6",
            "note": "for fever",
        },
    ]
    page = _post(client, visit, rows, save_template="1", template_name="Typhoid – adult")
    assert "Template “Typhoid – adult” saved." in page
    template = RxTemplate.objects.get()
    assert template.lines[0] == {
        "drug_code": "AZI500",
        "dose": "1",
        "frequency": "OD",
        "food": "after",
        "duration": "3",
        "duration_unit": "days",
    }
    assert template.lines[1]["quantity"] == "6"
    page = _post(client, visit, [], template=f"clinic-{template.pk}", apply_template="1")
    assert "Azithromycin 500 mg tablet [AZI500]" in page
    assert "Typhoid – adult" in page
    assert not Prescription.objects.exists()


def test_child_gets_weight_based_dose_help(world: ClinicWorld) -> None:
    from nidaan.encounters import actions as chart

    child = world.register(name="Chhotu", age=4)
    visit = chart.start_encounter(
        acting_user=world.user("doctor"), patient=child, facility=world.facility
    )
    chart.record_vitals(visit, {"weight_kg": 16}, acting_user=world.user("nurse"))
    client = world.client("doctor")
    rows = [
        {
            "drug": "Paracetamol 250 mg/5 ml suspension [PCMS250]",
            "dose": "5",
            "frequency": "TDS",
            "duration": "3",
            "duration_unit": "days",
        }
    ]
    page = _post(client, visit, rows, check="1")
    assert "Child: last weight 16" in page
    assert "15 mg/kg × 16" in page
    assert "= 240 mg a dose" in page
    assert "≈ 5 ml" in page


def test_pharmacist_lists_todays_prescriptions_with_print_links(
    world: ClinicWorld, visit: Encounter
) -> None:
    from nidaan.prescriptions.actions import RxDraft, issue_prescription

    line = {"drug_code": "CTZ10", "frequency": "0-0-1", "duration": "5"}
    rx = issue_prescription(visit, RxDraft(lines=[line]), acting_user=world.user("doctor"))
    page = world.client("pharmacist").get("/rx/").content.decode()
    assert "TAB. CETIRIZINE 10 mg" in page
    assert rx.short_code in page
    assert f"/rx/{rx.pk}/pdf/?size=A5" in page
    assert world.client("receptionist").get("/rx/").status_code == 403
