"""Every billing row is written with its change-log entry (for sync) and an audit event,
and issued documents cannot be changed in place."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from nidaan.audit.models import AuditEvent
from nidaan.billing import actions
from nidaan.billing.actions import LineRequest
from nidaan.billing.models import Bill
from nidaan.core import changelog
from nidaan.core.models import ChangeLogEntry
from nidaan.core.permissions import Role
from nidaan.core.synced import UnloggedWriteRefused, registry
from tests.billing.catalogue import Catalogue
from tests.factories import ClinicWorld


def test_bill_lines_payment_are_logged_and_audited(
    world: ClinicWorld, catalogue: Catalogue
) -> None:
    before = ChangeLogEntry.objects.count()
    reception = world.user(Role.RECEPTIONIST)
    bill = actions.issue_bill(
        acting_user=reception,
        facility=world.facility,
        patient=None,
        lines=[LineRequest(catalogue.consultation), LineRequest(catalogue.paracetamol, D(2))],
    )
    actions.record_payment(bill, mode="cash", amount=D(100), acting_user=reception)
    entities = list(
        ChangeLogEntry.objects.order_by("node_seq").values_list("entity", flat=True)[before:]
    )
    assert entities == ["billing.bill", "billing.billline", "billing.billline", "billing.payment"]
    entry = ChangeLogEntry.objects.get(entity="billing.bill", entity_id=bill.pk)
    assert entry.fields["number"] == bill.number
    assert entry.fields["total"] == str(bill.total)
    assert entry.org_id == world.organisation.pk
    audit = AuditEvent.objects.get(entity="billing.bill", entity_id=bill.pk)
    assert audit.detail["number"] == bill.number


def test_every_billing_model_is_synced() -> None:
    names = {name for name in registry() if name.startswith("billing.")}
    assert names == {
        "billing.gstprofile",
        "billing.catalogueentry",
        "billing.taxrate",
        "billing.bill",
        "billing.billline",
        "billing.billcancellation",
        "billing.payment",
        "billing.cashcount",
    }


def test_issued_bill_is_never_changed_in_place(world: ClinicWorld, catalogue: Catalogue) -> None:
    bill = actions.issue_bill(
        acting_user=world.user(Role.RECEPTIONIST),
        facility=world.facility,
        patient=None,
        lines=[LineRequest(catalogue.consultation)],
    )
    bill.total = D(1)
    with pytest.raises(changelog.AppendOnly):
        changelog.update(bill, ["total"], acting_user=world.user(Role.ADMIN))
    with pytest.raises(UnloggedWriteRefused):
        Bill.objects.filter(pk=bill.pk).update(total=D(1))
    with pytest.raises(UnloggedWriteRefused):
        Bill.objects.get(pk=bill.pk).delete()
