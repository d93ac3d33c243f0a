"""Shared fixtures (the data they make is built in tests/factories.py)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from nidaan.core.permissions import Role
from tests.factories import CLINIC, PASSWORD, ClinicWorld, make_world

# Tests, and the nidaan processes they start, never touch the developer's own keyring:
# the `fail` backend is "no keyring" (a node then keeps its key beside its data). The
# keyring tests choose a real file-backed keyring of their own.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test ends with the default language active again: a page served in Hindi
    leaves Hindi active in this thread, and the next test would see its messages and
    staff names in Hindi (which test comes next differs under pytest-xdist)."""
    yield
    translation.deactivate()


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    """Files a test stores (documents, reports) go to its own directory."""
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def world(db: None) -> ClinicWorld:
    return make_world()


@pytest.fixture
def other_world(db: None) -> Callable[[], ClinicWorld]:
    """A second, unrelated clinic (made on demand: set-up refuses a second clinic)."""

    def make() -> ClinicWorld:
        # set_up_clinic is the first-run action and refuses when a clinic exists, so the
        # second tenant (as on the hub) is made through the same actions it calls.
        from nidaan.accounts.actions import create_staff_user as create_user
        from nidaan.clinics.actions import create_organisation

        org, facility = create_organisation(
            clinic={**CLINIC, "clinic_name": "Other Clinic", "state": "09", "pin": "226001"},
            acting_user=None,
        )
        admin = create_user(
            acting_user=None,
            facility=facility,
            username="other-admin",
            password=PASSWORD,
            role=Role.ADMIN,
            full_name="Other Admin",
        )
        return ClinicWorld(org, facility, admin)

    return make


# Units of work for pytest-xdist (`make test` runs the suite on several workers with
# `--dist loadfile`): a test file runs whole on one worker, in order, as it does alone,
# so a module-scoped fixture (a sync cluster of real processes) is made once. The
# browser tests share one `nidaan serve` and one Chromium, and the key tests one
# protected demo node (session fixtures): each directory is one unit, so a second worker
# never builds them again. (`--dist loadgroup` with marks cannot do this: pytest-xdist
# 3.8 renames node ids to group them, which pytest 9.2 ignores, so the marks do nothing.)
_ONE_UNIT = ("tests/e2e/", "tests/keys/")
# Units that start processes (a hub and nodes, a server, `nidaan migrate`) take tens of
# seconds to minutes: handed out first, so that no worker is left with one at the end
# while the others sit idle. The browser tests go last, as they do in one process
# (pytest-django runs tests without the database last): while Playwright runs, its
# event loop is marked running in the worker's thread, and Django then refuses every
# database connection (SynchronousOnlyOperation) to a test that comes after.
_SLOW_FIRST = ("tests/sync/", "tests/cli/", "tests/security/", "tests/keys/")
_LAST = "tests/e2e/"


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    # pytest-xdist ships no type information: its classes are Any to mypy.
    class FileScheduling(LoadFileScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return next((unit for unit in _ONE_UNIT if path.startswith(unit)), path)

        def _assign_work_unit(self, node: Any) -> None:
            if not getattr(self, "_slow_first", False):
                units = sorted(self.workqueue.items(), key=lambda unit: _slowness(unit[0]))
                self.workqueue.clear()
                self.workqueue.update(units)
                self._slow_first = True
            super()._assign_work_unit(node)

    return FileScheduling(config, log)


def _slowness(unit: str) -> int:
    if unit.startswith(_LAST):
        return len(_SLOW_FIRST) + 1
    ranks = (rank for rank, slow in enumerate(_SLOW_FIRST) if unit.startswith(slow))
    return next(ranks, len(_SLOW_FIRST))
