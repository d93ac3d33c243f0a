"""Kill the process between number allocation and commit: the series stays gapless.

Real processes on a real SQLite file (WAL, synchronous=FULL), as on a clinic PC: the
killed process's transaction never commits, so its number is free for the next bill.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NIDAAN = Path(sys.executable).parent / "nidaan"


def test_killed_issue_leaves_no_gap(tmp_path: Path) -> None:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(NIDAAN_DATA_DIR=str(tmp_path), PYTHONPATH=str(REPO))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, env=env, cwd=REPO, capture_output=True, text=True, timeout=180)

    assert run(str(NIDAAN), "migrate", "--verbosity", "0").returncode == 0
    helper = str(REPO / "tests" / "billing" / "crash_helper.py")
    setup = run(sys.executable, helper, "setup")
    assert setup.returncode == 0, setup.stderr
    assert setup.stdout.strip() == "[1, 2]"
    crashed = run(sys.executable, helper, "crash")
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    assert crashed.stdout == ""
    after = run(sys.executable, helper, "issue")
    assert after.returncode == 0, after.stderr
    assert after.stdout.strip() == "[1, 2, 3]"
