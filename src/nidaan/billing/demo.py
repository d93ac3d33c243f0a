"""Billing for the demo clinic (`nidaan billing_demo`): a GST registration in Uttar
Pradesh, a UPI ID, a small catalogue (consultations exempt, medicines at 12 % before
22 Sep 2025 and 5 % after, a cosmetic procedure at 18 %) and a pharmacist, `pharmacy`."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from nidaan.accounts.actions import change_password, create_staff_user
from nidaan.accounts.models import User
from nidaan.billing import actions
from nidaan.billing.models import CatalogueEntry, EntryKind, GstProfile, Taxability
from nidaan.clinics.gstin import check_character
from nidaan.clinics.models import Organisation
from nidaan.core.permissions import Role

GST_1_0 = datetime.date(2017, 7, 1)
GST_2_0 = datetime.date(2025, 9, 22)
DEMO_GSTIN = "09AAFCN1234D1Z" + check_character("09AAFCN1234D1Z")

CATALOGUE: list[dict[str, Any]] = [
    {
        "kind": EntryKind.SERVICE,
        "name": "Consultation (first visit)",
        "name_hi": "परामर्श (पहली बार)",
        "code": "999312",
        "taxability": Taxability.EXEMPT,
        "price": Decimal("500"),
    },
    {
        "kind": EntryKind.SERVICE,
        "name": "Consultation (follow-up)",
        "name_hi": "परामर्श (दोबारा)",
        "code": "999312",
        "taxability": Taxability.EXEMPT,
        "price": Decimal("300"),
    },
    {
        "kind": EntryKind.SERVICE,
        "name": "Dressing",
        "name_hi": "मरहम-पट्टी",
        "code": "999312",
        "taxability": Taxability.EXEMPT,
        "price": Decimal("150"),
    },
    {
        "kind": EntryKind.SERVICE,
        "name": "Blood sugar (random)",
        "name_hi": "ब्लड शुगर जाँच",
        "code": "999316",
        "taxability": Taxability.EXEMPT,
        "price": Decimal("80"),
    },
    {
        "kind": EntryKind.PACKAGE,
        "name": "Health check package",
        "name_hi": "हेल्थ चेक पैकेज",
        "code": "999316",
        "taxability": Taxability.EXEMPT,
        "price": Decimal("1200"),
    },
    {
        "kind": EntryKind.ITEM,
        "name": "Paracetamol 650 mg (strip of 15)",
        "name_hi": "पैरासिटामोल 650 मि.ग्रा.",
        "code": "3004",
        "unit": "STR",
        "taxability": Taxability.TAXABLE,
        "price": Decimal("30.50"),
        "rates": [("12", GST_1_0), ("5", GST_2_0)],
    },
    {
        "kind": EntryKind.ITEM,
        "name": "Amoxicillin 500 mg (strip of 10)",
        "name_hi": "एमोक्सिसिलिन 500 मि.ग्रा.",
        "code": "3004",
        "unit": "STR",
        "taxability": Taxability.TAXABLE,
        "price": Decimal("112.00"),
        "price_includes_tax": True,
        "rates": [("12", GST_1_0), ("5", GST_2_0)],
    },
    {
        "kind": EntryKind.ITEM,
        "name": "Crepe bandage 10 cm",
        "name_hi": "क्रेप पट्टी 10 से.मी.",
        "code": "3005",
        "unit": "NOS",
        "taxability": Taxability.TAXABLE,
        "price": Decimal("95"),
        "rates": [("12", GST_1_0), ("5", GST_2_0)],
    },
    {
        "kind": EntryKind.SERVICE,
        "name": "Chemical peel (cosmetic)",
        "name_hi": "केमिकल पील",
        "code": "999722",
        "taxability": Taxability.TAXABLE,
        "price": Decimal("2000"),
        "rates": [("18", GST_1_0)],
    },
]


@transaction.atomic
def ensure_demo_billing(password: str | None = None) -> bool:
    """Set billing up for the demo clinic once; True when it was set up now."""
    organisation = Organisation.objects.order_by("created_at").first()
    if organisation is None:
        raise RuntimeError("no clinic yet: run `nidaan demo` first")
    admin = User.objects.get(username="admin", organisation=organisation)
    pharmacy = User.objects.filter(username="pharmacy", organisation=organisation).first()
    if pharmacy is not None and password:
        change_password(pharmacy, password, acting_user=admin)
    if GstProfile.objects.filter(organisation=organisation).exists():
        return False
    facility = organisation.facilities.order_by("created_at").first()
    assert facility is not None  # noqa: S101 - set_up_clinic always makes one
    actions.set_gst_profile(
        organisation,
        {
            "registered": True,
            "gstin": DEMO_GSTIN,
            "legal_name": "Nidaan Demo Clinic LLP",
            "trade_name": organisation.name,
            "state": facility.state,
            "upi_vpa": "nidaandemo@upi",
            "upi_payee_name": organisation.name,
        },
        acting_user=admin,
    )
    if not CatalogueEntry.objects.filter(organisation=organisation).exists():
        for values in CATALOGUE:
            values = dict(values)
            rates = [(Decimal(rate), day) for rate, day in values.pop("rates", [])]
            actions.add_catalogue_entry(organisation, values, rates=rates, acting_user=admin)
    if pharmacy is None:
        create_staff_user(
            acting_user=admin,
            facility=facility,
            username="pharmacy",
            password=password or "pharmacy-" + DEMO_GSTIN[-6:].lower(),
            role=Role.PHARMACIST,
            full_name="Meena Gupta",
            full_name_hi="मीना गुप्ता",
        )
    return True
