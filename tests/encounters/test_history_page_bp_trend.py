"""The history shows the BP trend as inline SVG, one point per reading in use."""

from __future__ import annotations

from nidaan.core.permissions import Role
from nidaan.encounters import actions
from tests.factories import ClinicWorld


def test_the_bp_trend_has_a_point_per_reading(world: ClinicWorld) -> None:
    patient = world.register(name="Ramesh Kumar", age=62)
    doctor = world.user(Role.DOCTOR)
    for systolic, diastolic in [(150, 95), (142, 90), (132, 84)]:
        visit = actions.start_encounter(
            acting_user=doctor, patient=patient, facility=world.facility
        )
        actions.record_vitals(
            visit, {"bp_systolic": systolic, "bp_diastolic": diastolic}, acting_user=doctor
        )
    typo = actions.record_vitals(
        visit, {"bp_systolic": 210, "bp_diastolic": 70}, acting_user=doctor
    )
    actions.mark_entered_in_error(typo, acting_user=doctor, reason="wrong patient")

    page = world.client(Role.DOCTOR).get(f"/visits/patient/{patient.pk}/").content.decode()

    assert '<figure class="chart" data-chart="bp">' in page
    assert page.count('data-series="systolic"') == 3
    assert page.count('data-series="diastolic"') == 3
    assert "<svg" in page
    assert "latest 132/84" in page
    assert "210/70" not in page  # entered in error: neither charted nor listed


def test_readings_of_one_day_are_labelled_by_the_hour(world: ClinicWorld) -> None:
    import re

    from django.utils import timezone

    patient = world.register(name="Ramesh Kumar", age=62)
    doctor = world.user(Role.DOCTOR)
    for systolic in (150, 140):
        visit = actions.start_encounter(
            acting_user=doctor, patient=patient, facility=world.facility
        )
        actions.record_vitals(
            visit, {"bp_systolic": systolic, "bp_diastolic": 90}, acting_user=doctor
        )
    page = world.client(Role.DOCTOR).get(f"/visits/patient/{patient.pk}/").content.decode()
    chart = page[
        page.index('data-chart="bp"') : page.index("</figure>", page.index('data-chart="bp"'))
    ]
    today = timezone.localdate().strftime("%d-%m-%Y")
    assert f">{today}<" not in chart  # the axis; tooltips still carry the date
    assert re.search(r">\d\d:\d\d<", chart)
