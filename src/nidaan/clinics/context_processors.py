from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from nidaan.core.permissions import Perm, user_has


def clinic(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    organisation = getattr(user, "organisation", None)
    return {
        "clinic_organisation": organisation,
        "can": {perm.name.lower(): user_has(user, perm) for perm in Perm},
    }
