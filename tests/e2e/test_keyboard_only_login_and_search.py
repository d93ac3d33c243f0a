"""Reception works from the keyboard: log in, "/" to search, arrows and Enter to open a
patient, without touching the mouse."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from tests.e2e.conftest import SearchAnswer, Server

pytestmark = pytest.mark.e2e

DEVANAGARI = "रमेश कुमार"
LATIN = "Ramesh Kumar"


def test_keyboard_only_login_search_and_open(
    page: Page,
    server: Server,
    screenshot: Callable[[Page, str], Path],
    search_answer: SearchAnswer,
) -> None:
    page.goto(server.url("/accounts/login/"))
    expect(page.locator("#id_username")).to_be_focused()
    screenshot(page, "login")
    page.keyboard.type("reception")
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type(server.password)
    page.keyboard.press("Enter")
    expect(page).to_have_url(server.url("/"))
    page.wait_for_load_state()  # the keyboard shortcuts are wired up by a deferred script

    search = page.locator("#patient-search")
    expect(search).not_to_be_focused()
    page.keyboard.press("/")
    expect(search).to_be_focused()
    with search_answer("ramesh"):
        page.keyboard.type("ramesh")

    # Both demo patients called Ramesh Kumar: one registered in Devanagari, one in Latin.
    results = page.locator("#search-results a.result")
    # Anchored at the start only: the Devanagari name may be followed by its Latin spelling.
    names = page.locator("#search-results a.result .p-name")
    expect(names.filter(has_text=re.compile(f"^{DEVANAGARI}"))).to_have_count(1)
    expect(names.filter(has_text=re.compile(f"^{LATIN}"))).to_have_count(1)
    expect(results.first).to_have_class(re.compile(r"\bactive\b"))
    screenshot(page, "search-results")

    # Arrow down to the Devanagari one (wherever it is ranked), up and back, and open it.
    active = page.locator("#search-results a.result.active")
    hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
    target = results.filter(has=page.locator(".p-name", has_text=re.compile(f"^{DEVANAGARI}")))
    target_path = target.get_attribute("href") or ""
    target_index = hrefs.index(target_path)
    for _ in range(target_index):
        page.keyboard.press("ArrowDown")
    expect(active).to_have_attribute("href", target_path)
    if target_index > 0:
        page.keyboard.press("ArrowUp")
        expect(active).to_have_attribute("href", hrefs[target_index - 1])
        page.keyboard.press("ArrowDown")
    else:
        page.keyboard.press("ArrowDown")
        expect(active).to_have_attribute("href", hrefs[1])
        page.keyboard.press("ArrowUp")
    expect(active).to_have_attribute("href", target_path)
    page.keyboard.press("Enter")

    expect(page).to_have_url(server.url(target_path))
    expect(page.locator("h1")).to_contain_text(DEVANAGARI)
