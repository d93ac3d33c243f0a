"""POST /encounters/{id}/prescriptions, GET /prescriptions/{id}, GET …/pdf."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.test import Client

from nidaan.encounters.models import Encounter
from tests.factories import ClinicWorld
from tests.printing.conftest import pdf_text, squeeze

LINES = [
    {"drug_code": "PCM650", "frequency": "1-1-1", "food": "after", "duration": 3},
    {"drug_code": "AMX500", "frequency": "1-0-1", "food": "after", "duration": 5},
]


def _post(world: ClinicWorld, visit: Encounter, body: dict[str, Any], role: str = "doctor") -> Any:
    return Client().post(
        f"/api/v1/encounters/{visit.pk}/prescriptions",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.token(role)}"},
    )


def test_warning_answers_409_then_override_issues(world: ClinicWorld, visit: Encounter) -> None:
    refused = _post(world, visit, {"lines": LINES})
    assert refused.status_code == 409
    (warning,) = refused.json()["warnings"]
    assert warning["kind"] == "allergy"
    issued = _post(world, visit, {"lines": LINES, "overrides": {warning["key"]: "tested"}})
    assert issued.status_code == 201
    body = issued.json()
    assert body["lines"][1]["generic"] == "Amoxicillin"
    assert body["lines"][1]["instructions_hi"] == "सुबह 1, रात 1, खाने के बाद, 5 दिन"
    assert body["verify_url"].endswith(f"/v/{body['short_code']}")
    headers = {"Authorization": f"Bearer {world.token('pharmacist')}"}
    read = Client().get(f"/api/v1/prescriptions/{body['id']}", headers=headers)
    assert read.json()["overrides"][0]["reason"] == "tested"
    pdf = Client().get(f"/api/v1/prescriptions/{body['id']}/pdf?lang=hi&size=A4", headers=headers)
    assert pdf["Content-Type"] == "application/pdf"
    assert squeeze("खाने के बाद") in squeeze(pdf_text(pdf.content))


def test_invalid_input_is_400_per_field(world: ClinicWorld, visit: Encounter) -> None:
    bad = _post(
        world,
        visit,
        {
            "lines": [{"drug_code": "PCM650", "frequency": "whenever", "duration": 3}],
            "language": "fr",
        },
    )
    assert bad.status_code == 400
    assert "language" in bad.json()["errors"]
    bad = _post(
        world, visit, {"lines": [{"drug_code": "PCM650", "frequency": "whenever", "duration": 3}]}
    )
    assert list(bad.json()["errors"]) == ["lines.0.frequency"]
    assert _post(world, visit, {"lines": []}).json()["errors"] == {
        "lines": ["Write at least one medicine."]
    }


def test_nurse_cannot_prescribe_and_bad_pdf_options_are_400(
    world: ClinicWorld, visit: Encounter
) -> None:
    assert _post(world, visit, {"lines": LINES[:1]}, role="nurse").status_code == 403
    rx = _post(world, visit, {"lines": LINES[:1]}).json()
    headers = {"Authorization": f"Bearer {world.token('doctor')}"}
    bad = Client().get(f"/api/v1/prescriptions/{rx['id']}/pdf?lang=xx&size=B5", headers=headers)
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"lang", "size"}


def test_other_organisation_ids_are_404(
    world: ClinicWorld, visit: Encounter, other_world: Callable[[], ClinicWorld]
) -> None:
    rx = _post(world, visit, {"lines": LINES[:1]}).json()
    stranger = other_world()
    headers = {"Authorization": f"Bearer {stranger.token('admin')}"}
    client = Client()
    assert client.get(f"/api/v1/prescriptions/{rx['id']}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/prescriptions/{rx['id']}/pdf", headers=headers).status_code == 404
    write = client.post(
        f"/api/v1/encounters/{visit.pk}/prescriptions",
        data=json.dumps({"lines": LINES[:1]}),
        content_type="application/json",
        headers=headers,
    )
    assert write.status_code in (403, 404)  # the admin may not prescribe; nothing leaks
