"""Secure headers: a CSP with no inline script or style (and templates that need none),
HSTS and secure cookies on the hub, CSRF on every page that changes something."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from nidaan.core.permissions import Role
from tests.factories import ClinicWorld

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "nidaan"
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event-handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"\shx-on", re.I), "hx-on (evaluated script)"),
]


def test_pages_carry_a_strict_content_security_policy(world: ClinicWorld) -> None:
    for client, url in ((Client(), "/accounts/login/"), (world.client(Role.DOCTOR), "/")):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "style-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
        assert "unsafe-eval" not in policy
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_no_template_needs_inline_script_or_style() -> None:
    found = []
    for template in sorted(PACKAGE.rglob("templates/**/*.html")):
        text = template.read_text()
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                found.append(f"{template.relative_to(PACKAGE)}: {what}: {match.group(0)!r}")
    assert found == []
    assert len(list(PACKAGE.rglob("templates/**/*.html"))) > 20


def test_hub_sends_hsts_and_secure_cookies(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(NIDAAN_ROLE="hub", NIDAAN_HUB_ALLOW_SQLITE="1", NIDAAN_DATA_DIR=str(tmp_path))
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    done = subprocess.run(
        [Path(sys.executable).parent / "nidaan", "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1].split() == ["31536000", "True", "True"]


def _callbacks(patterns: Sequence[object], prefix: str = "") -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += _callbacks(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append((prefix + str(pattern.pattern), pattern.callback))
    return found


def test_no_page_is_exempt_from_csrf() -> None:
    exempt = [
        route
        for route, callback in _callbacks(get_resolver().url_patterns)
        if getattr(callback, "csrf_exempt", False) and not route.startswith(("api/", "sync/v1/"))
    ]
    # The JSON API and the sync endpoints are authenticated by bearer tokens (a user's,
    # a node's) or a one-time enrolment code, never by the cookie, so they need no CSRF
    # token; every page is protected.
    assert exempt == []


def test_a_post_without_the_csrf_token_is_refused(world: ClinicWorld) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user(Role.RECEPTIONIST))
    response = client.post("/patients/new/", {"name": "Forged", "sex": "F", "age": 30})
    assert response.status_code == 403
    response = client.post("/accounts/sessions/")
    assert response.status_code == 403
