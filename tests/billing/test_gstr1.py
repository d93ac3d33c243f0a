"""GSTR-1 for a month: each document under the table the portal expects, in its keys."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal as D
from typing import Any

import pytest

from nidaan.billing import actions, reports
from nidaan.billing.actions import LineRequest, Recipient
from nidaan.core.permissions import Role
from tests.billing.catalogue import CLINIC_GSTIN, Catalogue, with_check
from tests.factories import ClinicWorld

DAY = datetime.date(2025, 10, 6)
BUYER = with_check("27AAACM1234F1Z")
LOCAL_BUYER = with_check("10AAACL5678K1Z")


@pytest.fixture
def october(world: ClinicWorld, catalogue: Catalogue) -> dict[str, Any]:
    reception, billing = world.user(Role.RECEPTIONIST), world.user(Role.BILLING)

    def issue(lines: list[LineRequest], day: datetime.date = DAY, **kwargs: Any) -> Any:
        return actions.issue_bill(
            acting_user=reception,
            facility=world.facility,
            patient=None,
            lines=lines,
            issued_on=day,
            **kwargs,
        )

    consult = issue([LineRequest(catalogue.consultation)])
    mixed = issue([LineRequest(catalogue.follow_up), LineRequest(catalogue.paracetamol, D(2))])
    b2b = issue(
        [LineRequest(catalogue.paracetamol, D(100))],
        recipient=Recipient(gstin=BUYER, name="Mumbai Medicos"),
        place_of_supply="27",
    )
    local_b2b = issue(
        [LineRequest(catalogue.amoxicillin, D(10))],
        recipient=Recipient(gstin=LOCAL_BUYER, name="Patna Pharma"),
    )
    spoilt = issue([LineRequest(catalogue.dressing)])
    actions.cancel_document(spoilt, acting_user=billing, reason="wrong patient")
    note = actions.issue_credit_note(
        mixed,
        acting_user=billing,
        reason="returned",
        quantities={mixed.lines.get(position=2).pk: D(1)},
        issued_on=DAY,
    )
    b2b_note = actions.issue_credit_note(
        local_b2b,
        acting_user=billing,
        reason="damaged strip",
        quantities={local_b2b.lines.get().pk: D(1)},
        issued_on=DAY,
    )
    issue([LineRequest(catalogue.consultation)], day=datetime.date(2025, 11, 2))  # next month
    return {
        "consult": consult,
        "mixed": mixed,
        "b2b": b2b,
        "local_b2b": local_b2b,
        "spoilt": spoilt,
        "note": note,
        "b2b_note": b2b_note,
        "json": reports.gstr1(world.organisation, "102025"),
    }


def test_header(october: dict[str, Any]) -> None:
    assert october["json"]["gstin"] == CLINIC_GSTIN
    assert october["json"]["fp"] == "102025"


def test_b2b_has_both_registered_buyers_with_igst_and_cgst(october: dict[str, Any]) -> None:
    b2b = {row["ctin"]: row["inv"] for row in october["json"]["b2b"]}
    assert set(b2b) == {BUYER, LOCAL_BUYER}
    (inter,) = b2b[BUYER]
    assert inter["inum"] == october["b2b"].number
    assert inter["idt"] == "06-10-2025"
    assert inter["pos"] == "27"
    assert inter["rchrg"] == "N"
    assert inter["inv_typ"] == "R"
    assert inter["val"] == 3203.0
    assert inter["itms"] == [
        {
            "num": 1,
            "itm_det": {
                "rt": 5,
                "txval": 3050.0,
                "iamt": 152.5,
                "camt": 0.0,
                "samt": 0.0,
                "csamt": 0,
            },
        }
    ]
    (local,) = b2b[LOCAL_BUYER]
    assert local["pos"] == "10"
    assert local["itms"][0]["itm_det"]["camt"] == local["itms"][0]["itm_det"]["samt"]


def test_b2cs_is_net_of_the_credit_note(october: dict[str, Any]) -> None:
    (row,) = october["json"]["b2cs"]
    # Two strips (61.00, CGST 1.53 + SGST 1.53) less the strip the credit note took back.
    note_line = october["note"].lines.get()
    assert row == {
        "sply_ty": "INTRA",
        "pos": "10",
        "typ": "OE",
        "rt": 5,
        "txval": float(D("61.00") - note_line.value),
        "camt": float(D("1.53") - note_line.cgst),
        "samt": float(D("1.53") - note_line.sgst),
        "csamt": 0,
    }


def test_nil_table_has_the_exempt_consultations(october: dict[str, Any]) -> None:
    assert october["json"]["nil"] == {
        "inv": [{"sply_ty": "INTRAB2C", "expt_amt": 800.0, "nil_amt": 0.0, "ngsup_amt": 0}]
    }


def test_credit_note_to_a_registered_buyer_is_in_cdnr(october: dict[str, Any]) -> None:
    (row,) = october["json"]["cdnr"]
    assert row["ctin"] == LOCAL_BUYER
    (note,) = row["nt"]
    assert note["ntty"] == "C"
    assert note["nt_num"] == october["b2b_note"].number
    assert note["val"] == float(october["b2b_note"].total)
    assert "cdnur" not in october["json"]  # no B2C large invoice was credited


def test_hsn_is_split_into_b2b_and_b2c(october: dict[str, Any]) -> None:
    hsn = october["json"]["hsn"]
    b2b = {(r["hsn_sc"], r["rt"]): r for r in hsn["hsn_b2b"]}
    assert b2b[("3004", 5)]["qty"] == 109.0  # 100 + 10 − 1 returned
    assert b2b[("3004", 5)]["uqc"] == "STR"
    b2c = {(r["hsn_sc"], r["rt"]): r for r in hsn["hsn_b2c"]}
    assert b2c[("999312", 0)]["uqc"] == "NA"
    assert b2c[("999312", 0)]["txval"] == 800.0
    assert b2c[("3004", 5)]["qty"] == 1.0


def test_doc_issue_counts_the_cancelled_bill(october: dict[str, Any]) -> None:
    tables = {d["doc_num"]: d["docs"] for d in october["json"]["doc_issue"]["doc_det"]}
    invoices = {row["from"].split("/")[1][0]: row for row in tables[1]}
    assert invoices["B"]["from"] == october["consult"].number
    assert invoices["B"]["to"] == october["spoilt"].number
    assert (invoices["B"]["totnum"], invoices["B"]["cancel"], invoices["B"]["net_issue"]) == (
        2,
        1,
        1,
    )
    assert (invoices["I"]["totnum"], invoices["I"]["cancel"]) == (3, 0)
    (notes,) = tables[5]
    assert (notes["totnum"], notes["cancel"], notes["net_issue"]) == (2, 0, 2)
    assert notes["from"] == october["note"].number


def test_csv_has_every_line_and_marks_the_cancelled(
    world: ClinicWorld, october: dict[str, Any]
) -> None:
    rows = list(csv.DictReader(io.StringIO(reports.gstr1_csv(world.organisation, "102025"))))
    assert len(rows) == 1 + 2 + 1 + 1 + 1 + 1 + 1
    cancelled = [r for r in rows if r["status"] == "cancelled"]
    assert [r["number"] for r in cancelled] == [october["spoilt"].number]
    assert {r["original_number"] for r in rows if r["document_type"] == "credit_note"} == {
        october["mixed"].number,
        october["local_b2b"].number,
    }


def test_bad_period_is_refused() -> None:
    with pytest.raises(ValueError, match="MMYYYY"):
        reports.parse_period("2025-10")


def test_b2c_large_inter_state_invoice_goes_to_b2cl(
    world: ClinicWorld, catalogue: Catalogue
) -> None:
    from nidaan.billing.actions import Recipient as R

    bill = actions.issue_bill(
        acting_user=world.user(Role.BILLING),
        facility=world.facility,
        patient=None,
        lines=[LineRequest(catalogue.paracetamol, D(4000))],
        issued_on=DAY,
        recipient=R(name="Ram Prasad", address="Varanasi"),
        place_of_supply="09",
    )
    assert bill.total > reports.B2CL_THRESHOLD
    data = reports.gstr1(world.organisation, "102025")
    (row,) = data["b2cl"]
    assert row["pos"] == "09"
    (invoice,) = row["inv"]
    assert invoice["inum"] == bill.number
    assert invoice["itms"][0]["itm_det"]["iamt"] == float(bill.igst)
    assert "b2cs" not in data


def test_unregistered_and_composition_clinics_file_no_gstr1(world: ClinicWorld) -> None:
    from tests.billing.catalogue import register_clinic

    with pytest.raises(reports.NoGstr1, match="not registered"):
        reports.gstr1(world.organisation, "102025")
    register_clinic(world, composition=True)
    with pytest.raises(reports.NoGstr1, match="GSTR-4"):
        reports.gstr1(world.organisation, "102025")
    page = world.client(Role.ADMIN).get("/billing/returns/?period=102025").content.decode()
    assert "data-no-gstr1" in page
    assert "Form 3C" in page
