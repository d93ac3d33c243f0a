"""Test settings: a node, with `DATABASE_URL` choosing SQLite (default) or PostgreSQL."""

from __future__ import annotations

import os
import tempfile

# Tests never write into the checkout's var/: each run gets its own data directory.
os.environ.setdefault("NIDAAN_DATA_DIR", tempfile.mkdtemp(prefix="nidaan-test-"))

from .base import *  # noqa: E402, F403

NIDAAN_ROLE = "node"
# Tests log in many users: keep Argon2 (the real hasher) but with cheap parameters.
PASSWORD_HASHERS = ["nidaan.accounts.hashers.FastArgon2PasswordHasher"]
