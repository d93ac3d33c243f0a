"""Test settings: a node, with `DATABASE_URL` choosing SQLite (default) or PostgreSQL."""

from __future__ import annotations

from .base import *  # noqa: F403

NIDAAN_ROLE = "node"
# Tests log in many users: keep Argon2 (the real hasher) but with cheap parameters.
PASSWORD_HASHERS = ["nidaan.accounts.hashers.FastArgon2PasswordHasher"]
