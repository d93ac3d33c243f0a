"""The UPI QR printed on the bill decodes (zbarimg) to the exact amount due, the clinic's
UPI ID and the bill number; after a part payment it asks for the rest."""

from __future__ import annotations

import subprocess
import tempfile
from decimal import Decimal as D
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from nidaan.billing import actions
from nidaan.billing.actions import LineRequest
from nidaan.billing.models import Bill
from nidaan.billing.pdf import render_bill
from nidaan.core.permissions import Role
from tests.billing.catalogue import Catalogue
from tests.factories import ClinicWorld


def _decoded_qr(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bill.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "200", "-singlefile", str(path), str(Path(tmp) / "page")],
            check=True,
        )
        done = subprocess.run(
            ["zbarimg", "--quiet", "--raw", str(Path(tmp) / "page.png")],
            capture_output=True,
            text=True,
            check=True,
        )
    return done.stdout.strip()


def test_printed_qr_asks_for_what_is_due(world: ClinicWorld, catalogue: Catalogue) -> None:
    reception = world.user(Role.RECEPTIONIST)
    bill = actions.issue_bill(
        acting_user=reception,
        facility=world.facility,
        patient=None,
        lines=[LineRequest(catalogue.consultation), LineRequest(catalogue.paracetamol, D(3))],
    )
    for size in ("A4", "80mm"):
        link = urlsplit(_decoded_qr(render_bill(bill, size=size)))
        upi = parse_qs(link.query)
        assert link.scheme == "upi"
        assert link.netloc == "pay"
        assert upi["pa"] == ["shanti@upi"]
        assert upi["am"] == [f"{bill.total:.2f}"]
        assert upi["cu"] == ["INR"]
        assert upi["tr"] == [bill.number]
    actions.record_payment(bill, mode="cash", amount=D(100), acting_user=reception)
    upi = parse_qs(urlsplit(_decoded_qr(render_bill(Bill.objects.get(pk=bill.pk)))).query)
    assert upi["am"] == [f"{bill.total - 100:.2f}"]
