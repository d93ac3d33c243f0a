"""Devanagari is drawn with the Noto Sans Devanagari webfont that Nidaan serves itself, so
a clinic PC without Hindi fonts (old Windows, a fresh Linux) shows names, not boxes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, Response

if TYPE_CHECKING:
    from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e

FAMILY = "Noto Sans Devanagari"


def test_devanagari_is_drawn_with_the_served_webfont(page: Page, server: Server) -> None:
    font_responses: list[Response] = []
    page.on(
        "response",
        lambda response: (
            font_responses.append(response) if "/static/fonts/" in response.url else None
        ),
    )
    page.goto(server.url("/accounts/login/"))
    brand = page.locator("h1 .brand-mark")
    assert brand.inner_text() == "निदान"

    assert page.evaluate(
        """async (family) => {
            await document.fonts.ready;
            return document.fonts.check(`16px "${family}"`, "निदान");
        }""",
        FAMILY,
    )
    faces = page.evaluate("[...document.fonts].map(f => [f.family.replace(/\"/g, ''), f.status])")
    assert [FAMILY, "loaded"] in faces, faces

    # It came from this server, not from somewhere on the internet.
    assert font_responses, "no font was requested from /static/fonts/"
    assert all(r.url.startswith(server.base_url) and r.ok for r in font_responses), [
        (r.status, r.url) for r in font_responses
    ]

    # And the glyphs on screen are the webfont's: a system font of the same name (Debian
    # has fonts-noto) would not count as a custom font.
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "h1 .brand-mark"})
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    assert fonts, "no font used for the brand mark"
    assert all(font["isCustomFont"] and font["familyName"] == FAMILY for font in fonts), fonts
