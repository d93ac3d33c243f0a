"""Done-when of the prescription issue, in a real browser against `nidaan serve`.

The doctor opens a visit of the demo patient (who has a penicillin allergy), fills three
lines from the "Fever – adult" template and adds amoxicillin as a fourth, is warned of
the allergy, overrides it with a reason, issues, and prints A5 in Hindi and English.
The PDF's text carries the registration number, the generic names in capitals and the
Hindi instructions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server
from tests.printing.conftest import pdf_text, squeeze

pytestmark = pytest.mark.e2e


def test_doctor_writes_a_four_line_prescription_with_a_template_and_prints_a5(
    page: Page,
    server: Server,
    log_in: Callable[[str], None],
    screenshot: Callable[[Page, str], Path],
) -> None:
    log_in("doctor")
    # The demo patient with the penicillin allergy, found by her mobile number.
    page.goto(server.url("/patients/?q=9876501234"))
    href = page.locator("a.result").first.get_attribute("href") or ""
    patient_id = re.search(r"/patients/([0-9a-f-]{36})/", href)
    assert patient_id is not None, href
    page.goto(server.url(f"/visits/patient/{patient_id.group(1)}/"))
    page.get_by_role("button", name="Start a visit").click()
    section = page.locator("#prescription")
    expect(section.locator("#rx-template")).to_be_visible()  # loaded into the page by htmx

    section.locator("#rx-template").select_option("fever-adult")
    section.get_by_role("button", name="Add template lines").click()
    expect(section.locator("[name=line-0-drug]")).to_have_value(
        "Paracetamol 650 mg tablet [PCM650]"
    )
    expect(section.locator("[name=line-2-drug]")).to_have_value("Pantoprazole 40 mg tablet [PAN40]")
    section.locator("[name=line-3-drug]").fill("Amoxicillin 500 mg capsule [AMX500]")
    section.locator("[name=line-3-frequency]").fill("1-0-1")
    section.locator("[name=line-3-food]").select_option("after")
    section.locator("[name=line-3-duration]").fill("5")
    section.locator("[name=language]").select_option("both")

    section.get_by_role("button", name="Issue prescription").click()
    warning = section.locator(".rx-warning")
    expect(warning).to_contain_text("AMOXICILLIN: the patient is allergic to Penicillin")
    expect(section.locator(".rx-issued")).to_have_count(0)  # nothing issued yet
    section.locator(".rx-table").scroll_into_view_if_needed()
    screenshot(page, "prescription-allergy-warning")

    warning.locator("input.rx-override").fill("Took amoxicillin in 2025 without reaction")
    section.get_by_role("button", name="Issue prescription").click()
    expect(section.locator(".rx-issued")).to_have_count(1)
    expect(section.locator(".rx-lines li")).to_have_count(4)
    page.evaluate("document.querySelector('#prescription').scrollIntoView()")
    screenshot(page, "prescription-issued")

    pdf_href = section.locator("a[data-print=A5-both]").get_attribute("href") or ""
    assert "lang=both" in pdf_href
    assert "size=A5" in pdf_href
    # The server renders the PDF on demand: allow for a busy machine.
    response = page.request.get(server.url(pdf_href), timeout=30_000)
    assert response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    assert "UPMC 54321" in text
    for name in (
        "TAB. PARACETAMOL 650 mg",
        "TAB. CETIRIZINE 10 mg",
        "TAB. PANTOPRAZOLE 40 mg",
        "CAP. AMOXICILLIN 500 mg",
    ):
        assert name in text
    assert squeeze("सुबह 1, रात 1, खाने के बाद, 5 दिन") in squeeze(text)
    assert "Penicillin" in text  # the allergy is printed too
