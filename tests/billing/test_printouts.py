"""Bill PDFs (A4, A5, 80 mm; English, Hindi, both) carry what each rule asks for.

With NIDAAN_SCREENSHOTS=1 the examples are also rendered to PNG in docs/billing/.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import tempfile
from decimal import Decimal as D
from pathlib import Path

import pytest

from nidaan.billing import actions
from nidaan.billing.actions import LineRequest, Recipient
from nidaan.billing.models import Bill
from nidaan.billing.pdf import render_bill
from nidaan.core.permissions import Role
from tests.billing.catalogue import Catalogue, with_check
from tests.factories import ClinicWorld
from tests.printing.conftest import pdf_info, pdf_text, squeeze

DAY = datetime.date(2025, 10, 6)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "billing"


def _keep_example(pdf: bytes, name: str) -> None:
    if os.environ.get("NIDAAN_SCREENSHOTS") != "1":
        return
    DOCS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bill.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "110", "-singlefile", str(path), str(DOCS / name)],
            check=True,
        )


def _issue(world: ClinicWorld, lines: list[LineRequest], **kwargs: object) -> Bill:
    patient = world.register(name="सीता देवी", address_line="12 Kankarbagh", pin="800020")
    return actions.issue_bill(
        acting_user=world.user(Role.RECEPTIONIST),
        facility=world.facility,
        patient=patient,
        lines=lines,
        issued_on=DAY,
        **kwargs,  # type: ignore[arg-type]
    )


def test_bill_of_supply_a5_bilingual(world: ClinicWorld, catalogue: Catalogue) -> None:
    bill = _issue(world, [LineRequest(catalogue.consultation), LineRequest(catalogue.dressing)])
    pdf = render_bill(bill, size="A5", language="both")
    text = pdf_text(pdf)
    assert "Bill of supply" in text
    assert bill.number in text
    assert "06-10-2025" in text
    assert "GSTIN: 10AAPFU0939F1ZA" in text
    assert "999312" in text
    assert "650.00" in text
    assert "Rupees Six Hundred Fifty Only" in text
    assert "S.No. 74" in text
    assert "रुपयेछहसौपचासमात्र" in squeeze(text)
    # Mixed-script labels are shaped as Devanagari: the ि is drawn before its consonant,
    # which pdftotext shows as a split ("वि वरण"); shaped as Latin it would read "ववरिण".
    assert "Description / वि वरण" in text
    assert "Bill to / बि ल पाने वाले" in text
    assert "UPI" in text  # nothing paid yet: the QR for ₹650.00
    assert pdf_info(pdf)["Page size"].startswith("419.53 x 595.2")
    _keep_example(pdf, "bill-of-supply-a5")


def test_tax_invoice_a4_with_cgst_sgst(world: ClinicWorld, catalogue: Catalogue) -> None:
    bill = _issue(
        world,
        [LineRequest(catalogue.paracetamol, D(2)), LineRequest(catalogue.amoxicillin, D(1), D(2))],
    )
    pdf = render_bill(bill, size="A4", language="en")
    text = pdf_text(pdf, layout=True)
    for expected in (
        "Tax invoice",
        "CGST",
        "SGST",
        "3004",
        "5%",
        "Place of supply",
        "Bihar (10)",
        "Reverse charge",
        "Round off",
        bill.number,
    ):
        assert expected in text, expected
    _keep_example(pdf, "tax-invoice-a4")
    _keep_example(render_bill(bill, size="A4", language="both"), "tax-invoice-a4-bilingual")
    hindi = pdf_text(render_bill(bill, size="A4", language="hi"), layout=True)
    for english in (
        "Tax invoice",
        "Description",
        "Taxable value",
        "Place of supply",
        "Round off",
        "Balance due",
        "Rupees",
    ):
        assert english not in hindi, english
    assert "कर योग्य मूल्य" in hindi


def test_b2b_igst_invoice_names_the_buyer(world: ClinicWorld, catalogue: Catalogue) -> None:
    buyer = with_check("27AAACM1234F1Z")
    bill = actions.issue_bill(
        acting_user=world.user(Role.BILLING),
        facility=world.facility,
        patient=None,
        lines=[LineRequest(catalogue.paracetamol, D(100))],
        issued_on=DAY,
        recipient=Recipient(gstin=buyer, name="Mumbai Medicos", address="Dadar, Mumbai"),
        place_of_supply="27",
    )
    text = pdf_text(render_bill(bill, size="A4", language="en"), layout=True)
    assert f"GSTIN: {buyer}" in text
    assert "IGST" in text
    assert "Maharashtra (27)" in text
    assert "CGST" not in text


def test_mixed_bill_thermal_with_upi_qr(world: ClinicWorld, catalogue: Catalogue) -> None:
    bill = _issue(world, [LineRequest(catalogue.consultation), LineRequest(catalogue.paracetamol)])
    pdf = render_bill(bill, size="80mm", language="hi")
    text = squeeze(pdf_text(pdf))
    assert "बीजक-सह-आपूर्तिबिल" in text
    assert f"क्रमांक:{bill.number}" in text
    assert "रिवर्सचार्ज:नहीं" in text
    assert bill.number in text
    assert pdf_info(pdf)["Page size"].startswith("226.77")
    _keep_example(pdf, "invoice-cum-bill-80mm")


def test_credit_note_and_cancelled_bill(world: ClinicWorld, catalogue: Catalogue) -> None:
    bill = _issue(world, [LineRequest(catalogue.paracetamol, D(3))])
    note = actions.issue_credit_note(
        bill,
        acting_user=world.user(Role.BILLING),
        reason="one strip returned",
        quantities={bill.lines.get().pk: D(1)},
        issued_on=DAY,
    )
    text = pdf_text(render_bill(note, size="A5", language="en"))
    assert "Credit note" in text
    assert f"Against:{bill.number}(06-10-2025)" in squeeze(text)
    assert "one strip returned" in text
    _keep_example(render_bill(note, size="A5", language="both"), "credit-note-a5")
    spoilt = _issue(world, [LineRequest(catalogue.consultation)])
    actions.cancel_document(spoilt, acting_user=world.user(Role.BILLING), reason="wrong patient")
    spoilt = Bill.objects.get(pk=spoilt.pk)
    assert "CANCELLED" in pdf_text(render_bill(spoilt, size="A4", language="en"))


def test_unregistered_receipt_has_no_gst_lines(world: ClinicWorld) -> None:
    from tests.billing.catalogue import make_catalogue

    catalogue = make_catalogue(world)
    bill = _issue(world, [LineRequest(catalogue.consultation)])
    text = pdf_text(render_bill(bill, size="A5", language="en"))
    assert "Receipt" in text
    assert "GSTIN" not in text
    assert "CGST" not in text
    _keep_example(render_bill(bill, size="A5", language="en"), "receipt-a5")
    refund = actions.issue_credit_note(
        bill, acting_user=world.user(Role.RECEPTIONIST), reason="doctor on leave", issued_on=DAY
    )
    refund_text = pdf_text(render_bill(refund, size="A5", language="en"))
    assert "Refund" in refund_text
    assert "doctor on leave" in refund_text
    _keep_example(render_bill(refund, size="A5", language="both"), "refund-a5")


def test_same_document_prints_the_same_bytes(world: ClinicWorld, catalogue: Catalogue) -> None:
    bill = _issue(world, [LineRequest(catalogue.consultation)])
    assert render_bill(bill, size="A4") == render_bill(bill, size="A4")


@pytest.mark.parametrize("size", ["A4", "A5", "80mm"])
def test_every_size_renders(world: ClinicWorld, catalogue: Catalogue, size: str) -> None:
    bill = _issue(world, [LineRequest(catalogue.cosmetic)])
    assert render_bill(bill, size=size, language="both").startswith(b"%PDF")
