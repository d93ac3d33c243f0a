"""A mobile number that is not an Indian mobile (1234567890 parses as a valid *fixed line*)
is refused with an error under the mobile field, and nothing is stored."""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from tests.e2e.conftest import SearchAnswer, Server

pytestmark = pytest.mark.e2e

INVALID_MOBILE = "1234567890"


def test_registration_with_invalid_mobile_is_refused_and_nothing_stored(
    page: Page,
    server: Server,
    log_in: Callable[[str], None],
    screenshot: Callable[[Page, str], Path],
    search_answer: SearchAnswer,
) -> None:
    # A surname nobody else has, so that "not found" can only mean "not stored".
    surname = "Galat" + "".join(random.choices(string.ascii_lowercase, k=8))
    name = f"Kavita {surname}"
    log_in("reception")
    page.locator("header a[href='/patients/new/']").click()
    expect(page).to_have_url(server.url("/patients/new/"))

    page.fill("#id_name", name)
    page.check("input[name=sex][value=F]")
    page.fill("#id_age", "41")
    page.fill("#id_mobile", INVALID_MOBILE)
    page.locator("#register-form button[type=submit]").click()
    page.wait_for_load_state()

    mobile_error = page.locator("#field-mobile .field-error")
    expect(mobile_error).to_be_visible()
    expect(mobile_error).not_to_be_empty()
    # Only the mobile number is wrong: name, sex and age were accepted.
    expect(page.locator(".field-error")).to_have_count(1)
    expect(page).to_have_url(server.url("/patients/new/"))
    # What she typed is still there to correct, not lost.
    expect(page.locator("#id_name")).to_have_value(name)
    expect(page.locator("input[name=sex][value=F]")).to_be_checked()
    expect(page.locator("#id_age")).to_have_value("41")
    expect(page.locator("#id_mobile")).to_have_value(INVALID_MOBILE)
    page.locator("#field-mobile").scroll_into_view_if_needed()
    screenshot(page, "register-invalid-mobile")

    results = page.locator("#search-results")
    with search_answer(surname):
        page.locator("#patient-search").fill(surname)
    expect(results.locator(".empty")).to_be_visible()
    expect(results.locator("a.result")).to_have_count(0)
