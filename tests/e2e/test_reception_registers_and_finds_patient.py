"""The acceptance scenario: the receptionist, working in Hindi, registers सुनीता देवी and
finds her again by the last digits of her mobile number and by her name typed in English,
then opens her record from the search results with the keyboard alone."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from tests.e2e.conftest import SearchAnswer, Server

pytestmark = pytest.mark.e2e

NAME = "सुनीता देवी"
UHID = re.compile(r"^[0-9A-Z]{4}-\d{4,}-[0-9A-Z]$")
PATIENT_URL = re.compile(
    r"/patients/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/$"
)
# Last four digits of the demo patients' mobiles: hers must not collide with them.
DEMO_MOBILE_TAILS = {"1234", "2345", "3456", "4567", "5678"}


def unique_mobile() -> str:
    while True:
        mobile = "98" + "".join(random.choices("0123456789", k=8))
        if mobile[-4:] not in DEMO_MOBILE_TAILS:
            return mobile


def test_reception_registers_in_hindi_and_finds_her_by_mobile_and_name(
    page: Page,
    server: Server,
    log_in: Callable[[str], None],
    screenshot: Callable[[Page, str], Path],
    search_answer: SearchAnswer,
) -> None:
    log_in("reception")
    html = page.locator("html")
    to_hindi = page.locator("button[name=language][value=hi]")
    to_english = page.locator("button[name=language][value=en]")

    # The demo receptionist may already work in Hindi: start from English so that the
    # switch itself is what is tested.
    if to_english.is_visible():
        to_english.click()
        expect(html).to_have_attribute("lang", "en")
    expect(to_hindi).to_have_text("हिन्दी")
    to_hindi.click()

    expect(html).to_have_attribute("lang", "hi")
    expect(to_english).to_have_text("English")
    new_patient = page.locator("header a[href='/patients/new/']")
    expect(new_patient).to_be_visible()
    expect(new_patient).not_to_have_text(re.compile(r"New patient", re.IGNORECASE))
    screenshot(page, "home-hindi")

    # Register her.
    mobile = unique_mobile()
    new_patient.click()
    expect(page).to_have_url(server.url("/patients/new/"))
    page.fill("#id_name", NAME)
    page.check("input[name=sex][value=F]")
    page.fill("#id_age", "34")
    page.fill("#id_mobile", mobile)
    page.locator("#register-form button[type=submit]").click()

    expect(page).to_have_url(PATIENT_URL)
    her_url = page.url
    expect(page.locator("h1")).to_contain_text(NAME)
    uhid_badge = page.locator(".uhid-badge strong")
    expect(uhid_badge).to_have_text(UHID)
    uhid = uhid_badge.inner_text().strip()
    expect(page.locator("main")).to_contain_text(mobile)
    screenshot(page, "patient-page")

    search = page.locator("#patient-search")
    results = page.locator("#search-results")
    her_path = urlsplit(her_url).path
    her_result = results.locator(f"a.result[href='{her_path}']")

    # By the last four digits of her mobile.
    with search_answer(mobile[-4:]):
        search.fill(mobile[-4:])
    # data-match only tells this answer from the previous one; the checks are on the text.
    expect(results.locator("a.result[data-match=mobile]").first).to_be_visible()
    expect(her_result).to_be_visible()
    expect(her_result).to_contain_text(NAME)
    expect(her_result).to_contain_text(mobile)
    expect(her_result).to_contain_text(uhid)

    # By her name typed in English letters.
    with search_answer("sunita"):
        search.fill("sunita")
    expect(results.locator("a.result[data-match=name]").first).to_be_visible()
    expect(her_result).to_be_visible()
    expect(her_result).to_contain_text(NAME)
    expect(her_result).to_contain_text(uhid)

    # Open her record with the keyboard: the first result is highlighted as results
    # arrive; arrows move the highlight to her if she is not first; Enter opens her.
    expect(search).to_be_focused()
    active = results.locator("a.result.active")
    expect(active).to_have_count(1)
    for _ in range(results.locator("a.result").count()):
        if active.get_attribute("href") == her_path:
            break
        page.keyboard.press("ArrowDown")
    expect(active).to_have_attribute("href", her_path)
    page.keyboard.press("Enter")

    expect(page).to_have_url(her_url)
    expect(page.locator("h1")).to_contain_text(NAME)
    expect(page.locator(".uhid-badge strong")).to_have_text(uhid)
