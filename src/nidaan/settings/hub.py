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

# The hub is reached over HTTPS only (design.md §1): browsers are told to never use plain
# HTTP for it again (HSTS, RFC 6797), for a year once seen.
SECURE_HSTS_SECONDS = int(os.environ.get("NIDAAN_HSTS_SECONDS", 365 * 24 * 3600))
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("NIDAAN_HSTS_SUBDOMAINS") == "1"
# Off by default: the hub usually sits behind a proxy that redirects, and sync tests run
# it on plain HTTP on localhost.
SECURE_SSL_REDIRECT = os.environ.get("NIDAAN_SSL_REDIRECT") == "1"
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (only then).
if os.environ.get("NIDAAN_BEHIND_TLS_PROXY") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
