"""A clinic node: Django on an embedded SQLite file in the data directory."""

from __future__ import annotations

from .base import *  # noqa: F403

NIDAAN_ROLE = "node"
