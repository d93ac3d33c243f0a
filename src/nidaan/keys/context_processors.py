"""A warning on every page while this PC's patient data is not protected at rest."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from nidaan.keys.protection import problems


def key_protection(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if settings.NIDAAN_ROLE != "node" or user is None or not user.is_authenticated:
        return {}
    return {"key_protection_problems": problems()}
