"""Numbers: ≤ 16 characters of letters, digits, - and /, not starting with 0, gapless per
series, and never the same on two nodes (each node's series starts with its prefix)."""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nidaan.billing import actions, numbering
from nidaan.billing.actions import LineRequest
from nidaan.billing.models import Bill, DocumentType
from nidaan.core import node
from nidaan.core.models import NodeState
from nidaan.core.permissions import Role
from tests.billing.catalogue import Catalogue
from tests.factories import ClinicWorld

NODES = [(uuid.UUID(int=0xA1), "V1DN"), (uuid.UUID(int=0xB2), "K7QZ")]


def become(node_index: int) -> None:
    """Make this database speak as the other node (NodeState is node-local)."""
    node.identity()
    node_id, prefix = NODES[node_index]
    NodeState.objects.filter(pk=NodeState.SINGLETON_ID).update(node_id=node_id, uhid_prefix=prefix)


def test_number_shape_and_financial_year() -> None:
    assert numbering.financial_year_label(datetime.date(2026, 3, 31)) == "2025-26"
    assert numbering.financial_year_label(datetime.date(2026, 4, 1)) == "2026-27"
    series = numbering.series_for("V1DN", DocumentType.TAX_INVOICE, datetime.date(2026, 3, 31))
    assert series == "V1DN/I2526/"
    assert numbering.format_number(series, 7) == "V1DN/I2526/0007"
    assert numbering.format_number(series, 99999) == "V1DN/I2526/99999"
    with pytest.raises(numbering.SeriesExhausted):
        numbering.format_number(series, 100000)
    with pytest.raises(ValueError, match="cannot start"):
        numbering.series_for("0ABC", DocumentType.TAX_INVOICE, datetime.date(2026, 3, 31))


def test_series_restarts_each_financial_year(world: ClinicWorld, catalogue: Catalogue) -> None:
    def bill(day: datetime.date) -> Bill:
        return actions.issue_bill(
            acting_user=world.user(Role.RECEPTIONIST),
            facility=world.facility,
            patient=None,
            issued_on=day,
            lines=[LineRequest(catalogue.consultation)],
        )

    march, april = bill(datetime.date(2026, 3, 31)), bill(datetime.date(2026, 4, 1))
    assert march.number.endswith("B2526/0001")
    assert april.number.endswith("B2627/0001")
    assert (march.financial_year, april.financial_year) == ("2025-26", "2026-27")


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 1), st.sampled_from(["consultation", "paracetamol"]), st.booleans()
        ),
        min_size=1,
        max_size=12,
    )
)
def test_two_nodes_never_share_a_number_and_series_have_no_gaps(
    world: ClinicWorld, catalogue: Catalogue, steps: list[tuple[int, str, bool]]
) -> None:
    reception = world.user(Role.RECEPTIONIST)
    for node_index, item, cancel in steps:
        become(node_index)
        bill = actions.issue_bill(
            acting_user=reception,
            facility=world.facility,
            patient=None,
            lines=[LineRequest(getattr(catalogue, item), D(1))],
        )
        assert bill.node_id == NODES[node_index][0]
        assert bill.number.startswith(NODES[node_index][1] + "/")
        if cancel:
            actions.cancel_document(bill, acting_user=reception, reason="test")
    numbers = list(Bill.objects.values_list("financial_year", "number"))
    assert len(numbers) == len(set(numbers))
    serials: dict[str, list[int]] = defaultdict(list)
    for series, serial, number in Bill.objects.values_list("series", "serial", "number"):
        serials[series].append(serial)
        assert len(number) <= 16
        assert numbering.NUMBER_SHAPE.match(number)
    for values in serials.values():
        assert sorted(values) == list(range(1, len(values) + 1))
