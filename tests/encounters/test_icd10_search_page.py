"""The diagnosis box searches WHO ICD-10 as the doctor types (an htmx partial)."""

from __future__ import annotations

from nidaan.core.permissions import Role
from tests.factories import ClinicWorld


def test_fever_finds_r50_9(world: ClinicWorld) -> None:
    response = world.client(Role.DOCTOR).get(
        "/visits/icd10/", {"q": "fever"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="icd10_code" value="R50.9"' in page
    assert "Fever, unspecified" in page
    assert "<html" not in page  # a fragment for htmx, not a page
