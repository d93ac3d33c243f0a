"""Enter in the search box opens what was just typed, never a patient left highlighted
from the previous search: a fast typist must not land on the wrong patient's record."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from tests.e2e.conftest import SearchAnswer, Server

pytestmark = pytest.mark.e2e


def test_enter_right_after_typing_does_not_open_the_previous_result(
    page: Page,
    server: Server,
    log_in: Callable[[str], None],
    search_answer: SearchAnswer,
) -> None:
    log_in("reception")
    page.wait_for_load_state()
    page.keyboard.press("/")
    with search_answer("fatima"):
        page.keyboard.type("fatima")
    expect(page.locator("#search-results a.result.active")).to_contain_text("Fatima Khan")

    # A new name, and Enter at once, as a receptionist who knows whom she wants does.
    page.keyboard.press("Control+A")
    page.keyboard.type("ramesh")
    page.keyboard.press("Enter")

    page.wait_for_url(lambda url: url != server.url("/"))
    page.wait_for_load_state()
    assert "Fatima Khan" not in page.locator("h1").inner_text()
    expect(page.locator("main")).to_contain_text("Ramesh Kumar")
