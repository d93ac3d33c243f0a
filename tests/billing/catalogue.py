"""Test data for billing: a GST-registered clinic in Bihar with a small catalogue:
consultations (exempt), a cosmetic procedure (18 %), and medicines whose rate fell from
12 % to 5 % on 22 Sep 2025 (GST 2.0)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from nidaan.billing import actions
from nidaan.billing.models import CatalogueEntry, EntryKind, Taxability
from nidaan.core.permissions import Role
from tests.factories import ClinicWorld

# A valid GSTIN for Bihar (state 10) with the right check character.
CLINIC_GSTIN = "10AAPFU0939F1ZA"
GST_2_0 = datetime.date(2025, 9, 22)
GST_1_0 = datetime.date(2017, 7, 1)


def with_check(first14: str) -> str:
    from nidaan.clinics.gstin import check_character

    return first14 + check_character(first14)


@dataclass
class Catalogue:
    consultation: CatalogueEntry
    follow_up: CatalogueEntry
    dressing: CatalogueEntry
    paracetamol: CatalogueEntry
    amoxicillin: CatalogueEntry
    cosmetic: CatalogueEntry


def make_catalogue(world: ClinicWorld) -> Catalogue:
    admin = world.user(Role.ADMIN)
    org = world.organisation

    def add(
        rates: list[tuple[str, datetime.date]] | None = None, **values: object
    ) -> CatalogueEntry:
        return actions.add_catalogue_entry(
            org,
            values,
            rates=[(Decimal(r), d) for r, d in rates or []],
            acting_user=admin,
        )

    return Catalogue(
        consultation=add(
            kind=EntryKind.SERVICE,
            name="Consultation (first visit)",
            name_hi="परामर्श (पहली बार)",
            code="999312",
            taxability=Taxability.EXEMPT,
            price=Decimal("500"),
        ),
        follow_up=add(
            kind=EntryKind.SERVICE,
            name="Consultation (follow-up)",
            name_hi="परामर्श (दोबारा)",
            code="999312",
            taxability=Taxability.EXEMPT,
            price=Decimal("300"),
        ),
        dressing=add(
            kind=EntryKind.SERVICE,
            name="Dressing",
            name_hi="पट्टी",
            code="999312",
            taxability=Taxability.EXEMPT,
            price=Decimal("150"),
        ),
        paracetamol=add(
            [("12", GST_1_0), ("5", GST_2_0)],
            kind=EntryKind.ITEM,
            name="Paracetamol 650 mg (strip of 15)",
            name_hi="पैरासिटामोल 650",
            code="3004",
            unit="STR",
            taxability=Taxability.TAXABLE,
            price=Decimal("30.50"),
        ),
        amoxicillin=add(
            [("12", GST_1_0), ("5", GST_2_0)],
            kind=EntryKind.ITEM,
            name="Amoxicillin 500 mg (strip of 10)",
            name_hi="एमोक्सिसिलिन 500",
            code="3004",
            unit="STR",
            taxability=Taxability.TAXABLE,
            price=Decimal("112.00"),
            price_includes_tax=True,
        ),
        cosmetic=add(
            [("18", GST_1_0)],
            kind=EntryKind.SERVICE,
            name="Chemical peel (cosmetic)",
            name_hi="केमिकल पील",
            code="999722",
            taxability=Taxability.TAXABLE,
            price=Decimal("2000"),
        ),
    )


def register_clinic(world: ClinicWorld, **values: object) -> None:
    actions.set_gst_profile(
        world.organisation,
        {
            "registered": True,
            "gstin": CLINIC_GSTIN,
            "legal_name": "Shanti Clinic LLP",
            "trade_name": "Shanti Clinic",
            "state": "10",
            "upi_vpa": "shanti@upi",
            "upi_payee_name": "Shanti Clinic",
            **values,
        },
        acting_user=world.user(Role.ADMIN),
    )
