"""Temperature is typed and shown in the clinic's unit (°F here) and stored in °C."""

from __future__ import annotations

from decimal import Decimal

from nidaan.clinics.models import TemperatureUnit
from nidaan.core.permissions import Role
from nidaan.encounters import actions
from nidaan.encounters.models import VitalSigns
from tests.factories import ClinicWorld


def test_fahrenheit_typed_is_stored_in_celsius_and_shown_back_in_fahrenheit(
    world: ClinicWorld,
) -> None:
    assert world.organisation.temperature_unit == TemperatureUnit.FAHRENHEIT
    patient = world.register(name="Ramesh Kumar")
    visit = actions.start_encounter(
        acting_user=world.user(Role.DOCTOR), patient=patient, facility=world.facility
    )
    client = world.client(Role.NURSE)

    page = client.get(f"/visits/{visit.pk}/").content.decode()
    assert "Temp (°F)" in page

    response = client.post(f"/visits/{visit.pk}/vitals/", {"temperature": "102.2"})
    assert response.status_code == 302
    assert VitalSigns.objects.get().temperature_c == Decimal("39.0")

    page = client.get(response["Location"]).content.decode()
    assert "Temp. (°F)" in page
    assert "102.2" in page
    assert "39.0" not in page
