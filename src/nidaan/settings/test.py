"""Test settings: a node, with `DATABASE_URL` choosing SQLite (default) or PostgreSQL."""

from __future__ import annotations

import os
import tempfile


def _data_dir() -> str:
    """The data directory of this test process: the one whoever started it chose, or a
    new one, never one inherited from a parent test process.

    pytest-xdist workers inherit the controller's environment, and two workers sharing
    a directory would race on its font cache, blobs and keys. A directory a test chose
    for a process it starts (`nidaan ...` on its tmp_path) is kept; the one a test
    process settled on is recorded in NIDAAN_TEST_DATA_DIR, so its children know it
    was not chosen for them.
    """
    chosen = os.environ.get("NIDAAN_DATA_DIR")
    if not chosen or chosen == os.environ.get("NIDAAN_TEST_DATA_DIR"):
        chosen = tempfile.mkdtemp(prefix="nidaan-test-")
    os.environ["NIDAAN_TEST_DATA_DIR"] = chosen
    return chosen


os.environ["NIDAAN_DATA_DIR"] = _data_dir()

from .base import *  # noqa: E402, F403

NIDAAN_ROLE = "node"
# Tests log in many users: keep Argon2 (the real hasher) but with cheap parameters.
PASSWORD_HASHERS = ["nidaan.accounts.hashers.FastArgon2PasswordHasher"]
# The SQLite test database is in memory (Django's default), said explicitly: under
# pytest-xdist, pytest-django gives each worker its own test database by suffixing its
# name, and for an engine other than Django's own sqlite3 (ours is SQLCipher's) with no
# test name it would make one from the file path, which does not open.
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("TEST", {})["NAME"] = ":memory:"  # noqa: F405
