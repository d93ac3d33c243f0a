"""Named places where the fault-injection tests kill a sync process.

With NIDAAN_SYNC_CRASH_AT=<name> in its environment a process exits at once (like
`kill -9`: no cleanup, no commit) on reaching that place. Unset, it costs one lookup.
"""

from __future__ import annotations

import os

POINTS = (
    "push.before_send",
    "push.sent",
    "push.acked",
    "pull.received",
    "pull.applied",
    "snapshot.applied",
    "hub.push.applied",
)


def crash_point(name: str) -> None:
    if os.environ.get("NIDAAN_SYNC_CRASH_AT") == name:
        os._exit(137)
