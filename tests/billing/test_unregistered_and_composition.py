"""An unregistered clinic gives plain receipts; a composition clinic gives bills of supply
with the mandated wording. Neither charges GST."""

from __future__ import annotations

from decimal import Decimal as D

from nidaan.billing import actions
from nidaan.billing.actions import LineRequest
from nidaan.billing.models import DocumentType
from nidaan.core.permissions import Role
from tests.billing.catalogue import make_catalogue, register_clinic
from tests.factories import ClinicWorld


def test_unregistered_clinic_issues_receipts_without_tax(world: ClinicWorld) -> None:
    catalogue = make_catalogue(world)  # no GST profile: unregistered
    reception = world.user(Role.RECEPTIONIST)
    bill = actions.issue_bill(
        acting_user=reception,
        facility=world.facility,
        patient=world.register(name="Asha"),
        lines=[LineRequest(catalogue.consultation), LineRequest(catalogue.paracetamol, D(2))],
    )
    assert bill.doc_type == DocumentType.RECEIPT
    assert (bill.cgst, bill.sgst, bill.igst, bill.supplier_gstin) == (D(0), D(0), D(0), "")
    assert bill.total == D("561.00")
    assert "/R" in bill.number
    refund = actions.issue_credit_note(bill, acting_user=reception, reason="returned")
    assert refund.doc_type == DocumentType.REFUND
    assert refund.total == bill.total


def test_composition_clinic_issues_bills_of_supply(world: ClinicWorld) -> None:
    register_clinic(world, composition=True)
    catalogue = make_catalogue(world)
    bill = actions.issue_bill(
        acting_user=world.user(Role.PHARMACIST),
        facility=world.facility,
        patient=None,
        lines=[LineRequest(catalogue.paracetamol, D(2))],
    )
    assert bill.doc_type == DocumentType.BILL_OF_SUPPLY
    assert bill.composition
    assert (bill.cgst, bill.sgst, bill.total) == (D(0), D(0), D("61.00"))
    assert "not eligible to collect tax" in actions.COMPOSITION_WORDING


def test_gstin_from_clinic_set_up_makes_the_clinic_registered(world: ClinicWorld) -> None:
    from nidaan.core import changelog
    from tests.billing.catalogue import CLINIC_GSTIN

    organisation = world.organisation
    organisation.gstin = CLINIC_GSTIN
    changelog.update(organisation, ["gstin"], acting_user=world.user(Role.ADMIN))
    catalogue = make_catalogue(world)
    bill = actions.issue_bill(
        acting_user=world.user(Role.RECEPTIONIST),
        facility=world.facility,
        patient=None,
        lines=[LineRequest(catalogue.consultation)],
    )
    assert bill.doc_type == DocumentType.BILL_OF_SUPPLY
    assert bill.supplier_gstin == CLINIC_GSTIN
