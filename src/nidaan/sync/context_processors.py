from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from nidaan.sync.status import node_status


def sync_status(request: HttpRequest) -> dict[str, Any]:
    """The status strip on a node that syncs with a hub (nothing on a lone PC)."""
    user = getattr(request, "user", None)
    if settings.NIDAAN_ROLE != "node" or user is None or not user.is_authenticated:
        return {}
    return {"sync_status": node_status()}
