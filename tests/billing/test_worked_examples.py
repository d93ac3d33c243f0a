"""The worked examples of the rules: what each bill must come to, to the paisa."""

from __future__ import annotations

import datetime
from decimal import Decimal as D
from typing import Any

import pytest

from nidaan.billing import actions
from nidaan.billing.actions import BillingError, LineRequest, Recipient
from nidaan.billing.models import Bill, DocumentType
from nidaan.core.permissions import Role
from tests.billing.catalogue import GST_2_0, Catalogue, with_check
from tests.factories import ClinicWorld

AFTER = datetime.date(2025, 10, 6)
BEFORE = datetime.date(2025, 9, 20)


def _bill(world: ClinicWorld, lines: list[LineRequest], **kwargs: Any) -> Bill:
    patient = world.register(name="Sita Devi")
    return actions.issue_bill(
        acting_user=world.user(Role.RECEPTIONIST),
        facility=world.facility,
        patient=patient,
        lines=lines,
        **kwargs,
    )


def test_exempt_consultation_is_a_bill_of_supply(world: ClinicWorld, catalogue: Catalogue) -> None:
    bill = _bill(world, [LineRequest(catalogue.consultation)], issued_on=AFTER)
    assert bill.doc_type == DocumentType.BILL_OF_SUPPLY
    assert (bill.exempt_value, bill.taxable_value, bill.cgst, bill.sgst) == (
        D("500.00"),
        D(0),
        D(0),
        D(0),
    )
    assert bill.total == D("500.00")
    assert bill.round_off == 0
    assert bill.number.endswith("/B2526/0001")
    assert len(bill.number) <= 16
    (line,) = bill.lines.all()
    assert (line.code, line.unit, line.rate) == ("999312", "NA", None)


def test_mixed_bill_to_a_patient_is_an_invoice_cum_bill_of_supply(
    world: ClinicWorld, catalogue: Catalogue
) -> None:
    bill = _bill(
        world,
        [LineRequest(catalogue.consultation), LineRequest(catalogue.paracetamol, D(3), D("1.50"))],
        issued_on=AFTER,
    )
    assert bill.doc_type == DocumentType.INVOICE_CUM_BILL
    # 3 × 30.50 = 91.50 − 1.50 = 90.00 taxable at 5 %: CGST 2.25 + SGST 2.25.
    assert (bill.gross, bill.discount) == (D("591.50"), D("1.50"))
    assert (bill.taxable_value, bill.exempt_value) == (D("90.00"), D("500.00"))
    assert (bill.cgst, bill.sgst, bill.igst) == (D("2.25"), D("2.25"), D(0))
    # 594.50 rounds half-up to 595.00: a round-off line of +0.50.
    assert (bill.round_off, bill.total) == (D("0.50"), D("595.00"))
    assert bill.number.endswith("/I2526/0001")


def test_inter_state_b2b_sale_carries_igst(world: ClinicWorld, catalogue: Catalogue) -> None:
    buyer = with_check("27AAACM1234F1Z")  # a Maharashtra pharmacy
    bill = _bill(
        world,
        [LineRequest(catalogue.paracetamol, D(100))],
        recipient=Recipient(gstin=buyer.lower(), name="Mumbai Medicos"),
        place_of_supply="27",
        issued_on=AFTER,
    )
    assert bill.doc_type == DocumentType.TAX_INVOICE
    assert bill.recipient_gstin == buyer
    assert bill.inter_state
    assert (bill.taxable_value, bill.igst, bill.cgst, bill.sgst) == (
        D("3050.00"),
        D("152.50"),
        D(0),
        D(0),
    )
    assert bill.total == D("3203.00")  # 3202.50 → 3203.00


def test_medicine_is_5_percent_after_22_sep_2025_and_12_before(
    world: ClinicWorld, catalogue: Catalogue
) -> None:
    after = _bill(world, [LineRequest(catalogue.paracetamol, D(2))], issued_on=GST_2_0)
    before = _bill(world, [LineRequest(catalogue.paracetamol, D(2))], issued_on=BEFORE)
    assert [line.rate for line in after.lines.all()] == [D("5.00")]
    assert [line.rate for line in before.lines.all()] == [D("12.00")]
    # 61.00 at 5 %: 1.525 → 1.53 each half (half-up); at 12 %: 3.66 each.
    assert (after.cgst, after.sgst) == (D("1.53"), D("1.53"))
    assert (before.cgst, before.sgst) == (D("3.66"), D("3.66"))
    assert after.number.endswith("/I2526/0001")
    assert before.number.endswith("/I2526/0002")


def test_price_including_gst_is_split_back(world: ClinicWorld, catalogue: Catalogue) -> None:
    bill = _bill(world, [LineRequest(catalogue.amoxicillin)], issued_on=AFTER)
    # 112.00 includes 5 %: taxable 106.67, CGST 2.67, SGST 2.67 → 112.01 → 112.00.
    assert (bill.taxable_value, bill.cgst, bill.sgst) == (D("106.67"), D("2.67"), D("2.67"))
    assert (bill.round_off, bill.total) == (D("-0.01"), D("112.00"))


def test_registered_buyer_of_mixed_supplies_is_refused(
    world: ClinicWorld, catalogue: Catalogue
) -> None:
    with pytest.raises(BillingError, match="separately"):
        _bill(
            world,
            [LineRequest(catalogue.consultation), LineRequest(catalogue.paracetamol)],
            recipient=Recipient(gstin=with_check("10AAACM1234F1Z")),
        )


def test_services_cannot_be_billed_to_another_state(
    world: ClinicWorld, catalogue: Catalogue
) -> None:
    with pytest.raises(BillingError, match="where|clinic's state") as caught:
        _bill(world, [LineRequest(catalogue.cosmetic)], place_of_supply="27")
    assert caught.value.field == "place_of_supply"


def test_union_territory_clinic_charges_utgst(world: ClinicWorld) -> None:
    from nidaan.billing.pdf import render_bill
    from tests.billing.catalogue import make_catalogue, register_clinic
    from tests.printing.conftest import pdf_text

    register_clinic(world, gstin=with_check("04AAPFU0939F1Z"), state="04")  # Chandigarh
    catalogue = make_catalogue(world)
    bill = _bill(world, [LineRequest(catalogue.paracetamol, D(2))], issued_on=AFTER)
    assert bill.sgst_label == "UTGST"
    assert bill.cgst == bill.sgst == D("1.53")
    text = pdf_text(render_bill(bill, size="A4", language="en"), layout=True)
    assert "UTGST" in text
    assert "SGST" not in text.replace("UTGST", "")


def test_large_invoice_to_an_unregistered_buyer_needs_name_and_address(
    world: ClinicWorld, catalogue: Catalogue
) -> None:
    lines = [LineRequest(catalogue.cosmetic, D(25))]  # 50,000 + 18 % GST
    with pytest.raises(BillingError, match="name and address") as caught:
        actions.issue_bill(
            acting_user=world.user(Role.BILLING), facility=world.facility, patient=None, lines=lines
        )
    assert caught.value.field == "payer_address"
    bill = actions.issue_bill(
        acting_user=world.user(Role.BILLING),
        facility=world.facility,
        patient=None,
        lines=lines,
        recipient=Recipient(name="Ritu Singh", address="Rajendra Nagar, Patna"),
    )
    assert bill.total == D("59000.00")
