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


def test_two_processes_issuing_at_once_share_one_gapless_series(tmp_path: Path) -> None:
    """Two processes on one node (the web server and a second one) issue 15 bills each
    at the same time: with two bills before and one after, serials 1–33, none twice."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(NIDAAN_DATA_DIR=str(tmp_path), PYTHONPATH=str(REPO))
    helper = str(REPO / "tests" / "billing" / "crash_helper.py")
    migrate = subprocess.run(
        [str(NIDAAN), "migrate", "--verbosity", "0"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert migrate.returncode == 0, migrate.stderr
    setup = subprocess.run(
        [sys.executable, helper, "setup"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert setup.returncode == 0, setup.stderr
    workers = [
        subprocess.Popen(
            [sys.executable, helper, "many", "15"],
            env=env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for worker in workers:
        _out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
    final = subprocess.run(
        [sys.executable, helper, "issue"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert final.stdout.strip() == str(list(range(1, 34)))
