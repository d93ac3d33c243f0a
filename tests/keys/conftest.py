"""One protected demo node (key sealed with a passphrase) per session; each test gets a
copy of its data directory (migrate + demo take seconds; a copy takes milliseconds)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.keys.nodes import PASSPHRASE, demo_node


@pytest.fixture(scope="session")
def _protected_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("protected-template") / "node"
    demo_node(data_dir, NIDAAN_KEY_PASSPHRASE=PASSPHRASE)
    return data_dir


@pytest.fixture
def protected_node(_protected_template: Path, tmp_path: Path) -> Callable[[str], Path]:
    """protected_node("name"): a fresh copy of the demo node, key sealed with PASSPHRASE."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(_protected_template, target)
        return target

    return copy
