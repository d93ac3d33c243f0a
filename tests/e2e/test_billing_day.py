"""The acceptance scenario of billing (issue 7), in a real browser against `nidaan serve`.

The receptionist (working in Hindi) bills a consultation: a bill of supply, paid in
cash. The pharmacist bills two medicines: a tax invoice with CGST and SGST, which the
patient pays by scanning the UPI QR shown on screen. One strip comes back and the
receptionist refunds it by a credit note. The admin's day end adds up, and the month's
GSTR-1 JSON has every document under its table.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, Response, expect

if TYPE_CHECKING:
    from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e

NIDAAN = Path(sys.executable).parent / "nidaan"
BILL_URL = re.compile(r"/billing/[0-9a-f-]{36}/$")


def _money(text: str) -> Decimal:
    return Decimal(re.sub(r"[^0-9.\-]", "", text))


def _set_up_billing(server: Server) -> None:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["NIDAAN_DATA_DIR"] = str(server.data_dir)
    env["NIDAAN_KEY_PASSPHRASE"] = server.key_passphrase
    done = subprocess.run(
        [str(NIDAAN), "billing_demo", "--password", server.password],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def _new_bill_for(page: Page, server: Server, query: str) -> None:
    page.goto(server.url("/billing/new/"))

    def answers(response: Response) -> bool:
        url = urlsplit(response.url)
        return url.path == "/billing/new/" and parse_qs(url.query).get("q") == [query]

    with page.expect_response(answers):
        page.fill("#find-patient", query)
    page.locator("#patient-choices a.result").first.click()
    expect(page.locator("#id_form-0-entry")).to_be_visible()


def _issue(
    page: Page, lines: list[tuple[str, str]], before: Callable[[], object] | None = None
) -> str:
    for i, (entry, quantity) in enumerate(lines):
        page.select_option(f"#id_form-{i}-entry", label=entry)
        page.fill(f"#id_form-{i}-quantity", quantity)
    if before is not None:
        before()
    page.click("form button.primary.big")
    expect(page).to_have_url(BILL_URL)
    return page.url


def test_a_billing_day(
    page: Page,
    server: Server,
    log_in: Callable[[str], None],
    screenshot: Callable[[Page, str], Path],
) -> None:
    _set_up_billing(server)

    # Reception, in Hindi: the consultation fee, a bill of supply, paid in cash.
    log_in("reception")
    _new_bill_for(page, server, "fatima")
    consult_url = _issue(
        page,
        [("परामर्श (पहली बार) · 999312 · ₹500.00", "1")],
        before=lambda: screenshot(page, "billing-new-bill-hi"),
    )
    expect(page.locator("h1")).to_contain_text("आपूर्ति बिल")  # bill of supply
    consult_number = page.locator("[data-number]").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}/B\d{4}/0001", consult_number)
    expect(page.locator("[data-total]")).to_have_text("₹500.00")
    page.select_option("#id_mode", "cash")
    page.click("#payment form button.primary")
    expect(page.locator("#payment")).to_have_count(1)
    expect(page.locator("[data-balance]")).to_have_text("₹0.00")
    page.context.clear_cookies()

    # The pharmacy, in English: two medicines on a tax invoice, paid by UPI QR.
    log_in("pharmacy")
    _new_bill_for(page, server, "fatima")
    invoice_url = _issue(
        page,
        [
            ("Paracetamol 650 mg (strip of 15) · 3004 · ₹30.50", "2"),
            ("Amoxicillin 500 mg (strip of 10) · 3004 · ₹112.00", "1"),
        ],
    )
    expect(page.locator("h1")).to_contain_text("Tax invoice")
    invoice_number = page.locator("[data-number]").inner_text()
    assert "/I" in invoice_number
    cgst = _money(page.locator("[data-cgst]").inner_text())
    sgst = _money(page.locator("[data-sgst]").inner_text())
    assert cgst == sgst > 0
    total = _money(page.locator("[data-total]").inner_text())
    expect(page.locator(".upi svg")).to_be_visible()
    link = urlsplit(page.locator("[data-upi]").inner_text())
    upi = parse_qs(link.query)
    assert (link.scheme, upi["pa"], upi["am"], upi["tr"]) == (
        "upi",
        ["nidaandemo@upi"],
        [f"{total:.2f}"],
        [invoice_number],
    )
    screenshot(page, "billing-tax-invoice-upi")
    page.select_option("#id_mode", "upi")
    page.fill("#id_reference", "UTR 5050 1234")
    page.click("#payment form button.primary")
    expect(page.locator("[data-balance]")).to_have_text("₹0.00")
    pdf = page.request.get(server.url(urlsplit(invoice_url).path + "pdf/?size=80mm"))
    assert pdf.ok
    assert pdf.body().startswith(b"%PDF")
    page.context.clear_cookies()

    # A strip comes back: reception refunds it by a credit note (what is left of the
    # bill is credited; the money goes back by UPI).
    log_in("reception")
    page.goto(invoice_url)
    page.fill("#id_reason", "Medicines returned unopened")
    page.select_option("#id_refund_mode", "upi")
    page.locator("form[action$='/credit-note/'] button").click()
    expect(page).to_have_url(BILL_URL)
    expect(page.locator("h1")).to_contain_text("क्रेडिट नोट")
    note_number = page.locator("[data-number]").inner_text()
    assert "/C" in note_number
    expect(page.locator("[data-total]")).to_have_text(f"₹{total:,.2f}")
    page.goto(consult_url)
    expect(page.locator("[data-number]")).to_have_text(consult_number)
    page.context.clear_cookies()

    # The admin's day end adds up, and GSTR-1 has every document in its table.
    log_in("admin")
    page.goto(server.url("/billing/day-end/"))
    nets = [_money(t) for t in page.locator("tbody [data-net]").all_inner_texts()]
    net_total = _money(page.locator("[data-net-total]").inner_text())
    assert sum(nets) == net_total == Decimal("500.00")  # cash 500; UPI in and back out
    assert _money(page.locator("tfoot [data-mode=cash]").inner_text()) == Decimal("500.00")
    assert _money(page.locator("tfoot [data-mode=upi]").inner_text()) == Decimal("0.00")
    screenshot(page, "billing-day-end")
    page.goto(server.url("/billing/returns/"))
    with page.expect_download() as download:
        page.click("[data-download=gstr1]")
    gstr1 = json.loads(Path(download.value.path()).read_text())
    assert gstr1["gstin"].startswith("09")
    assert gstr1["nil"]["inv"] == [
        {"sply_ty": "INTRAB2C", "expt_amt": 500.0, "nil_amt": 0.0, "ngsup_amt": 0}
    ]
    (b2cs,) = gstr1["b2cs"]
    assert (b2cs["sply_ty"], b2cs["pos"], b2cs["rt"], b2cs["txval"]) == ("INTRA", "09", 5, 0.0)
    tables = {d["doc_num"]: d["docs"] for d in gstr1["doc_issue"]["doc_det"]}
    assert {row["from"] for row in tables[1]} == {consult_number, invoice_number}
    assert [row["from"] for row in tables[5]] == [note_number]
    assert {r["hsn_sc"] for r in gstr1["hsn"]["hsn_b2c"]} == {"999312", "3004"}
