"""A visit of a patient with a penicillin allergy, ready for a prescription."""

from __future__ import annotations

from typing import Any

import pytest

from nidaan.encounters import actions as chart
from nidaan.encounters.models import Encounter
from nidaan.prescriptions.actions import RxDraft
from tests.factories import ClinicWorld


@pytest.fixture
def visit(world: ClinicWorld) -> Encounter:
    patient = world.register(name="Ramesh Kumar")
    encounter = chart.start_encounter(
        acting_user=world.user("doctor"), patient=patient, facility=world.facility
    )
    chart.record_allergy(
        patient, {"category": "drug", "substance": "Penicillin"}, acting_user=world.user("nurse")
    )
    return encounter


FEVER_LINES: list[dict[str, Any]] = [
    {"drug_code": "PCM650", "frequency": "1-1-1", "food": "after", "duration": "3"},
    {"drug_code": "CTZ10", "frequency": "0-0-1", "duration": "5"},
    {"drug_code": "PAN40", "frequency": "1-0-0", "food": "before", "duration": "5"},
]


def draft(*extra: dict[str, Any], **values: Any) -> RxDraft:
    return RxDraft(lines=[*FEVER_LINES, *extra], **values)
