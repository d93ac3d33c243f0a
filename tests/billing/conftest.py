"""Billing fixtures (the data is built in tests/billing/catalogue.py)."""

from __future__ import annotations

import pytest

from tests.billing.catalogue import Catalogue, make_catalogue, register_clinic
from tests.factories import ClinicWorld


@pytest.fixture
def catalogue(world: ClinicWorld) -> Catalogue:
    register_clinic(world)
    return make_catalogue(world)
