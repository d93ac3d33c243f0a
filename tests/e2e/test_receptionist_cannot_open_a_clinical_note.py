"""A receptionist who types a consultation's address is refused, and the admin finds the
attempt in the audit log (issue 8: "roles that hold")."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

from tests.node_database import open_node_database

if TYPE_CHECKING:
    from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e


def _a_visit(server: Server) -> str:
    db = open_node_database(server.data_dir, server.key_passphrase)
    (visit_id,) = db.execute("SELECT id FROM encounters_encounter LIMIT 1").fetchone()
    db.close()
    return str(visit_id)


def test_receptionist_is_refused_the_note_and_the_attempt_is_in_the_audit_log(
    page: Page, server: Server, log_in: Callable[[str], None]
) -> None:
    visit_id = _a_visit(server)
    # The encounters table stores UUIDs as 32 hex digits; the URL carries them dashed.
    dashed = f"{visit_id[:8]}-{visit_id[8:12]}-{visit_id[12:16]}-{visit_id[16:20]}-{visit_id[20:]}"
    log_in("reception")
    response = page.goto(server.url(f"/visits/{dashed}/"))
    assert response is not None
    assert response.status == 403
    # The demo receptionist works in Hindi: "Not allowed".
    expect(page.locator("h1")).to_have_text("अनुमति नहीं है")
    expect(page.locator(".chart-head")).to_have_count(0)

    page.locator("header form[action$='/logout/'] button").click()
    log_in("admin")
    page.locator("header a[href='/audit/']").click()
    page.select_option("#audit-action", "denied")
    page.locator("main form button[type=submit]").click()
    row = page.locator("main table tbody tr").filter(has_text=f"/visits/{dashed}/")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Refused access")
    expect(row).to_contain_text("Receptionist")


def test_clinical_pages_run_under_the_content_security_policy(
    page: Page, server: Server, log_in: Callable[[str], None]
) -> None:
    """The strict CSP (no inline script or style) breaks nothing a doctor uses."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text or message.type == "error"
            else None
        ),
    )
    visit_id = _a_visit(server)
    dashed = f"{visit_id[:8]}-{visit_id[8:12]}-{visit_id[12:16]}-{visit_id[16:20]}-{visit_id[20:]}"
    log_in("doctor")
    response = page.goto(server.url(f"/visits/{dashed}/"))
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator(".chart-head h1")).to_be_visible()
    page.locator(".chart-links a[href^='/visits/patient/']").first.click()
    expect(page.locator("main h1").first).to_be_visible()
    assert violations == []
    # htmx (the live search) still works: it needs no inline script or eval.
    with page.expect_response(lambda r: "/patients/?q=sun" in r.url):
        page.locator("#patient-search").fill("sun")
    assert violations == []
