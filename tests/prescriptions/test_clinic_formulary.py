"""The clinic adds its own medicines; they are prescribable and checked like the rest."""

from __future__ import annotations

import pytest

from nidaan.encounters.models import Encounter
from nidaan.prescriptions import actions
from nidaan.prescriptions.models import ClinicDrug
from tests.factories import ClinicWorld

NEW_DRUG = {
    "generic": "Faropenem",
    "form": "tablet",
    "strength": "200 mg",
    "strength_mg": "200",
    "classes": "Penem, Beta-lactam",
    "schedule": "H1",
    "telemedicine": "A",
    "max_dose_mg": "300",
    "max_daily_mg": "600",
}


def test_doctor_adds_a_medicine_and_prescribes_it(world: ClinicWorld, visit: Encounter) -> None:
    client = world.client("doctor")
    page = client.get("/rx/formulary/").content.decode()
    assert "PCM650" in page
    assert "Add a medicine" in page
    response = client.post("/rx/formulary/", NEW_DRUG)
    assert response.status_code == 302
    drug = ClinicDrug.objects.get()
    assert drug.code.startswith("C")
    assert drug.classes == "penem, beta-lactam"
    line = {"drug_code": drug.code, "frequency": "1-0-1", "food": "after", "duration": "5"}
    rx = actions.issue_prescription(
        visit, actions.RxDraft(lines=[line]), acting_user=world.user("doctor")
    )
    assert rx.lines[0]["generic"] == "Faropenem"
    assert rx.lines[0]["schedule"] == "H1"
    too_much = {**line, "dose": "2"}
    with pytest.raises(actions.SafetyWarnings) as refused:
        actions.issue_prescription(
            visit, actions.RxDraft(lines=[too_much]), acting_user=world.user("doctor")
        )
    assert {w.key for w in refused.value.warnings} == {"max-dose:1", "max-daily:1"}


def test_nurse_reads_the_formulary_but_cannot_add(world: ClinicWorld) -> None:
    nurse = world.client("nurse")
    page = nurse.get("/rx/formulary/").content.decode()
    assert "PCM650" in page
    assert "Add a medicine" not in page
    assert nurse.post("/rx/formulary/", NEW_DRUG).status_code == 403
    assert not ClinicDrug.objects.exists()


def test_invalid_medicine_is_refused_with_reasons(world: ClinicWorld) -> None:
    response = world.client("doctor").post("/rx/formulary/", {**NEW_DRUG, "form": "pill"})
    assert response.status_code == 400
    assert not ClinicDrug.objects.exists()
