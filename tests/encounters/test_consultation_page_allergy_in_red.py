"""A patient's allergy is shown in red at the top of every clinical screen."""

from __future__ import annotations

import re
from pathlib import Path

import nidaan
from nidaan.core.permissions import Role
from nidaan.encounters import actions
from tests.factories import ClinicWorld


def test_the_allergy_appears_in_red_on_the_consultation_screen(world: ClinicWorld) -> None:
    patient = world.register(name="Sunita Devi")
    visit = actions.start_encounter(
        acting_user=world.user(Role.DOCTOR), patient=patient, facility=world.facility
    )
    client = world.client(Role.NURSE)
    response = client.post(
        f"/visits/{visit.pk}/allergies/",
        {"category": "drug", "substance": "Penicillin", "reaction": "rash", "severity": "severe"},
    )
    assert response.status_code == 302

    for url in (f"/visits/{visit.pk}/", f"/visits/patient/{patient.pk}/"):
        page = client.get(url).content.decode()
        banner = re.search(
            r'<div id="allergy-banner" class="allergy-banner">(.*?)</div>', page, re.S
        )
        assert banner, url
        assert "Penicillin (rash) · Severe" in banner.group(1)
    css = (Path(nidaan.__file__).parent / "static/nidaan/encounters.css").read_text()
    assert re.search(r"\.allergy-banner \{[^}]*color: var\(--allergy\)", css)
    assert "--allergy: #b42318" in css
