"""Safety warnings before issuing: allergy by class, duplicates, doses, teleconsultation."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nidaan.audit.models import AuditEvent
from nidaan.encounters.models import Encounter
from nidaan.prescriptions import actions, formulary, safety
from nidaan.prescriptions.lines import RxLine, build_line
from tests.factories import ClinicWorld
from tests.prescriptions.conftest import draft

AMOXICILLIN = {"drug_code": "AMX500", "frequency": "1-0-1", "food": "after", "duration": "5"}


def test_penicillin_allergy_warns_on_amoxicillin_and_nothing_is_stored(
    world: ClinicWorld, visit: Encounter
) -> None:
    with pytest.raises(actions.SafetyWarnings) as refused:
        actions.issue_prescription(visit, draft(AMOXICILLIN), acting_user=world.user("doctor"))
    (warning,) = refused.value.warnings
    assert warning.kind == "allergy"
    assert warning.line == 4
    assert "AMOXICILLIN" in warning.message
    assert "Penicillin" in warning.message
    assert not visit.prescriptions.exists()


def test_override_with_reason_is_stored_and_audited(world: ClinicWorld, visit: Encounter) -> None:
    key = "allergy:4:penicillin"
    rx = actions.issue_prescription(
        visit,
        draft(AMOXICILLIN, overrides={key: "tolerated amoxicillin in 2024"}),
        acting_user=world.user("doctor"),
    )
    assert rx.overrides[0]["reason"] == "tolerated amoxicillin in 2024"
    assert rx.overrides[0]["kind"] == "allergy"
    event = AuditEvent.objects.filter(entity_id=str(rx.pk)).get()
    assert event.detail["overrides"] == [{"key": key, "reason": "tolerated amoxicillin in 2024"}]


def _lines(*rows: dict[str, str]) -> list[RxLine]:
    drugs = formulary.by_code()
    return [build_line(row, drugs) for row in rows]


def test_duplicate_drug_and_duplicate_class() -> None:
    lines = _lines(
        {"drug_code": "PCM650", "frequency": "1-1-1", "duration": "3"},
        {"drug_code": "PCMS250", "dose": "5", "frequency": "TDS", "duration": "3"},
        {"drug_code": "PAN40", "frequency": "OD", "duration": "5"},
        {"drug_code": "OME20", "frequency": "OD", "duration": "5"},
    )
    warnings = safety.check(lines, allergies=[], drugs=formulary.by_code())
    assert [(w.kind, w.line) for w in warnings] == [("duplicate", 2), ("duplicate", 4)]
    assert "ppi" in warnings[1].message


def test_dose_above_the_formulary_maximum() -> None:
    (line,) = _lines({"drug_code": "PCM650", "dose": "2", "frequency": "QID", "duration": "3"})
    warnings = safety.check([line], allergies=[], drugs=formulary.by_code())
    assert {w.key for w in warnings} == {"max-dose:1", "max-daily:1"}
    assert "1300 mg" in warnings[0].message


def test_child_dose_above_mg_per_kg() -> None:
    (line,) = _lines({"drug_code": "PCMS250", "dose": "10", "frequency": "TDS", "duration": "3"})
    warnings = safety.check(
        [line],
        allergies=[],
        drugs=formulary.by_code(),
        age_years=3,
        weight_kg=Decimal(12),
    )
    assert [w.key for w in warnings] == ["per-kg:1"]
    help_ = safety.dose_help(formulary.by_code()["PCMS250"], Decimal(12))
    assert help_ == {"mg": "180", "per_kg": "15", "ml": "3.5"}


def test_ndps_drug_on_teleconsultation(world: ClinicWorld, visit: Encounter) -> None:
    tramadol = {"drug_code": "TRM50", "frequency": "SOS", "quantity": "4"}
    with pytest.raises(actions.SafetyWarnings) as refused:
        actions.issue_prescription(
            visit, draft(tramadol, teleconsultation=True), acting_user=world.user("doctor")
        )
    assert [w.kind for w in refused.value.warnings] == ["telemedicine"]
    rx = actions.issue_prescription(visit, draft(tramadol), acting_user=world.user("doctor"))
    assert rx.overrides == []
