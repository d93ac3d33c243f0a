"""The hub: the same code on PostgreSQL, reached over HTTPS by the clinic nodes."""

from __future__ import annotations

import os

from .base import *  # noqa: F403

NIDAAN_ROLE = "hub"

if not os.environ.get("DATABASE_URL") and os.environ.get("NIDAAN_HUB_ALLOW_SQLITE") != "1":
    raise RuntimeError(
        "The hub runs on PostgreSQL: set DATABASE_URL=postgres://USER:PASSWORD@HOST/DB "
        "(or NIDAAN_HUB_ALLOW_SQLITE=1 for a small set-up or a test)."
    )

SESSION_COOKIE_SECURE = os.environ.get("NIDAAN_INSECURE_COOKIES") != "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
